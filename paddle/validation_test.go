package paddle_test

import (
	"context"
	"testing"

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
