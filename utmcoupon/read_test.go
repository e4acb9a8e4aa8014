package utmcoupon_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
)

// The response examples of VTEX's OpenAPI ("VTEX - Promotions & Taxes
// API.json", vtex/openapi-schemas): GET one (utmCampaign left out), GET all
// (two coupons: one with a campaign and no maxUsage, one without a campaign
// and with maxUsage), and a batch-created coupon's configuration from the
// v2 API (groupingKey, maxUsage 3, maxItemsPerClient 0).
const (
	vendorGetExample = `{
    "lastModifiedUtc": "2021-11-10T14:24:39.3683694Z",
    "utmSource": "coupon3",
    "couponCode": "test",
    "isArchived": false,
    "maxItemsPerClient": 10,
    "expirationIntervalPerUse": "00:00:00",
    "maxUsage": 1
}`
	vendorListExample = `[
    {
        "lastModifiedUtc": "2021-11-10T14:24:39.3683694Z",
        "utmSource": "coupon3",
        "utmCampaign": "coupon3",
        "couponCode": "test",
        "isArchived": false,
        "maxItemsPerClient": 10,
        "expirationIntervalPerUse": "00:00:00"
    },
    {
        "lastModifiedUtc": "2020-06-22T18:25:24.4583474Z",
        "utmSource": "cupom3",
        "couponCode": "test-lucian2",
        "isArchived": false,
        "maxItemsPerClient": 10,
        "expirationIntervalPerUse": "00:00:00",
        "maxUsage": 3
    }
]`
	vendorBatchCoupon = `{
    "lastModifiedUtc": "2022-04-20T20:07:03.5066878Z",
    "utmSource": "fb",
    "utmCampaign": "rewards",
    "couponCode": "rewardsprogram-9f3k2",
    "isArchived": false,
    "maxItemsPerClient": 0,
    "expirationIntervalPerUse": "00:00:00",
    "maxUsage": 3,
    "groupingKey": "rewardsprogram"
}`
)

func TestGetCouponWireFormat(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, couponURL+"/test", sequence(&cap, jsonResponder(200, vendorGetExample)))
	resp, err := c.GetCoupon(context.Background(), "test")
	require.NoError(t, err)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, couponURL+"/test", r.URL.String(), "no query string")
	assert.Equal(t, appKey, r.Header.Get("X-VTEX-API-AppKey"))
	assert.Equal(t, appToken, r.Header.Get("X-VTEX-API-AppToken"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	// VTEX's OpenAPI marks Content-Type: application/json as required on
	// its GETs too.
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Empty(t, cap.Bodies[0], "a read sends no body")

	assert.Equal(t, utmcoupon.Coupon{
		CouponCode: "test", UtmSource: "coupon3", MaxItemsPerClient: 10, MaxUsage: utmcoupon.Ptr(1),
		LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC),
	}, resp.Coupon)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	assert.Nil(t, resp.Coupon.UpdateRequest().UtmCampaign, "null campaign is sent back as null")
}

func TestGetCouponEscapesTheCode(t *testing.T) {
	for code, path := range map[string]string{
		"a/b":        "/api/rnb/pvt/coupon/a%2Fb",
		"../x":       "/api/rnb/pvt/coupon/..%2Fx",
		"50% off":    "/api/rnb/pvt/coupon/50%25%20off",
		"a?b#c":      "/api/rnb/pvt/coupon/a%3Fb%23c",
		"cupom-ção":  "/api/rnb/pvt/coupon/cupom-%C3%A7%C3%A3o",
		"ctest-01e0": "/api/rnb/pvt/coupon/ctest-01e0",
	} {
		c, mt := newMocked(t)
		var cap captured
		mt.RegisterNoResponder(sequence(&cap, jsonResponder(200, `{"couponCode":`+quote(code)+`}`)))
		resp, err := c.GetCoupon(context.Background(), code)
		require.NoError(t, err, code)
		require.Len(t, cap.Reqs, 1)
		assert.Equal(t, path, cap.Reqs[0].URL.EscapedPath(), code)
		assert.Empty(t, cap.Reqs[0].URL.RawQuery, code)
		assert.Equal(t, code, resp.Coupon.CouponCode)
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func TestGetCouponValidationSendsNothing(t *testing.T) {
	tests := map[string]string{
		"":      "is required",
		".":     `must not be "." or ".."`,
		"..":    `must not be "." or ".."`,
		"a\nb":  "must not contain control characters",
		"a\x7f": "must not contain control characters",
		"c\xff": "must be valid UTF-8",
	}
	for code, problem := range tests {
		c, mt := newMocked(t)
		resp, err := c.GetCoupon(context.Background(), code)
		assert.Nil(t, resp)
		var ve *utmcoupon.ValidationError
		require.ErrorAs(t, err, &ve, "%q", code)
		assert.Equal(t, []utmcoupon.FieldError{{Field: "couponCode", Problem: problem}}, ve.Fields, "%q", code)
		assert.Equal(t, "utmcoupon", ve.Vendor)
		assert.True(t, strings.HasPrefix(err.Error(), "utmcoupon: invalid request for GET /api/rnb/pvt/coupon"), err.Error())
		assert.ErrorIs(t, err, utmcoupon.ErrInvalidRequest)
		assert.Equal(t, 0, mt.GetTotalCallCount(), "%q: nothing sent", code)
	}
}

// TestGetCouponDecodesVendorShapes checks every field of the read shape
// against VTEX's published examples and the looseness a .NET back end can
// produce: null for any field, numbers and booleans as strings, fractional
// TimeSpans, a groupingKey of digits sent as a number.
func TestGetCouponDecodesVendorShapes(t *testing.T) {
	stamp := time.Date(2022, 4, 20, 20, 7, 3, 506687800, time.UTC)
	tests := []struct {
		name, body string
		want       utmcoupon.Coupon
		campaign   *string // what UpdateRequest sends back for utmCampaign
	}{
		{"published GET example", vendorGetExample, utmcoupon.Coupon{
			CouponCode: "test", UtmSource: "coupon3", MaxItemsPerClient: 10, MaxUsage: utmcoupon.Ptr(1),
			LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC)}, nil},
		{"batch-created coupon", vendorBatchCoupon, utmcoupon.Coupon{
			CouponCode: "rewardsprogram-9f3k2", UtmSource: "fb", UtmCampaign: "rewards", MaxUsage: utmcoupon.Ptr(3),
			GroupingKey: "rewardsprogram", LastModifiedUTC: stamp}, utmcoupon.Ptr("rewards")},
		{"every optional field null",
			`{"couponCode":"c","utmSource":null,"utmCampaign":null,"isArchived":null,"maxItemsPerClient":null,` +
				`"expirationIntervalPerUse":null,"maxUsage":null,"lastModifiedUtc":null,"groupingKey":null}`,
			utmcoupon.Coupon{CouponCode: "c"}, nil},
		{"only the code", `{"couponCode":"c"}`, utmcoupon.Coupon{CouponCode: "c"}, nil},
		{"campaign is the empty string", `{"couponCode":"c","utmCampaign":""}`, utmcoupon.Coupon{CouponCode: "c"}, utmcoupon.Ptr("")},
		{"numbers and booleans as strings",
			`{"couponCode":"c","isArchived":"true","maxItemsPerClient":"10","maxUsage":"3","lastModifiedUtc":"2022-04-20T20:07:03.5066878Z"}`,
			utmcoupon.Coupon{CouponCode: "c", IsArchived: true, MaxItemsPerClient: 10, MaxUsage: utmcoupon.Ptr(3), LastModifiedUTC: stamp}, nil},
		{"booleans as 0/1, whole floats",
			`{"couponCode":"c","isArchived":1,"maxItemsPerClient":2.0,"maxUsage":0}`,
			utmcoupon.Coupon{CouponCode: "c", IsArchived: true, MaxItemsPerClient: 2, MaxUsage: utmcoupon.Ptr(0)}, nil},
		{"maxUsage as an empty string", `{"couponCode":"c","maxUsage":""}`, utmcoupon.Coupon{CouponCode: "c"}, nil},
		{"strings as numbers", `{"couponCode":12130984756,"utmSource":7,"utmCampaign":2024,"groupingKey":12130984756}`,
			utmcoupon.Coupon{CouponCode: "12130984756", UtmSource: "7", UtmCampaign: "2024", GroupingKey: "12130984756"}, utmcoupon.Ptr("2024")},
		{"14 days", `{"couponCode":"c","expirationIntervalPerUse":"14.00:00:00"}`,
			utmcoupon.Coupon{CouponCode: "c", ExpirationIntervalPerUse: 14 * 24 * time.Hour}, nil},
		{"fractional seconds", `{"couponCode":"c","expirationIntervalPerUse":"1.02:03:04.5000000"}`,
			utmcoupon.Coupon{CouponCode: "c", ExpirationIntervalPerUse: 26*time.Hour + 3*time.Minute + 4500*time.Millisecond}, nil},
		{"short fraction", `{"couponCode":"c","expirationIntervalPerUse":"00:00:00.25"}`,
			utmcoupon.Coupon{CouponCode: "c", ExpirationIntervalPerUse: 250 * time.Millisecond}, nil},
		{"empty interval and time", `{"couponCode":"c","expirationIntervalPerUse":"","lastModifiedUtc":""}`,
			utmcoupon.Coupon{CouponCode: "c"}, nil},
		{"unknown fields ignored", `{"couponCode":"c","id":"9c1f","usage":{"count":2},"utmiCampaign":null}`,
			utmcoupon.Coupon{CouponCode: "c"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterNoResponder(jsonResponder(200, tt.body))
			code := tt.want.CouponCode
			resp, err := c.GetCoupon(context.Background(), code)
			require.NoError(t, err)
			got := resp.Coupon
			assert.Equal(t, tt.campaign, got.UpdateRequest().UtmCampaign)
			// Compare the exported fields (the coupon also remembers
			// whether its campaign was "" or null, checked above).
			assert.Equal(t, tt.want, exported(got))
		})
	}
}

// exported is c rebuilt from its exported fields only.
func exported(c utmcoupon.Coupon) utmcoupon.Coupon {
	return utmcoupon.Coupon{
		CouponCode: c.CouponCode, UtmSource: c.UtmSource, UtmCampaign: c.UtmCampaign, IsArchived: c.IsArchived,
		MaxItemsPerClient: c.MaxItemsPerClient, ExpirationIntervalPerUse: c.ExpirationIntervalPerUse,
		MaxUsage: c.MaxUsage, LastModifiedUTC: c.LastModifiedUTC, GroupingKey: c.GroupingKey,
	}
}

func TestGetCouponNotFound(t *testing.T) {
	tests := []struct {
		name      string
		responder func(*http.Request) (*http.Response, error)
		message   string
	}{
		{"404 text", respond(404, "text/plain", "Not Found"), "Not Found"},
		{"404 problem", respond(404, "application/problem+json", `{"title":"Not Found","status":404,"detail":"Coupon not found"}`), "Not Found: Coupon not found"},
		{"204", respond(204, "", ""), `no coupon "gone"`},
		{"200 empty body", jsonResponder(200, ""), `no coupon "gone"`},
		{"200 null", jsonResponder(200, "null"), `no coupon "gone"`},
		{"200 {}", jsonResponder(200, "{}"), `no coupon "gone"`},
		{"200 []", jsonResponder(200, "[]"), `no coupon "gone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, couponURL+"/gone", tt.responder)
			resp, err := c.GetCoupon(context.Background(), "gone")
			assert.Nil(t, resp)
			testutil.OnlySentinel(t, err, utmcoupon.ErrNotFound)
			var ae *utmcoupon.APIError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, ae.Message, tt.message)
			assert.Contains(t, err.Error(), "GET /api/rnb/pvt/coupon/gone")
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not retried")
		})
	}
}

func TestGetCouponBadAnswers(t *testing.T) {
	tests := []struct{ name, body, message string }{
		{"another coupon", `{"couponCode":"other"}`, `asked for coupon "want", got coupon "other"`},
		{"no code", `{"utmSource":"s"}`, "coupon has no couponCode"},
		{"an array of one", `[{"couponCode":"want"}]`, "cannot unmarshal array"},
		{"HTML", `<html>ok</html>`, "not what the API documents"},
		{"truncated", `{"couponCode":"want","utmSo`, "not what the API documents"},
		{"wrong type", `{"couponCode":"want","maxUsage":{"n":1}}`, "expected an integer"},
		{"bad boolean", `{"couponCode":"want","isArchived":"maybe"}`, "expected a boolean"},
		{"bad TimeSpan", `{"couponCode":"want","expirationIntervalPerUse":"14 days"}`, `invalid TimeSpan "14 days"`},
		{"bad time", `{"couponCode":"want","lastModifiedUtc":"today"}`, `lastModifiedUtc: not an RFC 3339 UTC time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterNoResponder(jsonResponder(200, tt.body))
			resp, err := c.GetCoupon(context.Background(), "want")
			assert.Nil(t, resp)
			var ae *utmcoupon.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 200, ae.StatusCode)
			assert.Contains(t, ae.Message, tt.message)
			testutil.OnlySentinel(t, err, nil)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestGetCouponCodeCaseIsIgnored(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterNoResponder(jsonResponder(200, `{"couponCode":"summer15"}`))
	resp, err := c.GetCoupon(context.Background(), "SUMMER15")
	require.NoError(t, err)
	assert.Equal(t, "summer15", resp.Coupon.CouponCode, "the code as VTEX stores it")
}

// TestGetCouponRetriesAsIdempotent: a read is retried on 5xx, where a
// non-idempotent request would not be.
func TestGetCouponRetriesAsIdempotent(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, couponURL+"/test", sequence(&cap,
		respond(503, "text/plain", "Service Unavailable"),
		respond(429, "text/plain", "Too Many Requests", "Retry-After", "0"),
		jsonResponder(200, vendorGetExample, "Ratelimit-Limit", "100", "Ratelimit-Remaining", "98", "Ratelimit-Reset", "2")))
	resp, err := c.GetCoupon(context.Background(), "test")
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Equal(t, &utmcoupon.RateLimit{Limit: 100, Remaining: 98, ResetIn: 2 * time.Second}, resp.Meta.RateLimit)
	require.Len(t, cap.Reqs, 3)
	for _, r := range cap.Reqs {
		assert.Equal(t, http.MethodGet, r.Method)
	}
}

func TestGetCouponErrorsRedactCredentials(t *testing.T) {
	c, mt := newMocked(t, utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: utmcoupon.NoRetries}))
	mt.RegisterNoResponder(respond(403, "text/plain", "key "+appKey+" token "+appToken+" refused"))
	_, err := c.GetCoupon(context.Background(), "test")
	testutil.OnlySentinel(t, err, utmcoupon.ErrForbidden)
	assert.NotContains(t, err.Error(), appToken)
	assert.NotContains(t, err.Error(), appKey)
	var ae *utmcoupon.APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, string(ae.Body), appToken)
}

func TestListCouponsWireFormatAndVendorExample(t *testing.T) {
	for name, opts := range map[string]*utmcoupon.ListCouponsOptions{"nil options": nil, "empty options": {}} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, couponURL, sequence(&cap, jsonResponder(200, vendorListExample)))
			seq := c.ListCoupons(context.Background(), opts)
			assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent before the loop starts")
			var got []utmcoupon.Coupon
			for coupon, err := range seq {
				require.NoError(t, err)
				got = append(got, coupon)
			}
			require.Len(t, cap.Reqs, 1, "one bare array, no paging: one request")
			r := cap.Reqs[0]
			assert.Equal(t, http.MethodGet, r.Method)
			assert.Equal(t, couponURL, r.URL.String(), "no query string")
			assert.Equal(t, appKey, r.Header.Get("X-VTEX-API-AppKey"))
			assert.Equal(t, appToken, r.Header.Get("X-VTEX-API-AppToken"))
			assert.Equal(t, "application/json", r.Header.Get("Accept"))
			assert.Empty(t, cap.Bodies[0])

			require.Len(t, got, 2)
			assert.Equal(t, utmcoupon.Coupon{
				CouponCode: "test", UtmSource: "coupon3", UtmCampaign: "coupon3", MaxItemsPerClient: 10,
				LastModifiedUTC: time.Date(2021, 11, 10, 14, 24, 39, 368369400, time.UTC),
			}, got[0])
			assert.Equal(t, utmcoupon.Coupon{
				CouponCode: "test-lucian2", UtmSource: "cupom3", MaxItemsPerClient: 10, MaxUsage: utmcoupon.Ptr(3),
				LastModifiedUTC: time.Date(2020, 6, 22, 18, 25, 24, 458347400, time.UTC),
			}, got[1])

			// Each range sends its own request.
			for range seq {
			}
			assert.Equal(t, 2, mt.GetTotalCallCount())
		})
	}
}

func TestListCouponsEmptyAnswers(t *testing.T) {
	for name, responder := range map[string]func(*http.Request) (*http.Response, error){
		"[]": jsonResponder(200, "[]"), "null": jsonResponder(200, "null"), "{}": jsonResponder(200, "{}"),
		"empty body": jsonResponder(200, ""), "204": respond(204, "", ""), "spaces": jsonResponder(200, " [ ]\n"),
	} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, couponURL, responder)
		n := 0
		for _, err := range c.ListCoupons(context.Background(), nil) {
			require.NoError(t, err, name)
			n++
		}
		assert.Equal(t, 0, n, name)
		assert.Equal(t, 1, mt.GetTotalCallCount(), name)
	}
}

func TestListCouponsBreakAfterFirstItem(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, vendorListExample))
	var got []string
	for coupon, err := range c.ListCoupons(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, coupon.CouponCode)
		break
	}
	assert.Equal(t, []string{"test"}, got)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "exactly one request")
}

// TestListCouponsFailureYieldsOnce: a failed request, or an answer that is
// not a list of coupons, yields one error and no coupon, and ends.
func TestListCouponsFailureYieldsOnce(t *testing.T) {
	tests := []struct {
		name      string
		responder func(*http.Request) (*http.Response, error)
		sentinel  error
		message   string
	}{
		{"500 after retries", respond(500, "text/plain", "boom"), utmcoupon.ErrServer, "boom"},
		{"401", respond(401, "text/plain", "Unauthorized"), utmcoupon.ErrUnauthorized, "Unauthorized"},
		{"an object", jsonResponder(200, vendorGetExample), nil, "expected a JSON array of coupons"},
		{"second coupon without a code", jsonResponder(200, `[{"couponCode":"a"},{"utmSource":"s"}]`), nil, "[1]: coupon has no couponCode"},
		{"null element", jsonResponder(200, `[{"couponCode":"a"},null]`), nil, "[1]: coupon has no couponCode"},
		{"bad TimeSpan", jsonResponder(200, `[{"couponCode":"a","expirationIntervalPerUse":"24:00:00"}]`), nil, "[0]: expirationIntervalPerUse"},
		{"truncated", jsonResponder(200, `[{"couponCode":"a"},{"coup`), nil, "not what the API documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, couponURL, tt.responder)
			var errs []error
			coupons := 0
			for coupon, err := range c.ListCoupons(context.Background(), nil) {
				if err != nil {
					assert.Equal(t, utmcoupon.Coupon{}, coupon)
					errs = append(errs, err)
					continue
				}
				coupons++
			}
			require.Len(t, errs, 1)
			assert.Equal(t, 0, coupons, "the answer is decoded whole before any coupon is yielded")
			testutil.OnlySentinel(t, errs[0], tt.sentinel)
			var ae *utmcoupon.APIError
			require.ErrorAs(t, errs[0], &ae)
			assert.Contains(t, ae.Message, tt.message)
			assert.Contains(t, errs[0].Error(), "GET /api/rnb/pvt/coupon")
		})
	}
}

func TestListCouponsContextCancelled(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, vendorListExample))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs []error
	for _, err := range c.ListCoupons(ctx, nil) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled), errs[0])
}
