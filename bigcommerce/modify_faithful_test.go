package bigcommerce_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// faithfulRead is a coupon as BigCommerce may send it: fields this SDK does
// not model (a string, a number, an object, an array, a null, one inside
// applies_to), valid but unusual forms of modeled ones (amount "5.0000",
// min_purchase as a number, restricted_to.countries as one string "AU",
// expires ""), and max_uses_per_customer missing.
const faithfulRead = `{"id":42,"name":"Spring","type":"per_item_discount","amount":"5.0000","min_purchase":25.50,
"expires":"","enabled":true,"code":"SPRING","applies_to":{"entity":"products","ids":[7,9],"x_scope":"kept"},
"num_uses":3,"max_uses":0,"restricted_to":{"countries":"AU"},"shipping_methods":null,
"date_created":"Tue, 13 Mar 2018 16:18:59 +0000","x_string":"s","x_number":1.50,"x_object":{"a":[1,{"b":null}]},
"x_array":["x",2,null],"x_null":null}`

// faithfulRequired is what every PUT of faithfulRead carries: the five
// fields BigCommerce requires, exactly as read.
const faithfulRequired = `"name":"Spring","type":"per_item_discount","amount":"5.0000","code":"SPRING",` +
	`"applies_to":{"entity":"products","ids":[7,9],"x_scope":"kept"}`

// faithfulCases: one field changed each, and the exact PUT body the rule
// prescribes (API.md section 5): the five required fields as read plus the
// changed ones, nothing else (BigCommerce's PUT keeps what it omits).
var faithfulCases = []testutil.ModifyCase[bigcommerce.UpdateCouponRequest]{
	{Name: "amount", Change: func(r *bigcommerce.UpdateCouponRequest) { r.Amount = "7.50" },
		Body:    `{"name":"Spring","type":"per_item_discount","amount":"7.50","code":"SPRING","applies_to":{"entity":"products","ids":[7,9],"x_scope":"kept"}}`,
		Changes: []bigcommerce.FieldChange{{Field: "amount", Old: `"5.0000"`, New: `"7.50"`}}},
	{Name: "enabled", Change: func(r *bigcommerce.UpdateCouponRequest) { r.Enabled = bigcommerce.Ptr(false) },
		Body:    `{` + faithfulRequired + `,"enabled":false}`,
		Changes: []bigcommerce.FieldChange{{Field: "enabled", Old: `true`, New: `false`}}},
	{Name: "applies_to.ids keeps the unknown x_scope", Change: func(r *bigcommerce.UpdateCouponRequest) { r.AppliesTo.IDs = []int{7} },
		Body:    `{"name":"Spring","type":"per_item_discount","amount":"5.0000","code":"SPRING","applies_to":{"entity":"products","ids":[7],"x_scope":"kept"}}`,
		Changes: []bigcommerce.FieldChange{{Field: "applies_to.ids", Old: `[7,9]`, New: `[7]`}}},
	{Name: "restricted_to.countries takes the typed list", Change: func(r *bigcommerce.UpdateCouponRequest) {
		r.RestrictedTo.Countries = append(r.RestrictedTo.Countries, "NZ")
	},
		Body:    `{` + faithfulRequired + `,"restricted_to":{"countries":["AU","NZ"]}}`,
		Changes: []bigcommerce.FieldChange{{Field: "restricted_to.countries", Old: `["AU"]`, New: `["AU","NZ"]`}}},
	{Name: "missing max_uses_per_customer set", Change: func(r *bigcommerce.UpdateCouponRequest) { r.MaxUsesPerCustomer = bigcommerce.Ptr(2) },
		Body:    `{` + faithfulRequired + `,"max_uses_per_customer":2}`,
		Changes: []bigcommerce.FieldChange{{Field: "max_uses_per_customer", Old: `0`, New: `2`}}},
}

// TestModifyCouponSendsTheReadExceptTheChange compares the body sent, by
// ModifyCoupon and by ModifyCoupons (whose dry run sends none), parsed with
// numbers kept as text, with the document the rule prescribes.
func TestModifyCouponSendsTheReadExceptTheChange(t *testing.T) {
	testutil.RunModifyCases(t, faithfulCases, func(t *testing.T) testutil.Modifier[bigcommerce.UpdateCouponRequest] {
		c, _, sent := modifyMock(t, faithfulRead, vendorCoupon)
		ctx := context.Background()
		return testutil.Modifier[bigcommerce.UpdateCouponRequest]{
			One: func(change func(*bigcommerce.UpdateCouponRequest) error) ([]bigcommerce.FieldChange, error) {
				resp, err := c.ModifyCoupon(ctx, 42, change)
				if err != nil {
					return nil, err
				}
				return resp.Changes, nil
			},
			Bulk: func(change func(*bigcommerce.UpdateCouponRequest) error, dry bool) [][]bigcommerce.FieldChange {
				return testutil.ModifyAll(t, c.ModifyCoupons(ctx, []int{42}, change, &bigcommerce.BulkOptions{DryRun: dry}),
					func(r *bigcommerce.ModifyCouponResponse) []bigcommerce.FieldChange { return r.Changes })
			},
			Sent: func() []string { return sent.Bodies },
		}
	})
}

// TestModifyCouponRequiredFieldMissingFromTheRead: a read without a field
// every PUT requires is refused, naming it, with nothing sent, unless the
// change sets it; then the change's value is sent.
func TestModifyCouponRequiredFieldMissingFromTheRead(t *testing.T) {
	read := `{"id":42,"name":"Spring","type":"per_item_discount","amount":"5.0000","applies_to":{"entity":"products","ids":[7]},"x":1}`
	c, _, puts := modifyMock(t, read, vendorCoupon)
	_, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.Amount = "6"
		return nil
	})
	var ve *bigcommerce.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "code", ve.Fields[0].Field)
	assert.Equal(t, "PUT /stores/abc123/v2/coupons/42", ve.Operation)
	assert.ErrorIs(t, err, bigcommerce.ErrNotSent)
	assert.Empty(t, puts.Reqs, "nothing sent")

	_, err = c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.Code = "SPRING"
		return nil
	})
	require.NoError(t, err)
	require.Len(t, puts.Bodies, 1)
	testutil.SameJSON(t, `{"name":"Spring","type":"per_item_discount","amount":"5.0000","applies_to":{"entity":"products","ids":[7]},"code":"SPRING"}`, puts.Bodies[0])

	// applies_to null (a promotion coupon): refused, as BigCommerce would
	// clear it.
	c, _, puts = modifyMock(t, `{"id":42,"name":"P","type":"promotion","amount":"0","code":"P","applies_to":null}`, vendorCoupon)
	_, err = c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
		r.Name = "Q"
		return nil
	})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "applies_to", ve.Fields[0].Field)
	assert.Empty(t, puts.Reqs)
}
