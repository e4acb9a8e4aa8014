package partnero_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/partnero"
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
	apiKey    = "pk-SECRET-partnero-4c1d8e"
	couponURL = "https://api.partnero.com/v1/coupons"
)

// vendorBody is the 200 answer from Partnero's update-coupon page.
const vendorBody = `{
  "data": {
    "name": "PARTNERO25_UPDATED",
    "uuid_code": "coupon_123",
    "active": true,
    "coupon_discount_type": "percent",
    "coupon_discount_amount": 25,
    "coupon_duration_type": "months",
    "coupon_duration_value": 11,
    "redemption_specific_date_status": false,
    "redemption_specific_date_value": null,
    "redemption_times_status": true,
    "redemption_times_value": 24,
    "metadata": [],
    "additional_info": {
      "redemptions": [
        {
          "redeemed_at": "2025-05-07T17:53:32.000000Z",
          "transaction_key": "order_4561"
        }
      ]
    },
    "times_redeemed": 4,
    "created_at": "2025-05-07T17:43:26.000000Z",
    "updated_at": "2025-05-07T17:53:32.000000Z",
    "deleted_at": null
  },
  "status": 1,
  "message": "Coupon updated in the app successfully.",
  "synchronization_enabled": false,
  "synchronization_successful": false,
  "synchronization_message": ""
}`

// fastRetries keeps retry waits in milliseconds.
var fastRetries = partnero.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 20 * time.Millisecond}

func newMocked(t *testing.T, opts ...partnero.Option) (*partnero.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	opts = append([]partnero.Option{
		partnero.WithHTTPClient(&http.Client{Transport: mt}),
		partnero.WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := partnero.NewClient(apiKey, opts...)
	require.NoError(t, err)
	return c, mt
}

func minimalRequest() *partnero.UpdateCouponRequest {
	return &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Name: partnero.Ptr("PARTNERO25_UPDATED")}
}

// send runs one UpdateCoupon against a single captured responder and
// returns the body sent.
func send(t *testing.T, req *partnero.UpdateCouponRequest, opts ...partnero.Option) (*http.Request, string) {
	t.Helper()
	c, mt := newMocked(t, opts...)
	var cap captured
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, jsonResponder(200, vendorBody)))
	_, err := c.UpdateCoupon(context.Background(), req)
	require.NoError(t, err)
	require.Len(t, cap.Reqs, 1)
	return cap.Reqs[0], cap.Bodies[0]
}

func TestUpdateCouponWireFormatMinimal(t *testing.T) {
	r, body := send(t, &partnero.UpdateCouponRequest{UUIDCode: "coupon_123"})
	assert.Equal(t, http.MethodPut, r.Method)
	assert.Equal(t, couponURL, r.URL.String())
	assert.Equal(t, "Bearer "+apiKey, r.Header.Get("Authorization"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, "couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, `{"uuid_code":"coupon_123"}`, body)
}

func TestUpdateCouponWireFormatFull(t *testing.T) {
	r, body := send(t, &partnero.UpdateCouponRequest{
		UUIDCode:       "coupon_123",
		Name:           partnero.Ptr("PARTNERO25_UPDATED"),
		Metadata:       map[string]any{"source": "spring", "tier": 2, "tags": []string{"a", "b"}},
		Redeem:         partnero.Ptr(true),
		TransactionKey: partnero.Ptr("order_4561"),
		Sync:           &partnero.Sync{Provider: partnero.SyncStripe},
	}, partnero.WithUserAgent("promo-svc/2.1"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Equal(t, `{"uuid_code":"coupon_123","name":"PARTNERO25_UPDATED",`+
		`"metadata":{"source":"spring","tags":["a","b"],"tier":2},"redeem":true,"transaction_key":"order_4561",`+
		`"sync":{"provider":"stripe"}}`, body)
}

func TestUpdateCouponWireFormatRedeemAndSync(t *testing.T) {
	tests := []struct {
		name string
		req  *partnero.UpdateCouponRequest
		want string
	}{
		{"redeem without key", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)},
			`{"uuid_code":"coupon_123","redeem":true}`},
		{"redeem with key", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_4561")},
			`{"uuid_code":"coupon_123","redeem":true,"transaction_key":"order_4561"}`},
		{"redeem false is sent", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(false)},
			`{"uuid_code":"coupon_123","redeem":false}`},
		{"sync", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncWooCommerce}},
			`{"uuid_code":"coupon_123","sync":{"provider":"woocommerce"}}`},
		{"empty metadata is {}", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Metadata: map[string]any{}},
			`{"uuid_code":"coupon_123","metadata":{}}`},
		{"nil metadata is not sent", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Metadata: nil},
			`{"uuid_code":"coupon_123"}`},
		{"metadata null value", &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Metadata: map[string]any{"gone": nil}},
			`{"uuid_code":"coupon_123","metadata":{"gone":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := send(t, tt.req)
			assert.Equal(t, tt.want, body)
		})
	}
}

func TestUpdateCouponDecodesVendorExample(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorBody,
		"X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59", "X-Request-Id", "req-9"))
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	want := partnero.Coupon{
		UUIDCode: "coupon_123", Name: "PARTNERO25_UPDATED", Active: true,
		DiscountType: "percent", DiscountAmount: 25, DurationType: "months", DurationValue: partnero.Ptr(11),
		RedemptionSpecificDateStatus: false, RedemptionSpecificDateValue: nil,
		RedemptionTimesStatus: true, RedemptionTimesValue: partnero.Ptr(24),
		Metadata: map[string]any{},
		Redemptions: []partnero.Redemption{{
			RedeemedAt: time.Date(2025, 5, 7, 17, 53, 32, 0, time.UTC), TransactionKey: "order_4561",
		}},
		TimesRedeemed: 4,
		CreatedAt:     time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC),
		UpdatedAt:     time.Date(2025, 5, 7, 17, 53, 32, 0, time.UTC),
	}
	assert.Equal(t, want, resp.Coupon)
	assert.NotNil(t, resp.Coupon.Metadata, "metadata [] decodes to an empty, non-nil map")
	assert.Nil(t, resp.Coupon.DeletedAt)
	assert.Equal(t, "Coupon updated in the app successfully.", resp.Message)
	assert.Equal(t, partnero.SyncStatus{}, resp.Sync)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	assert.Equal(t, "req-9", resp.Meta.RequestID)
	assert.Equal(t, &partnero.RateLimit{Limit: 60, Remaining: 59}, resp.Meta.RateLimit)
}

// withData replaces `"key": old` in the vendor body's data.
func withData(t *testing.T, repl ...string) string {
	t.Helper()
	b := vendorBody
	for i := 0; i+1 < len(repl); i += 2 {
		require.Contains(t, b, repl[i])
		b = strings.Replace(b, repl[i], repl[i+1], 1)
	}
	return b
}

func decodeBody(t *testing.T, body string) (*partnero.UpdateCouponResponse, error) {
	t.Helper()
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, body))
	return c.UpdateCoupon(context.Background(), minimalRequest())
}

func TestUpdateCouponDecodesVariants(t *testing.T) {
	redemptions := `"additional_info": {
      "redemptions": [
        {
          "redeemed_at": "2025-05-07T17:53:32.000000Z",
          "transaction_key": "order_4561"
        }
      ]
    }`
	ts := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err)
		return &v
	}
	tests := []struct {
		name  string
		repl  []string
		check func(t *testing.T, r *partnero.UpdateCouponResponse)
	}{
		{"metadata {}", []string{`"metadata": []`, `"metadata": {}`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, map[string]any{}, r.Coupon.Metadata)
		}},
		{"metadata null", []string{`"metadata": []`, `"metadata": null`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, map[string]any{}, r.Coupon.Metadata)
		}},
		{"metadata object", []string{`"metadata": []`, `"metadata": {"source":"spring","tier":2,"nested":{"a":[1]}}`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, map[string]any{"source": "spring", "tier": 2.0, "nested": map[string]any{"a": []any{1.0}}}, r.Coupon.Metadata)
		}},
		{"metadata PHP list", []string{`"metadata": []`, `"metadata": ["x","y"]`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, map[string]any{"0": "x", "1": "y"}, r.Coupon.Metadata)
		}},
		{"additional_info []", []string{redemptions, `"additional_info": []`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Nil(t, r.Coupon.Redemptions)
		}},
		{"additional_info {}", []string{redemptions, `"additional_info": {}`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Nil(t, r.Coupon.Redemptions)
		}},
		{"additional_info null", []string{redemptions, `"additional_info": null`}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Nil(t, r.Coupon.Redemptions)
		}},
		{"redemption without key, other info kept out", []string{redemptions,
			`"additional_info": {"source":"api","redemptions":[{"redeemed_at":"2025-05-08T09:00:00.123456Z","transaction_key":null}]}`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.Equal(t, []partnero.Redemption{{RedeemedAt: *ts("2025-05-08T09:00:00.123456Z")}}, r.Coupon.Redemptions)
			}},
		{"nullables set", []string{
			`"redemption_specific_date_value": null`, `"redemption_specific_date_value": "2025-12-31T23:59:59.000000Z"`,
			`"deleted_at": null`, `"deleted_at": "2025-06-01T00:00:00.000000Z"`,
			`"coupon_duration_value": 11`, `"coupon_duration_value": null`,
			`"redemption_times_value": 24`, `"redemption_times_value": null`,
		}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, ts("2025-12-31T23:59:59Z"), r.Coupon.RedemptionSpecificDateValue)
			assert.Equal(t, ts("2025-06-01T00:00:00Z"), r.Coupon.DeletedAt)
			assert.Nil(t, r.Coupon.DurationValue)
			assert.Nil(t, r.Coupon.RedemptionTimesValue)
		}},
		{"numbers as strings", []string{
			`"coupon_discount_amount": 25`, `"coupon_discount_amount": "12.50"`,
			`"coupon_duration_value": 11`, `"coupon_duration_value": "11"`,
			`"times_redeemed": 4`, `"times_redeemed": "4"`,
		}, func(t *testing.T, r *partnero.UpdateCouponResponse) {
			assert.Equal(t, 12.5, r.Coupon.DiscountAmount)
			assert.Equal(t, partnero.Ptr(11), r.Coupon.DurationValue)
			assert.Equal(t, 4, r.Coupon.TimesRedeemed)
		}},
		{"booleans as 0/1", []string{`"active": true`, `"active": 1`, `"redemption_times_status": true`, `"redemption_times_status": "0"`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.True(t, r.Coupon.Active)
				assert.False(t, r.Coupon.RedemptionTimesStatus)
			}},
		{"static amount", []string{`"coupon_discount_type": "percent"`, `"coupon_discount_type": "static"`, `"coupon_discount_amount": 25`, `"coupon_discount_amount": 9.99`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.Equal(t, "static", r.Coupon.DiscountType)
				assert.Equal(t, 9.99, r.Coupon.DiscountAmount)
			}},
		{"older Laravel timestamp", []string{`"created_at": "2025-05-07T17:43:26.000000Z"`, `"created_at": "2025-05-07 17:43:26"`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.Equal(t, *ts("2025-05-07T17:43:26Z"), r.Coupon.CreatedAt)
			}},
		{"microseconds kept", []string{`"updated_at": "2025-05-07T17:53:32.000000Z"`, `"updated_at": "2025-05-07T17:53:32.654321Z"`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.Equal(t, 654321000, r.Coupon.UpdatedAt.Nanosecond())
			}},
		{"sync status", []string{`"synchronization_enabled": false`, `"synchronization_enabled": true`,
			`"synchronization_successful": false`, `"synchronization_successful": true`,
			`"synchronization_message": ""`, `"synchronization_message": "Coupon synchronized with stripe."`},
			func(t *testing.T, r *partnero.UpdateCouponResponse) {
				assert.Equal(t, partnero.SyncStatus{Enabled: true, Successful: true, Message: "Coupon synchronized with stripe."}, r.Sync)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := decodeBody(t, withData(t, tt.repl...))
			require.NoError(t, err)
			tt.check(t, resp)
		})
	}
}

func TestUpdateCouponRejectsUndocumentedSuccessBodies(t *testing.T) {
	tests := map[string]string{
		"empty":             ``,
		"truncated":         vendorBody[:120],
		"no data":           `{"status":1,"message":"ok"}`,
		"data null":         `{"data":null,"status":1}`,
		"data []":           `{"data":[],"status":1}`,
		"data a string":     `{"data":"coupon_123"}`,
		"no uuid_code":      withData(t, `"uuid_code": "coupon_123",`, ``),
		"active a word":     withData(t, `"active": true`, `"active": "yes"`),
		"amount a word":     withData(t, `"coupon_discount_amount": 25`, `"coupon_discount_amount": "lots"`),
		"fractional count":  withData(t, `"times_redeemed": 4`, `"times_redeemed": 4.5`),
		"bad timestamp":     withData(t, `"created_at": "2025-05-07T17:43:26.000000Z"`, `"created_at": "yesterday"`),
		"metadata a string": withData(t, `"metadata": []`, `"metadata": "x"`),
		"info a list":       withData(t, `"additional_info": {`, `"additional_info": [1], "x": {`),
		"redemptions a map": withData(t, `"redemptions": [`, `"redemptions": {"a":`, `}
      ]`, `}}`),
		"HTML": `<html>maintenance</html>`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			resp, err := decodeBody(t, body)
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *partnero.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, 200, ae.StatusCode)
			assert.Contains(t, ae.Message, "not what the API documents")
			testutil.OnlySentinel(t, err, nil)
		})
	}
}

func TestUpdateCouponValidation(t *testing.T) {
	c, mt := newMocked(t)
	tests := []struct {
		name string
		req  *partnero.UpdateCouponRequest
		want []partnero.FieldError
	}{
		{"nil request", nil, []partnero.FieldError{{Field: "request", Problem: "is required"}}},
		{"no uuid_code", &partnero.UpdateCouponRequest{}, []partnero.FieldError{{Field: "uuid_code", Problem: "is required"}}},
		{"blank uuid_code", &partnero.UpdateCouponRequest{UUIDCode: "  "}, []partnero.FieldError{{Field: "uuid_code", Problem: "is required"}}},
		{"empty name", &partnero.UpdateCouponRequest{UUIDCode: "c", Name: partnero.Ptr("")},
			[]partnero.FieldError{{Field: "name", Problem: "must not be blank when set"}}},
		{"blank name", &partnero.UpdateCouponRequest{UUIDCode: "c", Name: partnero.Ptr(" \t")},
			[]partnero.FieldError{{Field: "name", Problem: "must not be blank when set"}}},
		{"key without redeem", &partnero.UpdateCouponRequest{UUIDCode: "c", TransactionKey: partnero.Ptr("order_1")},
			[]partnero.FieldError{{Field: "transaction_key", Problem: "is allowed only with redeem true"}}},
		{"key with redeem false", &partnero.UpdateCouponRequest{UUIDCode: "c", Redeem: partnero.Ptr(false), TransactionKey: partnero.Ptr("order_1")},
			[]partnero.FieldError{{Field: "transaction_key", Problem: "is allowed only with redeem true"}}},
		{"blank key", &partnero.UpdateCouponRequest{UUIDCode: "c", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr(" ")},
			[]partnero.FieldError{{Field: "transaction_key", Problem: "must not be blank when set"}}},
		{"bad provider", &partnero.UpdateCouponRequest{UUIDCode: "c", Sync: &partnero.Sync{Provider: "Stripe"}},
			[]partnero.FieldError{{Field: "sync.provider", Problem: `must be one of "stripe", "shopify", "woocommerce", "paddle"`}}},
		{"empty provider", &partnero.UpdateCouponRequest{UUIDCode: "c", Sync: &partnero.Sync{}},
			[]partnero.FieldError{{Field: "sync.provider", Problem: `must be one of "stripe", "shopify", "woocommerce", "paddle"`}}},
		{"everything at once", &partnero.UpdateCouponRequest{Name: partnero.Ptr(""), TransactionKey: partnero.Ptr(""), Sync: &partnero.Sync{Provider: "x"}},
			[]partnero.FieldError{{Field: "uuid_code", Problem: "is required"}, {Field: "name", Problem: "must not be blank when set"},
				{Field: "transaction_key", Problem: "is allowed only with redeem true"}, {Field: "transaction_key", Problem: "must not be blank when set"},
				{Field: "sync.provider", Problem: `must be one of "stripe", "shopify", "woocommerce", "paddle"`}}},
		{"unencodable metadata", &partnero.UpdateCouponRequest{UUIDCode: "c", Metadata: map[string]any{"f": math.NaN()}},
			[]partnero.FieldError{{Field: "metadata", Problem: "must be encodable as JSON (json: unsupported value: NaN)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.UpdateCoupon(context.Background(), tt.req)
			assert.Nil(t, resp)
			require.ErrorIs(t, err, partnero.ErrInvalidRequest)
			var ve *partnero.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.want, ve.Fields)
			testutil.OnlySentinel(t, err, partnero.ErrInvalidRequest)
		})
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent")

	for _, p := range []partnero.SyncProvider{partnero.SyncStripe, partnero.SyncShopify, partnero.SyncWooCommerce, partnero.SyncPaddle} {
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorBody))
		_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "c", Sync: &partnero.Sync{Provider: p}})
		assert.NoError(t, err, p)
	}
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		name, key string
		opts      []partnero.Option
		want      string
	}{
		{"empty key", "", nil, "apiKey"},
		{"key with newline", apiKey + "\n", nil, "apiKey"},
		{"key with NUL", apiKey + "\x00", nil, "apiKey"},
		{"relative base", apiKey, []partnero.Option{partnero.WithBaseURL("/api")}, "absolute"},
		{"ftp base", apiKey, []partnero.Option{partnero.WithBaseURL("ftp://x")}, "absolute"},
		{"user info", apiKey, []partnero.Option{partnero.WithBaseURL("https://u:p@x")}, "user info"},
		{"nil client", apiKey, []partnero.Option{partnero.WithHTTPClient(nil)}, "nil"},
		{"nil logger", apiKey, []partnero.Option{partnero.WithLogger(nil)}, "nil"},
		{"negative retries", apiKey, []partnero.Option{partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: -2})}, "negative"},
		{"min above max", apiKey, []partnero.Option{partnero.WithRetryPolicy(partnero.RetryPolicy{MinWait: time.Minute, MaxWait: time.Second})}, "MinWait"},
		{"empty product", apiKey, []partnero.Option{partnero.WithUserAgent("")}, "product"},
		{"nil option", apiKey, []partnero.Option{nil}, "nil Option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := partnero.NewClient(tt.key, tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), apiKey)
		})
	}
	hc := &http.Client{Timeout: time.Second}
	_, err := partnero.NewClient(apiKey, partnero.WithHTTPClient(hc), partnero.WithBaseURL("https://sandbox.example.com/partnero/"))
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not mutated")
	assert.Nil(t, hc.Transport)
}

func TestBaseURLWithPath(t *testing.T) {
	c, mt := newMocked(t, partnero.WithBaseURL("https://proxy.example.com/partnero/"))
	mt.RegisterResponder(http.MethodPut, "https://proxy.example.com/partnero/v1/coupons", jsonResponder(200, vendorBody))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
}

func TestUpdateCouponErrors(t *testing.T) {
	tests := []struct {
		name        string
		responder   httpmock.Responder
		sentinel    error
		status      int
		message     string
		fieldErrors map[string][]string
	}{
		{"422 Laravel", jsonResponder(422, `{"message":"The given data was invalid.","errors":{"uuid_code":["The uuid code field is required."],"name":["The name field must be a string.","The name field must not be greater than 255 characters."]}}`),
			partnero.ErrInvalidRequest, 422, "The given data was invalid.", map[string][]string{
				"uuid_code": {"The uuid code field is required."},
				"name":      {"The name field must be a string.", "The name field must not be greater than 255 characters."}}},
		{"422 sync not connected, no message", jsonResponder(422, `{ "errors": { "sync.provider": ["stripe is not connected for this program."] } }`),
			partnero.ErrInvalidRequest, 422, "sync.provider: stripe is not connected for this program.",
			map[string][]string{"sync.provider": {"stripe is not connected for this program."}}},
		{"422 sync already set", jsonResponder(422, `{"message":"sync.provider is already set on this coupon and cannot be changed.","errors":{"sync.provider":["sync.provider is already set on this coupon and cannot be changed."]}}`),
			partnero.ErrInvalidRequest, 422, "sync.provider is already set on this coupon and cannot be changed.",
			map[string][]string{"sync.provider": {"sync.provider is already set on this coupon and cannot be changed."}}},
		{"422 errors as strings", jsonResponder(422, `{"message":"Invalid.","errors":{"redeem":"The redeem field must be true or false."}}`),
			partnero.ErrInvalidRequest, 422, "Invalid.", map[string][]string{"redeem": {"The redeem field must be true or false."}}},
		{"400", jsonResponder(400, `{"message":"Bad request."}`), partnero.ErrInvalidRequest, 400, "Bad request.", nil},
		{"401", jsonResponder(401, `{"message":"Unauthenticated."}`), partnero.ErrUnauthorized, 401, "Unauthenticated.", nil},
		{"403", jsonResponder(403, `{"message":"This action is unauthorized."}`), partnero.ErrForbidden, 403, "This action is unauthorized.", nil},
		{"404", jsonResponder(404, `{"message":"Coupon not found."}`), partnero.ErrNotFound, 404, "Coupon not found.", nil},
		{"405 has no sentinel", jsonResponder(405, `{"message":"The GET method is not supported for route v1/coupons."}`), nil, 405, "not supported", nil},
		{"408 has no sentinel", jsonResponder(408, `{"message":"Request Timeout"}`), nil, 408, "Request Timeout", nil},
		{"429", jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "1"), partnero.ErrRateLimited, 429, "Too Many Attempts.", nil},
		{"500", jsonResponder(500, `{"message":"Server Error"}`), partnero.ErrServer, 500, "Server Error", nil},
		{"502 proxy HTML", func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(502, "<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>"), nil
		}, partnero.ErrServer, 502, "<html><head><title>502 Bad Gateway</title></head> <body>nginx</body></html>", nil},
		{"503 empty body", jsonResponder(503, ``), partnero.ErrServer, 503, "(empty body)", nil},
		{"500 truncated JSON", jsonResponder(500, `{"message":"Ser`), partnero.ErrServer, 500, `undecodable error body: {"message":"Ser`, nil},
		{"422 message of wrong type", jsonResponder(422, `{"message":["a"]}`), partnero.ErrInvalidRequest, 422, "undecodable error body", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: partnero.NoRetries}))
			mt.RegisterResponder(http.MethodPut, couponURL, tt.responder)
			resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
			require.Error(t, err)
			assert.Nil(t, resp)
			var ae *partnero.APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, "partnero", ae.Vendor)
			assert.Equal(t, tt.status, ae.StatusCode)
			assert.Equal(t, 1, ae.Attempts)
			assert.Contains(t, ae.Message, tt.message)
			assert.Equal(t, tt.fieldErrors, ae.FieldErrors)
			testutil.OnlySentinel(t, err, tt.sentinel)
			assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("partnero: PUT /v1/coupons uuid_code %q: %d: ", "coupon_123", tt.status)), err.Error())
		})
	}
}

func TestRateLimitedThenSuccess(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	reset := fmt.Sprintf("%.3f", float64(time.Now().Add(20*time.Millisecond).UnixMilli())/1000)
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap,
		jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "0.02", "X-RateLimit-Limit", "60",
			"X-RateLimit-Remaining", "0", "X-RateLimit-Reset", reset),
		jsonResponder(200, vendorBody, "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "59")))
	start := time.Now()
	resp, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond, "waited the server's whole Retry-After")
	assert.Equal(t, 2, resp.Meta.Attempts)
	assert.Equal(t, &partnero.RateLimit{Limit: 60, Remaining: 59}, resp.Meta.RateLimit)
	require.Len(t, cap.Bodies, 2)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[1], "body identical on every attempt")
}

func TestRateLimitRetryAfterReported(t *testing.T) {
	c, mt := newMocked(t, partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 3}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "3600"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, partnero.ErrRateLimited)
	assert.NoError(t, ctx.Err(), "returned at once instead of sleeping into the deadline")
	var ae *partnero.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, time.Hour, ae.RetryAfter)
	assert.Equal(t, 1, ae.Attempts)
}

// TestRetrySafetyMatrix: a redemption without a transaction key and a sync
// assignment are sent once when the server may have acted (5xx, connection
// lost), but retried after 429; everything else retries.
func TestRetrySafetyMatrix(t *testing.T) {
	redeem := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)}
	redeemKey := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_4561")}
	redeemFalse := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(false)}
	syncReq := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncStripe}}
	syncKey := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("k"), Sync: &partnero.Sync{Provider: partnero.SyncPaddle}}
	name := minimalRequest()

	unavailable := jsonResponder(503, `{"message":"Service Unavailable"}`)
	limited := jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "0")
	ok := jsonResponder(200, vendorBody)
	lost := httpmock.NewErrorResponder(io.ErrUnexpectedEOF) // connection lost mid-request

	tests := []struct {
		name     string
		req      *partnero.UpdateCouponRequest
		first    httpmock.Responder
		attempts int
		wantErr  error // nil: success after the retry
	}{
		{"redeem without key, 503", redeem, unavailable, 1, partnero.ErrServer},
		{"redeem without key, connection lost", redeem, lost, 1, io.ErrUnexpectedEOF},
		{"redeem without key, 429", redeem, limited, 2, nil},
		{"redeem with key, 503", redeemKey, unavailable, 2, nil},
		{"redeem with key, connection lost", redeemKey, lost, 2, nil},
		{"redeem with key, 429", redeemKey, limited, 2, nil},
		{"sync, 503", syncReq, unavailable, 1, partnero.ErrServer},
		{"sync, connection lost", syncReq, lost, 1, io.ErrUnexpectedEOF},
		{"sync, 429", syncReq, limited, 2, nil},
		{"sync with keyed redeem, 503", syncKey, unavailable, 1, partnero.ErrServer},
		{"sync with keyed redeem, 429", syncKey, limited, 2, nil},
		{"redeem false, 503", redeemFalse, unavailable, 2, nil},
		{"name only, 503", name, unavailable, 2, nil},
		{"name only, 429", name, limited, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodPut, couponURL, sequence(&cap, tt.first, ok))
			resp, err := c.UpdateCoupon(context.Background(), tt.req)
			assert.Equal(t, tt.attempts, mt.GetTotalCallCount(), "attempts")
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.attempts, resp.Meta.Attempts)
			assert.Equal(t, cap.Bodies[0], cap.Bodies[len(cap.Bodies)-1])
		})
	}
}

func TestRedeemWithKeyRetriesUntilSpent(t *testing.T) {
	c, mt := newMocked(t, partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(503, `{"message":"Service Unavailable"}`, "X-Request-Id", "r-1"))
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_1")})
	require.ErrorIs(t, err, partnero.ErrServer)
	assert.Equal(t, 3, mt.GetTotalCallCount())
	assert.Equal(t, `partnero: PUT /v1/coupons uuid_code "coupon_123": 503: Service Unavailable (request id r-1) after 3 attempts`, err.Error())
}

func TestNonIdempotentRetriedAfterDialFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens: connection refused
	c, err := partnero.NewClient(apiKey, partnero.WithBaseURL("http://"+addr),
		partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	require.NoError(t, err)
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)})
	require.Error(t, err)
	var op *net.OpError
	assert.ErrorAs(t, err, &op)
	assert.Contains(t, err.Error(), `partnero: PUT /v1/coupons uuid_code "coupon_123" (after 3 attempts)`, "a dial failure is retried even for a redemption")
	assert.NotContains(t, err.Error(), apiKey)
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 405, 408, 422, 501} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(status, `{"message":"no"}`))
		_, err := c.UpdateCoupon(context.Background(), minimalRequest())
		require.Error(t, err)
		assert.Equal(t, 1, mt.GetTotalCallCount(), "status %d", status)
	}
}

func TestCancelDuringWaitReturnsPromptly(t *testing.T) {
	c, mt := newMocked(t, partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 3, MaxWait: time.Hour}))
	mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "3600"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.UpdateCoupon(ctx, minimalRequest())
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestLogging(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, partnero.WithLogger(debugLogger(&logs)))
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&captured{},
		jsonResponder(503, `{"message":"Service Unavailable"}`), jsonResponder(200, vendorBody)))
	_, err := c.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2, "one debug line per attempt")
	assert.Contains(t, lines[0], "vendor=partnero method=PUT host=api.partnero.com path=/v1/coupons status=503 attempt=1")
	assert.Contains(t, lines[1], "status=200 attempt=2")

	// Without a logger nothing is logged: the default slog logger stays silent.
	var def syncBuffer
	prev := slog.Default()
	slog.SetDefault(debugLogger(&def))
	defer slog.SetDefault(prev)
	c2, mt2 := newMocked(t)
	mt2.RegisterResponder(http.MethodPut, couponURL, jsonResponder(200, vendorBody))
	_, err = c2.UpdateCoupon(context.Background(), minimalRequest())
	require.NoError(t, err)
	assert.Empty(t, def.String())
}

func TestAPIKeyNeverLeaks(t *testing.T) {
	var logs syncBuffer
	c, mt := newMocked(t, partnero.WithLogger(debugLogger(&logs)))
	// A misbehaving proxy echoing the Authorization header back in every
	// part of the body.
	echo := func(status int) httpmock.Responder {
		return func(r *http.Request) (*http.Response, error) {
			a := r.Header.Get("Authorization")
			return httpmock.NewStringResponse(status, `{"message":"bad key `+a+`","errors":{"`+a+`":["key `+a+` rejected"]}}`), nil
		}
	}
	responders := []httpmock.Responder{
		echo(401), echo(422), echo(500), echo(429), echo(200),
		func(r *http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(502, "<html>"+r.Header.Get("Authorization")+"</html>"), nil
		},
		httpmock.NewErrorResponder(errors.New("dial failed for " + apiKey)),
	}
	for i, r := range responders {
		mt.RegisterResponder(http.MethodPut, couponURL, r)
		resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)})
		require.Error(t, err, i)
		assert.Nil(t, resp)
		assert.NotContains(t, err.Error(), apiKey, i)
		assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), apiKey, i)
		var ae *partnero.APIError
		if errors.As(err, &ae) {
			assert.NotContains(t, string(ae.Body), apiKey, i)
			assert.NotContains(t, ae.Message, apiKey, i)
			for _, msgs := range ae.FieldErrors {
				assert.NotContains(t, strings.Join(msgs, " "), apiKey, i)
			}
			if ae.StatusCode != 200 {
				assert.Contains(t, string(ae.Body), "[REDACTED]", i)
			}
		}
	}
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{Name: partnero.Ptr(apiKey)})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), apiKey)
	require.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), apiKey)
}

func TestConcurrentUse(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPut, couponURL, func(r *http.Request) (*http.Response, error) {
		var in struct {
			UUIDCode string `json:"uuid_code"`
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			return nil, err
		}
		return httpmock.NewStringResponse(200, strings.Replace(vendorBody, "coupon_123", in.UUIDCode, 1)), nil
	})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			code := fmt.Sprintf("coupon_%d", i)
			resp, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: code})
			if err == nil && resp.Coupon.UUIDCode != code {
				err = fmt.Errorf("got %s for %s", resp.Coupon.UUIDCode, code)
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 32, mt.GetTotalCallCount())
}
