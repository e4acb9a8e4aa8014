package bigcommercetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// get sends a raw request and returns the status, headers and body.
func get(t *testing.T, srv *bigcommercetest.Server, method, path string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("X-Auth-Token", srv.AccessToken)
	req.Header.Set("Accept", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, res.Header, string(b)
}

// ids decodes a list body and returns its coupon ids.
func ids(t *testing.T, body string) []int {
	t.Helper()
	var cs []struct {
		ID int `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &cs), body)
	out := []int{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func seedMany(srv *bigcommercetest.Server, n int) {
	for i := 1; i <= n; i++ {
		typ := bigcommerce.PerTotalDiscount
		if i%2 == 0 {
			typ = bigcommerce.PercentageDiscount
		}
		srv.AddCoupon(bigcommerce.Coupon{ID: i, Name: fmt.Sprintf("Coupon %d", i), Type: typ, Amount: "5.0000",
			Code: fmt.Sprintf("CODE%d", i), AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}})
	}
}

func TestListServesTheVendorShape(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	created := time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC)
	srv.AddCoupon(bigcommerce.Coupon{ID: 1, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000",
		Code: "S2549JM0Y", Enabled: true, AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}},
		NumUses: 2, DateCreated: created})
	status, h, body := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons?id=1")
	require.Equal(t, 200, status, body)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.JSONEq(t, `[{"id":1,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"0.0000",
		"expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},"num_uses":2,
		"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,
		"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}]`, body)
}

func TestListFiltersAndPages(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seedMany(srv, 7)
	tests := []struct {
		query string
		want  []int // nil: 204 No Content
	}{
		{"", []int{1, 2, 3, 4, 5, 6, 7}},
		{"?limit=3", []int{1, 2, 3}},
		{"?limit=3&page=2", []int{4, 5, 6}},
		{"?limit=3&page=3", []int{7}},
		{"?limit=3&page=4", nil},
		{"?id=5", []int{5}},
		{"?id=99", nil},
		{"?code=code4", []int{4}}, // codes are unique regardless of case
		{"?name=Coupon%206", []int{6}},
		{"?name=coupon%206", nil},
		{"?type=percentage_discount", []int{2, 4, 6}},
		{"?type=percentage_discount&limit=2&page=2", []int{6}},
		{"?min_id=3&max_id=5", []int{3, 4, 5}},
		{"?min_id=6", []int{6, 7}},
		{"?max_id=2", []int{1, 2}},
		{"?limit=1000", []int{1, 2, 3, 4, 5, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, h, body := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons"+tt.query)
			if tt.want == nil {
				assert.Equal(t, http.StatusNoContent, status)
				assert.Empty(t, body)
				assert.Empty(t, h.Get("Content-Type"))
				return
			}
			require.Equal(t, 200, status, body)
			assert.Equal(t, tt.want, ids(t, body))
		})
	}
}

func TestListDefaultAndMaxPage(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seedMany(srv, 260)
	_, _, body := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons")
	assert.Len(t, ids(t, body), 50, "default limit")
	_, _, body = get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons?limit=251")
	assert.Len(t, ids(t, body), 250, "limit capped at 250")
}

func TestListRefusals(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seedMany(srv, 2)
	for _, q := range []string{"?limit=0", "?limit=x", "?page=0", "?id=-1", "?min_id=a", "?max_id=-2"} {
		status, _, body := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons"+q)
		assert.Equal(t, 400, status, q)
		assert.Contains(t, body, `"status":400`, q)
	}
	status, h, body := get(t, srv, http.MethodPost, "/stores/teststore/v2/coupons")
	assert.Equal(t, 405, status)
	assert.Equal(t, "GET", h.Get("Allow"))
	assert.Contains(t, body, `"status":405`)
	// No GET on /coupons/{id}: BigCommerce documents PUT (and DELETE) only,
	// and the 405 says what this server does serve there.
	status, h, _ = get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons/1")
	assert.Equal(t, 405, status)
	assert.Equal(t, "PUT", h.Get("Allow"))
	status, _, _ = get(t, srv, http.MethodGet, "/stores/otherstore/v2/coupons")
	assert.Equal(t, 404, status)
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/stores/teststore/v2/coupons", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req) // no X-Auth-Token
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 401, res.StatusCode)
}

func TestReadsHonourRateLimitAndFailNext(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seedMany(srv, 1)
	srv.SetRateLimit(1, time.Hour)
	status, h, _ := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons")
	assert.Equal(t, 200, status)
	assert.Equal(t, "1", h.Get("X-Rate-Limit-Requests-Quota"))
	assert.Equal(t, "0", h.Get("X-Rate-Limit-Requests-Left"))
	assert.Equal(t, "3600000", h.Get("X-Rate-Limit-Time-Window-Ms"))
	assert.NotEmpty(t, h.Get("X-Rate-Limit-Time-Reset-Ms"))
	status, h, body := get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons")
	assert.Equal(t, 429, status)
	assert.NotEmpty(t, h.Get("X-Retry-After"))
	assert.Empty(t, body)

	srv.SetRateLimit(0, 0)
	srv.FailNext(1, 503)
	status, _, body = get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons?id=1")
	assert.Equal(t, 503, status)
	assert.Contains(t, body, `"status":503`)
	status, _, _ = get(t, srv, http.MethodGet, "/stores/teststore/v2/coupons?id=1")
	assert.Equal(t, 200, status)
	assert.Equal(t, 4, srv.Requests())
}

// TestReadsSeeUpdates reads through the client what an update wrote, from
// the same state.
func TestReadsSeeUpdates(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	c := srv.Client(fast)
	ctx := context.Background()
	_, err := c.UpdateCoupon(ctx, update("Fifteen", "FIFTEEN"))
	require.NoError(t, err)
	got, err := c.GetCoupon(ctx, 1)
	require.NoError(t, err)
	assert.Equal(t, "FIFTEEN", got.Coupon.Code)
	assert.Equal(t, "15.0000", got.Coupon.Amount)
	var codes []string
	for cp, err := range c.ListCoupons(ctx, nil) {
		require.NoError(t, err)
		codes = append(codes, cp.Code)
	}
	assert.Equal(t, []string{"FIFTEEN", "TEN"}, codes)
	_, err = c.GetCoupon(ctx, 3)
	assert.ErrorIs(t, err, bigcommerce.ErrNotFound)
}

// TestRestrictedToEmptyMeansNone: a PUT of restricted_to {} removes the
// restriction, and the coupon reads back as restricted_to [].
func TestRestrictedToEmptyMeansNone(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 1, Name: "n", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000", Code: "C",
		AppliesTo:    &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}},
		RestrictedTo: &bigcommerce.RestrictedTo{Countries: []string{"AU"}}})
	status, body := raw(t, srv, http.MethodPut, "/stores/teststore/v2/coupons/1", srv.AccessToken,
		`{"name":"n","type":"per_total_discount","amount":"5","code":"C","applies_to":{"entity":"categories","ids":[0]},"restricted_to":{}}`)
	require.Equal(t, 200, status, body)
	assert.Contains(t, body, `"restricted_to":[]`)
	got, _ := srv.Coupon(1)
	assert.Nil(t, got.RestrictedTo)
}

// TestListCouponsThroughChangesBetweenPages: coupons created and deleted
// between the pages of a listing, behind it and ahead of it. Paged by
// min_id, no coupon is yielded twice, every coupon present from start to
// end is yielded, none deleted before the listing reached it is, and those
// created ahead of it are. (Paged by page number, a deletion behind the
// listing shifted a coupon into the page already read, and a creation
// behind it shifted one read already onto the next page.)
func TestListCouponsThroughChangesBetweenPages(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	add := func(id int) {
		srv.AddCoupon(bigcommerce.Coupon{ID: id, Name: fmt.Sprintf("Coupon %d", id), Type: bigcommerce.PerTotalDiscount,
			Amount: "5.0000", Code: fmt.Sprintf("CODE%d", id), AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}})
	}
	for id := 2; id <= 60; id += 2 {
		add(id)
	}
	deleted, deletedAhead, created := map[int]bool{}, map[int]bool{}, map[int]bool{}
	seen := map[int]int{}
	var order []int
	for cp, err := range srv.Client().ListCoupons(context.Background(), &bigcommerce.ListCouponsOptions{PerPage: 5}) {
		require.NoError(t, err)
		seen[cp.ID]++
		order = append(order, cp.ID)
		if len(order)%5 != 0 {
			continue
		}
		// The page is consumed; before the next is asked: one coupon
		// created and one deleted behind the listing, one of each ahead.
		last := cp.ID
		add(last - 1)
		srv.DeleteCoupon(last - 4)
		deleted[last-4] = true
		if last+7 <= 60 {
			add(last + 7)
			created[last+7] = true
		}
		if srv.DeleteCoupon(last + 12) {
			deleted[last+12], deletedAhead[last+12] = true, true
		}
	}
	assert.IsIncreasing(t, order, "ascending ids, none twice")
	for id := 2; id <= 60; id += 2 {
		if !deleted[id] {
			assert.Equal(t, 1, seen[id], "coupon %d, present throughout, yielded once", id)
		}
	}
	for id := range deletedAhead {
		if created[id] {
			continue // created again later
		}
		assert.Zero(t, seen[id], "coupon %d, deleted ahead of the listing, not yielded", id)
	}
	for id := range created {
		if !deleted[id] {
			assert.Equal(t, 1, seen[id], "coupon %d, created ahead of the listing, yielded once", id)
		}
	}
	require.NotEmpty(t, deletedAhead)
	require.NotEmpty(t, created)
}
