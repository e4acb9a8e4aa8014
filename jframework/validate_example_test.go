package jframework_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/jframework"
)

// Validate checks a request as UpdateCoupon would, without a client and
// without sending anything: here a percentage above 100 and an end before
// the start.
func ExampleUpdateCouponRequest_Validate() {
	start := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	req := &jframework.UpdateCouponRequest{
		ID: "jf-001", Name: "Summer", Code: "SUMMER-001", Percentage: jframework.Ptr(150.0),
		StartDate: start, EndDate: start.AddDate(0, 0, -1),
	}
	err := req.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, jframework.ErrInvalidRequest))
	req.Percentage, req.EndDate = jframework.Ptr(15.0), start.AddDate(0, 1, 0)
	fmt.Println(req.Validate())
	// Output:
	// jframework: invalid request: percentage must be between 0 and 100; endDate must not be before startDate
	// true
	// <nil>
}
