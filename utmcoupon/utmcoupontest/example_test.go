package utmcoupontest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// The server upserts as VTEX does: the first call creates the coupon (201),
// the next replaces all of it (200).
func ExampleServer() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	client := srv.Client()

	req := &utmcoupon.UpdateCouponRequest{CouponCode: "WELCOME10", UtmSource: "newsletter",
		UtmCampaign: utmcoupon.Ptr("spring"), MaxItemsPerClient: 1, ExpirationIntervalPerUse: 36 * time.Hour}
	first, err := client.UpdateCoupon(context.Background(), req)
	fmt.Println(first.Created, err)

	req.UtmCampaign = nil // replaced: the campaign is cleared
	second, _ := client.UpdateCoupon(context.Background(), req)
	c, _ := srv.Coupon("WELCOME10")
	fmt.Println(second.Created, c.UtmCampaign == "", c.ExpirationIntervalPerUse, srv.Requests())
	// Output:
	// true <nil>
	// false true 36h0m0s 2
}
