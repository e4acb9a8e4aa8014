package paddle_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/paddle"
)

// TestEveryStringIsValidUTF8 corrupts each string of a request in turn,
// for a single coupon and for a group (they exclude each other).
func TestEveryStringIsValidUTF8(t *testing.T) {
	c, mt := newMocked(t)
	update := func(r *paddle.UpdateCouponRequest) error {
		_, err := c.UpdateCoupon(context.Background(), r)
		return err
	}
	testutil.CheckEveryString(t, func() *paddle.UpdateCouponRequest {
		return &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2027", NewGroup: "summer",
			Currency: paddle.USD, DiscountAmount: paddle.Ptr(5.0)}
	}, update, mt.GetTotalCallCount, map[string]string{
		"CouponCode": "coupon_code", "NewCouponCode": "new_coupon_code", "NewGroup": "new_group", "Currency": "currency",
	})
	testutil.CheckEveryString(t, func() *paddle.UpdateCouponRequest {
		return &paddle.UpdateCouponRequest{Group: "spring", NewGroup: "summer"}
	}, update, mt.GetTotalCallCount, map[string]string{"Group": "group", "NewGroup": "new_group"})
}

// TestValidationErrorNamesTheCoupon: the error says which vendor, which
// operation and which coupon (Paddle selects it in the form), never a
// credential even when one is misplaced into the coupon code.
func TestValidationErrorNamesTheCoupon(t *testing.T) {
	c, mt := newMocked(t)
	_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER15", Currency: "usd"})
	var ve *paddle.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "paddle", ve.Vendor)
	assert.Equal(t, `POST /api/2.1/product/update_coupon coupon_code "SUMMER15"`, ve.Operation)
	assert.EqualError(t, err, `paddle: invalid request for POST /api/2.1/product/update_coupon coupon_code "SUMMER15": `+
		`currency must be one of "USD", "GBP", "EUR"`)

	_, err = c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{Group: "spring", NewCouponCode: "RENAMED1"})
	assert.EqualError(t, err, `paddle: invalid request for POST /api/2.1/product/update_coupon group "spring": `+
		`new_coupon_code is not allowed when updating a group`)

	_, err = c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: authCode, Currency: "usd"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), authCode[:8])

	_, err = c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{})
	assert.EqualError(t, err, "paddle: invalid request for POST /api/2.1/product/update_coupon: coupon_code or group is required (exactly one of them)")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
