package bigcommerce_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// modeledFields are the names BigCommerce's coupon decoder reads.
var modeledFields = []string{"id", "name", "type", "amount", "min_purchase", "expires", "enabled", "code", "applies_to",
	"num_uses", "max_uses", "max_uses_per_customer", "restricted_to", "shipping_methods", "date_created"}

// fuzzChanges: one field changed each, and its value in the body (the
// whole top-level field).
var fuzzChanges = []struct {
	change       func(*bigcommerce.UpdateCouponRequest)
	field, value string
}{
	{func(r *bigcommerce.UpdateCouponRequest) { r.Amount = "7.50" }, "amount", `"7.50"`},
	{func(r *bigcommerce.UpdateCouponRequest) { r.Enabled = bigcommerce.Ptr(false) }, "enabled", `false`},
	{func(r *bigcommerce.UpdateCouponRequest) { r.AppliesTo.IDs = []int{7} }, "applies_to", `{"entity":"products","ids":[7],"x_scope":"kept"}`},
	{func(r *bigcommerce.UpdateCouponRequest) { r.MaxUsesPerCustomer = bigcommerce.Ptr(2) }, "max_uses_per_customer", `2`},
}

// FuzzModifyCouponSendsTheReadExceptTheChange: a valid read plus one
// field of any name and JSON value the SDK does not model, one field
// changed: the PUT body is exactly what the rule prescribes (the five
// required fields as read plus the changed one; the extra field is not
// sent, since BigCommerce's PUT keeps what it omits).
func FuzzModifyCouponSendsTheReadExceptTheChange(f *testing.F) {
	f.Add("x_note", []byte(`"s"`), uint8(0))
	f.Add("x", []byte(`{"a":[1,null],"b":{}}`), uint8(1))
	f.Add("n", []byte(`1.50`), uint8(2))
	f.Add("z", []byte(`null`), uint8(3))
	f.Add("\u00e9\"q", []byte(` [1, "x", {"y": null}] `), uint8(0))
	mt := httpmock.NewMockTransport()
	m := testutil.NewModifyFuzz(mt, listURL, func(read string) string { return "[" + read + "]" }, http.MethodPut, couponURL, faithfulRead)
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		f.Fatal(err)
	}
	rule := testutil.Rule{ReadOnly: []string{"id", "num_uses", "date_created"}, Keep: []string{"name", "type", "amount", "code", "applies_to"}}
	f.Fuzz(func(t *testing.T, key string, val []byte, which uint8) {
		ch := fuzzChanges[int(which)%len(fuzzChanges)]
		m.Check(t, rule, faithfulRead, key, val, modeledFields, ch.field, ch.value, func() error {
			_, err := c.ModifyCoupon(context.Background(), 42, func(r *bigcommerce.UpdateCouponRequest) error {
				ch.change(r)
				return nil
			})
			return err
		})
	})
}
