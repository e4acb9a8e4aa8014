package partnerotest_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

var t0 = time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC)

// program is a server with n coupons c00, c01, ... created a minute apart.
func program(t *testing.T, n int) *partnerotest.Server {
	t.Helper()
	srv := partnerotest.NewServer()
	t.Cleanup(srv.Close)
	for i := 0; i < n; i++ {
		srv.AddCoupon(partnero.Coupon{UUIDCode: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("C%02d", i), Active: true,
			DiscountType: "percent", DiscountAmount: 10, DurationType: "once", CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
	}
	return srv
}

func listUUIDs(t *testing.T, c *partnero.Client, perPage int) []string {
	t.Helper()
	var out []string
	for cp, err := range c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: perPage}) {
		require.NoError(t, err)
		out = append(out, cp.UUIDCode)
	}
	return out
}

func TestListPagesThroughClient(t *testing.T) {
	srv := program(t, 5)
	c := srv.Client(fastRetries)
	want := []string{"c00", "c01", "c02", "c03", "c04"}
	for _, perPage := range []int{1, 2, 5, 250, 0} {
		t.Run(fmt.Sprint(perPage), func(t *testing.T) {
			before := srv.Requests()
			assert.Equal(t, want, listUUIDs(t, c, perPage), "oldest first, every coupon once")
			pages := 1
			if perPage > 0 && perPage < 5 {
				pages = (5 + perPage - 1) / perPage
			}
			assert.Equal(t, pages, srv.Requests()-before, "one request per page, none after last_page")
		})
	}

	// An empty program is one request.
	empty := program(t, 0)
	assert.Empty(t, listUUIDs(t, empty.Client(), 0))
	assert.Equal(t, 1, empty.Requests())
}

func TestListServesTheStateUpdatesChange(t *testing.T) {
	srv := program(t, 3)
	c := srv.Client(fastRetries)
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "c01", Name: partnero.Ptr("RENAMED"),
		Metadata: map[string]any{"campaign": "spring"}, Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_1")})
	require.NoError(t, err)
	gone := t0
	srv.AddCoupon(partnero.Coupon{UUIDCode: "deleted", CreatedAt: t0, DeletedAt: &gone})

	var got []partnero.Coupon
	for cp, err := range c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2}) {
		require.NoError(t, err)
		got = append(got, cp)
	}
	require.Len(t, got, 3, "a soft-deleted coupon is not listed")
	stored, ok := srv.Coupon("c01")
	require.True(t, ok)
	assert.Equal(t, stored, got[1], "the listing is the stored coupon, as PUT answers it")
	assert.Equal(t, "RENAMED", got[1].Name)
	assert.Equal(t, map[string]any{"campaign": "spring"}, got[1].Metadata)
	assert.Equal(t, 1, got[1].TimesRedeemed)
	require.Len(t, got[1].Redemptions, 1)
	assert.Equal(t, "order_1", got[1].Redemptions[0].TransactionKey)
	assert.Equal(t, map[string]any{}, got[0].Metadata, "metadata [] decodes to an empty map")
}

func TestListWireShape(t *testing.T) {
	srv := program(t, 3)
	code, _, body := raw(t, srv, http.MethodGet, "/v1/coupons?limit=2&page=2", "Bearer "+srv.APIKey, "")
	require.Equal(t, http.StatusOK, code)
	path := srv.URL + "/v1/coupons"
	assert.Equal(t, map[string]any{
		"first": path + "?page=1", "last": path + "?page=2", "prev": path + "?page=1", "next": nil,
	}, body["links"])
	assert.Equal(t, map[string]any{
		"current_page": 2.0, "from": 3.0, "last_page": 2.0, "path": path, "per_page": 2.0, "to": 3.0, "total": 3.0,
	}, body["meta"])
	assert.Equal(t, 1.0, body["status"])
	data, ok := body["data"].([]any)
	require.True(t, ok)
	require.Len(t, data, 1)
	item := data[0].(map[string]any)
	assert.Equal(t, "c02", item["uuid_code"])
	assert.Equal(t, []any{}, item["metadata"], "PHP's [] for empty metadata")
	assert.Equal(t, []any{}, item["additional_info"])
	assert.Equal(t, "2025-05-07T17:45:26.000000Z", item["created_at"])

	// Past the last page: no data, same meta, from/to null.
	code, _, body = raw(t, srv, http.MethodGet, "/v1/coupons?limit=2&page=7", "Bearer "+srv.APIKey, "")
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, []any{}, body["data"])
	m := body["meta"].(map[string]any)
	assert.Equal(t, 7.0, m["current_page"])
	assert.Equal(t, 2.0, m["last_page"])
	assert.Nil(t, m["from"])
	assert.Nil(t, m["to"])

	// No limit: Laravel's 15; a page that is not a positive integer is 1.
	_, _, body = raw(t, srv, http.MethodGet, "/v1/coupons?page=abc", "Bearer "+srv.APIKey, "")
	m = body["meta"].(map[string]any)
	assert.Equal(t, float64(partnerotest.DefaultLimit), m["per_page"])
	assert.Equal(t, 1.0, m["current_page"])
	assert.Len(t, body["data"], 3)
}

func TestListRawValidation(t *testing.T) {
	srv := program(t, 1)
	for _, tt := range []struct{ query, message string }{
		{"limit=0", "The limit field must be between 1 and 250."},
		{"limit=251", "The limit field must be between 1 and 250."},
		{"limit=-5", "The limit field must be between 1 and 250."},
		{"limit=ten", "The limit field must be an integer."},
		{"limit=", "The limit field must be an integer."},
	} {
		t.Run(tt.query, func(t *testing.T) {
			code, _, body := raw(t, srv, http.MethodGet, "/v1/coupons?"+tt.query, "Bearer "+srv.APIKey, "")
			assert.Equal(t, http.StatusUnprocessableEntity, code)
			assert.Equal(t, map[string]any{"message": tt.message, "errors": map[string]any{"limit": []any{tt.message}}}, body)
		})
	}
	code, _, body := raw(t, srv, http.MethodGet, "/v1/coupons", "Bearer nope", "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, map[string]any{"message": "Unauthenticated."}, body)
}

func TestListFailNextAndRateLimit(t *testing.T) {
	t.Run("a failed page is retried as a read", func(t *testing.T) {
		srv := program(t, 4)
		srv.FailNext(2, http.StatusServiceUnavailable)
		assert.Equal(t, []string{"c00", "c01", "c02", "c03"}, listUUIDs(t, srv.Client(fastRetries), 2))
		assert.Equal(t, 4, srv.Requests(), "2 failures, then 2 pages")
	})
	t.Run("a failing second page yields one error and ends", func(t *testing.T) {
		srv := program(t, 6)
		c := srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: partnero.NoRetries}))
		var got []string
		var errs []error
		for cp, err := range c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, cp.UUIDCode)
			if cp.UUIDCode == "c01" {
				srv.FailNext(1, http.StatusInternalServerError) // page 2 fails
			}
		}
		assert.Equal(t, []string{"c00", "c01"}, got)
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], partnero.ErrServer)
		assert.Equal(t, 2, srv.Requests(), "page 3 is never requested")
	})
	t.Run("the rate limit applies to reads", func(t *testing.T) {
		srv := program(t, 4)
		srv.SetRateLimit(1, time.Hour)
		c := srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: partnero.NoRetries}))
		var errs []error
		n := 0
		for _, err := range c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2}) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			n++
		}
		assert.Equal(t, 2, n, "page 1 was admitted")
		require.Len(t, errs, 1)
		assert.ErrorIs(t, errs[0], partnero.ErrRateLimited)
		var ae *partnero.APIError
		require.ErrorAs(t, errs[0], &ae)
		assert.Equal(t, 429, ae.StatusCode)
		assert.Greater(t, ae.RetryAfter, 59*time.Minute)
	})
	t.Run("a short window is waited out", func(t *testing.T) {
		srv := program(t, 4)
		srv.SetRateLimit(1, 30*time.Millisecond)
		c := srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
		assert.Equal(t, []string{"c00", "c01", "c02", "c03"}, listUUIDs(t, c, 2))
		assert.Greater(t, srv.Requests(), 2, "page 2 was limited, then retried")
	})
}
