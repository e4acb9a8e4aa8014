package bigcommerce_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// fullCoupon has every writable field away from its zero value.
func fullCoupon() bigcommerce.Coupon {
	exp := time.Date(2026, 12, 31, 23, 59, 0, 0, time.FixedZone("", -5*3600))
	return bigcommerce.Coupon{
		ID: 42, Name: "Winter", Type: bigcommerce.PerItemDiscount, Amount: "3.5000", MinPurchase: "20.0000",
		Expires: &exp, Enabled: true, Code: "WINTER", NumUses: 4, MaxUses: 100, MaxUsesPerCustomer: 2,
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{7, 9}},
		RestrictedTo: &bigcommerce.RestrictedTo{Countries: []string{"AU"}, States: map[string][]string{"US": {"CA"}},
			Zips: map[string][]string{"AU": {"2000"}}},
		ShippingMethods: []string{"shipping_flatrate"}, DateCreated: time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC),
	}
}

// TestUpdateRequestFillsEveryField is the reflection check: a new field of
// UpdateCouponRequest that UpdateRequest does not fill fails here, instead
// of being silently wiped on BigCommerce by a full PUT.
func TestUpdateRequestFillsEveryField(t *testing.T) {
	c := fullCoupon()
	testutil.AllFieldsSet(t, c.UpdateRequest())

	// A coupon with no expiry, no restriction and no minimum still sets
	// every field explicitly; only a nil ShippingMethods stays nil.
	bare := bigcommerce.Coupon{ID: 1, Name: "n", Type: bigcommerce.Promotion, Amount: "0.0000", Code: "C",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}}
	req := bare.UpdateRequest()
	testutil.AllFieldsSet(t, req, "ShippingMethods")
	require.NotNil(t, req.Expires)
	assert.True(t, req.Expires.IsZero(), "no expiry is a pointer to the zero time: sends \"\"")
	assert.Equal(t, &bigcommerce.RestrictedTo{}, req.RestrictedTo, "no restriction is sent as {}")
	assert.Equal(t, "0", *req.MinPurchase)
	assert.Nil(t, req.ShippingMethods)
	bare.ShippingMethods = []string{}
	assert.Equal(t, []string{}, bare.UpdateRequest().ShippingMethods, "empty stays empty, apart from nil")
}

func TestUpdateRequestSharesNoMemory(t *testing.T) {
	c := fullCoupon()
	req := c.UpdateRequest()
	req.AppliesTo.IDs[0] = 1
	req.RestrictedTo.Countries[0] = "NZ"
	req.RestrictedTo.States["US"][0] = "NY"
	req.RestrictedTo.Zips["AU"][0] = "3000"
	req.ShippingMethods[0] = "x"
	*req.Expires = time.Time{}
	assert.Equal(t, fullCoupon(), c)
}

// modifyMock answers the read with coupon (a JSON object) and a PUT with
// put; it records every request.
func modifyMock(t *testing.T, coupon, put string) (*bigcommerce.Client, *captured, *captured) {
	t.Helper()
	c, mt := newMocked(t)
	var gets, puts captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&gets, jsonResponder(200, "["+coupon+"]", "X-Rate-Limit-Requests-Left", "9")))
	mt.RegisterResponder(http.MethodPut, couponURL, sequence(&puts, jsonResponder(200, put)))
	return c, &gets, &puts
}

func TestModifyCouponWire(t *testing.T) {
	updated := `{"id":42,"name":"$5 off","type":"per_total_discount","amount":"7.5000","min_purchase":"25.0000","expires":"",
"enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,"max_uses":0,
"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`
	c, gets, puts := modifyMock(t, vendorCoupon, updated)
	resp, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.Amount = "7.50"
		return nil
	})
	require.NoError(t, err)
	require.Len(t, gets.Reqs, 1, "exactly one read")
	assert.Equal(t, "id=42", gets.Reqs[0].URL.RawQuery)
	require.Len(t, puts.Reqs, 1, "exactly one write")
	// The five fields BigCommerce's PUT requires, as read, plus the
	// changed one; nothing else (the PUT keeps what it omits).
	assert.Equal(t, `{"name":"$5 off","type":"per_total_discount","amount":"7.50","code":"S2549JM0Y",`+
		`"applies_to":{"entity":"categories","ids":[0]}}`, puts.Bodies[0])
	assert.Equal(t, "application/json", puts.Reqs[0].Header.Get("Content-Type"))
	assert.Equal(t, []bigcommerce.FieldChange{{Field: "amount", Old: `"5.0000"`, New: `"7.50"`}}, resp.Changes)
	assert.Equal(t, "5.0000", resp.Before.Amount)
	assert.Equal(t, "7.5000", resp.After.Amount, "After is the vendor's answer")
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Nil(t, resp.Meta.RateLimit, "Meta is the update's (its answer carried no rate-limit headers)")
}

func TestModifyCouponNoChangeSendsNoWrite(t *testing.T) {
	for name, change := range map[string]func(*bigcommerce.UpdateCouponRequest) error{
		"nothing":    func(*bigcommerce.UpdateCouponRequest) error { return nil },
		"same value": func(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "5.0000"; return nil },
		"same ids, copy": func(r *bigcommerce.UpdateCouponRequest) error {
			r.AppliesTo = &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}
			return nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			c, gets, puts := modifyMock(t, vendorCoupon, vendorCoupon)
			resp, err := c.ModifyCoupon(context.Background(), 42, change)
			require.NoError(t, err)
			assert.Len(t, gets.Reqs, 1)
			assert.Empty(t, puts.Reqs, "a no-op change sends no write")
			assert.Empty(t, resp.Changes)
			assert.Equal(t, resp.Before, resp.After)
			require.NotNil(t, resp.Meta.RateLimit, "Meta is the read's")
			assert.Equal(t, 9, resp.Meta.RateLimit.Remaining)
		})
	}
}

func TestModifyCouponRefusals(t *testing.T) {
	boom := errors.New("boom")
	t.Run("change error", func(t *testing.T) {
		c, gets, puts := modifyMock(t, vendorCoupon, vendorCoupon)
		resp, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
			r.Amount = "9"
			return boom
		})
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, boom)
		assert.Contains(t, err.Error(), "42")
		assert.Len(t, gets.Reqs, 1)
		assert.Empty(t, puts.Reqs)
	})
	t.Run("key change", func(t *testing.T) {
		c, _, puts := modifyMock(t, vendorCoupon, vendorCoupon)
		_, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
			r.ID = 43
			return nil
		})
		var v *bigcommerce.ValidationError
		require.ErrorAs(t, err, &v)
		assert.Equal(t, "id", v.Fields[0].Field)
		assert.Equal(t, "PUT /stores/abc123/v2/coupons/42", v.Operation)
		assert.Equal(t, "bigcommerce", v.Vendor)
		assert.Empty(t, puts.Reqs)
	})
	t.Run("invalid result", func(t *testing.T) {
		c, _, puts := modifyMock(t, vendorCoupon, vendorCoupon)
		_, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
			r.AppliesTo = nil
			return nil
		})
		var v *bigcommerce.ValidationError
		require.ErrorAs(t, err, &v)
		assert.Equal(t, "applies_to", v.Fields[0].Field)
		assert.Equal(t, "PUT /stores/abc123/v2/coupons/42", v.Operation)
		assert.Empty(t, puts.Reqs)
	})
	t.Run("nil change", func(t *testing.T) {
		c, gets, _ := modifyMock(t, vendorCoupon, vendorCoupon)
		_, err := c.ModifyCoupon(context.Background(), 42, nil)
		assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
		assert.Empty(t, gets.Reqs, "nothing is sent")
	})
	t.Run("bad id", func(t *testing.T) {
		c, gets, _ := modifyMock(t, vendorCoupon, vendorCoupon)
		_, err := c.ModifyCoupon(context.Background(), 0, func(*bigcommerce.UpdateCouponRequest) error { return nil })
		assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
		assert.Contains(t, err.Error(), "bigcommerce: invalid request for GET /stores/abc123/v2/coupons?id=0: id must be greater than 0")
		assert.Empty(t, gets.Reqs)
	})
	t.Run("not found", func(t *testing.T) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, listURL, testutil.Respond(204, "", ""))
		called := false
		_, err := c.ModifyCoupon(context.Background(), 42, func(*bigcommerce.UpdateCouponRequest) error { called = true; return nil })
		testutil.OnlySentinel(t, err, bigcommerce.ErrNotFound)
		assert.False(t, called)
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
	t.Run("failed update", func(t *testing.T) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, "["+vendorCoupon+"]"))
		mt.RegisterResponder(http.MethodPut, couponURL, jsonResponder(409, `[{"status":409,"message":"The field 'code' must be unique."}]`))
		resp, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error { r.Code = "TAKEN"; return nil })
		assert.Nil(t, resp)
		testutil.OnlySentinel(t, err, bigcommerce.ErrConflict)
	})
}

// TestModifyCouponChanges: Changes lists exactly the wire fields that
// differ, nested ones dotted, in wire order.
func TestModifyCouponChanges(t *testing.T) {
	c, _, puts := modifyMock(t, vendorCoupon, vendorCoupon)
	exp := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	resp, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.AppliesTo.IDs = []int{0, 3}
		r.Expires = &exp
		r.Enabled = bigcommerce.Ptr(false)
		r.RestrictedTo.Countries = []string{"AU"}
		r.ShippingMethods = []string{}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, []bigcommerce.FieldChange{
		{Field: "applies_to.ids", Old: `[0]`, New: `[0,3]`},
		{Field: "expires", Old: `""`, New: `"Sun, 31 Jan 2027 00:00:00 +0000"`},
		{Field: "enabled", Old: `true`, New: `false`},
		{Field: "restricted_to.countries", Old: ``, New: `["AU"]`},
		{Field: "shipping_methods", Old: ``, New: `[]`},
	}, resp.Changes)
	require.Len(t, puts.Bodies, 1)
	assert.Contains(t, puts.Bodies[0], `"shipping_methods":[]`)
	assert.Equal(t, []int{0}, resp.Before.AppliesTo.IDs, "Before is the coupon as read")
}
