package bigcommerce_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// Shared test helpers (internal/testutil).
type (
	captured   = testutil.Captured
	syncBuffer = testutil.SyncBuffer
)

var (
	sequence      = testutil.Sequence
	jsonResponder = testutil.JSONResponder
	debugLogger   = testutil.DebugLogger
)

const (
	storeHash = "abc123"
	token     = "tok-SECRET-7f3e9d"
	couponURL = "https://api.bigcommerce.com/stores/abc123/v2/coupons/42"
)

// vendorCoupon is the coupon example from BigCommerce's documentation.
const vendorCoupon = `{"id":42,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000",
"expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},
"num_uses":0,"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,
"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`

// fastRetries keeps retry waits in milliseconds.
var fastRetries = bigcommerce.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}

func newMocked(t *testing.T, opts ...bigcommerce.Option) (*bigcommerce.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]bigcommerce.Option{
		bigcommerce.WithHTTPClient(&http.Client{Transport: mt}),
		bigcommerce.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := bigcommerce.NewClient(storeHash, token, opts...)
	require.NoError(t, err)
	return c, mt
}

func minimalRequest() *bigcommerce.UpdateCouponRequest {
	return &bigcommerce.UpdateCouponRequest{
		ID: 42, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.00", Code: "S2549JM0Y",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
	}
}

func TestUpdateCouponWireFormatFull(t *testing.T) {
	c, mt := newMocked(t, bigcommerce.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))

	expires := time.Date(2026, 12, 31, 23, 59, 0, 0, time.FixedZone("", -5*3600))
	req := minimalRequest()
	req.AppliesTo = &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{7, 9}}
	req.MinPurchase = bigcommerce.Ptr("25.00")
	req.Expires = &expires
	req.Enabled = bigcommerce.Ptr(false)
	req.MaxUses = bigcommerce.Ptr(100)
	req.MaxUsesPerCustomer = bigcommerce.Ptr(1)
	req.RestrictedTo = &bigcommerce.RestrictedTo{Countries: []string{"AU"}, States: map[string][]string{"AU": {"NSW"}}}
	req.ShippingMethods = []string{"shipping_flatrate"}
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodPut, r.Method)
	assert.Equal(t, couponURL, r.URL.String())
	assert.Equal(t, token, r.Header.Get("X-Auth-Token"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, `{"name":"$5 off","type":"per_total_discount","amount":"5.00","code":"S2549JM0Y",`+
		`"applies_to":{"entity":"products","ids":[7,9]},"min_purchase":"25.00",`+
		`"expires":"Thu, 31 Dec 2026 23:59:00 -0500","enabled":false,"max_uses":100,"max_uses_per_customer":1,`+
		`"restricted_to":{"countries":["AU"],"states":{"AU":["NSW"]}},"shipping_methods":["shipping_flatrate"]}`, cap.Bodies[0])
}

func TestUpdateCouponWireFormatMinimal(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	require.Len(t, cap.Bodies, 1)
	assert.Equal(t, `{"name":"$5 off","type":"per_total_discount","amount":"5.00","code":"S2549JM0Y",`+
		`"applies_to":{"entity":"categories","ids":[0]}}`, cap.Bodies[0])
	assert.Equal(t, "couponkit-go/0.1.0", cap.Reqs[0].Header.Get("User-Agent"))
}

func TestUpdateCouponClearingFields(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))
	req := minimalRequest()
	req.Expires = &time.Time{}       // zero time: remove the expiry
	req.ShippingMethods = []string{} // empty, non-nil: sent as []
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Contains(t, cap.Bodies[0], `"expires":""`)
	assert.Contains(t, cap.Bodies[0], `"shipping_methods":[]`)
}

func TestUpdateCouponDecodesVendorExample(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorCoupon,
		"X-Rate-Limit-Requests-Quota", "150", "X-Rate-Limit-Requests-Left", "149",
		"X-Rate-Limit-Time-Window-Ms", "30000", "X-Rate-Limit-Time-Reset-Ms", "29000",
		"X-Request-Id", "req-77"))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	want := bigcommerce.Coupon{
		ID: 42, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000", MinPurchase: "25.0000",
		Enabled: true, Code: "S2549JM0Y", AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}},
		DateCreated: time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC),
	}
	got := resp.Coupon
	assert.True(t, want.DateCreated.Equal(got.DateCreated), got.DateCreated)
	got.DateCreated = want.DateCreated
	assert.Equal(t, want, got)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	assert.Equal(t, "req-77", resp.Meta.RequestID)
	assert.Equal(t, &bigcommerce.RateLimit{Limit: 150, Remaining: 149, Window: 30 * time.Second, ResetIn: 29 * time.Second}, resp.Meta.RateLimit)
}

func TestUpdateCouponDecodesVariants(t *testing.T) {
	tests := []struct {
		name, restricted, expires string
		wantRestricted            *bigcommerce.RestrictedTo
		wantExpires               *time.Time
	}{
		{"empty object", `{}`, `""`, nil, nil},
		{"empty array", `[]`, `""`, nil, nil},
		{"null", `null`, `""`, nil, nil},
		{"countries", `{"countries":["AU"]}`, `"Wed, 31 Dec 2025 00:00:00 +0000"`,
			&bigcommerce.RestrictedTo{Countries: []string{"AU"}}, bigcommerce.Ptr(time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			body := strings.Replace(strings.Replace(vendorCoupon, `"restricted_to":[]`, `"restricted_to":`+tt.restricted, 1),
				`"expires":""`, `"expires":`+tt.expires, 1)
			mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, body))
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.NoError(t, err)
			assert.Equal(t, tt.wantRestricted, resp.Coupon.RestrictedTo)
			if tt.wantExpires == nil {
				assert.Nil(t, resp.Coupon.Expires)
			} else {
				require.NotNil(t, resp.Coupon.Expires)
				assert.True(t, tt.wantExpires.Equal(*resp.Coupon.Expires))
			}
			assert.Nil(t, resp.Meta.RateLimit, "no rate-limit headers")
		})
	}
}

func TestUpdateCouponValidation(t *testing.T) {
	c, mt := newMocked(t)
	req := &bigcommerce.UpdateCouponRequest{
		ID: 0, Name: strings.Repeat("n", 101), Type: "bogus", Amount: "ten", Code: "NO!" + strings.Repeat("x", 50),
		MinPurchase: bigcommerce.Ptr("1,00"), MaxUses: bigcommerce.Ptr(-1), MaxUsesPerCustomer: bigcommerce.Ptr(-2),
	}
	_, err := c.UpdateCoupon(context.Background(), req)
	require.Error(t, err)
	assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
	var ve *bigcommerce.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	assert.Equal(t, []string{"id", "name", "type", "amount", "code", "code", "applies_to", "min_purchase", "max_uses", "max_uses_per_customer"}, fields)
	assert.Contains(t, err.Error(), "name must be at most 100 characters")
	assert.Contains(t, err.Error(), "applies_to is required")
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent")

	bad := []struct {
		name string
		mod  func(*bigcommerce.UpdateCouponRequest)
		want bigcommerce.FieldError
	}{
		{"bad entity", func(r *bigcommerce.UpdateCouponRequest) { r.AppliesTo.Entity = "brands" },
			bigcommerce.FieldError{Field: "applies_to.entity", Problem: `must be one of "products", "categories"`}},
		{"no ids", func(r *bigcommerce.UpdateCouponRequest) { r.AppliesTo.IDs = nil },
			bigcommerce.FieldError{Field: "applies_to.ids", Problem: "must list at least one id (for categories, 0 means all)"}},
		{"product 0", func(r *bigcommerce.UpdateCouponRequest) {
			r.AppliesTo = &bigcommerce.AppliesTo{Entity: "products", IDs: []int{0}}
		},
			bigcommerce.FieldError{Field: "applies_to.ids", Problem: "must be positive ids (0, meaning all, only for categories)"}},
		{"missing name", func(r *bigcommerce.UpdateCouponRequest) { r.Name = "" },
			bigcommerce.FieldError{Field: "name", Problem: "is required"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := minimalRequest()
			tt.mod(r)
			_, err := c.UpdateCoupon(context.Background(), r)
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []bigcommerce.FieldError{tt.want}, ve.Fields)
		})
	}
	_, err = c.UpdateCoupon(context.Background(), nil)
	assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name, hash, tok string
		opts            []bigcommerce.Option
		want            string
	}{
		{"bad hash", "ABC/..", token, nil, "storeHash"},
		{"empty token", storeHash, "", nil, "accessToken"},
		{"token with newline", storeHash, token + "\n", nil, "accessToken"},
		{"relative base", storeHash, token, []bigcommerce.Option{bigcommerce.WithBaseURL("/api")}, "absolute"},
		{"ftp base", storeHash, token, []bigcommerce.Option{bigcommerce.WithBaseURL("ftp://x")}, "absolute"},
		{"user info", storeHash, token, []bigcommerce.Option{bigcommerce.WithBaseURL("https://u:p@x")}, "user info"},
		{"nil client", storeHash, token, []bigcommerce.Option{bigcommerce.WithHTTPClient(nil)}, "nil"},
		{"nil logger", storeHash, token, []bigcommerce.Option{bigcommerce.WithLogger(nil)}, "nil"},
		{"negative retries", storeHash, token, []bigcommerce.Option{bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: -2})}, "negative"},
		{"min above max", storeHash, token, []bigcommerce.Option{bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MinWait: time.Minute, MaxWait: time.Second})}, "MinWait"},
		{"empty product", storeHash, token, []bigcommerce.Option{bigcommerce.WithUserAgent("")}, "product"},
		{"nil option", storeHash, token, []bigcommerce.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := bigcommerce.NewClient(tt.hash, tt.tok, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), token)
		})
	}
	hc := &http.Client{Timeout: time.Second}
	_, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not mutated")
	assert.Nil(t, hc.Transport)
}

func TestUpdateCouponErrors(t *testing.T) {
	tests := []struct {
		name      string
		responder httpmock.Responder
		sentinel  error
		status    int
		message   string
	}{
		{"404 array", jsonResponder(404, `[{"status":404,"message":"The requested resource was not found."}]`),
			bigcommerce.ErrNotFound, 404, "The requested resource was not found."},
		{"409 duplicate", jsonResponder(409, `[{"status":409,"message":"The field 'name' must be unique."}]`),
			bigcommerce.ErrConflict, 409, "The field 'name' must be unique."},
		{"422 with details", jsonResponder(422, `[{"status":422,"message":"The field 'amount' is invalid.","details":{"invalid_reason":"Amount must be positive"}},{"status":422,"message":"The field 'code' is invalid."}]`),
			bigcommerce.ErrInvalidRequest, 422, "The field 'amount' is invalid. (invalid_reason: Amount must be positive); The field 'code' is invalid."},
		{"400 element status differs", jsonResponder(400, `[{"status":409,"message":"odd"}]`),
			bigcommerce.ErrInvalidRequest, 400, "odd"},
		{"401", jsonResponder(401, `[{"status":401,"message":"You are not authorized."}]`), bigcommerce.ErrUnauthorized, 401, "You are not authorized."},
		{"403", jsonResponder(403, `[{"status":403,"message":"You don't have a required scope to access the endpoint"}]`), bigcommerce.ErrForbidden, 403, "required scope"},
		{"429 headers only", jsonResponder(429, ``, "X-Retry-After", "1"), bigcommerce.ErrRateLimited, 429, "(empty body)"},
		{"500 proxy HTML", func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(500, "<html><body><h1>500 Internal Server Error</h1>\n</body></html>"), nil
		}, bigcommerce.ErrServer, 500, "<html><body><h1>500 Internal Server Error</h1> </body></html>"},
		{"501 not retried", jsonResponder(501, `[{"status":501,"message":"Not Implemented"}]`), bigcommerce.ErrServer, 501, "Not Implemented"},
		{"405 has no sentinel", jsonResponder(405, `[{"status":405,"message":"Method Not Allowed"}]`), nil, 405, "Method Not Allowed"},
		{"truncated JSON 200", jsonResponder(200, `{"id":42,"name":"$5 o`), nil, 200, "not what the API documents"},
		{"wrong type 200", jsonResponder(200, `{"id":[42]}`), nil, 200, "not what the API documents"},
		{"empty 200", jsonResponder(200, ``), nil, 200, "not what the API documents"},
		{"object instead of array", jsonResponder(400, `{"status":400,"title":"Bad Request"}`), bigcommerce.ErrInvalidRequest, 400, "Bad Request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: bigcommerce.NoRetries}))
			mt.RegisterResponder(http.MethodPut, couponURL, tt.responder)
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *bigcommerce.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, "bigcommerce", ae.Vendor)
			assert.Contains(t, ae.Message, tt.message)
			testutil.OnlySentinel(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), "bigcommerce: "), err.Error())
		})
	}
}

func TestRetryRateLimitThenSuccess(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, bigcommerce.WithLogger(debugLogger(&logs)))
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(429, ``, "X-Rate-Limit-Time-Reset-Ms", "15", "X-Rate-Limit-Requests-Left", "0", "X-Rate-Limit-Requests-Quota", "150"),
		jsonResponder(200, vendorCoupon)))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond, "waited for the reset")
	assert.Equal(t, 2, resp.Meta.Attempts)
	require.Len(t, cap.Bodies, 2)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[1], "body identical on every attempt")
	assert.NotEmpty(t, cap.Bodies[0])
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one debug line per attempt")
	assert.Contains(t, lines[0], "status=429 attempt=1 wait=15ms retry=true")
	assert.Contains(t, lines[0], "method=PUT host=api.bigcommerce.com path=/stores/abc123/v2/coupons/42")
	assert.Contains(t, lines[1], "status=200 attempt=2 wait=0s retry=false")
}

func TestRetryWaitsForTheLongerHeader(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, bigcommerce.WithLogger(debugLogger(&logs)),
		bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 1500 * time.Millisecond}))
	var cap captured
	// X-Retry-After says 1 s, the reset header 5 ms: the longer wins
	// (within MaxWait, 1.5 s). The context ends during the wait.
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(429, ``, "X-Retry-After", "1", "X-Rate-Limit-Time-Reset-Ms", "5")))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel) // do not actually wait the second
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, logs.String(), "wait=1s retry=true")
}

func TestRetryServerErrorsThenSuccess(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(503, `[{"status":503,"message":"Service Unavailable"}]`),
		jsonResponder(502, `<html>Bad Gateway</html>`),
		jsonResponder(200, vendorCoupon)))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Len(t, cap.Reqs, 3)
}

func TestRetriesExhausted(t *testing.T) {
	c, mt := newMocked(t, bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(503, `[{"status":503,"message":"Service Unavailable"}]`, "X-Request-Id", "r-1"))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.ErrorIs(t, err, bigcommerce.ErrServer)
	var ae *bigcommerce.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 3, ae.Attempts)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Equal(t, "bigcommerce: PUT /stores/abc123/v2/coupons/42: 503: Service Unavailable (request id r-1) after 3 attempts", err.Error())
}

func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	c, mt := newMocked(t, bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 3}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, ``, "Retry-After", "3600"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, bigcommerce.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "returned before the deadline instead of sleeping into it")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var ae *bigcommerce.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.Equal(t, 1, ae.Attempts)
}

func TestCancelDuringWaitReturnsPromptly(t *testing.T) {
	c, mt := newMocked(t, bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 3, MaxWait: time.Hour}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, ``, "Retry-After", "3600"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "gave up waiting to retry")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 409, 422, 501} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(status, `[{"status":400,"message":"no"}]`))
		_, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "status %d", status)
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, bigcommerce.WithLogger(debugLogger(&logs)))
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			// A misbehaving proxy echoing the request headers back.
			return httpmock.NewStringResponse(status, `[{"status":1,"message":"bad token `+r.Header.Get("X-Auth-Token")+`"}]`), nil
		}
	}
	responders := []httpmock.Responder{
		echo(401), echo(500), echo(429), echo(200),
		httpmock.NewErrorResponder(errors.New("dial failed for " + token)),
	}
	for i, r := range responders {
		mt.RegisterResponder(http.MethodPut, couponURL, r)
		_, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err, i)
		assert.NotContains(t, err.Error(), token, i)
		var ae *bigcommerce.APIError
		if errors.As(err, &ae) {
			assert.NotContains(t, string(ae.Body), token, i)
			assert.NotContains(t, ae.Message, token, i)
			if ae.StatusCode != 200 {
				assert.Contains(t, ae.Message, "[REDACTED]", i)
			}
		}
	}
	_, err := c.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{Name: token})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), token)
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), token)
}
