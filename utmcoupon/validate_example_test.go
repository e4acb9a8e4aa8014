package utmcoupon_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
)

// Validate checks a request as UpdateCoupon would, without a client and
// without sending anything: here a missing utmSource and a negative
// interval.
func ExampleUpdateCouponRequest_Validate() {
	req := &utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER-001", ExpirationIntervalPerUse: -time.Hour}
	err := req.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, utmcoupon.ErrInvalidRequest))
	req.UtmSource, req.ExpirationIntervalPerUse = "newsletter", 14*24*time.Hour
	fmt.Println(req.Validate())
	// Output:
	// utmcoupon: invalid request: utmSource is required; expirationIntervalPerUse must not be negative
	// true
	// <nil>
}
