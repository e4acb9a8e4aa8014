package bigcommerce_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// baseCoupon has every writable field at its default, in the forms
// BigCommerce stores them ("5.0000").
func baseCoupon() bigcommerce.Coupon {
	return bigcommerce.Coupon{
		ID: 42, Name: "Base", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000", MinPurchase: "0.0000", Code: "BASE",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		NumUses:   3, DateCreated: time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC),
	}
}

// sameCoupon asserts want == got, comparing times as instants.
func sameCoupon(t *testing.T, want, got bigcommerce.Coupon) {
	t.Helper()
	norm := func(c bigcommerce.Coupon) bigcommerce.Coupon {
		if c.Expires != nil {
			e := c.Expires.UTC()
			c.Expires = &e
		}
		c.DateCreated = c.DateCreated.UTC()
		return c
	}
	assert.Equal(t, norm(want), norm(got))
}

// TestModifyRoundTripFieldByField: for each writable field, a coupon with
// that field away from its default survives a ModifyCoupon that changes a
// different field. A full PUT that dropped or mangled the field would show
// here, against the test server's state.
func TestModifyRoundTripFieldByField(t *testing.T) {
	expires := time.Date(2027, 1, 2, 3, 4, 5, 0, time.FixedZone("", -5*3600))
	tests := []struct {
		name string
		set  func(c *bigcommerce.Coupon)
	}{
		{"name", func(c *bigcommerce.Coupon) { c.Name = "Renamed coupon" }},
		{"type", func(c *bigcommerce.Coupon) { c.Type = bigcommerce.PercentageDiscount }},
		{"amount", func(c *bigcommerce.Coupon) { c.Amount = "12.5000" }},
		{"code", func(c *bigcommerce.Coupon) { c.Code = "Other code_1-2" }},
		{"applies_to products", func(c *bigcommerce.Coupon) {
			c.AppliesTo = &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{7, 9}}
		}},
		{"min_purchase", func(c *bigcommerce.Coupon) { c.MinPurchase = "30.0000" }},
		{"no expiry", func(c *bigcommerce.Coupon) { c.Expires = nil }},
		{"an expiry", func(c *bigcommerce.Coupon) { c.Expires = &expires }},
		{"enabled", func(c *bigcommerce.Coupon) { c.Enabled = true }},
		{"max_uses", func(c *bigcommerce.Coupon) { c.MaxUses = 100 }},
		{"max_uses_per_customer", func(c *bigcommerce.Coupon) { c.MaxUsesPerCustomer = 2 }},
		{"restricted_to countries", func(c *bigcommerce.Coupon) {
			c.RestrictedTo = &bigcommerce.RestrictedTo{Countries: []string{"AU", "NZ"}}
		}},
		{"restricted_to countries, states and zips", func(c *bigcommerce.Coupon) {
			c.RestrictedTo = &bigcommerce.RestrictedTo{Countries: []string{"AU"},
				States: map[string][]string{"US": {"CA", "NY"}}, Zips: map[string][]string{"AU": {"2000", "2001"}}}
		}},
		{"shipping_methods nil", func(c *bigcommerce.Coupon) { c.ShippingMethods = nil }},
		{"shipping_methods empty", func(c *bigcommerce.Coupon) { c.ShippingMethods = []string{} }},
		{"shipping_methods set", func(c *bigcommerce.Coupon) { c.ShippingMethods = []string{"shipping_endicia", "shipping_flatrate"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := bigcommercetest.NewServer()
			defer srv.Close()
			orig := baseCoupon()
			tt.set(&orig)
			srv.AddCoupon(orig)
			// Change a different field: max_uses, or name on the max_uses row.
			want := orig
			field, old, new := "max_uses", `0`, `777`
			change := func(r *bigcommerce.UpdateCouponRequest) error { r.MaxUses = bigcommerce.Ptr(777); return nil }
			want.MaxUses = 777
			if tt.name == "max_uses" {
				want.MaxUses = orig.MaxUses
				field, old, new = "name", `"Base"`, `"Changed"`
				change = func(r *bigcommerce.UpdateCouponRequest) error { r.Name = "Changed"; return nil }
				want.Name = "Changed"
			}

			resp, err := srv.Client().ModifyCoupon(context.Background(), 42, change)
			require.NoError(t, err)
			assert.Equal(t, []bigcommerce.FieldChange{{Field: field, Old: old, New: new}}, resp.Changes)
			assert.Equal(t, 2, srv.Requests(), "one read, one write")
			got, ok := srv.Coupon(42)
			require.True(t, ok)
			sameCoupon(t, want, got)
			sameCoupon(t, want, resp.After)
		})
	}
}

// TestModifyExpiry: adding an expiry and removing it, both through
// ModifyCoupon, against the test server.
func TestModifyExpiry(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(baseCoupon())
	c := srv.Client()
	ctx := context.Background()
	exp := time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC)
	resp, err := c.ModifyCoupon(ctx, 42, func(r *bigcommerce.UpdateCouponRequest) error { r.Expires = &exp; return nil })
	require.NoError(t, err)
	assert.Equal(t, []bigcommerce.FieldChange{{Field: "expires", Old: `""`, New: `"Thu, 31 Dec 2026 23:59:59 +0000"`}}, resp.Changes)
	got, _ := srv.Coupon(42)
	require.NotNil(t, got.Expires)
	assert.True(t, exp.Equal(*got.Expires))

	resp, err = c.ModifyCoupon(ctx, 42, func(r *bigcommerce.UpdateCouponRequest) error { r.Expires = &time.Time{}; return nil })
	require.NoError(t, err)
	assert.Equal(t, []bigcommerce.FieldChange{{Field: "expires", Old: `"Thu, 31 Dec 2026 23:59:59 +0000"`, New: `""`}}, resp.Changes)
	got, _ = srv.Coupon(42)
	assert.Nil(t, got.Expires, "the zero time removes the expiry")
	sameCoupon(t, baseCoupon(), got)
}

// TestModifyRestrictionAndShippingMethods: clearing a restriction and
// every shipping method takes explicit empty values.
func TestModifyRestrictionAndShippingMethods(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	orig := baseCoupon()
	orig.RestrictedTo = &bigcommerce.RestrictedTo{Countries: []string{"AU"}, Zips: map[string][]string{"AU": {"2000"}}}
	orig.ShippingMethods = []string{"shipping_endicia"}
	srv.AddCoupon(orig)
	resp, err := srv.Client().ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.RestrictedTo = &bigcommerce.RestrictedTo{}
		r.ShippingMethods = []string{}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []bigcommerce.FieldChange{
		{Field: "restricted_to.countries", Old: `["AU"]`, New: ``},
		{Field: "restricted_to.zips", Old: `{"AU":["2000"]}`, New: ``},
		{Field: "shipping_methods", Old: `["shipping_endicia"]`, New: `[]`},
	}, resp.Changes)
	got, _ := srv.Coupon(42)
	assert.Nil(t, got.RestrictedTo)
	assert.Equal(t, []string{}, got.ShippingMethods)
	assert.Nil(t, resp.After.RestrictedTo)
}

// TestModifyUnderLoad: the read and the write are each retried on a 429
// and on FailNext's 503, since both are idempotent.
func TestModifyUnderLoad(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(baseCoupon())
	srv.FailNext(1, 503)
	c := srv.Client(bigcommerce.WithRetryPolicy(fastRetries))
	resp, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "6"; return nil })
	require.NoError(t, err)
	assert.Equal(t, "6.0000", resp.After.Amount)
	assert.Equal(t, 3, srv.Requests(), "a failed read, the read, the write")
}
