package bigcommerce_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// fullRequest sets every field, every string among them.
func fullRequest() *bigcommerce.UpdateCouponRequest {
	r := minimalRequest()
	r.MinPurchase = bigcommerce.Ptr("25.00")
	r.Expires = bigcommerce.Ptr(time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC))
	r.Enabled, r.MaxUses, r.MaxUsesPerCustomer = bigcommerce.Ptr(true), bigcommerce.Ptr(10), bigcommerce.Ptr(1)
	r.RestrictedTo = &bigcommerce.RestrictedTo{
		Countries: []string{"US"},
		States:    map[string][]string{"US": {"CA"}},
		Zips:      map[string][]string{"US": {"94105"}},
	}
	r.ShippingMethods = []string{"ups"}
	return r
}

// TestEveryStringIsValidUTF8 corrupts each string of a request in turn:
// encoding/json would send U+FFFD in its place, storing another value.
func TestEveryStringIsValidUTF8(t *testing.T) {
	c, mt := newMocked(t)
	testutil.CheckEveryString(t, fullRequest,
		func(r *bigcommerce.UpdateCouponRequest) error {
			_, err := c.UpdateCoupon(context.Background(), r)
			return err
		},
		mt.GetTotalCallCount,
		map[string]string{
			"Name": "name", "Type": "type", "Amount": "amount", "Code": "code",
			"AppliesTo.Entity": "applies_to.entity", "MinPurchase": "min_purchase",
			"RestrictedTo.Countries[0]": "restricted_to.countries",
			"RestrictedTo.States{US}":   "restricted_to.states", "RestrictedTo.States[US][0]": "restricted_to.states",
			"RestrictedTo.Zips{US}": "restricted_to.zips", "RestrictedTo.Zips[US][0]": "restricted_to.zips",
			"ShippingMethods[0]": "shipping_methods",
		})
}

// TestExpiresYearRange: RFC 2822 has four-digit years, as Paddle's and
// JFramework's date formats do, and the same range applies.
func TestExpiresYearRange(t *testing.T) {
	c, mt := newMocked(t)
	for _, y := range []int{12026, 10000, -1, 0} {
		r := minimalRequest()
		r.Expires = bigcommerce.Ptr(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
		_, err := c.UpdateCoupon(context.Background(), r)
		var ve *bigcommerce.ValidationError
		require.ErrorAs(t, err, &ve, "year %d", y)
		assert.Equal(t, []bigcommerce.FieldError{{Field: "expires", Problem: "must be a date in the years 0001 to 9999"}}, ve.Fields)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// TestValidationErrorNamesTheCoupon: the error says which vendor, which
// operation and which coupon, with the wire field.
func TestValidationErrorNamesTheCoupon(t *testing.T) {
	c, mt := newMocked(t)
	r := minimalRequest()
	r.Name, r.Code = "", "NO!"
	_, err := c.UpdateCoupon(context.Background(), r)
	var ve *bigcommerce.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "bigcommerce", ve.Vendor)
	assert.Equal(t, "PUT /stores/abc123/v2/coupons/42", ve.Operation)
	assert.EqualError(t, err, "bigcommerce: invalid request for PUT /stores/abc123/v2/coupons/42: "+
		"name is required; code may contain only letters, digits, spaces, underscores and hyphens")

	_, err = c.UpdateCoupon(context.Background(), nil)
	assert.EqualError(t, err, "bigcommerce: invalid request: request is required")
	assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
