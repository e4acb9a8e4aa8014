package paddletest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// listAll lists a product's coupons through the client, failing on error.
func listAll(t *testing.T, c *paddle.Client, productID int) []paddle.Coupon {
	t.Helper()
	var out []paddle.Coupon
	for cp, err := range c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: productID}) {
		require.NoError(t, err)
		out = append(out, cp)
	}
	return out
}

// listErr lists and returns the one error the sequence must yield.
func listErr(t *testing.T, c *paddle.Client, productID int) error {
	t.Helper()
	var errs []error
	for cp, err := range c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: productID}) {
		require.Error(t, err, "no coupon expected, got %+v", cp)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	return errs[0]
}

func codes(cs []paddle.Coupon) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Code)
	}
	return out
}

func TestListServesTheStateUpdatesChange(t *testing.T) {
	srv := seeded(t)
	srv.AddCoupon(paddletest.Coupon{Code: "AUTUMN2026", Description: "autumn sale", ProductIDs: []int{2, 3},
		DiscountType: paddletest.Flat, Currency: "EUR", DiscountAmount: 7.25, AllowedUses: 10, TimesUsed: 1, Recurring: true})
	c := srv.Client(paddle.WithRetryPolicy(fastRetries))
	ctx := context.Background()

	assert.Equal(t, []paddle.Coupon{
		{Code: "AUTUMN2026", Description: "autumn sale", DiscountType: paddle.DiscountFlat, DiscountAmount: 7.25,
			Currency: paddle.EUR, AllowedUses: 10, TimesUsed: 1, Recurring: true},
		{Code: "SUMMER2026", DiscountType: paddle.DiscountPercentage, DiscountAmount: 10, AllowedUses: 100, TimesUsed: 5,
			Expires: date(2030, 6, 1)},
	}, listAll(t, c, 2), "sorted by code; the percentage read back as the percent it was set to")
	assert.Equal(t, []string{"SUMMER2026"}, codes(listAll(t, c, 1)))

	// An update shows in the next listing.
	_, err := c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(12.5),
		AllowedUses: paddle.Ptr(50), Recurring: paddle.Ptr(true), RemoveExpiry: true})
	require.NoError(t, err)
	got := listAll(t, c, 1)
	require.Len(t, got, 1)
	assert.Equal(t, paddle.Coupon{Code: "SUMMER2026", DiscountType: paddle.DiscountPercentage, DiscountAmount: 12.5,
		AllowedUses: 50, TimesUsed: 5, Recurring: true}, got[0])

	// Moving products moves the coupon between listings; the old product
	// stays known, with no coupons.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", ProductIDs: []int{9}})
	require.NoError(t, err)
	assert.Empty(t, listAll(t, c, 1))
	assert.Equal(t, []string{"AUTUMN2026"}, codes(listAll(t, c, 2)))
	assert.Equal(t, []string{"SUMMER2026"}, codes(listAll(t, c, 9)), "a product named by an update is known")

	// A rename shows under the new code.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2027"})
	require.NoError(t, err)
	assert.Equal(t, []string{"SUMMER2027"}, codes(listAll(t, c, 9)))

	// Removing every product takes it out of every listing.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2027", RemoveProducts: true})
	require.NoError(t, err)
	assert.Empty(t, listAll(t, c, 9))
}

func TestListUnknownProduct(t *testing.T) {
	srv := seeded(t)
	c := srv.Client()
	err := listErr(t, c, 404)
	assert.ErrorIs(t, err, paddle.ErrNotFound)
	var ae *paddle.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 200, ae.StatusCode)
	assert.Equal(t, "108", ae.Code)
	assert.Equal(t, "Unable to find requested product", ae.Message)

	srv.AddProduct(404, 405)
	assert.Empty(t, listAll(t, c, 404), "a known product without coupons is an empty list")
	assert.Equal(t, 2, srv.Requests())
}

func TestListWireShape(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "PCT-15", ProductIDs: []int{499531}, DiscountAmount: 15, AllowedUses: 3, TimesUsed: 2,
		Expires: date(2030, 6, 30)})
	srv.AddCoupon(paddletest.Coupon{Code: "FLAT-5", Description: "five off", ProductIDs: []int{499531}, DiscountType: paddletest.Flat,
		Currency: "USD", DiscountAmount: 5, Recurring: true})
	srv.AddCoupon(paddletest.Coupon{Code: "OTHER", ProductIDs: []int{1}})

	form := url.Values{"vendor_id": {strconv.Itoa(srv.VendorID)}, "vendor_auth_code": {srv.AuthCode}, "product_id": {"499531"}}
	resp, err := http.Post(srv.URL+paddletest.ListCouponsPath, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"success":true,"response":[
		{"coupon":"FLAT-5","description":"five off","discount_type":"flat","discount_amount":5,"discount_currency":"USD",
		 "allowed_uses":0,"times_used":0,"is_recurring":true,"expires":null,"product_id":"499531"},
		{"coupon":"PCT-15","description":"","discount_type":"percentage","discount_amount":0.15,"discount_currency":null,
		 "allowed_uses":3,"times_used":2,"is_recurring":false,"expires":"2030-06-30 00:00:00","product_id":"499531"}
	]}`, string(b))
	assert.Contains(t, string(b), `"discount_amount":0.15,`, "the fraction is written exactly")
}

func TestListRawRequests(t *testing.T) {
	srv := seeded(t)
	with := func(kv ...string) string {
		v := url.Values{"vendor_id": {strconv.Itoa(srv.VendorID)}, "vendor_auth_code": {srv.AuthCode}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const form = "application/x-www-form-urlencoded"
	for _, tt := range []struct {
		name, method, body string
		code               int
	}{
		{"no credentials", "POST", "product_id=1", 102},
		{"wrong auth code", "POST", "vendor_id=123456&vendor_auth_code=abcdef&product_id=1", 107},
		{"no product", "POST", with(), 116},
		{"blank product", "POST", with("product_id", ""), 116},
		{"product not a number", "POST", with("product_id", "abc"), 108},
		{"zero product", "POST", with("product_id", "0"), 108},
		{"unknown product", "POST", with("product_id", "777"), 108},
		{"GET", "GET", "", 101},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, a := post(t, srv, tt.method, paddletest.ListCouponsPath, form, tt.body)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "Paddle answers errors in an HTTP 200")
			assert.False(t, a.Success)
			require.NotNil(t, a.Error)
			assert.Equal(t, tt.code, a.Error.Code, a.Error.Message)
		})
	}
}

func TestListFailNextAndRateLimit(t *testing.T) {
	t.Run("FailNext 200 is Paddle's 120, and a read is retried", func(t *testing.T) {
		srv := seeded(t)
		srv.FailNext(2, http.StatusOK)
		assert.Equal(t, []string{"SUMMER2026"}, codes(listAll(t, srv.Client(paddle.WithRetryPolicy(fastRetries)), 1)))
		assert.Equal(t, 3, srv.Requests())
	})
	t.Run("FailNext 503 without retries", func(t *testing.T) {
		srv := seeded(t)
		srv.FailNext(1, http.StatusServiceUnavailable)
		err := listErr(t, srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries})), 1)
		assert.ErrorIs(t, err, paddle.ErrServer)
		var ae *paddle.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 503, ae.StatusCode)
	})
	t.Run("rate limit 189 applies to reads", func(t *testing.T) {
		srv := seeded(t)
		srv.SetRateLimit(1, time.Hour)
		c := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries}))
		assert.Len(t, listAll(t, c, 1), 1)
		err := listErr(t, c, 1)
		assert.ErrorIs(t, err, paddle.ErrRateLimited)
		var ae *paddle.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, "189", ae.Code)
		assert.Greater(t, ae.RetryAfter, 59*time.Minute)

		// Reads and updates share the window.
		_, err = c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(1)})
		assert.ErrorIs(t, err, paddle.ErrRateLimited)
	})
	t.Run("a short window is waited out", func(t *testing.T) {
		srv := seeded(t)
		srv.SetRateLimit(1, 30*time.Millisecond)
		c := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
		assert.Len(t, listAll(t, c, 1), 1)
		assert.Len(t, listAll(t, c, 1), 1)
		assert.Greater(t, srv.Requests(), 2, "the second listing was limited, then retried")
	})
}
