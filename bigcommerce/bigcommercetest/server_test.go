package bigcommercetest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

var fast = bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond})

func seed(srv *bigcommercetest.Server) {
	srv.AddCoupon(bigcommerce.Coupon{ID: 1, Name: "Five off", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000",
		Code: "FIVE", Enabled: true, AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}, MaxUses: 10})
	srv.AddCoupon(bigcommerce.Coupon{ID: 2, Name: "Ten off", Type: bigcommerce.PerTotalDiscount, Amount: "10.0000", Code: "TEN"})
}

func update(name, code string) *bigcommerce.UpdateCouponRequest {
	return &bigcommerce.UpdateCouponRequest{ID: 1, Name: name, Type: bigcommerce.PercentageDiscount, Amount: "15",
		Code: code, AppliesTo: &bigcommerce.AppliesTo{Entity: "products", IDs: []int{7}}}
}

func TestUpdateThroughClient(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	c := srv.Client()
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	req := update("Fifteen", "FIFTEEN")
	req.Expires = &exp
	resp, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "15.0000", resp.Coupon.Amount)
	assert.Equal(t, 10, resp.Coupon.MaxUses, "omitted optional fields keep their value")
	require.NotNil(t, resp.Coupon.Expires)
	assert.True(t, exp.Equal(*resp.Coupon.Expires))
	got, ok := srv.Coupon(1)
	require.True(t, ok)
	assert.Equal(t, "FIFTEEN", got.Code)
	assert.Equal(t, &bigcommerce.AppliesTo{Entity: "products", IDs: []int{7}}, got.AppliesTo)
	assert.Equal(t, 1, srv.Requests())
}

func TestOmittedAppliesToIsCleared(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	// The client refuses to omit applies_to; raw HTTP shows what the server does.
	status, body := raw(t, srv, http.MethodPut, "/stores/teststore/v2/coupons/1", srv.AccessToken,
		`{"name":"Five off","type":"per_total_discount","amount":"5","code":"FIVE"}`)
	require.Equal(t, 200, status, body)
	assert.Contains(t, body, `"applies_to":null`)
	got, _ := srv.Coupon(1)
	assert.Nil(t, got.AppliesTo)
}

func TestErrorsInBigCommerceFormat(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	tests := []struct {
		name, method, path, token, body string
		status                          int
		message                         string
	}{
		{"missing token", "PUT", "/stores/teststore/v2/coupons/1", "", `{}`, 401, "You are not authorized."},
		{"wrong token", "PUT", "/stores/teststore/v2/coupons/1", "nope", `{}`, 401, "You are not authorized."},
		{"wrong store", "PUT", "/stores/other/v2/coupons/1", srv.AccessToken, `{}`, 404, "not found"},
		{"unknown coupon", "PUT", "/stores/teststore/v2/coupons/99", srv.AccessToken, `{"name":"a","type":"promotion","amount":"1","code":"A"}`, 404, "not found"},
		{"wrong method", "POST", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{}`, 405, "not supported"},
		{"malformed JSON", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":`, 400, "could not be parsed"},
		{"missing code", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":"a","type":"promotion","amount":"1"}`, 400, "'code' is required"},
		{"bad code", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":"a","type":"promotion","amount":"1","code":"NO!"}`, 400, "'code' is invalid"},
		{"bad type", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":"a","type":"bogus","amount":"1","code":"A"}`, 400, "'type' is invalid"},
		{"read-only", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"num_uses":3,"name":"a","type":"promotion","amount":"1","code":"A"}`, 400, "cannot be written"},
		{"duplicate name", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":"Ten off","type":"promotion","amount":"1","code":"A"}`, 409, "'name' must be unique"},
		{"duplicate code", "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{"name":"x","type":"promotion","amount":"1","code":"ten"}`, 409, "'code' must be unique"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := raw(t, srv, tt.method, tt.path, tt.token, tt.body)
			assert.Equal(t, tt.status, status)
			var items []struct {
				Status  int    `json:"status"`
				Message string `json:"message"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &items), body)
			require.Len(t, items, 1)
			assert.Equal(t, tt.status, items[0].Status)
			assert.Contains(t, items[0].Message, tt.message)
		})
	}
	got, _ := srv.Coupon(1)
	assert.Equal(t, "FIVE", got.Code, "failed updates change nothing")
}

func TestClientSeesTypedErrors(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	_, err := srv.Client().UpdateCoupon(context.Background(), update("Ten off", "X"))
	assert.ErrorIs(t, err, bigcommerce.ErrConflict)
	req := update("New", "NEW")
	req.ID = 404
	_, err = srv.Client().UpdateCoupon(context.Background(), req)
	assert.ErrorIs(t, err, bigcommerce.ErrNotFound)
	bad, err := bigcommerce.NewClient(srv.StoreHash, "wrong", bigcommerce.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.UpdateCoupon(context.Background(), update("New", "NEW"))
	assert.ErrorIs(t, err, bigcommerce.ErrUnauthorized)
}

func TestRateLimitHeldUntilResetThenSucceeds(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	srv.SetRateLimit(1, 20*time.Millisecond)
	// For a window under a second the test server keeps milliseconds in
	// X-Retry-After (0.020), so the client waits the 20 ms, within MaxWait.
	c := srv.Client(bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
	_, err := c.UpdateCoupon(context.Background(), update("A", "A"))
	require.NoError(t, err)
	// The first answer said Remaining 0, reset in 20 ms: the client's pacer
	// holds the next call until the reset (within MaxWait) instead of
	// sending it into a certain 429.
	resp, err := c.UpdateCoupon(context.Background(), update("B", "B"))
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Meta.Attempts, "held until the window reset, then sent once")
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 1, resp.Meta.RateLimit.Limit)
	assert.Equal(t, 20*time.Millisecond, resp.Meta.RateLimit.Window)
	assert.Equal(t, 2, srv.Requests())

	// Raw: a 429 carries the headers and no body.
	srv.SetRateLimit(1, time.Hour)
	raw(t, srv, "PUT", "/stores/teststore/v2/coupons/1", srv.AccessToken, `{}`)
	req, _ := http.NewRequest("PUT", srv.URL+"/stores/teststore/v2/coupons/1", strings.NewReader(`{}`))
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	assert.Equal(t, 429, res.StatusCode)
	assert.Empty(t, b)
	assert.Equal(t, "0", res.Header.Get("X-Rate-Limit-Requests-Left"))
	assert.Equal(t, "3600", res.Header.Get("X-Retry-After"))
}

func TestFailNext(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	seed(srv)
	srv.FailNext(2, 503)
	resp, err := srv.Client(fast).UpdateCoupon(context.Background(), update("A", "A"))
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	srv.FailNext(1, 500)
	_, err = srv.Client(bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: bigcommerce.NoRetries})).UpdateCoupon(context.Background(), update("A", "A"))
	assert.ErrorIs(t, err, bigcommerce.ErrServer)
}

func TestConcurrentUse(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	for i := 1; i <= 20; i++ {
		srv.AddCoupon(bigcommerce.Coupon{ID: i, Name: "n" + string(rune('a'+i)), Code: "C" + string(rune('a'+i)), Type: "promotion", Amount: "1"})
	}
	c := srv.Client()
	var wg sync.WaitGroup
	for i := 1; i <= 20; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			r := update("name"+string(rune('a'+id)), "CODE"+string(rune('a'+id)))
			r.ID = id
			_, err := c.UpdateCoupon(context.Background(), r)
			assert.NoError(t, err)
		}(i)
	}
	wg.Wait()
	assert.Equal(t, 20, srv.Requests())
}

func raw(t *testing.T, srv *bigcommercetest.Server, method, path, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(b)
}
