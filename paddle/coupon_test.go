package paddle_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/paddle"
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
	vendorID  = 4321
	authCode  = "5ec7e7deadbeef0a1b2c3d4e5f60718293" // distinctive: searched for in every output
	updateURL = "https://vendors.paddle.com/api/2.1/product/update_coupon"
	success2  = `{"success":true,"response":{"updated":2}}`
	success1  = `{"success":true,"response":{"updated":1}}`
)

// fastRetries keeps retry waits in milliseconds.
var fastRetries = paddle.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}

func newMocked(t *testing.T, opts ...paddle.Option) (*paddle.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]paddle.Option{
		paddle.WithHTTPClient(&http.Client{Transport: mt}),
		paddle.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := paddle.NewClient(vendorID, authCode, opts...)
	require.NoError(t, err)
	return c, mt
}

func minimalRequest() *paddle.UpdateCouponRequest {
	return &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(10)}
}

func renameRequest() *paddle.UpdateCouponRequest {
	return &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2026B"}
}

// formOf decodes the form body of the i-th captured request.
func formOf(t *testing.T, c *captured, i int) url.Values {
	t.Helper()
	require.Greater(t, len(c.Bodies), i)
	v, err := url.ParseQuery(c.Bodies[i])
	require.NoError(t, err)
	return v
}

func paddleError(code int, msg string) string {
	return `{"success":false,"error":{"code":` + strconv.Itoa(code) + `,"message":"` + msg + `"}}`
}

func TestUpdateCouponWireFormatFull(t *testing.T) {
	c, mt := newMocked(t, paddle.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, jsonResponder(200, success1)))

	// 23:30 at UTC-5 is already the next day in UTC: Paddle reads dates as UTC.
	expires := time.Date(2026, 12, 31, 23, 30, 0, 0, time.FixedZone("", -5*3600))
	_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		CouponCode:     "SUMMER2026",
		NewCouponCode:  "SUMMER2026B",
		NewGroup:       "summer sale",
		ProductIDs:     []int{499531, 1234, 123546},
		Expires:        &expires,
		AllowedUses:    paddle.Ptr(0),
		Currency:       paddle.EUR,
		DiscountAmount: paddle.Ptr(12.5),
		Recurring:      paddle.Ptr(false),
	})
	require.NoError(t, err)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, updateURL, r.URL.String())
	assert.Equal(t, http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"},
		"Accept":       {"application/json"},
		"User-Agent":   {"promo-svc/2.1 couponkit-go/0.1.0"},
	}, r.Header, "no credential travels in a header")
	assert.Equal(t, url.Values{
		"vendor_id":        {"4321"},
		"vendor_auth_code": {authCode},
		"coupon_code":      {"SUMMER2026"},
		"new_coupon_code":  {"SUMMER2026B"},
		"new_group":        {"summer sale"},
		"product_ids":      {"499531,1234,123546"},
		"expires":          {"2027-01-01"},
		"allowed_uses":     {"0"},
		"currency":         {"EUR"},
		"discount_amount":  {"12.5"},
		"recurring":        {"0"},
	}, formOf(t, &cap, 0))
	assert.Equal(t, "allowed_uses=0&coupon_code=SUMMER2026&currency=EUR&discount_amount=12.5&expires=2027-01-01"+
		"&new_coupon_code=SUMMER2026B&new_group=summer+sale&product_ids=499531%2C1234%2C123546&recurring=0"+
		"&vendor_auth_code="+authCode+"&vendor_id=4321", cap.Bodies[0], "exact bytes, keys sorted")
}

func TestUpdateCouponWireFormatMinimal(t *testing.T) {
	for _, tt := range []struct {
		name string
		req  *paddle.UpdateCouponRequest
		want url.Values
	}{
		{"coupon code", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026"},
			url.Values{"vendor_id": {"4321"}, "vendor_auth_code": {authCode}, "coupon_code": {"SUMMER2026"}}},
		{"group", &paddle.UpdateCouponRequest{Group: "g", Recurring: paddle.Ptr(true)},
			url.Values{"vendor_id": {"4321"}, "vendor_auth_code": {authCode}, "group": {"g"}, "recurring": {"1"}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, jsonResponder(200, success1)))
			_, err := c.UpdateCoupon(context.Background(), tt.req)
			require.NoError(t, err)
			assert.Equal(t, tt.want, formOf(t, &cap, 0))
			assert.Equal(t, "couponkit-go/0.1.0", cap.Reqs[0].Header.Get("User-Agent"))
		})
	}
}

// TestUpdateCouponRemoveAndEmptyFields covers every combination of the
// fields whose blank value deletes data on Paddle.
func TestUpdateCouponRemoveAndEmptyFields(t *testing.T) {
	exp := time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC)
	absent := "<absent>"
	tests := []struct {
		name                     string
		productIDs               []int
		removeProducts           bool
		expires                  *time.Time
		removeExpiry             bool
		wantProducts, wantExpiry string // absent, or the sent value ("" is blank)
	}{
		{"nil products, nil expiry", nil, false, nil, false, absent, absent},
		{"empty products", []int{}, false, nil, false, absent, absent},
		{"one product", []int{7}, false, nil, false, "7", absent},
		{"products", []int{7, 8, 9}, false, nil, false, "7,8,9", absent},
		{"remove products (nil ids)", nil, true, nil, false, "", absent},
		{"remove products (empty ids)", []int{}, true, nil, false, "", absent},
		{"expires", nil, false, &exp, false, absent, "2027-03-01"},
		{"remove expiry", nil, false, nil, true, absent, ""},
		{"remove both", nil, true, nil, true, "", ""},
		{"set both", []int{1}, false, &exp, false, "1", "2027-03-01"},
		{"remove products, set expiry", nil, true, &exp, false, "", "2027-03-01"},
		{"set products, remove expiry", []int{5}, false, nil, true, "5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, jsonResponder(200, success1)))
			_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
				CouponCode: "SUMMER2026", ProductIDs: tt.productIDs, RemoveProducts: tt.removeProducts,
				Expires: tt.expires, RemoveExpiry: tt.removeExpiry,
			})
			require.NoError(t, err)
			form := formOf(t, &cap, 0)
			for name, want := range map[string]string{"product_ids": tt.wantProducts, "expires": tt.wantExpiry} {
				got, ok := form[name]
				if want == absent {
					assert.False(t, ok, "%s must not be sent, got %q", name, got)
					continue
				}
				assert.Equal(t, []string{want}, got, name)
			}
		})
	}

	// Setting a value and its Remove flag is contradictory: nothing is sent.
	c, mt := newMocked(t)
	_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		CouponCode: "SUMMER2026", ProductIDs: []int{1}, RemoveProducts: true, Expires: &exp, RemoveExpiry: true,
	})
	var ve *paddle.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []paddle.FieldError{
		{Field: "product_ids", Problem: "must be empty when RemoveProducts is set"},
		{Field: "expires", Problem: "must be nil when RemoveExpiry is set"},
	}, ve.Fields)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestUpdateCouponNumberAndBoolFormats(t *testing.T) {
	tests := []struct {
		amount    float64
		recurring bool
		want      url.Values
	}{
		{10, true, url.Values{"discount_amount": {"10"}, "recurring": {"1"}}},
		{12.5, false, url.Values{"discount_amount": {"12.5"}, "recurring": {"0"}}},
		{0.01, true, url.Values{"discount_amount": {"0.01"}, "recurring": {"1"}}},
		{10.10, true, url.Values{"discount_amount": {"10.1"}, "recurring": {"1"}}},
		{1e21, true, url.Values{"discount_amount": {"1000000000000000000000"}, "recurring": {"1"}}},
		{1e-7, true, url.Values{"discount_amount": {"0.0000001"}, "recurring": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.amount), func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, jsonResponder(200, success1)))
			_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
				CouponCode: "SUMMER2026", DiscountAmount: &tt.amount, Recurring: &tt.recurring,
			})
			require.NoError(t, err)
			form := formOf(t, &cap, 0)
			assert.Equal(t, tt.want["discount_amount"], form["discount_amount"])
			assert.Equal(t, tt.want["recurring"], form["recurring"])
		})
	}
}

func TestUpdateCouponValidation(t *testing.T) {
	c, mt := newMocked(t)
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name string
		req  *paddle.UpdateCouponRequest
		want []paddle.FieldError
	}{
		{"nil request", nil, []paddle.FieldError{{Field: "request", Problem: "is required"}}},
		{"neither code nor group", &paddle.UpdateCouponRequest{AllowedUses: paddle.Ptr(1)},
			[]paddle.FieldError{{Field: "coupon_code", Problem: "or group is required (exactly one of them)"}}},
		{"both code and group", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", Group: "g"},
			[]paddle.FieldError{{Field: "group", Problem: "must not be set together with coupon_code (exactly one of them)"}}},
		{"short code", &paddle.UpdateCouponRequest{CouponCode: "ABCD"},
			[]paddle.FieldError{{Field: "coupon_code", Problem: "must be at least 5 characters"}}},
		{"long code", &paddle.UpdateCouponRequest{CouponCode: long(301)},
			[]paddle.FieldError{{Field: "coupon_code", Problem: "must be at most 300 characters"}}},
		{"long group", &paddle.UpdateCouponRequest{Group: long(51)},
			[]paddle.FieldError{{Field: "group", Problem: "must be at most 50 characters"}}},
		{"short new code", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "ABC"},
			[]paddle.FieldError{{Field: "new_coupon_code", Problem: "must be at least 5 characters"}}},
		{"long new code", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: long(301)},
			[]paddle.FieldError{{Field: "new_coupon_code", Problem: "must be at most 300 characters"}}},
		{"new code with group", &paddle.UpdateCouponRequest{Group: "g", NewCouponCode: "RENAMED1"},
			[]paddle.FieldError{{Field: "new_coupon_code", Problem: "is not allowed when updating a group"}}},
		{"long new group", &paddle.UpdateCouponRequest{Group: "g", NewGroup: long(51)},
			[]paddle.FieldError{{Field: "new_group", Problem: "must be at most 50 characters"}}},
		{"zero product id", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", ProductIDs: []int{1, 0, -3}},
			[]paddle.FieldError{{Field: "product_ids", Problem: "must be positive product ids"}}},
		{"zero expiry", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", Expires: &time.Time{}},
			[]paddle.FieldError{{Field: "expires", Problem: "is the zero time (set RemoveExpiry to remove the expiry)"}}},
		{"five-digit year", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", Expires: paddle.Ptr(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))},
			[]paddle.FieldError{{Field: "expires", Problem: "must be a date in the years 0001 to 9999"}}},
		{"negative uses", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(-1)},
			[]paddle.FieldError{{Field: "allowed_uses", Problem: "must not be negative"}}},
		{"currency", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", Currency: "usd"},
			[]paddle.FieldError{{Field: "currency", Problem: `must be one of "USD", "GBP", "EUR"`}}},
		{"zero amount", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(0.0)},
			[]paddle.FieldError{{Field: "discount_amount", Problem: "must be a positive number"}}},
		{"negative amount", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(-5.0)},
			[]paddle.FieldError{{Field: "discount_amount", Problem: "must be a positive number"}}},
		{"NaN amount", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(nan())},
			[]paddle.FieldError{{Field: "discount_amount", Problem: "must be a positive number"}}},
		{"infinite amount", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(inf())},
			[]paddle.FieldError{{Field: "discount_amount", Problem: "must be a positive number"}}},
		{"everything at once", &paddle.UpdateCouponRequest{CouponCode: "abc", Group: long(51), NewCouponCode: "x",
			AllowedUses: paddle.Ptr(-2), Currency: "JPY"},
			[]paddle.FieldError{
				{Field: "group", Problem: "must not be set together with coupon_code (exactly one of them)"},
				{Field: "coupon_code", Problem: "must be at least 5 characters"},
				{Field: "group", Problem: "must be at most 50 characters"},
				{Field: "new_coupon_code", Problem: "must be at least 5 characters"},
				{Field: "new_coupon_code", Problem: "is not allowed when updating a group"},
				{Field: "allowed_uses", Problem: "must not be negative"},
				{Field: "currency", Problem: `must be one of "USD", "GBP", "EUR"`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UpdateCoupon(context.Background(), tt.req)
			require.Error(t, err)
			testutil.OnlySentinel(t, err, paddle.ErrInvalidRequest)
			var ve *paddle.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.want, ve.Fields)
		})
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent")

	// Boundaries that are valid.
	var cap captured
	mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, jsonResponder(200, success1)))
	for _, req := range []*paddle.UpdateCouponRequest{
		{CouponCode: long(5)}, {CouponCode: long(300), NewCouponCode: long(300)}, {Group: "g", NewGroup: long(50)},
		{Group: long(50)}, {CouponCode: "héllo"}, {CouponCode: "SUMMER2026", Currency: paddle.GBP, DiscountAmount: paddle.Ptr(0.01)},
	} {
		_, err := c.UpdateCoupon(context.Background(), req)
		assert.NoError(t, err)
	}
	assert.Equal(t, 6, mt.GetTotalCallCount())
}

func nan() float64 { z := 0.0; return z / z }
func inf() float64 { z := 0.0; return 1 / z }

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name string
		id   int
		code string
		opts []paddle.Option
		want string
	}{
		{"zero vendor id", 0, authCode, nil, "vendorID must be at least 1"},
		{"negative vendor id", -4, authCode, nil, "vendorID must be at least 1"},
		{"empty auth code", vendorID, "", nil, "vendorAuthCode"},
		{"upper-case auth code", vendorID, strings.ToUpper(authCode), nil, "vendorAuthCode"},
		{"non-hex auth code", vendorID, authCode + "zz", nil, "vendorAuthCode"},
		{"auth code with newline", vendorID, authCode + "\n", nil, "vendorAuthCode"},
		{"auth code with space", vendorID, " " + authCode, nil, "vendorAuthCode"},
		{"relative base", vendorID, authCode, []paddle.Option{paddle.WithBaseURL("/api")}, "absolute"},
		{"ftp base", vendorID, authCode, []paddle.Option{paddle.WithBaseURL("ftp://x")}, "absolute"},
		{"user info", vendorID, authCode, []paddle.Option{paddle.WithBaseURL("https://u:" + authCode + "@x")}, "user info"},
		{"nil client", vendorID, authCode, []paddle.Option{paddle.WithHTTPClient(nil)}, "nil"},
		{"nil logger", vendorID, authCode, []paddle.Option{paddle.WithLogger(nil)}, "nil"},
		{"negative retries", vendorID, authCode, []paddle.Option{paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: -2})}, "negative"},
		{"min above max", vendorID, authCode, []paddle.Option{paddle.WithRetryPolicy(paddle.RetryPolicy{MinWait: time.Minute, MaxWait: time.Second})}, "MinWait"},
		{"empty product", vendorID, authCode, []paddle.Option{paddle.WithUserAgent("")}, "product"},
		{"nil option", vendorID, authCode, []paddle.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := paddle.NewClient(tt.id, tt.code, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), authCode)
			assert.NotContains(t, strings.ToLower(err.Error()), authCode)
		})
	}
	hc := &http.Client{Timeout: time.Second}
	c, err := paddle.NewClient(vendorID, authCode, paddle.WithHTTPClient(hc))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not mutated")
	assert.Nil(t, hc.Transport)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		assert.NotContains(t, fmt.Sprintf(verb, c), authCode, "printing a Client never shows the auth code")
		assert.NotContains(t, fmt.Sprintf(verb, *c), authCode, "nor printing a copy of one")
	}
}

func TestBaseURLs(t *testing.T) {
	tests := []struct {
		name string
		opts []paddle.Option
		want string
	}{
		{"default", nil, updateURL},
		{"sandbox", []paddle.Option{paddle.WithSandbox()}, "https://sandbox-vendors.paddle.com/api/2.1/product/update_coupon"},
		{"base URL after sandbox wins", []paddle.Option{paddle.WithSandbox(), paddle.WithBaseURL("https://proxy.local/paddle/")},
			"https://proxy.local/paddle/2.1/product/update_coupon"},
		{"sandbox after base URL wins", []paddle.Option{paddle.WithBaseURL("https://proxy.local"), paddle.WithSandbox()},
			"https://sandbox-vendors.paddle.com/api/2.1/product/update_coupon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, tt.opts...)
			var cap captured
			mt.RegisterResponder(http.MethodPost, tt.want, sequence(&cap, jsonResponder(200, success1)))
			_, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.NoError(t, err)
			require.Len(t, cap.Reqs, 1)
			assert.Equal(t, tt.want, cap.Reqs[0].URL.String())
		})
	}
}

func TestUpdateCouponDecodesSuccess(t *testing.T) {
	tests := []struct {
		name, body string
		want       int
	}{
		{"documented", success2, 2},
		{"one", success1, 1},
		{"nothing matched", `{"success":true,"response":{"updated":0}}`, 0},
		{"count as string", `{"success":true,"response":{"updated":"3"}}`, 3},
		{"extra fields", `{"success":true,"response":{"updated":5,"note":"x"},"extra":[]}`, 5},
		{"whitespace", " \n{ \"success\" : true , \"response\" : { \"updated\" : 7 } }\n", 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, tt.body, "X-Request-Id", "req-9"))
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Updated)
			assert.Equal(t, 200, resp.Meta.StatusCode)
			assert.Equal(t, 1, resp.Meta.Attempts)
			assert.Equal(t, "req-9", resp.Meta.RequestID)
			assert.Equal(t, "application/json", resp.Meta.Header.Get("Content-Type"))
			assert.Nil(t, resp.Meta.RateLimit, "Paddle documents no rate-limit headers")
		})
	}
}

func TestUpdateCouponErrors(t *testing.T) {
	tests := []struct {
		name      string
		responder httpmock.Responder
		sentinel  error
		status    int
		code      string
		message   string
	}{
		{"102 bad api key", jsonResponder(200, paddleError(102, "Bad api key")), paddle.ErrUnauthorized, 200, "102", "Bad api key"},
		{"111 invalid token", jsonResponder(200, paddleError(111, "Invalid authentication token")), paddle.ErrUnauthorized, 200, "111", "Invalid authentication token"},
		{"107 no permission", jsonResponder(200, paddleError(107, "You don't have permission to access this resource")), paddle.ErrForbidden, 200, "107", "permission"},
		{"108 product", jsonResponder(200, paddleError(108, "Unable to find requested product")), paddle.ErrNotFound, 200, "108", "product"},
		{"135 coupon", jsonResponder(200, paddleError(135, "Unable to find requested coupon")), paddle.ErrNotFound, 200, "135", "Unable to find requested coupon"},
		{"116 missing", jsonResponder(200, paddleError(116, "One or more required arguments are missing")), paddle.ErrInvalidRequest, 200, "116", "required arguments"},
		{"132 code used", jsonResponder(200, paddleError(132, "The given coupon code has already been used for the product.")), paddle.ErrInvalidRequest, 200, "132", "already been used"},
		{"120 internal", jsonResponder(200, paddleError(120, "Request failed due to internal error")), paddle.ErrServer, 200, "120", "internal error"},
		{"189 rate limit", jsonResponder(200, paddleError(189, "Rate limit reached for this type of request. Please try again later.")), paddle.ErrRateLimited, 200, "189", "Rate limit reached"},
		{"unlisted code", jsonResponder(200, paddleError(999, "Something new")), paddle.ErrInvalidRequest, 200, "999", "Something new"},
		{"code as string", jsonResponder(200, `{"success":false,"error":{"code":"135","message":"Unable to find requested coupon"}}`), paddle.ErrNotFound, 200, "135", "Unable to find"},
		{"error without code", jsonResponder(200, `{"success":false,"error":{"message":"odd"}}`), paddle.ErrInvalidRequest, 200, "", "odd"},
		{"non-JSON 200", jsonResponder(200, `<html><body>Maintenance</body></html>`), nil, 200, "", "not what the API documents"},
		{"truncated 200", jsonResponder(200, `{"success":true,"respo`), nil, 200, "", "not what the API documents"},
		{"empty 200", jsonResponder(200, ``), nil, 200, "", "not what the API documents"},
		{"no success field", jsonResponder(200, `{"response":{"updated":1}}`), nil, 200, "", `no "success" field`},
		{"success false without error", jsonResponder(200, `{"success":false}`), nil, 200, "", `without an "error" object`},
		{"success without count", jsonResponder(200, `{"success":true,"response":[]}`), nil, 200, "", `no "updated" count`},
		{"negative count", jsonResponder(200, `{"success":true,"response":{"updated":-1}}`), nil, 200, "", "not a count"},
		{"wrong success type", jsonResponder(200, `{"success":"yes"}`), nil, 200, "", "not what the API documents"},
		{"503 proxy HTML", jsonResponder(503, "<html>\n<h1>503 Service Unavailable</h1></html>"), paddle.ErrServer, 503, "", "<html> <h1>503 Service Unavailable</h1></html>"},
		{"502 with Paddle envelope", jsonResponder(502, paddleError(120, "Request failed due to internal error")), paddle.ErrServer, 502, "120", "internal error"},
		{"404 status wins over code", jsonResponder(404, paddleError(107, "no")), paddle.ErrNotFound, 404, "107", "no"},
		{"405 falls back to code", jsonResponder(405, paddleError(101, "Bad method call")), paddle.ErrInvalidRequest, 405, "101", "Bad method call"},
		{"418 plain", jsonResponder(418, "teapot"), nil, 418, "", "teapot"},
		{"501 not retried", jsonResponder(501, ""), paddle.ErrServer, 501, "", "(empty body)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries}))
			mt.RegisterResponder(http.MethodPost, updateURL, tt.responder)
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *paddle.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, "paddle", ae.Vendor)
			assert.Contains(t, ae.Message, tt.message)
			testutil.OnlySentinel(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), "paddle: "), err.Error())
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestErrorString(t *testing.T) {
	c, mt := newMocked(t, paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries}))
	mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, paddleError(135, "Unable to find requested coupon")))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.Error(t, err)
	assert.Equal(t, `paddle: POST /api/2.1/product/update_coupon coupon_code "SUMMER2026": 200 135: Unable to find requested coupon`, err.Error())
	var ae *paddle.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, paddleError(135, "Unable to find requested coupon"), string(ae.Body), "raw body kept")
}

// droppingServer is a raw TCP server: the first connection reads a whole
// request and closes without answering (the server may have acted on it);
// later ones answer body with HTTP 200.
func droppingServer(t *testing.T, body string) (baseURL string, requests *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	requests = new(atomic.Int32)
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				if requests.Add(1) == 1 {
					return // drop: close after reading the request
				}
				fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
			}()
		}
	}()
	return "http://" + ln.Addr().String(), requests
}

// TestRetrySafetyMatrix: a plain update is retried after every transient
// failure; a rename or group move only where Paddle certainly did not act.
func TestRetrySafetyMatrix(t *testing.T) {
	failures := []struct {
		name    string
		first   httpmock.Responder
		kind    error
		dropped bool
	}{
		{"HTTP 503", jsonResponder(503, `<html>Service Unavailable</html>`), paddle.ErrServer, false},
		{"Paddle 120 in a 200", jsonResponder(200, paddleError(120, "Request failed due to internal error")), paddle.ErrServer, false},
		{"Paddle 189 in a 200", jsonResponder(200, paddleError(189, "Rate limit reached for this type of request. Please try again later.")), paddle.ErrRateLimited, false},
		{"HTTP 429", jsonResponder(429, ``), paddle.ErrRateLimited, false},
		{"connection dropped after the request", nil, nil, true},
	}
	requests := []struct {
		name       string
		req        func() *paddle.UpdateCouponRequest
		idempotent bool
	}{
		{"plain update", minimalRequest, true},
		{"rename", renameRequest, false},
		{"group move", func() *paddle.UpdateCouponRequest { return &paddle.UpdateCouponRequest{Group: "old", NewGroup: "new"} }, false},
	}
	for _, rq := range requests {
		for _, f := range failures {
			retried := rq.idempotent || f.kind == paddle.ErrRateLimited
			t.Run(rq.name+"/"+f.name, func(t *testing.T) {
				var (
					resp  *paddle.UpdateCouponResponse
					err   error
					count func() int
				)
				if f.dropped {
					base, n := droppingServer(t, success1)
					c, cerr := paddle.NewClient(vendorID, authCode, paddle.WithBaseURL(base), paddle.WithRetryPolicy(fastRetries))
					require.NoError(t, cerr)
					resp, err = c.UpdateCoupon(context.Background(), rq.req())
					count = func() int { return int(n.Load()) }
				} else {
					c, mt := newMocked(t)
					var cap captured
					mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap, f.first, jsonResponder(200, success1)))
					resp, err = c.UpdateCoupon(context.Background(), rq.req())
					count = mt.GetTotalCallCount
					if retried {
						require.Len(t, cap.Bodies, 2)
						assert.Equal(t, cap.Bodies[0], cap.Bodies[1], "byte-identical body on every attempt")
					}
				}
				if retried {
					require.NoError(t, err)
					assert.Equal(t, 2, resp.Meta.Attempts)
					assert.Equal(t, 2, count(), "retried once, then succeeded")
					return
				}
				require.Error(t, err)
				assert.Nil(t, resp)
				assert.Equal(t, 1, count(), "sent exactly once: the server may have acted on it")
				if f.kind != nil {
					assert.ErrorIs(t, err, f.kind)
				}
				assert.NotContains(t, err.Error(), authCode)
			})
		}
	}
}

func TestDialFailureIsRetriedEvenForRename(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens: connection refused
	var logs syncBuffer
	c, err := paddle.NewClient(vendorID, authCode, paddle.WithBaseURL("http://"+addr), paddle.WithLogger(debugLogger(&logs)),
		paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.UpdateCoupon(context.Background(), renameRequest())
	require.Error(t, err)
	var op *net.OpError
	assert.ErrorAs(t, err, &op)
	assert.Contains(t, err.Error(), `paddle: POST /2.1/product/update_coupon coupon_code "SUMMER2026" (after 3 attempts)`)
	assert.Equal(t, 3, strings.Count(logs.String(), "couponkit: http attempt"), "a dial failure never reached the server: safe to retry")
}

func TestRetriesExhausted(t *testing.T) {
	for _, tt := range []struct {
		code int
		kind error
	}{{189, paddle.ErrRateLimited}, {120, paddle.ErrServer}} {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			c, mt := newMocked(t, paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}))
			mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, paddleError(tt.code, "busy")))
			_, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.ErrorIs(t, err, tt.kind)
			var ae *paddle.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 3, ae.Attempts)
			assert.Equal(t, 200, ae.StatusCode)
			assert.Equal(t, 3, mt.GetTotalCallCount())
			assert.Equal(t, `paddle: POST /api/2.1/product/update_coupon coupon_code "SUMMER2026": 200 `+strconv.Itoa(tt.code)+": busy after 3 attempts", err.Error())
		})
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	// Paddle sends no rate-limit headers, but a proxy may add Retry-After.
	var logs syncBuffer
	c, mt := newMocked(t, paddle.WithLogger(debugLogger(&logs)),
		paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 15 * time.Millisecond}))
	var cap captured
	mt.RegisterResponder(http.MethodPost, updateURL, sequence(&cap,
		jsonResponder(200, paddleError(189, "Rate limit reached"), "Retry-After", "0.015"),
		jsonResponder(200, success2)))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), renameRequest())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond, "waited the whole Retry-After")
	assert.Equal(t, 2, resp.Updated)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one debug line per attempt")
	assert.Contains(t, lines[0], "method=POST host=vendors.paddle.com path=/api/2.1/product/update_coupon status=200 attempt=1 wait=15ms retry=true")
	assert.Contains(t, lines[0], "200 189: Rate limit reached")
	assert.Contains(t, lines[1], "status=200 attempt=2 wait=0s retry=false")
}

func TestRetryAfterBeyondDeadlineReturnsAtOnce(t *testing.T) {
	c, mt := newMocked(t, paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 3}))
	mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, paddleError(189, "Rate limit reached"), "Retry-After", "3600"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, paddle.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "returned before the deadline instead of sleeping into it")
	var ae *paddle.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.Equal(t, 1, ae.Attempts)
}

func TestCancelDuringWaitReturnsPromptly(t *testing.T) {
	c, mt := newMocked(t, paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 3, MinWait: time.Hour, MaxWait: time.Hour}))
	mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, paddleError(189, "Rate limit reached")))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Contains(t, err.Error(), "gave up waiting to retry")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// TestAuthCodeNeverLeaks drives every error path with servers that quote the
// request (and so the auth code) back.
func TestAuthCodeNeverLeaks(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, paddle.WithLogger(debugLogger(&logs)))
	quote := func(status int, envelope bool) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			body := "Bad request: " + string(b) // a proxy quoting the form back
			if envelope {
				body = `{"success":false,"error":{"code":116,"message":"Missing arguments in ` + string(b) + `"}}`
			}
			return httpmock.NewStringResponse(status, body), nil
		}
	}
	quoteDecoded := func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		v, _ := url.ParseQuery(string(b))
		return httpmock.NewStringResponse(200, `{"success":false,"error":{"code":107,"message":"auth `+v.Get("vendor_auth_code")+` refused"}}`), nil
	}
	responders := map[string]httpmock.Responder{
		"200 envelope":      quote(200, true),
		"200 decoded field": quoteDecoded,
		"200 garbage":       quote(200, false),
		"400":               quote(400, false),
		"429 envelope":      quote(429, true),
		"503":               quote(503, false),
		"500 envelope":      quote(500, true),
		"transport error":   httpmock.NewErrorResponder(errors.New("connection reset while sending vendor_auth_code=" + authCode)),
		"retried 189 then quoted 116": func() httpmock.Responder {
			var calls atomic.Int32
			return func(r *http.Request) (*http.Response, error) {
				if calls.Add(1)%2 == 1 {
					return jsonResponder(200, paddleError(189, "slow down "+authCode))(r)
				}
				return quote(200, true)(r)
			}
		}(),
	}
	for name, r := range responders {
		for _, req := range []*paddle.UpdateCouponRequest{minimalRequest(), renameRequest()} {
			mt.RegisterResponder(http.MethodPost, updateURL, r)
			resp, err := c.UpdateCoupon(context.Background(), req)
			require.Error(t, err, name)
			assert.Nil(t, resp)
			assert.NotContains(t, err.Error(), authCode, name)
			assert.NotContains(t, fmt.Sprintf("%+v", err), authCode, name)
			assert.NotContains(t, fmt.Sprintf("%#v", err), authCode, name)
			var ae *paddle.APIError
			if errors.As(err, &ae) {
				assert.NotContains(t, string(ae.Body), authCode, name)
				assert.NotContains(t, ae.Message, authCode, name)
				assert.Contains(t, ae.Message+string(ae.Body), "[REDACTED]", name)
			}
		}
	}
	// Validation errors never quote values, even a misplaced auth code.
	_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: authCode, Group: authCode})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), authCode)
	assert.NotContains(t, fmt.Sprintf("%+v", err), authCode)

	// A success is safe to print too.
	mt.RegisterResponder(http.MethodPost, updateURL, jsonResponder(200, success1))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", resp), authCode)

	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), authCode)
}

func TestConcurrentUse(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("vendor_auth_code") != authCode {
			w.Write([]byte(paddleError(107, "no")))
			return
		}
		if n.Add(1)%4 == 0 {
			w.Write([]byte(paddleError(189, "Rate limit reached")))
			return
		}
		w.Write([]byte(success1))
	}))
	defer srv.Close()
	c, err := paddle.NewClient(vendorID, authCode, paddle.WithBaseURL(srv.URL),
		paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	var wg sync.WaitGroup
	var okCount atomic.Int32
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				req := minimalRequest()
				req.CouponCode = fmt.Sprintf("CODE-%d-%d", g, i)
				if resp, err := c.UpdateCoupon(context.Background(), req); err == nil && resp.Updated == 1 {
					okCount.Add(1)
				}
			}
		}(g)
	}
	wg.Wait()
	assert.Equal(t, int32(320), okCount.Load())
}
