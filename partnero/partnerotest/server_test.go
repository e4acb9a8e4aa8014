package partnerotest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

var fastRetries = partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond})

func seeded(t *testing.T) *partnerotest.Server {
	t.Helper()
	srv := partnerotest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddCoupon(partnero.Coupon{
		UUIDCode: "coupon_123", Name: "PARTNERO25", Active: true, DiscountType: "percent", DiscountAmount: 25,
		DurationType: "months", DurationValue: partnero.Ptr(11), RedemptionTimesStatus: true, RedemptionTimesValue: partnero.Ptr(24),
		Metadata:  map[string]any{"source": "launch"},
		CreatedAt: time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC),
	})
	return srv
}

// raw sends a request the client would never send and decodes the JSON
// answer.
func raw(t *testing.T, srv *partnerotest.Server, method, path, auth, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var out map[string]any
	require.NoError(t, json.Unmarshal(b, &out), string(b))
	return resp.StatusCode, resp.Header, out
}

func TestClientUpdatesState(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fastRetries)
	resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Name: partnero.Ptr("PARTNERO25_UPDATED"),
		Metadata: map[string]any{"campaign": "spring"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Coupon updated in the app successfully.", resp.Message)
	assert.Equal(t, "PARTNERO25_UPDATED", resp.Coupon.Name)
	assert.Equal(t, map[string]any{"source": "launch", "campaign": "spring"}, resp.Coupon.Metadata, "metadata is merged")
	assert.Equal(t, partnero.Ptr(11), resp.Coupon.DurationValue)
	assert.Equal(t, 25.0, resp.Coupon.DiscountAmount)
	assert.Equal(t, time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC), resp.Coupon.CreatedAt)
	assert.True(t, resp.Coupon.UpdatedAt.After(resp.Coupon.CreatedAt))
	assert.Nil(t, resp.Coupon.Redemptions)
	assert.Equal(t, partnero.SyncStatus{}, resp.Sync)

	// Metadata keys are replaced one by one; others stay.
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Metadata: map[string]any{"source": "retarget", "n": 2},
	})
	require.NoError(t, err)
	got, ok := srv.Coupon("coupon_123")
	require.True(t, ok)
	assert.Equal(t, "PARTNERO25_UPDATED", got.Name, "fields not sent keep their value")
	assert.Equal(t, map[string]any{"source": "retarget", "campaign": "spring", "n": 2.0}, got.Metadata)

	// Coupon returns a copy.
	got.Metadata["mutated"] = true
	again, _ := srv.Coupon("coupon_123")
	assert.NotContains(t, again.Metadata, "mutated")
	_, ok = srv.Coupon("nope")
	assert.False(t, ok)
	assert.Equal(t, 2, srv.Requests())
}

func TestRedeemAndTransactionKeys(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fastRetries)
	redeem := func(key *string) *partnero.UpdateCouponResponse {
		resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
			UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: key})
		require.NoError(t, err)
		return resp
	}
	r1 := redeem(partnero.Ptr("order_1"))
	assert.Equal(t, 1, r1.Coupon.TimesRedeemed)
	require.Len(t, r1.Coupon.Redemptions, 1)
	assert.Equal(t, "order_1", r1.Coupon.Redemptions[0].TransactionKey)
	assert.WithinDuration(t, time.Now(), r1.Coupon.Redemptions[0].RedeemedAt, time.Minute)

	r2 := redeem(partnero.Ptr("order_1")) // repeated key: silent no-op
	assert.Equal(t, 1, r2.Coupon.TimesRedeemed)
	assert.Len(t, r2.Coupon.Redemptions, 1)
	assert.Equal(t, r1.Coupon.UpdatedAt, r2.Coupon.UpdatedAt, "a no-op changes nothing")

	r3 := redeem(nil) // no key: always counts
	r4 := redeem(nil)
	assert.Equal(t, 2, r3.Coupon.TimesRedeemed)
	assert.Equal(t, 3, r4.Coupon.TimesRedeemed)
	assert.Equal(t, "", r4.Coupon.Redemptions[2].TransactionKey)

	redeem(partnero.Ptr("order_2"))
	got, _ := srv.Coupon("coupon_123")
	assert.Equal(t, 4, got.TimesRedeemed)
	var keys []string
	for _, r := range got.Redemptions {
		keys = append(keys, r.TransactionKey)
	}
	assert.Equal(t, []string{"order_1", "", "", "order_2"}, keys)

	// redeem false records nothing.
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(false)})
	require.NoError(t, err)
	got, _ = srv.Coupon("coupon_123")
	assert.Equal(t, 4, got.TimesRedeemed)
}

func TestSeededRedemptionKeysDeduplicate(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "c1", TimesRedeemed: 1,
		Redemptions: []partnero.Redemption{{RedeemedAt: time.Now(), TransactionKey: "order_9"}}})
	resp, err := srv.Client().UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "c1", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_9")})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Coupon.TimesRedeemed)
}

func TestSyncProviderOnce(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fastRetries)
	resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncStripe}})
	require.NoError(t, err)
	assert.Equal(t, partnero.SyncStatus{Enabled: true, Successful: true, Message: "Coupon synchronized with stripe."}, resp.Sync)
	p, ok := srv.SyncProvider("coupon_123")
	assert.True(t, ok)
	assert.Equal(t, partnero.SyncStripe, p)

	// The same provider again is accepted.
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncStripe}})
	require.NoError(t, err)

	// A different one is refused, with Partnero's dotted key.
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Name: partnero.Ptr("not applied"), Sync: &partnero.Sync{Provider: partnero.SyncPaddle}})
	require.ErrorIs(t, err, partnero.ErrInvalidRequest)
	var ae *partnero.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 422, ae.StatusCode)
	assert.Equal(t, map[string][]string{"sync.provider": {"sync.provider is already set on this coupon and cannot be changed."}}, ae.FieldErrors)
	assert.Equal(t, "sync.provider: sync.provider is already set on this coupon and cannot be changed.", ae.Message)
	got, _ := srv.Coupon("coupon_123")
	assert.Equal(t, "PARTNERO25", got.Name, "a refused request changes nothing")
	p, _ = srv.SyncProvider("coupon_123")
	assert.Equal(t, partnero.SyncStripe, p)

	// Later updates of a synced coupon report the sync.
	resp, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Name: partnero.Ptr("X")})
	require.NoError(t, err)
	assert.True(t, resp.Sync.Enabled)
}

func TestSyncProviderNotConnected(t *testing.T) {
	srv := seeded(t)
	srv.SetConnectedProviders(partnero.SyncShopify)
	c := srv.Client(fastRetries)
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncStripe}})
	var ae *partnero.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, partnero.ErrInvalidRequest)
	assert.Equal(t, map[string][]string{"sync.provider": {"stripe is not connected for this program."}}, ae.FieldErrors)
	assert.Equal(t, 1, ae.Attempts, "422 is not retried")
	p, _ := srv.SyncProvider("coupon_123")
	assert.Equal(t, partnero.SyncProvider(""), p)

	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncShopify}})
	require.NoError(t, err)

	assert.True(t, srv.SetSyncProvider("coupon_123", partnero.SyncPaddle))
	assert.False(t, srv.SetSyncProvider("nope", partnero.SyncPaddle))
	p, _ = srv.SyncProvider("coupon_123")
	assert.Equal(t, partnero.SyncPaddle, p)
	_, ok := srv.SyncProvider("nope")
	assert.False(t, ok)
}

func TestClientErrors(t *testing.T) {
	srv := seeded(t)
	_, err := srv.Client().UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "missing"})
	require.ErrorIs(t, err, partnero.ErrNotFound)
	assert.Equal(t, `partnero: PUT /v1/coupons uuid_code "missing": 404: Coupon not found.`, err.Error())

	deleted := time.Now()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "gone", DeletedAt: &deleted})
	_, err = srv.Client().UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "gone"})
	require.ErrorIs(t, err, partnero.ErrNotFound)

	bad, err := partnero.NewClient("wrong-key", partnero.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = bad.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123"})
	require.ErrorIs(t, err, partnero.ErrUnauthorized)
	assert.Equal(t, `partnero: PUT /v1/coupons uuid_code "coupon_123": 401: Unauthenticated.`, err.Error())
}

func TestFailNextAndRetrySafety(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fastRetries)

	// A redemption without a key is sent once under a 503...
	srv.FailNext(1, http.StatusServiceUnavailable)
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)})
	require.ErrorIs(t, err, partnero.ErrServer)
	assert.ErrorIs(t, err, partnero.ErrOutcomeUnknown)
	assert.Equal(t, `partnero: PUT /v1/coupons uuid_code "coupon_123": 503: Service Unavailable (not retried: the request is not safe to repeat and the vendor may have applied it)`, err.Error())
	assert.Equal(t, 1, srv.Requests())

	// ...with a key it is retried, and counted once.
	srv.FailNext(2, http.StatusInternalServerError)
	resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_1")})
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Meta.Attempts)
	assert.Equal(t, 1, resp.Coupon.TimesRedeemed)
	assert.Equal(t, 4, srv.Requests())

	// A 429 is retried even for a redemption without a key.
	srv.FailNext(1, http.StatusTooManyRequests)
	resp, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Meta.Attempts)
	assert.Equal(t, 2, resp.Coupon.TimesRedeemed)

	// Sync under 503: once.
	srv.FailNext(1, http.StatusServiceUnavailable)
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncPaddle}})
	require.ErrorIs(t, err, partnero.ErrServer)
	assert.Equal(t, 7, srv.Requests())
}

func TestFailNextRawBodies(t *testing.T) {
	srv := seeded(t)
	for status, msg := range map[int]string{500: "Server Error", 503: "Service Unavailable", 429: "Too Many Attempts.",
		403: "This action is unauthorized.", 502: "Bad Gateway"} {
		srv.FailNext(1, status)
		code, h, body := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, `{"uuid_code":"coupon_123"}`)
		assert.Equal(t, status, code)
		assert.Equal(t, map[string]any{"message": msg}, body)
		if status == 429 {
			assert.Equal(t, "0.001", h.Get("Retry-After"), "no window set: a millisecond")
		}
	}
}

func TestRateLimit(t *testing.T) {
	srv := seeded(t)
	srv.SetRateLimit(2, time.Hour)
	for i, want := range []int{200, 200, 429} {
		code, h, body := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, `{"uuid_code":"coupon_123"}`)
		assert.Equal(t, want, code, i)
		assert.Equal(t, "2", h.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(max(0, 1-i)), h.Get("X-RateLimit-Remaining"))
		if code == 429 {
			assert.Equal(t, map[string]any{"message": "Too Many Attempts."}, body)
			assert.Equal(t, "3600", h.Get("Retry-After"))
			reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
			require.NoError(t, err)
			assert.InDelta(t, time.Now().Unix()+3600, reset, 5)
		} else {
			assert.Empty(t, h.Get("Retry-After"))
		}
	}

	// Through the client: the 429 is returned with what Partnero asked.
	c := srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: partnero.NoRetries}))
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123"})
	require.ErrorIs(t, err, partnero.ErrRateLimited)
	var ae *partnero.APIError
	require.ErrorAs(t, err, &ae)
	assert.GreaterOrEqual(t, ae.RetryAfter, 59*time.Minute)

	// Partnero sends X-RateLimit-Reset only with a 429. The second
	// redemption in a one-minute window of one meets the server's 429,
	// whose wait is longer than MaxWait: returned at once, not retried, not
	// counted. The pacer now knows the quota is spent: the third call
	// returns at once, unsent, with no request burned.
	srv.SetRateLimit(1, time.Minute)
	c = srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 20, MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}))
	redeem := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)}
	resp, err := c.UpdateCoupon(context.Background(), redeem)
	require.NoError(t, err)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, 1, resp.Meta.RateLimit.Limit)
	assert.Equal(t, 0, resp.Meta.RateLimit.Remaining)
	_, err = c.UpdateCoupon(context.Background(), redeem)
	require.ErrorIs(t, err, partnero.ErrRateLimited)
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 1, ae.Attempts)
	before := srv.Requests()
	_, err = c.UpdateCoupon(context.Background(), redeem)
	require.ErrorIs(t, err, partnero.ErrRateLimited)
	assert.ErrorIs(t, err, partnero.ErrNotSent, "safe to send again")
	assert.Equal(t, before, srv.Requests(), "nothing sent")
	got, _ := srv.Coupon("coupon_123")
	assert.Equal(t, 1, got.TimesRedeemed, "the redemption counted once")

	srv.SetRateLimit(0, 0)
	_, h, _ := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, `{"uuid_code":"coupon_123"}`)
	assert.Empty(t, h.Get("X-RateLimit-Limit"))
}

func TestRawAuthAndRouting(t *testing.T) {
	srv := seeded(t)
	valid := `{"uuid_code":"coupon_123"}`
	tests := []struct {
		name, method, path, auth string
		status                   int
		message                  string
	}{
		{"no auth", http.MethodPut, "/v1/coupons", "", 401, "Unauthenticated."},
		{"wrong key", http.MethodPut, "/v1/coupons", "Bearer nope", 401, "Unauthenticated."},
		{"not bearer", http.MethodPut, "/v1/coupons", srv.APIKey, 401, "Unauthenticated."},
		{"basic", http.MethodPut, "/v1/coupons", "Basic " + srv.APIKey, 401, "Unauthenticated."},
		{"DELETE", http.MethodDelete, "/v1/coupons", "Bearer " + srv.APIKey, 405, "The DELETE method is not supported for route v1/coupons. Supported methods: GET, HEAD, PUT."},
		{"POST", http.MethodPost, "/v1/coupons", "Bearer " + srv.APIKey, 405, "The POST method is not supported for route v1/coupons. Supported methods: GET, HEAD, PUT."},
		{"GET without auth", http.MethodGet, "/v1/coupons", "", 401, "Unauthenticated."},
		{"other path", http.MethodPut, "/v1/coupons/coupon_123", "Bearer " + srv.APIKey, 404, "The route v1/coupons/coupon_123 could not be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := raw(t, srv, tt.method, tt.path, tt.auth, valid)
			assert.Equal(t, tt.status, code)
			assert.Equal(t, map[string]any{"message": tt.message}, body)
		})
	}
}

func TestRawValidation(t *testing.T) {
	srv := seeded(t)
	tests := []struct {
		name, body string
		errors     map[string]any
	}{
		{"malformed JSON", `{"uuid_code":`, map[string]any{"uuid_code": []any{"The uuid code field is required."}}},
		{"empty body", ``, map[string]any{"uuid_code": []any{"The uuid code field is required."}}},
		{"JSON list", `["coupon_123"]`, map[string]any{"uuid_code": []any{"The uuid code field is required."}}},
		{"blank uuid", `{"uuid_code":"  "}`, map[string]any{"uuid_code": []any{"The uuid code field is required."}}},
		{"numeric uuid", `{"uuid_code":123}`, map[string]any{"uuid_code": []any{"The uuid code field must be a string."}}},
		{"empty name", `{"uuid_code":"coupon_123","name":""}`, map[string]any{"name": []any{"The name field must be a string."}}},
		{"null name", `{"uuid_code":"coupon_123","name":null}`, map[string]any{"name": []any{"The name field must be a string."}}},
		{"numeric name", `{"uuid_code":"coupon_123","name":5}`, map[string]any{"name": []any{"The name field must be a string."}}},
		{"metadata string", `{"uuid_code":"coupon_123","metadata":"x"}`, map[string]any{"metadata": []any{"The metadata field must be an array."}}},
		{"metadata list", `{"uuid_code":"coupon_123","metadata":[1]}`, map[string]any{"metadata": []any{"The metadata field must be an array."}}},
		{"redeem word", `{"uuid_code":"coupon_123","redeem":"yes"}`, map[string]any{"redeem": []any{"The redeem field must be true or false."}}},
		{"key without redeem", `{"uuid_code":"coupon_123","transaction_key":"o1"}`,
			map[string]any{"transaction_key": []any{"The transaction key field is prohibited unless redeem is true."}}},
		{"numeric key", `{"uuid_code":"coupon_123","redeem":true,"transaction_key":1}`,
			map[string]any{"transaction_key": []any{"The transaction key field must be a string."}}},
		{"sync string", `{"uuid_code":"coupon_123","sync":"stripe"}`, map[string]any{"sync": []any{"The sync field must be an array."}}},
		{"sync no provider", `{"uuid_code":"coupon_123","sync":{}}`, map[string]any{"sync.provider": []any{"The sync.provider field is required."}}},
		{"sync bad provider", `{"uuid_code":"coupon_123","sync":{"provider":"Stripe"}}`, map[string]any{"sync.provider": []any{"The selected sync.provider is invalid."}}},
		{"several", `{"name":7,"redeem":2}`, map[string]any{
			"uuid_code": []any{"The uuid code field is required."}, "name": []any{"The name field must be a string."},
			"redeem": []any{"The redeem field must be true or false."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, tt.body)
			assert.Equal(t, 422, code)
			assert.Equal(t, map[string]any{"message": "The given data was invalid.", "errors": tt.errors}, body)
		})
	}
	got, _ := srv.Coupon("coupon_123")
	assert.Equal(t, "PARTNERO25", got.Name, "nothing applied")
	assert.Equal(t, 0, got.TimesRedeemed)
}

func TestRawAcceptsLaravelForms(t *testing.T) {
	srv := seeded(t)
	code, _, body := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey,
		`{"uuid_code":" coupon_123 ","name":"  Trimmed  ","metadata":[],"redeem":"1","transaction_key":"o-7","unknown":1}`)
	require.Equal(t, 200, code, body)
	data := body["data"].(map[string]any)
	assert.Equal(t, "Trimmed", data["name"])
	assert.Equal(t, float64(1), data["times_redeemed"])
	assert.Equal(t, map[string]any{"source": "launch"}, data["metadata"])
	assert.Equal(t, float64(1), body["status"])
}

func TestSuccessBodyHasPartneroShape(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "c1", Name: "N", DiscountType: "static", DiscountAmount: 9.5,
		DurationType: "once", CreatedAt: time.Date(2025, 5, 7, 17, 43, 26, 123456789, time.FixedZone("", 3600))})
	code, _, body := raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, `{"uuid_code":"c1"}`)
	require.Equal(t, 200, code)
	assert.Equal(t, map[string]any{
		"data": map[string]any{
			"name": "N", "uuid_code": "c1", "active": false, "coupon_discount_type": "static", "coupon_discount_amount": 9.5,
			"coupon_duration_type": "once", "coupon_duration_value": nil, "redemption_specific_date_status": false,
			"redemption_specific_date_value": nil, "redemption_times_status": false, "redemption_times_value": nil,
			"metadata": []any{}, "additional_info": []any{}, "times_redeemed": 0.0,
			"created_at": "2025-05-07T16:43:26.123456Z", "updated_at": "2025-05-07T16:43:26.123456Z", "deleted_at": nil,
		},
		"status": 1.0, "message": "Coupon updated in the app successfully.",
		"synchronization_enabled": false, "synchronization_successful": false, "synchronization_message": "",
	}, body)

	code, _, body = raw(t, srv, http.MethodPut, "/v1/coupons", "Bearer "+srv.APIKey, `{"uuid_code":"c1","redeem":true}`)
	require.Equal(t, 200, code)
	info := body["data"].(map[string]any)["additional_info"].(map[string]any)
	rs := info["redemptions"].([]any)
	require.Len(t, rs, 1)
	r := rs[0].(map[string]any)
	assert.Nil(t, r["transaction_key"])
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`, r["redeemed_at"])
}

func TestAddCouponNormalizes(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	meta := map[string]any{"nested": map[string]any{"a": 1}}
	srv.AddCoupon(partnero.Coupon{UUIDCode: "c1", Metadata: meta})
	meta["nested"].(map[string]any)["a"] = 2 // the caller's map is not shared
	got, ok := srv.Coupon("c1")
	require.True(t, ok)
	assert.Equal(t, map[string]any{"nested": map[string]any{"a": 1}}, got.Metadata)
	assert.False(t, got.CreatedAt.IsZero())
	assert.Equal(t, got.CreatedAt, got.UpdatedAt)
	assert.Equal(t, time.UTC, got.CreatedAt.Location())
	assert.Zero(t, got.CreatedAt.Nanosecond()%1000, "microsecond precision")

	srv.AddCoupon(partnero.Coupon{UUIDCode: "c2"})
	got, _ = srv.Coupon("c2")
	assert.NotNil(t, got.Metadata)
	assert.PanicsWithValue(t, "partnerotest: AddCoupon needs a UUIDCode", func() { srv.AddCoupon(partnero.Coupon{}) })
}

func TestClientPanicsOnBadOption(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	assert.Panics(t, func() { srv.Client(partnero.WithLogger(nil)) })
	assert.NotPanics(t, func() { srv.Client() })
}

func TestChangedAPIKey(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	assert.Equal(t, partnerotest.DefaultAPIKey, srv.APIKey)
	old := srv.Client()
	srv.APIKey = "rotated-key"
	srv.AddCoupon(partnero.Coupon{UUIDCode: "c1"})
	_, err := old.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "c1"})
	require.ErrorIs(t, err, partnero.ErrUnauthorized)
	_, err = srv.Client().UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "c1"})
	require.NoError(t, err)
}

func TestConcurrentRedemptions(t *testing.T) {
	srv := seeded(t)
	c := srv.Client(fastRetries)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Two goroutines share each key: only one of them counts.
			_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
				UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr(fmt.Sprintf("order_%d", i/2)),
				Metadata: map[string]any{fmt.Sprint("k", i): i}})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if !assert.NoError(t, err) {
			break
		}
	}
	got, _ := srv.Coupon("coupon_123")
	assert.Equal(t, 32, got.TimesRedeemed)
	assert.Len(t, got.Redemptions, 32)
	assert.Len(t, got.Metadata, 65)
	assert.Equal(t, 64, srv.Requests())
}
