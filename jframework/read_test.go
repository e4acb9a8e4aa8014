package jframework_test

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/jframework"
)

const listURL = "https://protocol.jframework.io/api/v1/coupons"

func TestGetCouponWireFormat(t *testing.T) {
	c, mt := newMocked(t, jframework.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodGet, couponURL, sequence(&cap, jsonResponder(200, vendorSuccess,
		"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "58", "X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Minute).Unix()))))

	resp, err := c.GetCoupon(context.Background(), couponID)
	require.NoError(t, err)
	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, couponURL, r.URL.String(), "no query")
	var names []string
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	// The transport's header template carries Content-Type on every request.
	assert.Equal(t, []string{"Accept", "Auth-Key", "Brand-Url", "Content-Type", "User-Agent"}, names, "every header sent")
	assert.Equal(t, brandURL, r.Header.Get("Brand-URL"))
	assert.Equal(t, authKey, r.Header.Get("Auth-Key"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, "", cap.Bodies[0], "a GET has no body")

	got := resp.Coupon
	assert.Equal(t, jframework.Coupon{
		ID: couponID, Code: "COUPON1", Name: "Coupon 1", Description: "This is a coupon", Tags: "tag1, tag2",
		Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(100),
		StartDate: got.StartDate, EndDate: got.EndDate, ModifiedDate: got.ModifiedDate,
		AutoApplyToPrice: true, Status: jframework.StatusActive, TestMode: false,
	}, got)
	assert.Equal(t, "2025-06-23T13:56:00.4346197+07:00", got.StartDate.Format(time.RFC3339Nano))
	assert.Equal(t, "2025-07-23T13:56:00.4346201+07:00", got.EndDate.Format(time.RFC3339Nano))
	assert.Equal(t, "2025-06-23T13:56:00.4346205+07:00", got.ModifiedDate.Format(time.RFC3339Nano))
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 58, resp.Meta.RateLimit.Remaining)
}

func TestGetCouponEscapesTheID(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterNoResponder(sequence(&cap, jsonResponder(200, strings.Replace(vendorSuccess, couponID, "a/../b?x=1", 1))))
	resp, err := c.GetCoupon(context.Background(), "a/../b?x=1")
	require.NoError(t, err)
	assert.Equal(t, "a/../b?x=1", resp.Coupon.ID)
	require.Len(t, cap.Reqs, 1)
	assert.Equal(t, "/api/v1/coupons/a%2F..%2Fb%3Fx=1", cap.Reqs[0].URL.EscapedPath())
	assert.Equal(t, "", cap.Reqs[0].URL.RawQuery)
}

func TestGetCouponRejectsBadIDsUnsent(t *testing.T) {
	c, mt := newMocked(t)
	for id, problem := range map[string]string{
		"":       "is required",
		".":      `must not be "." or ".."`,
		"..":     `must not be "." or ".."`,
		"a\nb":   "must not contain control characters",
		"a\xffb": "must be valid UTF-8",
	} {
		_, err := c.GetCoupon(context.Background(), id)
		var ve *jframework.ValidationError
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, []jframework.FieldError{{Field: "id", Problem: problem}}, ve.Fields, "%q", id)
		assert.ErrorIs(t, err, jframework.ErrInvalidRequest)
	}
	_, err := c.GetCoupon(context.Background(), "..")
	assert.EqualError(t, err, `jframework: invalid request for GET /api/v1/coupons/..: id must not be "." or ".."`)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// TestGetCouponReadsLooseShapes: every field that jfw-js (src/features/
// coupon/types.ts, ICoupon) declares optional or nullable may come as null
// or be absent; numbers may come quoted.
func TestGetCouponReadsLooseShapes(t *testing.T) {
	tests := []struct {
		name, data string
		want       jframework.Coupon
	}{
		{"nulls", `{"id":"x","code":"C","name":"N","description":null,"tags":null,"percentage":null,"quantity":null,
			"startDate":null,"endDate":null,"autoApplyToPrice":null,"status":"Inactive","testMode":false,"modifiedDate":null,"createdDate":null}`,
			jframework.Coupon{ID: "x", Code: "C", Name: "N", Status: jframework.StatusInactive}},
		{"absent", `{"id":"x","code":"C","name":"N","status":"Active","testMode":true}`,
			jframework.Coupon{ID: "x", Code: "C", Name: "N", Status: jframework.StatusActive, TestMode: true}},
		{"quoted numbers", `{"id":"x","percentage":"12.5","quantity":"7"}`,
			jframework.Coupon{ID: "x", Percentage: jframework.Ptr(12.5), Quantity: jframework.Ptr(7)}},
		{"whole float quantity, zero percentage", `{"id":"x","percentage":0,"quantity":100.0}`,
			jframework.Coupon{ID: "x", Percentage: jframework.Ptr(0.0), Quantity: jframework.Ptr(100)}},
		{"unknown fields", `{"id":"x","createdDate":"2025-06-23T13:56:00.4346197+07:00","brandId":"b","extra":{"a":[1]}}`,
			jframework.Coupon{ID: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, listURL+"/x", jsonResponder(200, `{"success":true,"statusCode":200,"data":`+tt.data+`,"errors":[]}`))
			resp, err := c.GetCoupon(context.Background(), "x")
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.Coupon)
		})
	}
}

func TestGetCouponDateWithoutOffsetIsUTC(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL+"/x", jsonResponder(200,
		`{"success":true,"data":{"id":"x","startDate":"2025-06-23T13:56:00.4346197","endDate":"2025-06-24T12:17:56.535Z"}}`))
	resp, err := c.GetCoupon(context.Background(), "x")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2025, 6, 23, 13, 56, 0, 434619700, time.UTC), resp.Coupon.StartDate)
	assert.True(t, time.Date(2025, 6, 24, 12, 17, 56, 535000000, time.UTC).Equal(resp.Coupon.EndDate))
}

func TestGetCouponErrors(t *testing.T) {
	tests := []struct {
		name      string
		responder httpmock.Responder
		kind      error
		status    int
		code      string
		attempts  int
	}{
		{"404 envelope", jsonResponder(404, vendorNotFound), jframework.ErrNotFound, 404, "CouponNotFound", 1},
		{"not found inside a 200", jsonResponder(200, vendorNotFound), jframework.ErrNotFound, 200, "CouponNotFound", 1},
		{"CouponNotFound without statusCode", jsonResponder(200, `{"success":false,"errors":[{"code":"CouponNotFound","details":"gone"}]}`),
			jframework.ErrNotFound, 200, "CouponNotFound", 1},
		{"401", jsonResponder(401, `{"success":false,"statusCode":401,"errors":[{"code":"Unauthorized","message":"no"}]}`),
			jframework.ErrUnauthorized, 401, "Unauthorized", 1},
		{"rate limited inside a 200, retried", jsonResponder(200, vendorRateLimited), jframework.ErrRateLimited, 200, "RateLimitExceeded", 4},
		{"500, retried (a read is idempotent)", jsonResponder(500, `{"success":false,"statusCode":500,"errors":[{"code":"InternalServerError","message":"x"}]}`),
			jframework.ErrServer, 500, "InternalServerError", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, couponURL, tt.responder)
			resp, err := c.GetCoupon(context.Background(), couponID)
			assert.Nil(t, resp)
			var apiErr *jframework.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.attempts, apiErr.Attempts)
			assert.Equal(t, tt.attempts, mt.GetTotalCallCount())
			assert.NotContains(t, err.Error(), authKey)
		})
	}
}

func TestGetCouponWrongBodies(t *testing.T) {
	for name, body := range map[string]string{
		"data null":          `{"success":true,"statusCode":200,"data":null,"errors":[]}`,
		"data absent":        `{"success":true}`,
		"data an array":      `{"success":true,"data":[]}`,
		"no success":         `{"data":{"id":"sApKpllz4sAplsmzha"}}`,
		"another coupon":     `{"success":true,"data":{"id":"someone-else"}}`,
		"no id":              `{"success":true,"data":{"code":"C"}}`,
		"bad percentage":     `{"success":true,"data":{"id":"sApKpllz4sAplsmzha","percentage":"ten"}}`,
		"fraction quantity":  `{"success":true,"data":{"id":"sApKpllz4sAplsmzha","quantity":1.5}}`,
		"bad date":           `{"success":true,"data":{"id":"sApKpllz4sAplsmzha","endDate":"23/07/2025"}}`,
		"html":               `<html>502</html>`,
		"truncated":          vendorSuccess[:100],
		"boolean as string":  `{"success":true,"data":{"id":"sApKpllz4sAplsmzha","testMode":"false"}}`,
		"status as a number": `{"success":true,"data":{"id":"sApKpllz4sAplsmzha","status":1}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, body))
			resp, err := c.GetCoupon(context.Background(), couponID)
			assert.Nil(t, resp)
			var apiErr *jframework.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.StatusCode)
			assert.NotEmpty(t, apiErr.Message)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "a malformed success is not retried")
		})
	}
}

// page is a list answer holding coupons with the given ids.
func page(total any, pageNumber, pageSize int, ids ...string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"id":%q,"code":"C-%s","name":"N","percentage":null,"quantity":5,`+
			`"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00",`+
			`"autoApplyToPrice":false,"status":"Active","testMode":false,"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"}`, id, id)
	}
	totalJSON := ""
	if total != nil {
		totalJSON = fmt.Sprintf(`,"totalItems":%v`, total)
	}
	return fmt.Sprintf(`{"success":true,"statusCode":200,"message":"The request was successful.","data":{"items":[%s]%s,"pageNumber":%d,"pageSize":%d},"errors":[]}`,
		strings.Join(items, ","), totalJSON, pageNumber, pageSize)
}

func collect(t *testing.T, seq func(func(jframework.Coupon, error) bool)) (ids []string, errs []error) {
	t.Helper()
	for c, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, c.ID)
	}
	return ids, errs
}

func TestListCouponsWireFormat(t *testing.T) {
	c, mt := newMocked(t, jframework.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(1, 0, 200, "a"))))

	ids, errs := collect(t, c.ListCoupons(context.Background(), nil))
	require.Empty(t, errs)
	assert.Equal(t, []string{"a"}, ids)
	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "/api/v1/coupons", r.URL.Path)
	assert.Equal(t, "pageNumber=0&pageSize=200", r.URL.RawQuery, "nil options: defaults, no filters")
	assert.Equal(t, authKey, r.Header.Get("Auth-Key"))
	assert.Equal(t, brandURL, r.Header.Get("Brand-URL"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, "", cap.Bodies[0])

	cap = captured{}
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(1, 0, 25, "a"))))
	_, errs = collect(t, c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{
		Name: "Summer & Co", Code: "SUM/26", Keywords: "50% off", Status: jframework.StatusInactive, PageSize: 25,
	}))
	require.Empty(t, errs)
	require.Len(t, cap.Reqs, 1)
	assert.Equal(t, "code=SUM%2F26&keywords=50%25+off&name=Summer+%26+Co&pageNumber=0&pageSize=25&status=Inactive", cap.Reqs[0].URL.RawQuery)
}

func TestListCouponsPaging(t *testing.T) {
	tests := []struct {
		name     string
		pages    []string
		wantIDs  []string
		requests int
	}{
		{"ends after totalItems (exact multiple: no extra request)",
			[]string{page(4, 0, 2, "a", "b"), page(4, 1, 2, "c", "d")}, []string{"a", "b", "c", "d"}, 2},
		{"ends after totalItems on a short last page",
			[]string{page(3, 0, 2, "a", "b"), page(3, 1, 2, "c")}, []string{"a", "b", "c"}, 2},
		{"a server serving smaller pages than asked is still listed whole",
			[]string{page(3, 0, 1, "a"), page(3, 1, 1, "b"), page(3, 2, 1, "c")}, []string{"a", "b", "c"}, 3},
		{"so is one serving smaller pages than it says (the first page's size counts)",
			[]string{page(3, 0, 2, "a"), page(3, 1, 2, "b"), page(3, 2, 2, "c")}, []string{"a", "b", "c"}, 3},
		{"ends at an empty page although totalItems says more",
			[]string{page(10, 0, 2, "a", "b"), page(10, 1, 2)}, []string{"a", "b"}, 2},
		{"empty listing", []string{page(0, 0, 2)}, nil, 1},
		{"data null is an empty page", []string{`{"success":true,"statusCode":200,"data":null,"errors":[]}`}, nil, 1},
		{"items null is an empty page", []string{`{"success":true,"data":{"items":null,"totalItems":0}}`}, nil, 1},
		{"no totalItems: ends at a short page",
			[]string{page(nil, 0, 2, "a", "b"), page(nil, 1, 2, "c")}, []string{"a", "b", "c"}, 2},
		{"no totalItems: ends at an empty page",
			[]string{page(nil, 0, 2, "a", "b"), page(nil, 1, 2)}, []string{"a", "b"}, 2},
		{"totalItems null is no totalItems",
			[]string{page("null", 0, 2, "a", "b"), page("null", 1, 2, "c")}, []string{"a", "b", "c"}, 2},
		{"totalItems as a string", []string{page(`"3"`, 0, 2, "a", "b"), page(`"3"`, 1, 2, "c")}, []string{"a", "b", "c"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			rs := make([]httpmock.Responder, len(tt.pages))
			for i, p := range tt.pages {
				rs[i] = jsonResponder(200, p)
			}
			rs = append(rs, jsonResponder(500, `{"success":false,"statusCode":500,"errors":[{"code":"TooFar","message":"asked past the end"}]}`))
			mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, rs...))
			ids, errs := collect(t, c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: 2}))
			assert.Empty(t, errs)
			assert.Equal(t, tt.wantIDs, ids)
			require.Len(t, cap.Reqs, tt.requests)
			for i, r := range cap.Reqs {
				assert.Equal(t, fmt.Sprintf("pageNumber=%d&pageSize=2", i), r.URL.RawQuery)
			}
		})
	}
}

func TestListCouponsStopsWithTheLoop(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	p0, p1 := jsonResponder(200, page(6, 0, 2, "a", "b")), jsonResponder(200, page(6, 1, 2, "c", "d"))
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, p0, p0, p1))
	seq := c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: 2})
	for cp, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "a", cp.ID)
		break
	}
	assert.Equal(t, 1, mt.GetTotalCallCount(), "breaking after the first item sends exactly one request")

	// Ranging again starts over at page 0; stopping inside page 1 asks no
	// page 2.
	var ids []string
	for cp, err := range seq {
		require.NoError(t, err)
		ids = append(ids, cp.ID)
		if cp.ID == "c" {
			break
		}
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	require.Len(t, cap.Reqs, 3)
	assert.Equal(t, "pageNumber=0&pageSize=2", cap.Reqs[1].URL.RawQuery)
	assert.Equal(t, "pageNumber=1&pageSize=2", cap.Reqs[2].URL.RawQuery)
}

func TestListCouponsFailingPage(t *testing.T) {
	tests := []struct {
		name     string
		second   httpmock.Responder
		kind     error
		attempts int
	}{
		{"404", jsonResponder(404, vendorNotFound), jframework.ErrNotFound, 1},
		{"failure inside a 200", jsonResponder(200, `{"success":false,"statusCode":400,"errors":[{"code":"InvalidPageNumber","message":"bad"}]}`),
			jframework.ErrInvalidRequest, 1},
		{"rate limited, retries spent", jsonResponder(429, vendorRateLimited), jframework.ErrRateLimited, 4},
		{"a coupon without id", jsonResponder(200, `{"success":true,"data":{"items":[{"id":"c"},{"code":"X"}],"totalItems":4}}`), nil, 1},
		{"a coupon with a bad date", jsonResponder(200, `{"success":true,"data":{"items":[{"id":"c","startDate":"soon"}],"totalItems":4}}`), nil, 1},
		{"items not a list", jsonResponder(200, `{"success":true,"data":{"items":{"id":"c"},"totalItems":4}}`), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(4, 0, 2, "a", "b")), tt.second))
			ids, errs := collect(t, c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: 2}))
			assert.Equal(t, []string{"a", "b"}, ids, "the first page's coupons, then the error")
			require.Len(t, errs, 1, "a failed page yields one error and ends")
			var apiErr *jframework.APIError
			require.ErrorAs(t, errs[0], &apiErr)
			if tt.kind != nil {
				assert.ErrorIs(t, errs[0], tt.kind)
			}
			assert.Equal(t, 1+tt.attempts, mt.GetTotalCallCount())
			assert.NotContains(t, errs[0].Error(), authKey)
		})
	}
}

func TestListCouponsInvalidOptionsSendNothing(t *testing.T) {
	c, mt := newMocked(t)
	tests := []struct {
		opts  jframework.ListCouponsOptions
		field string
	}{
		{jframework.ListCouponsOptions{PageSize: -1}, "pageSize"},
		{jframework.ListCouponsOptions{PageSize: jframework.MaxPageSize + 1}, "pageSize"},
		{jframework.ListCouponsOptions{Status: "active"}, "status"},
		{jframework.ListCouponsOptions{Name: "a\xff"}, "name"},
		{jframework.ListCouponsOptions{Code: "\xfe"}, "code"},
		{jframework.ListCouponsOptions{Keywords: "\xc3"}, "keywords"},
	}
	for _, tt := range tests {
		var n int
		for _, err := range c.ListCoupons(context.Background(), &tt.opts) {
			n++
			var ve *jframework.ValidationError
			require.ErrorAs(t, err, &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, tt.field, ve.Fields[0].Field)
			assert.ErrorIs(t, err, jframework.ErrInvalidRequest)
		}
		assert.Equal(t, 1, n, "one error, then the end: %+v", tt.opts)
	}
	for _, err := range c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: 5000}) {
		assert.EqualError(t, err, "jframework: invalid request for GET /api/v1/coupons: pageSize must be between 1 and 1000 (0 means 200)")
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestListCouponsReadsOptionsOnce(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(0, 0, 5))))
	opts := &jframework.ListCouponsOptions{Code: "A", PageSize: 5}
	seq := c.ListCoupons(context.Background(), opts)
	opts.Code, opts.PageSize = "B", -1 // changing opts afterwards changes nothing
	_, errs := collect(t, seq)
	require.Empty(t, errs)
	require.Len(t, cap.Reqs, 1)
	assert.Equal(t, "code=A&pageNumber=0&pageSize=5", cap.Reqs[0].URL.RawQuery)
}
