package jframeworktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

func authHeaders(srv *jframeworktest.Server) map[string]string {
	return map[string]string{"Brand-URL": srv.BrandURL, "Auth-Key": srv.AuthKey}
}

func TestRawGetCoupon(t *testing.T) {
	srv := seeded(t)
	a := raw(t, srv, "GET", "/api/v1/coupons/c1", authHeaders(srv), "")
	require.Equal(t, 200, a.status, a.body)
	assert.Equal(t, 200, a.env.StatusCode)
	assert.Equal(t, "The request was successful.", a.env.Message)
	assert.Contains(t, a.body, `"errors":[]`)
	var data map[string]any
	require.NoError(t, json.Unmarshal(a.env.Data, &data))
	assert.Equal(t, map[string]any{
		"id": "c1", "code": "COUPON1", "name": "Coupon 1", "description": "old", "tags": "a, b",
		"percentage": 10.0, "quantity": 100.0,
		"startDate": "2025-06-23T13:56:00.4346197+07:00", "endDate": "2025-07-23T13:56:00.4346201+07:00",
		"autoApplyToPrice": true, "status": "Active", "testMode": true, "modifiedDate": nil,
	}, data)

	// A coupon seeded without optional values: nulls, as JFramework writes them.
	a = raw(t, srv, "GET", "/api/v1/coupons/c2", authHeaders(srv), "")
	require.Equal(t, 200, a.status, a.body)
	data = nil
	require.NoError(t, json.Unmarshal(a.env.Data, &data))
	assert.Equal(t, map[string]any{
		"id": "c2", "code": "TAKEN", "name": "Other", "description": nil, "tags": nil, "percentage": nil, "quantity": nil,
		"startDate": nil, "endDate": nil, "autoApplyToPrice": false, "status": "", "testMode": false, "modifiedDate": nil,
	}, data)
}

func TestRawReadErrors(t *testing.T) {
	srv := seeded(t)
	auth := authHeaders(srv)
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
		want               []string
		allow              string
	}{
		{"unknown coupon", "GET", "/api/v1/coupons/zzz", auth, 404, []string{`CouponNotFound: The coupon "zzz" was not found.`}, ""},
		{"no Auth-Key on a read", "GET", "/api/v1/coupons/c1", map[string]string{"Brand-URL": srv.BrandURL}, 401,
			[]string{"Unauthorized: The request is not authenticated."}, ""},
		{"bad Brand-URL on the list", "GET", "/api/v1/coupons", map[string]string{"Brand-URL": "x", "Auth-Key": srv.AuthKey}, 401,
			[]string{"InvalidBrand: The brand URL is missing or unknown."}, ""},
		{"POST on the list", "POST", "/api/v1/coupons", auth, 405,
			[]string{"MethodNotAllowed: The method POST is not allowed for this resource."}, "GET"},
		{"DELETE a coupon", "DELETE", "/api/v1/coupons/c1", auth, 405,
			[]string{"MethodNotAllowed: The method DELETE is not allowed for this resource."}, "GET, PUT"},
		{"list with a trailing slash", "GET", "/api/v1/coupons/", auth, 404, []string{"ResourceNotFound: The requested resource was not found."}, ""},
		{"bad paging and status", "GET", "/api/v1/coupons?pageSize=0&pageNumber=-1&status=active", auth, 400, []string{
			"ValidationError: 'Page Size' must be greater than or equal to '1'.",
			"ValidationError: 'Page Number' must be greater than or equal to '0'.",
			"ValidationError: 'Status' has a range of values which does not include 'active'."}, ""},
		{"paging not a number", "GET", "/api/v1/coupons?pageSize=ten", auth, 400,
			[]string{"ValidationError: 'Page Size' must be greater than or equal to '1'."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := raw(t, srv, tt.method, tt.path, tt.header, "")
			assert.Equal(t, tt.status, a.status, a.body)
			assert.Equal(t, tt.want, codesAndMessages(a))
			assert.Equal(t, tt.allow, a.header.Get("Allow"))
		})
	}
}

// listData is the list answer's data as a test reads it.
type listData struct {
	Items      []map[string]any `json:"items"`
	TotalItems int              `json:"totalItems"`
	PageNumber int              `json:"pageNumber"`
	PageSize   int              `json:"pageSize"`
}

func rawList(t *testing.T, srv *jframeworktest.Server, query string) (ids []string, d listData) {
	t.Helper()
	a := raw(t, srv, "GET", "/api/v1/coupons"+query, authHeaders(srv), "")
	require.Equal(t, 200, a.status, a.body)
	require.NoError(t, json.Unmarshal(a.env.Data, &d))
	require.NotNil(t, d.Items, "items is [] when empty, never null: %s", a.body)
	for _, it := range d.Items {
		ids = append(ids, it["id"].(string))
	}
	return ids, d
}

// listServer holds coupons for filter and paging tests.
func listServer(t *testing.T) *jframeworktest.Server {
	t.Helper()
	srv := jframeworktest.NewServer()
	t.Cleanup(srv.Close)
	start := time.Date(2025, 6, 23, 13, 56, 0, 434619700, plus7)
	for _, c := range []jframework.Coupon{
		{ID: "a1", Code: "SUMMER10", Name: "Summer ten", Status: jframework.StatusActive, Tags: "season"},
		{ID: "a2", Code: "SUMMER20", Name: "Summer twenty", Status: jframework.StatusInactive},
		{ID: "a3", Code: "WINTER10", Name: "Winter ten", Status: jframework.StatusActive, Description: "cold SEASON deal"},
		{ID: "a4", Code: "VIP", Name: "Very important", Status: jframework.StatusExpired},
		{ID: "a5", Code: "GONE", Name: "Deleted one", Status: jframework.StatusDeleted},
	} {
		c.StartDate, c.EndDate = start, start.AddDate(0, 1, 0)
		srv.AddCoupon(c)
	}
	return srv
}

func TestRawListFiltersAndPages(t *testing.T) {
	srv := listServer(t)
	tests := []struct {
		query string
		ids   []string
		total int
	}{
		{"", []string{"a1", "a2", "a3", "a4", "a5"}, 5},
		{"?name=summer", []string{"a1", "a2"}, 2},
		{"?code=10", []string{"a1", "a3"}, 2},
		{"?keywords=season", []string{"a1", "a3"}, 2},
		{"?keywords=vip", []string{"a4"}, 1},
		{"?status=Active", []string{"a1", "a3"}, 2},
		{"?status=Active&name=winter", []string{"a3"}, 1},
		{"?code=nope", nil, 0},
		{"?pageSize=2&pageNumber=0", []string{"a1", "a2"}, 5},
		{"?pageSize=2&pageNumber=1", []string{"a3", "a4"}, 5},
		{"?pageSize=2&pageNumber=2", []string{"a5"}, 5},
		{"?pageSize=2&pageNumber=3", nil, 5},
		{"?pageSize=9223372036854775807&pageNumber=3", nil, 5},
		{"?pageSize=3&pageNumber=9223372036854775807", nil, 5},
		{"?name=summer&pageSize=1&pageNumber=1", []string{"a2"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ids, d := rawList(t, srv, tt.query)
			assert.Equal(t, tt.ids, ids)
			assert.Equal(t, tt.total, d.TotalItems)
		})
	}
	_, d := rawList(t, srv, "")
	assert.Equal(t, 0, d.PageNumber)
	assert.Equal(t, 200, d.PageSize, "JFramework's default page size")
	_, d = rawList(t, srv, "?pageSize=2&pageNumber=1")
	assert.Equal(t, 1, d.PageNumber)
	assert.Equal(t, 2, d.PageSize)
	assert.Equal(t, "2025-06-23T13:56:00.4346197+07:00", d.Items[0]["startDate"], "items in the coupon shape")
}

// TestReadsServeTheStateUpdatesChange through the client: GetCoupon and
// ListCoupons see what UpdateCoupon wrote.
func TestReadsServeTheStateUpdatesChange(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fast)
	ctx := context.Background()
	req := update("c1", "FRESH")
	req.Percentage = jframework.Ptr(33.0)
	_, err := c.UpdateCoupon(ctx, req)
	require.NoError(t, err)

	got, err := c.GetCoupon(ctx, "c1")
	require.NoError(t, err)
	state, _ := srv.Coupon("c1")
	assert.Equal(t, state.Code, got.Coupon.Code)
	assert.Equal(t, "FRESH", got.Coupon.Code)
	assert.Equal(t, 33.0, *got.Coupon.Percentage)
	assert.Nil(t, got.Coupon.Quantity, "the PUT sent quantity null")
	assert.True(t, state.StartDate.Equal(got.Coupon.StartDate))
	assert.True(t, state.ModifiedDate.Equal(got.Coupon.ModifiedDate))

	var codes []string
	for cp, err := range c.ListCoupons(ctx, &jframework.ListCouponsOptions{Code: "fresh"}) {
		require.NoError(t, err)
		codes = append(codes, cp.Code)
	}
	assert.Equal(t, []string{"FRESH"}, codes)
}

func TestListCouponsThroughClient(t *testing.T) {
	srv := listServer(t)
	c := srv.Client(fast)
	before := srv.Requests()
	var ids []string
	for cp, err := range c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: 2}) {
		require.NoError(t, err)
		ids = append(ids, cp.ID)
		assert.Equal(t, "2025-06-23T13:56:00.4346197+07:00", cp.StartDate.Format(time.RFC3339Nano))
	}
	assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5"}, ids)
	assert.Equal(t, 3, srv.Requests()-before, "pages 0, 1, 2; totalItems ends it")

	before = srv.Requests()
	ids = nil
	for cp, err := range c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{Status: jframework.StatusActive, Keywords: "season"}) {
		require.NoError(t, err)
		ids = append(ids, cp.ID)
	}
	assert.Equal(t, []string{"a1", "a3"}, ids)
	assert.Equal(t, 1, srv.Requests()-before)
}

func TestListCouponsCancelledBetweenPages(t *testing.T) {
	srv := listServer(t)
	c := srv.Client(fast)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range c.ListCoupons(ctx, &jframework.ListCouponsOptions{PageSize: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if n++; n == 2 {
			cancel()
		}
	}
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], context.Canceled), errs[0])
	assert.Equal(t, 1, srv.Requests(), "the page after the cancel is never answered")
}

func TestReadsHonourRateLimitAndFailNext(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(2, time.Minute)
	h := authHeaders(srv)
	a := raw(t, srv, "GET", "/api/v1/coupons/c1", h, "")
	require.Equal(t, 200, a.status)
	assert.Equal(t, "2", a.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "1", a.header.Get("X-RateLimit-Remaining"))
	a = raw(t, srv, "GET", "/api/v1/coupons", h, "")
	require.Equal(t, 200, a.status)
	assert.Equal(t, "0", a.header.Get("X-RateLimit-Remaining"))
	a = raw(t, srv, "GET", "/api/v1/coupons?pageNumber=1", h, "")
	require.Equal(t, 429, a.status)
	assert.Equal(t, []string{"RateLimitExceeded: Too many requests. Please try again later."}, codesAndMessages(a))
	reset, err := strconv.ParseInt(a.header.Get("X-RateLimit-Reset"), 10, 64)
	require.NoError(t, err)
	assert.InDelta(t, time.Now().Add(time.Minute).Unix(), reset, 2)
	srv.SetRateLimit(0, 0)

	for _, status := range []int{404, 500, 503, 429} {
		srv.FailNext(1, status)
		path := "/api/v1/coupons/c1"
		if status == 503 {
			path = "/api/v1/coupons"
		}
		a = raw(t, srv, "GET", path, h, "")
		assert.Equal(t, status, a.status, fmt.Sprint(status))
	}

	// Through the client: an injected 503 on the read is retried, on the
	// list too.
	c := srv.Client(fast)
	srv.FailNext(1, http.StatusServiceUnavailable)
	resp, err := c.GetCoupon(context.Background(), "c1")
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Meta.Attempts)
	srv.FailNext(2, http.StatusInternalServerError)
	n := 0
	for _, err := range c.ListCoupons(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	srv.FailNext(1, http.StatusNotFound)
	_, err = srv.Client(none).GetCoupon(context.Background(), "c1")
	assert.ErrorIs(t, err, jframework.ErrNotFound)
}
