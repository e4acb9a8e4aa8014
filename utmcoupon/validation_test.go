package utmcoupon_test

import (
	"context"
	"testing"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
)

// TestEveryStringIsValidUTF8 corrupts each string of a request in turn:
// the upsert would otherwise create a coupon under another code.
func TestEveryStringIsValidUTF8(t *testing.T) {
	c, mt := newMocked(t)
	testutil.CheckEveryString(t, func() *utmcoupon.UpdateCouponRequest {
		r := seedRequest()
		r.UtmCampaign = utmcoupon.Ptr("summer")
		return r
	}, func(r *utmcoupon.UpdateCouponRequest) error {
		_, err := c.UpdateCoupon(context.Background(), r)
		return err
	}, mt.GetTotalCallCount, map[string]string{
		"CouponCode": "couponCode", "UtmSource": "utmSource", "UtmCampaign": "utmCampaign",
	})
}
