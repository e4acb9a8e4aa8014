package utmcoupon_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// TestValidationErrorNamesTheCoupon: the error says which vendor, which
// operation and which coupon (the upsert is keyed by couponCode).
func TestValidationErrorNamesTheCoupon(t *testing.T) {
	c, mt := newMocked(t)
	r := seedRequest()
	r.UtmSource, r.MaxItemsPerClient = "", -1
	_, err := c.UpdateCoupon(context.Background(), r)
	var ve *utmcoupon.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "utmcoupon", ve.Vendor)
	assert.Equal(t, `POST /api/rnb/pvt/coupon couponCode "ctest"`, ve.Operation)
	assert.EqualError(t, err, `utmcoupon: invalid request for POST /api/rnb/pvt/coupon couponCode "ctest": `+
		`utmSource is required; maxItemsPerClient must not be negative`)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
