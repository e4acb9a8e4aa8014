package utmcoupon_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
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
	respond       = testutil.Respond
)

const (
	account   = "acme"
	appKey    = "vtexappkey-acme-KEY4c1d"
	appToken  = "APPTOKEN-SECRET-9b7f3e2a"
	couponURL = "https://acme.vtexcommercestable.com.br/api/rnb/pvt/coupon"
)

// vendorCoupon is the response example of VTEX's documentation: five
// fraction digits, utmCampaign left out.
const vendorCoupon = `{
    "lastModifiedUtc": "2020-01-08T20:06:06.37289Z",
    "utmSource": "cupom3",
    "couponCode": "ctest-01e0ueos8zq95rt",
    "isArchived": true,
    "maxItemsPerClient": 1,
    "expirationIntervalPerUse": "00:00:00"
}`

// fastRetries keeps retry waits in milliseconds.
var fastRetries = utmcoupon.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}

func newMocked(t *testing.T, opts ...utmcoupon.Option) (*utmcoupon.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]utmcoupon.Option{
		utmcoupon.WithHTTPClient(&http.Client{Transport: mt}),
		utmcoupon.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := utmcoupon.NewClient(account, appKey, appToken, opts...)
	require.NoError(t, err)
	return c, mt
}

// seedRequest is the request example of VTEX's documentation.
func seedRequest() *utmcoupon.UpdateCouponRequest {
	return &utmcoupon.UpdateCouponRequest{CouponCode: "ctest", UtmSource: "cupom3", MaxItemsPerClient: 1}
}

func TestUpdateCouponWireFormatSeedExample(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))
	_, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.NoError(t, err)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, couponURL, r.URL.String())
	assert.Equal(t, appKey, r.Header.Get("X-VTEX-API-AppKey"))
	assert.Equal(t, appToken, r.Header.Get("X-VTEX-API-AppToken"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Len(t, r.Header, 5, "no other header: %v", r.Header)
	// Every field is sent (VTEX replaces the whole coupon) except the nil
	// pointers: VTEX's OpenAPI document types utmCampaign and maxUsage as
	// non-nullable, so no JSON null is ever sent.
	assert.Equal(t, `{"utmSource":"cupom3","couponCode":"ctest","isArchived":false,`+
		`"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`, cap.Bodies[0])
}

func TestUpdateCouponWireFormatFull(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))
	_, err := c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
		CouponCode: "SUMMER-15", UtmSource: "newsletter", UtmCampaign: utmcoupon.Ptr("summer <2026>"),
		IsArchived: true, MaxItemsPerClient: 3, ExpirationIntervalPerUse: 36 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
	})
	require.NoError(t, err)
	require.Len(t, cap.Bodies, 1)
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", cap.Reqs[0].Header.Get("User-Agent"))
	assert.Equal(t, `{"utmSource":"newsletter","utmCampaign":"summer \u003c2026\u003e","couponCode":"SUMMER-15","isArchived":true,`+
		`"maxItemsPerClient":3,"expirationIntervalPerUse":"1.12:00:00","maxUsage":500}`, cap.Bodies[0])
}

func TestUpdateCouponSendsZeroValues(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap, jsonResponder(200, vendorCoupon)))
	req := seedRequest()
	req.MaxItemsPerClient = 0
	req.UtmCampaign = utmcoupon.Ptr("")
	req.MaxUsage = utmcoupon.Ptr(0)
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, `{"utmSource":"cupom3","utmCampaign":"","couponCode":"ctest","isArchived":false,`+
		`"maxItemsPerClient":0,"expirationIntervalPerUse":"00:00:00","maxUsage":0}`, cap.Bodies[0])
}

func TestExpirationIntervalOnTheWire(t *testing.T) {
	tests := []struct {
		d    time.Duration
		wire string
	}{
		{0, "00:00:00"},
		{time.Second, "00:00:01"},
		{90 * time.Minute, "01:30:00"},
		{36 * time.Hour, "1.12:00:00"},
		{14 * 24 * time.Hour, "14.00:00:00"},
		{400*24*time.Hour + 23*time.Hour + 59*time.Minute + 59*time.Second, "400.23:59:59"},
	}
	for _, tt := range tests {
		t.Run(tt.wire, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			// The server echoes the interval back: encode and decode agree.
			mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap, jsonResponder(200,
				`{"couponCode":"c","utmSource":"s","maxItemsPerClient":1,"expirationIntervalPerUse":"`+tt.wire+`","lastModifiedUtc":"2021-11-10T14:24:39.3683694Z"}`)))
			req := seedRequest()
			req.ExpirationIntervalPerUse = tt.d
			resp, err := c.UpdateCoupon(context.Background(), req)
			require.NoError(t, err)
			assert.Contains(t, cap.Bodies[0], `"expirationIntervalPerUse":"`+tt.wire+`"`)
			assert.Equal(t, tt.d, resp.Coupon.ExpirationIntervalPerUse)
		})
	}
}

func TestDecodesVendorExample(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPost, couponURL, jsonResponder(200, vendorCoupon,
		"Ratelimit-Limit", "100", "Ratelimit-Remaining", "99", "Ratelimit-Reset", "60", "X-Request-Id", "req-77"))
	resp, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.NoError(t, err)
	assert.Equal(t, utmcoupon.Coupon{
		CouponCode: "ctest-01e0ueos8zq95rt", UtmSource: "cupom3", IsArchived: true, MaxItemsPerClient: 1,
		LastModifiedUTC: time.Date(2020, 1, 8, 20, 6, 6, 372890000, time.UTC),
	}, resp.Coupon)
	assert.False(t, resp.Created)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	assert.Equal(t, "req-77", resp.Meta.RequestID)
	assert.Equal(t, &utmcoupon.RateLimit{Limit: 100, Remaining: 99, ResetIn: time.Minute}, resp.Meta.RateLimit)
}

func TestDecodesVariants(t *testing.T) {
	tests := []struct {
		name, body string
		want       utmcoupon.Coupon
	}{
		{"seven digits, campaign and max usage",
			`{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"s","utmCampaign":"camp","couponCode":"c",` +
				`"isArchived":false,"maxItemsPerClient":2,"expirationIntervalPerUse":"14.00:00:00","maxUsage":10}`,
			utmcoupon.Coupon{CouponCode: "c", UtmSource: "s", UtmCampaign: "camp", MaxItemsPerClient: 2,
				ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(10),
				LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC)}},
		{"six digits, nulls",
			`{"lastModifiedUtc":"2021-11-10T14:24:39.368369Z","utmSource":"s","utmCampaign":null,"couponCode":"c",` +
				`"isArchived":false,"maxItemsPerClient":0,"expirationIntervalPerUse":null,"maxUsage":null}`,
			utmcoupon.Coupon{CouponCode: "c", UtmSource: "s", LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369000, time.UTC)}},
		{"fractional interval, no zone, no fraction",
			`{"lastModifiedUtc":"2021-11-10T14:24:39","couponCode":"c","expirationIntervalPerUse":"-00:00:01.5000000"}`,
			utmcoupon.Coupon{CouponCode: "c", ExpirationIntervalPerUse: -1500 * time.Millisecond,
				LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 0, time.UTC)}},
		{"offset is converted to UTC",
			`{"lastModifiedUtc":"2021-11-10T11:24:39.36836+03:00","couponCode":"c"}`,
			utmcoupon.Coupon{CouponCode: "c", LastModifiedUTC: time.Date(2021, 11, 10, 8, 24, 39, 368360000, time.UTC)}},
		{"no lastModifiedUtc", `{"couponCode":"c","lastModifiedUtc":null}`, utmcoupon.Coupon{CouponCode: "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, couponURL, jsonResponder(200, tt.body))
			resp, err := c.UpdateCoupon(context.Background(), seedRequest())
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Coupon)
			assert.Equal(t, time.UTC, resp.Coupon.LastModifiedUTC.Location())
			assert.Nil(t, resp.Meta.RateLimit, "no rate-limit headers")
		})
	}
}

func TestCreatedOn201ReplacedOn200(t *testing.T) {
	for status, created := range map[int]bool{200: false, 201: true} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPost, couponURL, jsonResponder(status, vendorCoupon))
		resp, err := c.UpdateCoupon(context.Background(), seedRequest())
		require.NoError(t, err)
		assert.Equal(t, created, resp.Created, "status %d", status)
		assert.Equal(t, status, resp.Meta.StatusCode)
		assert.Equal(t, "ctest-01e0ueos8zq95rt", resp.Coupon.CouponCode)
	}
}

func TestUpdateCouponValidation(t *testing.T) {
	c, mt := newMocked(t)
	_, err := c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
		MaxItemsPerClient: -1, ExpirationIntervalPerUse: -time.Hour, MaxUsage: utmcoupon.Ptr(-2),
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, utmcoupon.ErrInvalidRequest)
	var ve *utmcoupon.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []utmcoupon.FieldError{
		{Field: "couponCode", Problem: "is required"},
		{Field: "utmSource", Problem: "is required"},
		{Field: "maxItemsPerClient", Problem: "must not be negative"},
		{Field: "expirationIntervalPerUse", Problem: "must not be negative"},
		{Field: "maxUsage", Problem: "must not be negative"},
	}, ve.Fields)
	assert.Equal(t, "utmcoupon: invalid request for POST /api/rnb/pvt/coupon: couponCode is required; utmSource is required; "+
		"maxItemsPerClient must not be negative; expirationIntervalPerUse must not be negative; maxUsage must not be negative", err.Error())

	bad := []struct {
		name string
		mod  func(*utmcoupon.UpdateCouponRequest)
		want utmcoupon.FieldError
	}{
		{"finer than a tick", func(r *utmcoupon.UpdateCouponRequest) { r.ExpirationIntervalPerUse = 1500*time.Millisecond + 50 },
			utmcoupon.FieldError{Field: "expirationIntervalPerUse", Problem: "must be a whole number of 100ns ticks (a .NET TimeSpan's resolution)"}},
		{"one nanosecond", func(r *utmcoupon.UpdateCouponRequest) { r.ExpirationIntervalPerUse = time.Hour + 1 },
			utmcoupon.FieldError{Field: "expirationIntervalPerUse", Problem: "must be a whole number of 100ns ticks (a .NET TimeSpan's resolution)"}},
		{"invalid UTF-8 code", func(r *utmcoupon.UpdateCouponRequest) { r.CouponCode = "c\xff" },
			utmcoupon.FieldError{Field: "couponCode", Problem: "must be valid UTF-8"}},
		{"invalid UTF-8 source", func(r *utmcoupon.UpdateCouponRequest) { r.UtmSource = "\xfe" },
			utmcoupon.FieldError{Field: "utmSource", Problem: "must be valid UTF-8"}},
		{"invalid UTF-8 campaign", func(r *utmcoupon.UpdateCouponRequest) { r.UtmCampaign = utmcoupon.Ptr("\xc3") },
			utmcoupon.FieldError{Field: "utmCampaign", Problem: "must be valid UTF-8"}},
		{"missing code", func(r *utmcoupon.UpdateCouponRequest) { r.CouponCode = "" },
			utmcoupon.FieldError{Field: "couponCode", Problem: "is required"}},
		{"negative max usage", func(r *utmcoupon.UpdateCouponRequest) { r.MaxUsage = utmcoupon.Ptr(-1) },
			utmcoupon.FieldError{Field: "maxUsage", Problem: "must not be negative"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := seedRequest()
			tt.mod(r)
			_, err := c.UpdateCoupon(context.Background(), r)
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []utmcoupon.FieldError{tt.want}, ve.Fields)
		})
	}
	_, err = c.UpdateCoupon(context.Background(), nil)
	assert.ErrorIs(t, err, utmcoupon.ErrInvalidRequest)
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent")

	// The edges are valid.
	mt.RegisterResponder(http.MethodPost, couponURL, jsonResponder(200, vendorCoupon))
	r := seedRequest()
	r.MaxItemsPerClient, r.MaxUsage, r.ExpirationIntervalPerUse = 0, utmcoupon.Ptr(0), 0
	_, err = c.UpdateCoupon(context.Background(), r)
	require.NoError(t, err)
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name, account, key, tok string
		opts                    []utmcoupon.Option
		want                    string
	}{
		{"empty key", account, "", appToken, nil, "appKey"},
		{"key with newline", account, appKey + "\r\n", appToken, nil, "appKey"},
		{"empty token", account, appKey, "", nil, "appToken"},
		{"token with newline", account, appKey, appToken + "\nX: y", nil, "appToken"},
		{"bad environment", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithEnvironment("evil.com/x")}, "environment"},
		{"empty environment", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithEnvironment("")}, "environment"},
		{"relative base", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithBaseURL("/api")}, "absolute"},
		{"ftp base", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithBaseURL("ftp://x")}, "absolute"},
		{"user info", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithBaseURL("https://u:p@x")}, "user info"},
		{"nil client", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithHTTPClient(nil)}, "nil"},
		{"nil logger", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithLogger(nil)}, "nil"},
		{"negative retries", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: -2})}, "negative"},
		{"min above max", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MinWait: time.Minute, MaxWait: time.Second})}, "MinWait"},
		{"empty product", account, appKey, appToken, []utmcoupon.Option{utmcoupon.WithUserAgent("")}, "product"},
		{"nil option", account, appKey, appToken, []utmcoupon.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := utmcoupon.NewClient(tt.account, tt.key, tt.tok, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), appToken)
			assert.NotContains(t, err.Error(), appKey)
		})
	}
	hc := &http.Client{Timeout: time.Second}
	_, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not mutated")
	assert.Nil(t, hc.Transport)
}

// Account names and environments become part of the host: anything but a
// DNS label could send the credentials elsewhere.
func TestAccountNameInjectionRejected(t *testing.T) {
	for _, name := range []string{
		"evil.com/x", "a@b", "a:80", "a.b", "", "-a", "a-", "evil.com#", "a/b", "a?b", "a b", "a\nb", "a%2eb",
		"a\\b", "ünï", "a_b", strings.Repeat("a", 64), "evil.com:443/", "[::1]", "a\x00",
	} {
		c, err := utmcoupon.NewClient(name, appKey, appToken)
		assert.Error(t, err, "%q", name)
		assert.Nil(t, c, "%q", name)
		if err != nil {
			assert.Contains(t, err.Error(), "accountName must be a DNS label")
		}
		_, err = utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithEnvironment(name))
		assert.Error(t, err, "environment %q", name)
	}
	for _, name := range []string{"acme", "my-store-01", "A1", "x", strings.Repeat("a", 63), "1-2"} {
		_, err := utmcoupon.NewClient(name, appKey, appToken)
		assert.NoError(t, err, "%q", name)
	}
}

func TestHostFromAccountAndEnvironment(t *testing.T) {
	tests := []struct {
		name string
		opts []utmcoupon.Option
		want string
	}{
		{"default", nil, "https://my-store.vtexcommercestable.com.br/api/rnb/pvt/coupon"},
		{"environment", []utmcoupon.Option{utmcoupon.WithEnvironment("vtexcommercebeta")}, "https://my-store.vtexcommercebeta.com.br/api/rnb/pvt/coupon"},
		{"base URL wins", []utmcoupon.Option{utmcoupon.WithBaseURL("https://proxy.internal:8080/vtex/"), utmcoupon.WithEnvironment("beta")},
			"https://proxy.internal:8080/vtex/api/rnb/pvt/coupon"},
		{"base URL wins in any order", []utmcoupon.Option{utmcoupon.WithEnvironment("beta"), utmcoupon.WithBaseURL("https://proxy.internal:8080")},
			"https://proxy.internal:8080/api/rnb/pvt/coupon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var got string
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				return httpmock.NewStringResponse(201, vendorCoupon), nil
			})
			opts := append([]utmcoupon.Option{utmcoupon.WithHTTPClient(&http.Client{Transport: mt})}, tt.opts...)
			c, err := utmcoupon.NewClient("my-store", appKey, appToken, opts...)
			require.NoError(t, err)
			_, err = c.UpdateCoupon(context.Background(), seedRequest())
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestUpdateCouponErrors(t *testing.T) {
	validation := `{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.",` +
		`"status":400,"traceId":"00-4f1c-01","errors":{"utmSource":["The UtmSource field is required."],` +
		`"expirationIntervalPerUse":["The JSON value could not be converted to System.TimeSpan.","Second message."]}}`
	tests := []struct {
		name        string
		responder   httpmock.Responder
		sentinel    error
		status      int
		code        string
		message     string
		fieldErrors map[string][]string
		requestID   string
	}{
		{"400 RFC 7807 validation", respond(400, "application/problem+json; charset=utf-8", validation),
			utmcoupon.ErrInvalidRequest, 400, "",
			"One or more validation errors occurred. (expirationIntervalPerUse: The JSON value could not be converted to System.TimeSpan.; Second message., utmSource: The UtmSource field is required.)",
			map[string][]string{"utmSource": {"The UtmSource field is required."},
				"expirationIntervalPerUse": {"The JSON value could not be converted to System.TimeSpan.", "Second message."}},
			"00-4f1c-01"},
		{"400 text/plain", respond(400, "text/plain", "Coupon code is invalid\n"), utmcoupon.ErrInvalidRequest, 400, "", "Coupon code is invalid", nil, ""},
		{"401 text/plain", respond(401, "text/plain", "Unauthorized"), utmcoupon.ErrUnauthorized, 401, "", "Unauthorized", nil, ""},
		{"401 empty", respond(401, "", ""), utmcoupon.ErrUnauthorized, 401, "", "(empty body)", nil, ""},
		{"403 RFC 7807 with detail", respond(403, "application/problem+json", `{"type":"about:blank","title":"Forbidden","status":403,"detail":"Missing permission"}`),
			utmcoupon.ErrForbidden, 403, "", "Forbidden: Missing permission", nil, ""},
		{"403 text/plain", respond(403, "text/plain", "Forbidden"), utmcoupon.ErrForbidden, 403, "", "Forbidden", nil, ""},
		{"404 text/plain", respond(404, "text/plain", "Not Found"), utmcoupon.ErrNotFound, 404, "", "Not Found", nil, ""},
		{"409 problem", respond(409, "application/problem+json", `{"title":"Conflict","status":409}`), utmcoupon.ErrConflict, 409, "", "Conflict", nil, ""},
		{"422 errors as strings", respond(422, "application/problem+json", `{"title":"Unprocessable","errors":{"couponCode":"taken"}}`),
			utmcoupon.ErrInvalidRequest, 422, "", "Unprocessable (couponCode: taken)", map[string][]string{"couponCode": {"taken"}}, ""},
		{"VTEX classic error object", jsonResponder(400, `{"error":{"code":"1","message":"Invalid coupon","exception":null}}`),
			utmcoupon.ErrInvalidRequest, 400, "1", "Invalid coupon", nil, ""},
		{"ASP.NET Message", jsonResponder(400, `{"Message":"The request is invalid."}`), utmcoupon.ErrInvalidRequest, 400, "", "The request is invalid.", nil, ""},
		{"status in body is not trusted", jsonResponder(400, `{"title":"odd","status":"500"}`), utmcoupon.ErrInvalidRequest, 400, "", "odd", nil, ""},
		{"undecodable JSON", jsonResponder(400, `{"title":`), utmcoupon.ErrInvalidRequest, 400, "", "undecodable error body", nil, ""},
		{"JSON without any message", jsonResponder(400, `{"foo":1}`), utmcoupon.ErrInvalidRequest, 400, "", `{"foo":1}`, nil, ""},
		{"429 headers only", respond(429, "text/plain", "", "Retry-After", "1"), utmcoupon.ErrRateLimited, 429, "", "(empty body)", nil, ""},
		{"500 proxy HTML", respond(500, "text/html", "<html><body><h1>500 Internal Server Error</h1>\n</body></html>"),
			utmcoupon.ErrServer, 500, "", "<html><body><h1>500 Internal Server Error</h1> </body></html>", nil, ""},
		{"501 not retried", respond(501, "text/plain", "Not Implemented"), utmcoupon.ErrServer, 501, "", "Not Implemented", nil, ""},
		{"405 has no sentinel", respond(405, "text/plain", "Method Not Allowed"), nil, 405, "", "Method Not Allowed", nil, ""},
		{"truncated JSON 200", jsonResponder(200, `{"couponCode":"c","utmSo`), nil, 200, "", "not what the API documents", nil, ""},
		{"wrong type 200", jsonResponder(200, `{"couponCode":"c","maxItemsPerClient":[1]}`), nil, 200, "", "not what the API documents", nil, ""},
		{"null 200", jsonResponder(200, `null`), nil, 200, "", "coupon has no couponCode", nil, ""},
		{"empty 201", jsonResponder(201, ``), nil, 201, "", "not what the API documents", nil, ""},
		{"hours over 23 in 200", jsonResponder(200, `{"couponCode":"c","expirationIntervalPerUse":"25:00:00"}`),
			nil, 200, "", `expirationIntervalPerUse: invalid TimeSpan "25:00:00": hours must be 00 to 23`, nil, ""},
		{"garbage interval in 200", jsonResponder(200, `{"couponCode":"c","expirationIntervalPerUse":"P14D"}`),
			nil, 200, "", `invalid TimeSpan "P14D"`, nil, ""},
		{"bad lastModifiedUtc in 200", jsonResponder(200, `{"couponCode":"c","lastModifiedUtc":"yesterday"}`),
			nil, 200, "", `lastModifiedUtc: not an RFC 3339 UTC time: "yesterday"`, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: utmcoupon.NoRetries}))
			mt.RegisterResponder(http.MethodPost, couponURL, tt.responder)
			resp, err := c.UpdateCoupon(context.Background(), seedRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *utmcoupon.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, "utmcoupon", ae.Vendor)
			assert.Contains(t, ae.Message, tt.message)
			assert.Equal(t, tt.fieldErrors, ae.FieldErrors)
			assert.Equal(t, tt.requestID, ae.RequestID)
			testutil.OnlySentinel(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), "utmcoupon: "), err.Error())
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestRetryRateLimitThenSuccess(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, utmcoupon.WithLogger(debugLogger(&logs)))
	var cap captured
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap,
		respond(429, "text/plain", "Too Many Requests", "Retry-After", "0.02",
			"Ratelimit-Limit", "100", "Ratelimit-Remaining", "0", "Ratelimit-Reset", "0.02"),
		jsonResponder(201, vendorCoupon, "Ratelimit-Limit", "100", "Ratelimit-Remaining", "99", "Ratelimit-Reset", "59")))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.NoError(t, err)
	// The server asked for 20ms, within MaxWait (20ms): waited whole.
	// Backoff alone (MinWait 1ms) would wait about 1ms.
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond, "waited for the server")
	assert.Equal(t, 2, resp.Meta.Attempts)
	assert.True(t, resp.Created)
	assert.Equal(t, &utmcoupon.RateLimit{Limit: 100, Remaining: 99, ResetIn: 59 * time.Second}, resp.Meta.RateLimit)
	require.Len(t, cap.Bodies, 2)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[1], "body identical on every attempt")
	assert.NotEmpty(t, cap.Bodies[0])
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one debug line per attempt")
	assert.Contains(t, lines[0], "status=429 attempt=1 wait=20ms retry=true")
	assert.Contains(t, lines[0], "method=POST host=acme.vtexcommercestable.com.br path=/api/rnb/pvt/coupon")
	assert.Contains(t, lines[1], "status=201 attempt=2 wait=0s retry=false")
}

func TestRateLimitedOnceRetriesSpent(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}))
	mt.RegisterResponder(http.MethodPost, couponURL, respond(429, "text/plain", "Too Many Requests",
		"Retry-After", "0.003", "Ratelimit-Limit", "100", "Ratelimit-Remaining", "0", "Ratelimit-Reset", "0.007"))
	_, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.ErrorIs(t, err, utmcoupon.ErrRateLimited)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 3, ae.Attempts)
	assert.Equal(t, 7*time.Millisecond, ae.RetryAfter, "the longer of Retry-After and Ratelimit-Reset")
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Equal(t, `utmcoupon: POST /api/rnb/pvt/coupon couponCode "ctest": 429: Too Many Requests after 3 attempts`, err.Error())
}

func TestRetryServerErrorsThenSuccess(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&cap,
		respond(503, "text/plain", "Service Unavailable"),
		respond(502, "text/html", "<html>Bad Gateway</html>"),
		jsonResponder(200, vendorCoupon)))
	resp, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Len(t, cap.Reqs, 3)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[2])
}

func TestRetriesExhausted(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}))
	mt.RegisterResponder(http.MethodPost, couponURL, respond(503, "text/plain", "Service Unavailable", "X-Request-Id", "r-1"))
	_, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.ErrorIs(t, err, utmcoupon.ErrServer)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 3, ae.Attempts)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Equal(t, `utmcoupon: POST /api/rnb/pvt/coupon couponCode "ctest": 503: Service Unavailable (request id r-1) after 3 attempts`, err.Error())
}

// The upsert is idempotent: 5xx and connections lost mid-request are
// retried, 4xx (but 429) and 501 are not.
func TestRetryMatrix(t *testing.T) {
	tests := []struct {
		name      string
		responder httpmock.Responder
		calls     int
	}{
		{"500", respond(500, "text/plain", "x"), 4},
		{"502", respond(502, "text/plain", "x"), 4},
		{"503", respond(503, "text/plain", "x"), 4},
		{"504", respond(504, "text/plain", "x"), 4},
		{"429", respond(429, "text/plain", "x"), 4},
		{"lost mid-request", httpmock.NewErrorResponder(io.ErrUnexpectedEOF), 4},
		{"dial failure", httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), 4},
		{"400", respond(400, "text/plain", "x"), 1},
		{"401", respond(401, "text/plain", "x"), 1},
		{"403", respond(403, "text/plain", "x"), 1},
		{"404", respond(404, "text/plain", "x"), 1},
		{"409", respond(409, "text/plain", "x"), 1},
		{"422", respond(422, "text/plain", "x"), 1},
		{"501", respond(501, "text/plain", "x"), 1},
		{"bad 200 body", jsonResponder(200, "<html>"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, couponURL, tt.responder)
			_, err := c.UpdateCoupon(context.Background(), seedRequest())
			require.Error(t, err)
			assert.Equal(t, tt.calls, mt.GetTotalCallCount())
		})
	}
}

func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 3}))
	mt.RegisterResponder(http.MethodPost, couponURL, respond(429, "text/plain", "", "Retry-After", "3600"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.UpdateCoupon(ctx, seedRequest())
	require.ErrorIs(t, err, utmcoupon.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "returned before the deadline instead of sleeping into it")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.Equal(t, 1, ae.Attempts)
}

func TestCancelDuringWaitReturnsPromptly(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 3, MaxWait: time.Hour}))
	mt.RegisterResponder(http.MethodPost, couponURL, respond(429, "text/plain", "", "Ratelimit-Reset", "3600"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.UpdateCoupon(ctx, seedRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Contains(t, err.Error(), "gave up waiting to retry")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// The app token (and key) never appear in an error, a debug log line or
// APIError.Body, even when the server echoes them back.
func TestCredentialsNeverLeak(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, utmcoupon.WithLogger(debugLogger(&logs)))
	echo := func(status int, problem bool) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			tok, key := r.Header.Get("X-VTEX-API-AppToken"), r.Header.Get("X-VTEX-API-AppKey")
			if problem {
				return httpmock.NewStringResponse(status, `{"title":"bad token `+tok+`","detail":"key `+key+`","traceId":"`+tok+`",`+
					`"errors":{"appToken":["`+tok+` is wrong"]},"error":{"code":"`+tok+`"}}`), nil
			}
			resp := httpmock.NewStringResponse(status, "invalid token "+tok+" for key "+key)
			resp.Header.Set("X-Request-Id", "req-"+tok)
			return resp, nil
		}
	}
	responders := []httpmock.Responder{
		echo(401, false), echo(403, true), echo(400, true), echo(500, false), echo(429, true), echo(200, false), echo(201, true),
		httpmock.NewErrorResponder(errors.New("dial failed for " + appToken + " " + appKey)),
	}
	for i, r := range responders {
		mt.RegisterResponder(http.MethodPost, couponURL, r)
		resp, err := c.UpdateCoupon(context.Background(), seedRequest())
		require.Error(t, err, i)
		assert.NotContains(t, err.Error(), appToken, i)
		assert.NotContains(t, err.Error(), appKey, i)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", err, resp), appToken, i)
		var ae *utmcoupon.APIError
		if errors.As(err, &ae) {
			assert.NotContains(t, string(ae.Body), appToken, i)
			assert.NotContains(t, string(ae.Body), appKey, i)
			assert.NotContains(t, ae.Message, appToken, i)
			assert.NotContains(t, ae.Code, appToken, i)
			assert.NotContains(t, ae.RequestID, appToken, i)
			assert.NotContains(t, fmt.Sprint(ae.FieldErrors), appToken, i)
			if ae.StatusCode >= 400 {
				assert.Contains(t, string(ae.Body), "[REDACTED]", i)
			}
		}
	}
	// A success whose request id echoes the token.
	mt.RegisterResponder(http.MethodPost, couponURL, jsonResponder(200, vendorCoupon, "X-Request-Id", "id-"+appToken))
	resp, err := c.UpdateCoupon(context.Background(), seedRequest())
	require.NoError(t, err)
	assert.Equal(t, "id-[REDACTED]", resp.Meta.RequestID)

	_, err = c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{CouponCode: appToken, MaxUsage: utmcoupon.Ptr(-1)})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), appToken)
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), appToken)
	assert.NotContains(t, logs.String(), appKey)
}

// One client shared by many goroutines against the test server.
func TestConcurrentUseAgainstTestServer(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	c := srv.Client(utmcoupon.WithRetryPolicy(fastRetries))
	var wg sync.WaitGroup
	var created atomic.Int32
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				resp, err := c.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
					CouponCode: fmt.Sprintf("C-%d", g), UtmSource: "src", MaxItemsPerClient: i,
				})
				if !assert.NoError(t, err) {
					return
				}
				if resp.Created {
					created.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	assert.Equal(t, int32(16), created.Load(), "each code created once, then replaced")
	assert.Equal(t, 160, srv.Requests())
	got, ok := srv.Coupon("C-3")
	require.True(t, ok)
	assert.Equal(t, 9, got.MaxItemsPerClient)
}
