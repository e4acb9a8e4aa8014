package paddletest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

var fastRetries = paddle.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func seeded(t *testing.T) *paddletest.Server {
	t.Helper()
	srv := paddletest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026", Group: "summer", ProductIDs: []int{1, 2}, Expires: date(2030, 6, 1),
		AllowedUses: 100, TimesUsed: 5, DiscountType: paddletest.Percentage, DiscountAmount: 10})
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026-B", Group: "summer", DiscountType: paddletest.Flat, Currency: "USD", DiscountAmount: 5})
	srv.AddCoupon(paddletest.Coupon{Code: "WINTER2026", Group: "winter", DiscountAmount: 20})
	return srv
}

func TestUpdateThroughClientAppliesChanges(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(paddle.WithRetryPolicy(fastRetries))
	ctx := context.Background()

	resp, err := c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{
		CouponCode: "SUMMER2026", ProductIDs: []int{7, 8}, Expires: paddle.Ptr(time.Date(2031, 1, 2, 15, 0, 0, 0, time.UTC)),
		AllowedUses: paddle.Ptr(50), DiscountAmount: paddle.Ptr(12.5), Recurring: paddle.Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Updated)
	assert.Equal(t, 1, resp.Meta.Attempts)
	got, ok := srv.Coupon("SUMMER2026")
	require.True(t, ok)
	assert.Equal(t, paddletest.Coupon{Code: "SUMMER2026", Group: "summer", ProductIDs: []int{7, 8}, Expires: date(2031, 1, 2),
		AllowedUses: 50, TimesUsed: 5, DiscountType: paddletest.Percentage, DiscountAmount: 12.5, Recurring: true}, got)

	// Blank fields remove: products and expiry are gone, the rest stays.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", RemoveProducts: true, RemoveExpiry: true})
	require.NoError(t, err)
	got, _ = srv.Coupon("SUMMER2026")
	assert.Nil(t, got.ProductIDs)
	assert.Nil(t, got.Expires)
	assert.Equal(t, 50, got.AllowedUses)

	// An empty ProductIDs and a nil Expires change nothing.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", ProductIDs: []int{}, AllowedUses: paddle.Ptr(60)})
	require.NoError(t, err)
	got, _ = srv.Coupon("SUMMER2026")
	assert.Nil(t, got.ProductIDs)
	assert.Equal(t, 60, got.AllowedUses)

	// Rename re-keys the coupon.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2026-RENAMED"})
	require.NoError(t, err)
	_, ok = srv.Coupon("SUMMER2026")
	assert.False(t, ok)
	got, ok = srv.Coupon("SUMMER2026-RENAMED")
	require.True(t, ok)
	assert.Equal(t, "SUMMER2026-RENAMED", got.Code)
	assert.Equal(t, 60, got.AllowedUses)

	// Repeating the rename addresses the old code: 135, as on Paddle.
	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2026-RENAMED"})
	assert.ErrorIs(t, err, paddle.ErrNotFound)
	assert.Equal(t, 5, srv.Requests())
}

func TestGroupUpdates(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(paddle.WithRetryPolicy(fastRetries))
	ctx := context.Background()
	resp, err := c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{Group: "summer", AllowedUses: paddle.Ptr(30), NewGroup: "autumn"})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Updated, "every coupon of the group")
	for _, code := range []string{"SUMMER2026", "SUMMER2026-B"} {
		got, ok := srv.Coupon(code)
		require.True(t, ok)
		assert.Equal(t, "autumn", got.Group)
		assert.Equal(t, 30, got.AllowedUses)
	}
	got, _ := srv.Coupon("WINTER2026")
	assert.Equal(t, "winter", got.Group, "other groups untouched")
	assert.Equal(t, 0, got.AllowedUses)

	_, err = c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{Group: "summer", AllowedUses: paddle.Ptr(1)})
	var ae *paddle.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "135", ae.Code, "the group moved away")
	assert.ErrorIs(t, err, paddle.ErrNotFound)
}

func TestVendorRulesThroughClient(t *testing.T) {
	tests := []struct {
		name string
		req  *paddle.UpdateCouponRequest
		code string
		kind error
	}{
		{"unknown coupon", &paddle.UpdateCouponRequest{CouponCode: "NOPE-NOPE"}, "135", paddle.ErrNotFound},
		{"rename onto an existing code", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "WINTER2026"}, "132", paddle.ErrInvalidRequest},
		{"flat amount without currency", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026-B", DiscountAmount: paddle.Ptr(3.0)}, "116", paddle.ErrInvalidRequest},
		{"flat amount too small", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026-B", Currency: "USD", DiscountAmount: paddle.Ptr(0.001)}, "129", paddle.ErrInvalidRequest},
		{"percentage above 100", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", DiscountAmount: paddle.Ptr(150.0)}, "128", paddle.ErrInvalidRequest},
		{"uses below times used", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(4)}, "136", paddle.ErrInvalidRequest},
		{"expiry in the past", &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", Expires: date(2001, 1, 1)}, "138", paddle.ErrInvalidRequest},
		{"group check is all or nothing", &paddle.UpdateCouponRequest{Group: "summer", DiscountAmount: paddle.Ptr(50.0)}, "116", paddle.ErrInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := seeded(t)
			before := map[string]paddletest.Coupon{}
			for _, code := range []string{"SUMMER2026", "SUMMER2026-B", "WINTER2026"} {
				before[code], _ = srv.Coupon(code)
			}
			_, err := srv.Client(paddle.WithRetryPolicy(fastRetries)).UpdateCoupon(context.Background(), tt.req)
			var ae *paddle.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 200, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, 1, srv.Requests(), "not retried")
			for code, c := range before {
				got, _ := srv.Coupon(code)
				assert.Equal(t, c, got, "a failed update changes nothing")
			}
		})
	}
}

func TestFailNext(t *testing.T) {
	t.Run("200 is Paddle's 120: a plain update is retried", func(t *testing.T) {
		srv := seeded(t)
		srv.FailNext(2, http.StatusOK)
		resp, err := srv.Client(paddle.WithRetryPolicy(fastRetries)).UpdateCoupon(context.Background(),
			&paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(9)})
		require.NoError(t, err)
		assert.Equal(t, 3, resp.Meta.Attempts)
		assert.Equal(t, 3, srv.Requests())
		got, _ := srv.Coupon("SUMMER2026")
		assert.Equal(t, 9, got.AllowedUses)
	})
	t.Run("200 is Paddle's 120: a rename is not", func(t *testing.T) {
		srv := seeded(t)
		srv.FailNext(1, http.StatusOK)
		_, err := srv.Client(paddle.WithRetryPolicy(fastRetries)).UpdateCoupon(context.Background(),
			&paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2027"})
		var ae *paddle.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, 200, ae.StatusCode)
		assert.Equal(t, "120", ae.Code)
		assert.ErrorIs(t, err, paddle.ErrServer)
		assert.Equal(t, 1, srv.Requests())
		_, ok := srv.Coupon("SUMMER2026")
		assert.True(t, ok)
	})
	for _, tt := range []struct {
		status int
		code   string
		kind   error
	}{{503, "120", paddle.ErrServer}, {429, "189", paddle.ErrRateLimited}, {404, "120", paddle.ErrNotFound}} {
		t.Run("HTTP "+strconv.Itoa(tt.status), func(t *testing.T) {
			srv := seeded(t)
			srv.FailNext(1, tt.status)
			_, err := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries})).UpdateCoupon(context.Background(),
				&paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(9)})
			var ae *paddle.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.ErrorIs(t, err, tt.kind)
			got, _ := srv.Coupon("SUMMER2026")
			assert.Equal(t, 100, got.AllowedUses, "an injected failure changes nothing")
			// The next request is served normally.
			_, err = srv.Client().UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(9)})
			require.NoError(t, err)
		})
	}
}

func TestRateLimit(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(1, time.Hour)
	c := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: paddle.NoRetries}))
	req := &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(9)}
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	_, err = c.UpdateCoupon(context.Background(), req)
	var ae *paddle.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, paddle.ErrRateLimited)
	assert.Equal(t, 200, ae.StatusCode, "Paddle reports its rate limit inside an HTTP 200")
	assert.Equal(t, "189", ae.Code)
	assert.Equal(t, "Rate limit reached for this type of request. Please try again later.", ae.Message)
	assert.Greater(t, ae.RetryAfter, 59*time.Minute, "Retry-After says when the window resets")
	assert.LessOrEqual(t, ae.RetryAfter, time.Hour)

	// A short window: the client waits and retries until it is admitted.
	srv.SetRateLimit(1, 30*time.Millisecond)
	c = srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
	_, err = c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Greater(t, resp.Meta.Attempts, 1)
	assert.GreaterOrEqual(t, time.Since(start), 10*time.Millisecond)
	assert.Nil(t, resp.Meta.RateLimit, "Paddle documents no rate-limit headers")

	srv.SetRateLimit(0, 0)
	for i := 0; i < 5; i++ {
		_, err = srv.Client().UpdateCoupon(context.Background(), req)
		require.NoError(t, err)
	}
}

type answer struct {
	Success  bool `json:"success"`
	Response *struct {
		Updated int `json:"updated"`
	} `json:"response"`
	Error *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, srv *paddletest.Server, method, path, contentType, body string) (*http.Response, answer) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var a answer
	require.NoError(t, json.Unmarshal(b, &a), string(b))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return resp, a
}

func TestRawRequests(t *testing.T) {
	srv := seeded(t)
	auth := url.Values{"vendor_id": {strconv.Itoa(srv.VendorID)}, "vendor_auth_code": {srv.AuthCode}}
	with := func(kv ...string) string {
		v := url.Values{}
		for k, vv := range auth {
			v[k] = vv
		}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, ct, body string
		code                         int
	}{
		{"no credentials", "POST", paddletest.Path, form, "coupon_code=SUMMER2026", 102},
		{"vendor id not a number", "POST", paddletest.Path, form, "vendor_id=abc&vendor_auth_code=" + srv.AuthCode + "&coupon_code=SUMMER2026", 102},
		{"auth code not hex", "POST", paddletest.Path, form, "vendor_id=123456&vendor_auth_code=XYZ&coupon_code=SUMMER2026", 102},
		{"wrong auth code", "POST", paddletest.Path, form, "vendor_id=123456&vendor_auth_code=abcdef&coupon_code=SUMMER2026", 107},
		{"wrong vendor id", "POST", paddletest.Path, form, "vendor_id=99&vendor_auth_code=" + srv.AuthCode + "&coupon_code=SUMMER2026", 107},
		{"JSON body", "POST", paddletest.Path, "application/json", `{"vendor_id":123456,"vendor_auth_code":"` + srv.AuthCode + `"}`, 102},
		{"malformed form", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026") + "&x=%zz", 102},
		{"GET", "GET", paddletest.Path, "", "", 101},
		{"wrong path", "POST", "/2.0/product/update_coupon", form, with("coupon_code", "SUMMER2026"), 101},
		{"neither code nor group", "POST", paddletest.Path, form, with("allowed_uses", "1"), 116},
		{"code and group", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "group", "summer"), 116},
		{"short code", "POST", paddletest.Path, form, with("coupon_code", "ABCD"), 131},
		{"short new code", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "new_coupon_code", "AB"), 131},
		{"new code with group", "POST", paddletest.Path, form, with("group", "summer", "new_coupon_code", "ABCDEFG"), 157},
		{"long group", "POST", paddletest.Path, form, with("group", strings.Repeat("g", 51)), 157},
		{"blank new group", "POST", paddletest.Path, form, with("group", "summer", "new_group", ""), 157},
		{"bad product ids", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "product_ids", "1,x"), 108},
		{"zero product id", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "product_ids", "0"), 108},
		{"bad date", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "expires", "2030/01/01"), 133},
		{"date with time", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "expires", "2030-01-01T00:00:00Z"), 133},
		{"past date", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "expires", "2020-01-01"), 138},
		{"uses not a number", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "allowed_uses", "ten"), 130},
		{"negative uses", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "allowed_uses", "-1"), 137},
		{"currency", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "currency", "JPY"), 109},
		{"amount not a number", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "discount_amount", "ten"), 157},
		{"recurring not 0/1", "POST", paddletest.Path, form, with("coupon_code", "SUMMER2026", "recurring", "true"), 157},
		{"unknown coupon", "POST", paddletest.Path, form, with("coupon_code", "NOPE-NOPE"), 135},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := srv.Coupon("SUMMER2026")
			resp, a := post(t, srv, tt.method, tt.path, tt.ct, tt.body)
			assert.Equal(t, http.StatusOK, resp.StatusCode, "Paddle answers errors in an HTTP 200")
			assert.False(t, a.Success)
			require.NotNil(t, a.Error)
			assert.Equal(t, tt.code, a.Error.Code, a.Error.Message)
			assert.NotEmpty(t, a.Error.Message)
			after, _ := srv.Coupon("SUMMER2026")
			assert.Equal(t, before, after)
		})
	}

	t.Run("success body", func(t *testing.T) {
		resp, a := post(t, srv, "POST", paddletest.Path, form+"; charset=utf-8", with("coupon_code", "SUMMER2026", "product_ids", "4, 5", "expires", ""))
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.True(t, a.Success)
		require.NotNil(t, a.Response)
		assert.Equal(t, 1, a.Response.Updated)
		assert.Nil(t, a.Error)
		got, _ := srv.Coupon("SUMMER2026")
		assert.Equal(t, []int{4, 5}, got.ProductIDs)
		assert.Nil(t, got.Expires)
	})
	t.Run("oversized body", func(t *testing.T) {
		resp, a := post(t, srv, "POST", paddletest.Path, form, with("coupon_code", strings.Repeat("x", 2<<20)))
		assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
		assert.False(t, a.Success)
	})
	assert.Equal(t, len(tests)+2, srv.Requests())
}

func TestStateIsCopied(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	ids := []int{1, 2}
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(paddletest.Coupon{Code: "COPY-ME", ProductIDs: ids, Expires: &exp})
	ids[0] = 99
	exp = exp.AddDate(1, 0, 0)
	got, ok := srv.Coupon("COPY-ME")
	require.True(t, ok)
	assert.Equal(t, []int{1, 2}, got.ProductIDs)
	assert.Equal(t, 2030, got.Expires.Year())
	got.ProductIDs[1] = 42
	again, _ := srv.Coupon("COPY-ME")
	assert.Equal(t, []int{1, 2}, again.ProductIDs)
	_, ok = srv.Coupon("MISSING")
	assert.False(t, ok)
}

func TestClientPanicsOnBadOptions(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	assert.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	assert.GreaterOrEqual(t, srv.VendorID, 1)
	assert.Regexp(t, `^[0-9a-f]{32}$`, srv.AuthCode)
	func() {
		defer func() {
			r := recover()
			require.NotNil(t, r, "Client must panic on invalid options")
			msg := fmt.Sprint(r)
			assert.Contains(t, msg, "paddletest: ")
			assert.NotContains(t, msg, srv.AuthCode)
		}()
		srv.Client(paddle.WithLogger(nil))
	}()
	other := paddletest.NewServer()
	defer other.Close()
	assert.NotEqual(t, srv.AuthCode, other.AuthCode, "each server has its own auth code")
	// A client built by hand for one server is refused by another (107).
	c, err := paddle.NewClient(srv.VendorID, srv.AuthCode, paddle.WithBaseURL(other.URL))
	require.NoError(t, err)
	other.AddCoupon(paddletest.Coupon{Code: "SUMMER2026"})
	_, err = c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026"})
	assert.ErrorIs(t, err, paddle.ErrForbidden)
}

func TestConcurrentUpdates(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	for i := 0; i < 8; i++ {
		srv.AddCoupon(paddletest.Coupon{Code: fmt.Sprintf("CODE-%d", i), Group: "all"})
	}
	srv.FailNext(5, http.StatusServiceUnavailable)
	c := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 10, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	var wg sync.WaitGroup
	errs := make(chan error, 8*25)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 1; i <= 25; i++ {
				_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
					CouponCode: fmt.Sprintf("CODE-%d", g), AllowedUses: paddle.Ptr(i)})
				errs <- err
				srv.Coupon(fmt.Sprintf("CODE-%d", (g+1)%8))
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for g := 0; g < 8; g++ {
		got, _ := srv.Coupon(fmt.Sprintf("CODE-%d", g))
		assert.Equal(t, 25, got.AllowedUses)
	}
	assert.Equal(t, 8*25+5, srv.Requests())
}
