package paddle_test

import (
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/paddle"
)

// Validate checks a request as UpdateCoupon would, without a client and
// without sending anything: here a code shorter than Paddle's 5
// characters and a discount that is not positive.
func ExampleUpdateCouponRequest_Validate() {
	req := &paddle.UpdateCouponRequest{CouponCode: "SUM", DiscountAmount: paddle.Ptr(-5.0)}
	err := req.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, paddle.ErrInvalidRequest))
	req.CouponCode, req.DiscountAmount = "SUMMER15", paddle.Ptr(15.0)
	fmt.Println(req.Validate())
	// Output:
	// paddle: invalid request: coupon_code must be at least 5 characters; discount_amount must be a positive number
	// true
	// <nil>
}
