package jframework_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
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
	brandURL  = "https://shop.example.com"
	authKey   = "jf-AUTHKEY-SECRET-5c1d9b"
	couponID  = "sApKpllz4sAplsmzha"
	couponURL = "https://protocol.jframework.io/api/v1/coupons/" + couponID
)

// vendorSuccess is the success answer from JFramework's documentation.
const vendorSuccess = `{
  "success": true,
  "statusCode": 200,
  "message": "The request was successful.",
  "data": {
    "id": "sApKpllz4sAplsmzha",
    "code": "COUPON1",
    "name": "Coupon 1",
    "description": "This is a coupon",
    "tags": "tag1, tag2",
    "percentage": 10,
    "quantity": 100,
    "startDate": "2025-06-23T13:56:00.4346197+07:00",
    "endDate": "2025-07-23T13:56:00.4346201+07:00",
    "autoApplyToPrice": true,
    "status": "Active",
    "testMode": false,
    "modifiedDate": "2025-06-23T13:56:00.4346205+07:00"
  },
  "errors": []
}`

// vendorNotFound is JFramework's documented error envelope.
const vendorNotFound = `{"success":false,"statusCode":404,"message":"The request failed.","data":null,
"errors":[{"code":"CouponNotFound","message":"The coupon was not found.","correlationId":"0HNDK6T8U1AF0:00000002"}]}`

const vendorRateLimited = `{"success":false,"statusCode":429,"message":"The request failed.","data":null,
"errors":[{"code":"RateLimitExceeded","message":"Too many requests.","correlationId":"corr-429"}]}`

var (
	plus7 = time.FixedZone("", 7*3600)
	// fastRetries keeps retry waits in milliseconds.
	fastRetries = jframework.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}
)

func newMocked(t *testing.T, opts ...jframework.Option) (*jframework.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]jframework.Option{
		jframework.WithHTTPClient(&http.Client{Transport: mt}),
		jframework.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := jframework.NewClient(brandURL, authKey, opts...)
	require.NoError(t, err)
	return c, mt
}

func minimalRequest() *jframework.UpdateCouponRequest {
	return &jframework.UpdateCouponRequest{
		ID: couponID, Name: "Coupon 1", Code: "COUPON1",
		StartDate: time.Date(2025, 6, 23, 13, 56, 0, 434619700, plus7),
		EndDate:   time.Date(2025, 7, 23, 13, 56, 0, 0, plus7),
	}
}

func TestUpdateCouponWireFormatFull(t *testing.T) {
	c, mt := newMocked(t, jframework.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorSuccess)))

	req := minimalRequest()
	req.Percentage = jframework.Ptr(12.5)
	req.Quantity = jframework.Ptr(100)
	req.StartDate = time.Date(2025, 6, 24, 12, 17, 56, 535000000, time.UTC)
	req.AutoApplyToPrice = jframework.Ptr(true)
	req.Description = jframework.Ptr("This is a coupon")
	req.Tags = jframework.Ptr("tag1, tag2")
	req.Status = jframework.StatusInactive
	req.TestMode = jframework.Ptr(false)
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodPut, r.Method)
	assert.Equal(t, couponURL, r.URL.String())
	var names []string
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"Accept", "Auth-Key", "Brand-Url", "Content-Type", "User-Agent"}, names, "every header sent")
	assert.Equal(t, brandURL, r.Header.Get("Brand-URL"))
	assert.Equal(t, authKey, r.Header.Get("Auth-Key"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, `{"name":"Coupon 1","code":"COUPON1","percentage":12.5,"quantity":100,`+
		`"startDate":"2025-06-24T12:17:56.535Z","endDate":"2025-07-23T13:56:00+07:00","autoApplyToPrice":true,`+
		`"description":"This is a coupon","tags":"tag1, tag2","status":"Inactive","testMode":false}`, cap.Bodies[0])
}

func TestUpdateCouponWireFormatMinimal(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorSuccess)))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	require.Len(t, cap.Bodies, 1)
	// Nullable fields are sent as null, never left to how JFramework
	// treats an omitted field; the booleans and status stay unsent.
	assert.Equal(t, `{"name":"Coupon 1","code":"COUPON1","percentage":null,"quantity":null,"startDate":"2025-06-23T13:56:00.4346197+07:00",`+
		`"endDate":"2025-07-23T13:56:00+07:00","description":null,"tags":null}`, cap.Bodies[0])
	assert.Equal(t, "couponkit-go/0.1.0", cap.Reqs[0].Header.Get("User-Agent"))
}

func TestUpdateCouponSendsZeroValues(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorSuccess)))
	req := minimalRequest()
	req.Percentage = jframework.Ptr(0.0)
	req.Quantity = jframework.Ptr(0)
	req.Description = jframework.Ptr("")
	req.AutoApplyToPrice = jframework.Ptr(false)
	req.EndDate = req.StartDate // equal dates are allowed
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"Coupon 1","code":"COUPON1","percentage":0,"quantity":0,`+
		`"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-06-23T13:56:00.4346197+07:00",`+
		`"autoApplyToPrice":false,"description":"","tags":null}`, cap.Bodies[0])
}

func TestUpdateCouponDecodesVendorExample(t *testing.T) {
	c, mt := newMocked(t)
	reset := time.Now().Add(30 * time.Second).Unix()
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorSuccess,
		"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", strconv.FormatInt(reset, 10),
		"X-Correlation-Id", "corr-77"))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	got := resp.Coupon
	// Dates keep JFramework's offset and all seven fractional digits.
	assert.Equal(t, "2025-06-23T13:56:00.4346197+07:00", got.StartDate.Format(time.RFC3339Nano))
	assert.Equal(t, "2025-07-23T13:56:00.4346201+07:00", got.EndDate.Format(time.RFC3339Nano))
	assert.Equal(t, "2025-06-23T13:56:00.4346205+07:00", got.ModifiedDate.Format(time.RFC3339Nano))
	_, off := got.StartDate.Zone()
	assert.Equal(t, 7*3600, off)
	assert.Equal(t, 434619700, got.StartDate.Nanosecond())
	assert.True(t, got.StartDate.Equal(time.Date(2025, 6, 23, 6, 56, 0, 434619700, time.UTC)))
	want := jframework.Coupon{
		ID: couponID, Code: "COUPON1", Name: "Coupon 1", Description: "This is a coupon", Tags: "tag1, tag2",
		Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(100),
		StartDate: got.StartDate, EndDate: got.EndDate, ModifiedDate: got.ModifiedDate,
		AutoApplyToPrice: true, Status: jframework.StatusActive, TestMode: false,
	}
	assert.Equal(t, want, got)
	assert.Equal(t, "The request was successful.", resp.Message)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	assert.Equal(t, "corr-77", resp.Meta.RequestID)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 60, resp.Meta.RateLimit.Limit)
	assert.Equal(t, 59, resp.Meta.RateLimit.Remaining)
	assert.Equal(t, time.Duration(0), resp.Meta.RateLimit.Window, "JFramework sends no window")
	assert.InDelta(t, 30*time.Second, resp.Meta.RateLimit.ResetIn, float64(2*time.Second), "reset is a Unix time")
}

func TestUpdateCouponDecodesVariants(t *testing.T) {
	tests := []struct {
		name    string
		replace [][2]string
		check   func(t *testing.T, c jframework.Coupon)
	}{
		{"nulls", [][2]string{{`"percentage": 10`, `"percentage": null`}, {`"quantity": 100`, `"quantity": null`},
			{`"description": "This is a coupon"`, `"description": null`}, {`"tags": "tag1, tag2"`, `"tags": null`}},
			func(t *testing.T, c jframework.Coupon) {
				assert.Nil(t, c.Percentage)
				assert.Nil(t, c.Quantity)
				assert.Equal(t, "", c.Description)
				assert.Equal(t, "", c.Tags)
			}},
		{"absent optional fields", [][2]string{{`"percentage": 10,`, ``}, {`"quantity": 100,`, ``}, {`"tags": "tag1, tag2",`, ``}},
			func(t *testing.T, c jframework.Coupon) {
				assert.Nil(t, c.Percentage)
				assert.Nil(t, c.Quantity)
				assert.Equal(t, "", c.Tags)
			}},
		{"fractional percentage", [][2]string{{`"percentage": 10`, `"percentage": 12.75`}},
			func(t *testing.T, c jframework.Coupon) { assert.Equal(t, jframework.Ptr(12.75), c.Percentage) }},
		{"UTC and no fraction", [][2]string{{`2025-06-23T13:56:00.4346197+07:00`, `2025-06-23T06:56:00Z`}},
			func(t *testing.T, c jframework.Coupon) {
				assert.Equal(t, time.Date(2025, 6, 23, 6, 56, 0, 0, time.UTC), c.StartDate)
			}},
		{"negative offset", [][2]string{{`2025-06-23T13:56:00.4346197+07:00`, `2025-06-23T01:56:00.1-05:00`}},
			func(t *testing.T, c jframework.Coupon) {
				assert.Equal(t, "2025-06-23T01:56:00.1-05:00", c.StartDate.Format(time.RFC3339Nano))
			}},
		{"no offset is UTC", [][2]string{{`2025-06-23T13:56:00.4346197+07:00`, `2025-06-23T13:56:00.4346197`}},
			func(t *testing.T, c jframework.Coupon) {
				assert.Equal(t, time.Date(2025, 6, 23, 13, 56, 0, 434619700, time.UTC), c.StartDate)
			}},
		{"null modifiedDate", [][2]string{{`"2025-06-23T13:56:00.4346205+07:00"`, `null`}},
			func(t *testing.T, c jframework.Coupon) { assert.True(t, c.ModifiedDate.IsZero()) }},
		{"other status", [][2]string{{`"Active"`, `"Expired"`}},
			func(t *testing.T, c jframework.Coupon) { assert.Equal(t, jframework.StatusExpired, c.Status) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := vendorSuccess
			for _, r := range tt.replace {
				require.Contains(t, body, r[0])
				body = strings.Replace(body, r[0], r[1], 1)
			}
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, body))
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.NoError(t, err)
			tt.check(t, resp.Coupon)
			assert.Equal(t, couponID, resp.Coupon.ID)
			assert.Nil(t, resp.Meta.RateLimit, "no rate-limit headers")
		})
	}
}

func TestUpdateCouponValidation(t *testing.T) {
	c, mt := newMocked(t)
	req := &jframework.UpdateCouponRequest{
		Percentage: jframework.Ptr(100.5), Quantity: jframework.Ptr(-1), Status: "Paused",
	}
	_, err := c.UpdateCoupon(context.Background(), req)
	require.Error(t, err)
	assert.ErrorIs(t, err, jframework.ErrInvalidRequest)
	var ve *jframework.ValidationError
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	assert.Equal(t, []string{"id", "name", "code", "percentage", "quantity", "startDate", "endDate", "status"}, fields)
	assert.Contains(t, err.Error(), "startDate is required")
	assert.Contains(t, err.Error(), `status must be one of "Active", "Inactive", "Expired", "Deleted"`)
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent")

	bad := []struct {
		name string
		mod  func(*jframework.UpdateCouponRequest)
		want jframework.FieldError
	}{
		{"id ..", func(r *jframework.UpdateCouponRequest) { r.ID = ".." },
			jframework.FieldError{Field: "id", Problem: `must not be "." or ".."`}},
		{"id .", func(r *jframework.UpdateCouponRequest) { r.ID = "." },
			jframework.FieldError{Field: "id", Problem: `must not be "." or ".."`}},
		{"missing name", func(r *jframework.UpdateCouponRequest) { r.Name = "" },
			jframework.FieldError{Field: "name", Problem: "is required"}},
		{"missing code", func(r *jframework.UpdateCouponRequest) { r.Code = "" },
			jframework.FieldError{Field: "code", Problem: "is required"}},
		{"negative percentage", func(r *jframework.UpdateCouponRequest) { r.Percentage = jframework.Ptr(-0.01) },
			jframework.FieldError{Field: "percentage", Problem: "must be between 0 and 100"}},
		{"NaN percentage", func(r *jframework.UpdateCouponRequest) { r.Percentage = jframework.Ptr(math.NaN()) },
			jframework.FieldError{Field: "percentage", Problem: "must be between 0 and 100"}},
		{"negative quantity", func(r *jframework.UpdateCouponRequest) { r.Quantity = jframework.Ptr(-5) },
			jframework.FieldError{Field: "quantity", Problem: "must not be negative"}},
		{"missing start", func(r *jframework.UpdateCouponRequest) { r.StartDate = time.Time{} },
			jframework.FieldError{Field: "startDate", Problem: "is required"}},
		{"missing end", func(r *jframework.UpdateCouponRequest) { r.EndDate = time.Time{} },
			jframework.FieldError{Field: "endDate", Problem: "is required"}},
		{"end before start", func(r *jframework.UpdateCouponRequest) { r.EndDate = r.StartDate.Add(-time.Nanosecond) },
			jframework.FieldError{Field: "endDate", Problem: "must not be before startDate"}},
		{"end before start across offsets", func(r *jframework.UpdateCouponRequest) {
			// 13:00+07:00 is 06:00Z: an end at 07:00+01:00 (06:00Z) minus a second is before it.
			r.StartDate = time.Date(2025, 1, 1, 13, 0, 0, 0, plus7)
			r.EndDate = time.Date(2025, 1, 1, 6, 59, 59, 0, time.FixedZone("", 3600))
		}, jframework.FieldError{Field: "endDate", Problem: "must not be before startDate"}},
		{"year 10000", func(r *jframework.UpdateCouponRequest) { r.EndDate = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
			jframework.FieldError{Field: "endDate", Problem: "must be a date in the years 0001 to 9999"}},
		{"status not in enum", func(r *jframework.UpdateCouponRequest) { r.Status = "1 - Active" },
			jframework.FieldError{Field: "status", Problem: `must be one of "Active", "Inactive", "Expired", "Deleted"`}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := minimalRequest()
			tt.mod(r)
			_, err := c.UpdateCoupon(context.Background(), r)
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, []jframework.FieldError{tt.want}, ve.Fields)
		})
	}
	_, err = c.UpdateCoupon(context.Background(), nil)
	assert.ErrorIs(t, err, jframework.ErrInvalidRequest)
	assert.Equal(t, 0, mt.GetTotalCallCount())

	// The boundaries are valid and sent.
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorSuccess))
	for _, mod := range []func(*jframework.UpdateCouponRequest){
		func(r *jframework.UpdateCouponRequest) { r.Percentage = jframework.Ptr(100.0) },
		func(r *jframework.UpdateCouponRequest) {
			r.Percentage, r.Quantity = jframework.Ptr(0.0), jframework.Ptr(0)
		},
		func(r *jframework.UpdateCouponRequest) { r.Status = jframework.StatusDeleted },
	} {
		r := minimalRequest()
		mod(r)
		_, err := c.UpdateCoupon(context.Background(), r)
		require.NoError(t, err)
	}
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name, brand, key string
		opts             []jframework.Option
		want             string
	}{
		{"empty brand", "", authKey, nil, "brandURL"},
		{"brand with newline", brandURL + "\r\nX-Evil: 1", authKey, nil, "brandURL"},
		{"empty key", brandURL, "", nil, "authKey"},
		{"key with newline", brandURL, authKey + "\n", nil, "authKey"},
		{"key with control byte", brandURL, authKey + "\x00", nil, "authKey"},
		{"relative base", brandURL, authKey, []jframework.Option{jframework.WithBaseURL("/api")}, "absolute"},
		{"ftp base", brandURL, authKey, []jframework.Option{jframework.WithBaseURL("ftp://x")}, "absolute"},
		{"base with query", brandURL, authKey, []jframework.Option{jframework.WithBaseURL("https://x/?a=1")}, "query"},
		{"user info", brandURL, authKey, []jframework.Option{jframework.WithBaseURL("https://u:p@x")}, "user info"},
		{"nil client", brandURL, authKey, []jframework.Option{jframework.WithHTTPClient(nil)}, "nil"},
		{"nil logger", brandURL, authKey, []jframework.Option{jframework.WithLogger(nil)}, "nil"},
		{"negative retries", brandURL, authKey, []jframework.Option{jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: -2})}, "negative"},
		{"min above max", brandURL, authKey, []jframework.Option{jframework.WithRetryPolicy(jframework.RetryPolicy{MinWait: time.Minute, MaxWait: time.Second})}, "MinWait"},
		{"empty product", brandURL, authKey, []jframework.Option{jframework.WithUserAgent("")}, "product"},
		{"nil option", brandURL, authKey, []jframework.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := jframework.NewClient(tt.brand, tt.key, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), authKey)
			assert.NotContains(t, err.Error(), "X-Evil")
		})
	}
	hc := &http.Client{Timeout: time.Second}
	_, err := jframework.NewClient(brandURL, authKey, jframework.WithHTTPClient(hc))
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
		code      string
		requestID string
		message   string
	}{
		{"404 CouponNotFound", jsonResponder(404, vendorNotFound),
			jframework.ErrNotFound, 404, "CouponNotFound", "0HNDK6T8U1AF0:00000002", "The coupon was not found."},
		{"409 duplicate", jsonResponder(409, `{"success":false,"statusCode":409,"message":"The request failed.","data":null,
			"errors":[{"code":"DuplicateCouponCode","message":"A coupon with the code COUPON1 already exists.","correlationId":"c-409"}]}`),
			jframework.ErrConflict, 409, "DuplicateCouponCode", "c-409", "A coupon with the code COUPON1 already exists."},
		{"400 several items", jsonResponder(400, `{"success":false,"statusCode":400,"message":"The request failed.","data":null,
			"errors":[{"code":"ValidationError","message":"'Name' must not be empty.","correlationId":"c-400"},
			{"code":"ValidationError","message":"'Code' must not be empty.","correlationId":"c-400"}]}`),
			jframework.ErrInvalidRequest, 400, "ValidationError", "c-400", "'Name' must not be empty.; 'Code' must not be empty."},
		{"details instead of message", jsonResponder(400, `{"success":false,"statusCode":400,"message":"The request failed.","data":null,
			"errors":[{"code":"InvalidDate","details":"endDate must be after startDate","correlationId":"c-1"},
			{"code":"Other","details":{"field":"tags","reason":"too long"}},{"code":"Empty"}]}`),
			jframework.ErrInvalidRequest, 400, "InvalidDate", "c-1", `endDate must be after startDate; {"field":"tags","reason":"too long"}`},
		{"first item without code", jsonResponder(400, `{"success":false,"statusCode":400,"errors":[{"message":"a"},{"code":"Second","message":"b"}]}`),
			jframework.ErrInvalidRequest, 400, "Second", "", "a; b"},
		{"no items: envelope message", jsonResponder(403, `{"success":false,"statusCode":403,"message":"Access denied.","data":null,"errors":[]}`),
			jframework.ErrForbidden, 403, "", "", "Access denied."},
		{"401", jsonResponder(401, `{"success":false,"statusCode":401,"message":"The request failed.","data":null,
			"errors":[{"code":"Unauthorized","message":"The request is not authenticated.","correlationId":"c-401"}]}`),
			jframework.ErrUnauthorized, 401, "Unauthorized", "c-401", "The request is not authenticated."},
		{"429 body", jsonResponder(429, vendorRateLimited), jframework.ErrRateLimited, 429, "RateLimitExceeded", "corr-429", "Too many requests."},
		{"RateLimitExceeded under 400", jsonResponder(400, vendorRateLimited), jframework.ErrRateLimited, 400, "RateLimitExceeded", "corr-429", "Too many requests."},
		{"HTTP status wins over envelope statusCode", jsonResponder(400, `{"success":false,"statusCode":404,"errors":[{"code":"X","message":"odd"}]}`),
			jframework.ErrInvalidRequest, 400, "X", "", "odd"},
		{"500", jsonResponder(500, `{"success":false,"statusCode":500,"message":"The request failed.","errors":[{"code":"InternalServerError","message":"Boom."}]}`),
			jframework.ErrServer, 500, "InternalServerError", "", "Boom."},
		{"501 not retried", jsonResponder(501, `{"success":false,"statusCode":501,"errors":[{"code":"NotImplemented","message":"No."}]}`),
			jframework.ErrServer, 501, "NotImplemented", "", "No."},
		{"405 has no sentinel", jsonResponder(405, `{"success":false,"statusCode":405,"errors":[{"code":"MethodNotAllowed","message":"Method Not Allowed"}]}`),
			nil, 405, "MethodNotAllowed", "", "Method Not Allowed"},
		{"502 proxy HTML", func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(502, "<html><body><h1>502 Bad Gateway</h1>\n</body></html>"), nil
		}, jframework.ErrServer, 502, "", "", "<html><body><h1>502 Bad Gateway</h1> </body></html>"},
		{"404 empty body", jsonResponder(404, ``), jframework.ErrNotFound, 404, "", "", "(empty body)"},
		{"404 undecodable envelope", jsonResponder(404, `{"success":false,"errors":"nope"}`), jframework.ErrNotFound, 404, "", "", "undecodable error body"},
		{"404 empty object", jsonResponder(404, `{}`), jframework.ErrNotFound, 404, "", "", "{}"},
		// Errors inside an HTTP 200.
		{"200 success:false 404", jsonResponder(200, vendorNotFound),
			jframework.ErrNotFound, 200, "CouponNotFound", "0HNDK6T8U1AF0:00000002", "The coupon was not found."},
		{"200 success:false 409", jsonResponder(200, `{"success":false,"statusCode":409,"message":"The request failed.","data":null,"errors":[{"code":"DuplicateCouponCode","message":"dup"}]}`),
			jframework.ErrConflict, 200, "DuplicateCouponCode", "", "dup"},
		{"200 success:false 400", jsonResponder(200, `{"success":false,"statusCode":400,"message":"The request failed.","data":null,"errors":[{"code":"ValidationError","message":"'Name' must not be empty."}]}`),
			jframework.ErrInvalidRequest, 200, "ValidationError", "", "'Name' must not be empty."},
		{"200 success:false RateLimitExceeded", jsonResponder(200, strings.Replace(vendorRateLimited, `"statusCode":429`, `"statusCode":200`, 1)),
			jframework.ErrRateLimited, 200, "RateLimitExceeded", "corr-429", "Too many requests."},
		{"200 success:false without statusCode", jsonResponder(200, `{"success":false,"message":"Something failed."}`),
			nil, 200, "", "", "Something failed."},
		// 2xx bodies that are not what JFramework documents.
		{"truncated JSON 200", jsonResponder(200, vendorSuccess[:120]), nil, 200, "", "", "not what the API documents"},
		{"empty 200", jsonResponder(200, ``), nil, 200, "", "", "not what the API documents"},
		{"200 without success", jsonResponder(200, `{"data":{"id":"x"}}`), nil, 200, "", "", `no "success"`},
		{"200 success without data", jsonResponder(200, `{"success":true,"statusCode":200,"data":null,"errors":[]}`), nil, 200, "", "", `no coupon`},
		{"200 data without id", jsonResponder(200, `{"success":true,"data":{"code":"C"}}`), nil, 200, "", "", `no id`},
		{"200 wrong type", jsonResponder(200, strings.Replace(vendorSuccess, `"percentage": 10`, `"percentage": "ten"`, 1)), nil, 200, "", "", "not what the API documents"},
		{"200 bad date", jsonResponder(200, strings.Replace(vendorSuccess, `"2025-07-23T13:56:00.4346201+07:00"`, `"23/07/2025"`, 1)), nil, 200, "", "", "endDate: not an RFC 3339 date"},
		{"200 HTML", jsonResponder(200, `<html>maintenance</html>`), nil, 200, "", "", "not what the API documents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: jframework.NoRetries}))
			mt.RegisterResponder(http.MethodPut, couponURL, tt.responder)
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *jframework.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, tt.requestID, ae.RequestID)
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, "jframework", ae.Vendor)
			assert.Contains(t, ae.Message, tt.message)
			if !strings.Contains(tt.name, "empty") {
				assert.NotEmpty(t, ae.Body)
			}
			testutil.OnlySentinel(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), "jframework: "), err.Error())
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestAPIErrorString(t *testing.T) {
	c, mt := newMocked(t, jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: jframework.NoRetries}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorNotFound))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.Error(t, err)
	assert.Equal(t, "jframework: PUT /api/v1/coupons/sApKpllz4sAplsmzha: 200 CouponNotFound: The coupon was not found. (request id 0HNDK6T8U1AF0:00000002)", err.Error())
}

func TestRetryRateLimitThenSuccess(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, jframework.WithLogger(debugLogger(&logs)))
	var cap captured
	// The reset is a Unix time 20ms ahead, in milliseconds (as the test
	// server sends it for a short window): within MaxWait (20ms).
	reset := epochIn(20 * time.Millisecond)
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(429, vendorRateLimited, "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset),
		jsonResponder(200, vendorSuccess, "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-RateLimit-Reset", reset)))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond, "waited for the reset")
	assert.Equal(t, 2, resp.Meta.Attempts)
	assert.Equal(t, "COUPON1", resp.Coupon.Code)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 59, resp.Meta.RateLimit.Remaining)
	require.Len(t, cap.Bodies, 2)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[1], "body identical on every attempt")
	assert.NotEmpty(t, cap.Bodies[0])
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one debug line per attempt")
	assert.Regexp(t, `status=429 attempt=1 wait=1\d(\.\d+)?ms retry=true`, lines[0], "the reset is the wait")
	assert.Contains(t, lines[0], "method=PUT host=protocol.jframework.io path=/api/v1/coupons/sApKpllz4sAplsmzha")
	assert.Contains(t, lines[0], "RateLimitExceeded")
	assert.Contains(t, lines[1], "status=200 attempt=2 wait=0s retry=false")
}

func TestRetryRateLimitInside200(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	reset := epochIn(20 * time.Millisecond)
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(200, strings.Replace(vendorRateLimited, `"statusCode":429`, `"statusCode":200`, 1), "X-RateLimit-Reset", reset),
		jsonResponder(200, vendorSuccess)))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 15*time.Millisecond, "waited for the reset")
	assert.Equal(t, 2, resp.Meta.Attempts)
	assert.Len(t, cap.Reqs, 2)
}

func TestRetryServerErrorInside200(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(200, `{"success":false,"statusCode":500,"message":"The request failed.","data":null,"errors":[{"code":"InternalServerError","message":"Boom."}]}`),
		jsonResponder(200, vendorSuccess)))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Meta.Attempts, "the PUT is idempotent: a server error is retried")
}

func TestRetryServerErrorsThenSuccess(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(503, `{"success":false,"statusCode":503,"errors":[{"code":"ServiceUnavailable","message":"Try later."}]}`),
		jsonResponder(502, `<html>Bad Gateway</html>`),
		jsonResponder(200, vendorSuccess)))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Len(t, cap.Reqs, 3)
}

func TestRetriesExhausted(t *testing.T) {
	c, mt := newMocked(t, jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}))
	mt.RegisterResponder(http.MethodPut, couponURL, func(r *http.Request) (*http.Response, error) {
		return jsonResponder(429, vendorRateLimited,
			"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", epochIn(5*time.Millisecond))(r)
	})
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.ErrorIs(t, err, jframework.ErrRateLimited)
	var ae *jframework.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 3, ae.Attempts)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Greater(t, ae.RetryAfter, time.Duration(0), "the reset is reported")
	assert.LessOrEqual(t, ae.RetryAfter, 5*time.Millisecond)
	assert.Equal(t, "jframework: PUT /api/v1/coupons/sApKpllz4sAplsmzha: 429 RateLimitExceeded: Too many requests. (request id corr-429) after 3 attempts", err.Error())
}

// epochIn is the Unix time d from now in seconds with milliseconds, as
// jframeworktest sends X-RateLimit-Reset for a short window.
func epochIn(d time.Duration) string {
	return strconv.FormatFloat(float64(time.Now().Add(d).UnixMilli())/1000, 'f', 3, 64)
}

func TestRateLimitResetBeyondDeadlineReturnsAtOnce(t *testing.T) {
	c, mt := newMocked(t, jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 3}))
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, vendorRateLimited, "X-RateLimit-Reset", reset))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, jframework.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "returned before the deadline instead of sleeping into it")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var ae *jframework.APIError
	require.ErrorAs(t, err, &ae)
	assert.InDelta(t, time.Hour, ae.RetryAfter, float64(2*time.Second))
	assert.Equal(t, 1, ae.Attempts)
}

func TestCancelDuringWaitReturnsPromptly(t *testing.T) {
	c, mt := newMocked(t, jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 3, MaxWait: time.Hour}))
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, vendorRateLimited, "X-RateLimit-Reset", reset))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Contains(t, err.Error(), "gave up waiting to retry")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 409, 501} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(status, vendorNotFound))
		_, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "status %d", status)
	}
	for _, envStatus := range []int{400, 401, 404, 409} {
		c, mt := newMocked(t)
		body := strings.Replace(vendorNotFound, `"statusCode":404`, `"statusCode":`+strconv.Itoa(envStatus), 1)
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, body))
		_, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "success:false with statusCode %d", envStatus)
	}
}

func TestTransportErrorIsWrapped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens: connection refused
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL("http://"+addr),
		jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	req := minimalRequest()
	req.ID = "a/../b"
	_, err = c.UpdateCoupon(context.Background(), req)
	require.Error(t, err)
	var op *net.OpError
	assert.ErrorAs(t, err, &op)
	assert.Contains(t, err.Error(), "jframework: PUT /api/v1/coupons/a%2F..%2Fb (after 3 attempts)")
	assert.NotContains(t, err.Error(), authKey)
}

// escapeCases are ids that must stay one path segment.
var escapeCases = []struct{ id, path string }{
	{"a/../b", "/api/v1/coupons/a%2F..%2Fb"},
	{"x?y", "/api/v1/coupons/x%3Fy"},
	{"x?y=1&z", "/api/v1/coupons/x%3Fy=1&z"},
	{"%2F", "/api/v1/coupons/%252F"},
	{"../../admin", "/api/v1/coupons/..%2F..%2Fadmin"},
	{"a b", "/api/v1/coupons/a%20b"},
	{"#frag", "/api/v1/coupons/%23frag"},
	{"ü", "/api/v1/coupons/%C3%BC"},
	{"...", "/api/v1/coupons/..."},
}

func TestPathEscapingMocked(t *testing.T) {
	for _, tt := range escapeCases {
		t.Run(tt.id, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterNoResponder(sequence(&cap, jsonResponder(200, vendorSuccess)))
			req := minimalRequest()
			req.ID = tt.id
			_, err := c.UpdateCoupon(context.Background(), req)
			require.NoError(t, err)
			require.Len(t, cap.Reqs, 1)
			u := cap.Reqs[0].URL
			assert.Equal(t, "https://protocol.jframework.io"+tt.path, u.String())
			assert.Equal(t, tt.path, u.EscapedPath())
			assert.Equal(t, "", u.RawQuery)
			assert.Equal(t, "", u.Fragment)
		})
	}
}

func TestPathEscapingOnTheWire(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		got = append(got, r.RequestURI+" query="+r.URL.RawQuery)
		mu.Unlock()
		w.Write([]byte(vendorSuccess))
	}))
	defer srv.Close()
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL+"/proxy"))
	require.NoError(t, err)
	var want []string
	for _, tt := range escapeCases {
		req := minimalRequest()
		req.ID = tt.id
		_, err := c.UpdateCoupon(context.Background(), req)
		require.NoError(t, err, tt.id)
		want = append(want, "/proxy"+tt.path+" query=")
	}
	assert.Equal(t, want, got, "the exact request-target the server received")
}

func TestAuthKeyNeverLeaks(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, jframework.WithLogger(debugLogger(&logs)))
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			// A misbehaving server echoing the request's Auth-Key everywhere.
			k := r.Header.Get("Auth-Key")
			return httpmock.NewStringResponse(status, `{"success":false,"statusCode":`+strconv.Itoa(status)+
				`,"message":"bad key `+k+`","data":null,"errors":[{"code":"Bad`+k+`","message":"key `+k+
				` rejected","correlationId":"`+k+`"},{"code":"X","details":{"key":"`+k+`"}}]}`), nil
		}
	}
	htmlEcho := func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(502, "<html>"+r.Header.Get("Auth-Key")+"</html>"), nil
	}
	responders := []httpmock.Responder{
		echo(401), echo(500), echo(429), echo(200), echo(404), htmlEcho,
		httpmock.NewErrorResponder(errors.New("dial failed for " + authKey)),
	}
	for i, r := range responders {
		mt.RegisterResponder(http.MethodPut, couponURL, r)
		resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err, i)
		assert.Nil(t, resp)
		assert.NotContains(t, err.Error(), authKey, i)
		assert.NotContains(t, fmt.Sprintf("%+v", err), authKey, i)
		assert.NotContains(t, fmt.Sprintf("%#v", err), authKey, i)
		var ae *jframework.APIError
		if errors.As(err, &ae) {
			assert.NotContains(t, string(ae.Body), authKey, i)
			assert.NotContains(t, ae.Message, authKey, i)
			assert.NotContains(t, ae.Code, authKey, i)
			assert.NotContains(t, ae.RequestID, authKey, i)
			assert.Contains(t, ae.Message+string(ae.Body), "[REDACTED]", i)
		}
	}
	_, err := c.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{Name: authKey, ID: authKey + "/.."})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), authKey)
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), authKey)
	assert.GreaterOrEqual(t, strings.Count(logs.String(), "\n"), 6, "a debug line per attempt was written")
}
