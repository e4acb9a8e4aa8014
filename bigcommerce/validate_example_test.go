package bigcommerce_test

import (
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/bigcommerce"
)

// Validate checks a request as UpdateCoupon would, without a client and
// without sending anything: here a coupon code with a character
// BigCommerce refuses and a negative use cap.
func ExampleUpdateCouponRequest_Validate() {
	req := &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Summer", Type: bigcommerce.PercentageDiscount, Amount: "15.00", Code: "SUMMER!",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		MaxUses:   bigcommerce.Ptr(-1),
	}
	err := req.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, bigcommerce.ErrInvalidRequest), errors.Is(err, bigcommerce.ErrNotSent))
	req.Code, req.MaxUses = "SUMMER", bigcommerce.Ptr(0)
	fmt.Println(req.Validate())
	// Output:
	// bigcommerce: invalid request: code may contain only letters, digits, spaces, underscores and hyphens; max_uses must not be negative
	// true true
	// <nil>
}
