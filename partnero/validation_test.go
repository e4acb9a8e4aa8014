package partnero_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/partnero"
)

// label is a metadata value of a type of the caller's own: its strings are
// encoded by encoding/json too.
type label struct {
	Text string `json:"text"`
}

// TestEveryStringIsValidUTF8 corrupts each string of a request in turn: a
// uuid_code with invalid UTF-8 would be sent with U+FFFD in its place and
// address another coupon.
func TestEveryStringIsValidUTF8(t *testing.T) {
	c, mt := newMocked(t)
	testutil.CheckEveryString(t, func() *partnero.UpdateCouponRequest {
		return &partnero.UpdateCouponRequest{
			UUIDCode: "coupon_123", Name: partnero.Ptr("Spring"),
			Metadata: map[string]any{
				"channel": "pos",
				"tags":    []any{"a", 1.0, nil},
				"nested":  map[string]any{"k": "v"},
				"list":    []string{"x"},
				"pairs":   map[string]string{"p": "q"},
				"label":   label{Text: "t"},
				"n":       json.Number("1"),
			},
			Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_1"),
			Sync: &partnero.Sync{Provider: partnero.SyncStripe},
		}
	}, func(r *partnero.UpdateCouponRequest) error {
		_, err := c.UpdateCoupon(context.Background(), r)
		return err
	}, mt.GetTotalCallCount, map[string]string{
		"UUIDCode": "uuid_code", "Name": "name", "TransactionKey": "transaction_key", "Sync.Provider": "sync.provider",
		"Metadata{channel}": "metadata", "Metadata[channel]": "metadata",
		"Metadata{label}": "metadata", "Metadata[label].Text": "metadata",
		"Metadata{list}": "metadata", "Metadata[list][0]": "metadata",
		"Metadata{n}": "metadata", "Metadata[n]": "metadata",
		"Metadata{nested}": "metadata", "Metadata[nested]{k}": "metadata", "Metadata[nested][k]": "metadata",
		"Metadata{pairs}": "metadata", "Metadata[pairs]{p}": "metadata", "Metadata[pairs][p]": "metadata",
		"Metadata{tags}": "metadata", "Metadata[tags][0]": "metadata",
	})
}

// TestMetadataMayHoldTheReplacementCharacter: a valid U+FFFD is data, not
// a sign of invalid input.
func TestMetadataMayHoldTheReplacementCharacter(t *testing.T) {
	req := minimalRequest()
	req.UUIDCode = "coupon_\uFFFD"
	req.Metadata = map[string]any{"\uFFFD": label{Text: "\uFFFD"}}
	r, body := send(t, req)
	require.NotNil(t, r)
	assert.JSONEq(t, `{"uuid_code":"coupon_\uFFFD","name":"PARTNERO25_UPDATED","metadata":{"\uFFFD":{"text":"\uFFFD"}}}`, body)
}

// TestValidationErrorNamesTheCoupon: the error says which vendor, which
// operation and which coupon (Partnero selects it in the body).
func TestValidationErrorNamesTheCoupon(t *testing.T) {
	c, mt := newMocked(t)
	_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Name: partnero.Ptr(" ")})
	var ve *partnero.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "partnero", ve.Vendor)
	assert.Equal(t, `PUT /v1/coupons uuid_code "coupon_123"`, ve.Operation)
	assert.EqualError(t, err, `partnero: invalid request for PUT /v1/coupons uuid_code "coupon_123": name must not be blank when set`)

	// Metadata that does not encode is found while encoding, and named the same way.
	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Metadata: map[string]any{"f": func() {}}})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `PUT /v1/coupons uuid_code "coupon_123"`, ve.Operation)
	assert.Contains(t, err.Error(), `partnero: invalid request for PUT /v1/coupons uuid_code "coupon_123": metadata must be encodable as JSON`)

	_, err = c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "c\xff"})
	assert.EqualError(t, err, `partnero: invalid request for PUT /v1/coupons uuid_code "c\xff": uuid_code must be valid UTF-8`)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
