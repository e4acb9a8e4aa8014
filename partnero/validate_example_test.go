package partnero_test

import (
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/partnero"
)

// Validate checks a request as UpdateCoupon would, without a client and
// without sending anything: here a blank name, which Partnero refuses.
func ExampleUpdateCouponRequest_Validate() {
	req := &partnero.UpdateCouponRequest{UUIDCode: "summer_001", Name: partnero.Ptr("  ")}
	err := req.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, partnero.ErrInvalidRequest))
	req.Name = partnero.Ptr("Summer sale")
	fmt.Println(req.Validate())
	// Output:
	// partnero: invalid request: name must not be blank when set
	// true
	// <nil>
}
