package bigcommerce

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/couponkit/couponkit/internal/wire"
)

// writable is the part of a coupon a PUT writes, in comparable form.
type writable struct {
	Name, Type, Amount, Code, MinPurchase string
	AppliesTo                             *AppliesTo
	Expires                               int64 // Unix nanoseconds; 0: no expiry
	HasExpiry                             bool
	Enabled                               bool
	MaxUses, MaxUsesPerCustomer           int
	RestrictedTo                          *RestrictedTo
	ShippingMethods                       []string
}

func writableOf(c *Coupon) writable {
	w := writable{
		Name: c.Name, Type: string(c.Type), Amount: c.Amount, Code: c.Code, MinPurchase: c.MinPurchase,
		AppliesTo: c.AppliesTo, Enabled: c.Enabled, MaxUses: c.MaxUses, MaxUsesPerCustomer: c.MaxUsesPerCustomer,
		RestrictedTo: c.RestrictedTo, ShippingMethods: c.ShippingMethods,
	}
	if w.MinPurchase == "" {
		w.MinPurchase = "0" // no minimum: UpdateRequest sends "0"
	}
	if c.Expires != nil {
		w.HasExpiry, w.Expires = true, c.Expires.Unix()
	}
	return w
}

// FuzzUpdateRequestRoundTrip: any vendor-shaped coupon, decoded, turned into
// its UpdateRequest and encoded as the PUT body, decodes back to the same
// writable fields; the body carries every writable field (shipping_methods
// only when set) and no read-only one.
func FuzzUpdateRequestRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000","expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`,
		`{"id":2,"name":"Limit by Location","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000","expires":"","enabled":true,"code":"E3JC79S0I","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,"max_uses":25,"max_uses_per_customer":0,"restricted_to":{"countries":"AU"},"shipping_methods":["shipping_endicia"],"date_created":"Tue, 12 Jun 2018 20:22:19 +0000"}`,
		`{"id":3,"name":"x","type":"promotion","amount":0,"min_purchase":null,"expires":"Wed, 31 Dec 2025 23:59:59 -0500","enabled":"1","code":"P","applies_to":null,"restricted_to":{"states":{"US":"CA"},"zips":{"AU":[2000,"2001"]}},"shipping_methods":[]}`,
		`{"id":"4","applies_to":{"entity":"products","ids":["7",9]},"restricted_to":{},"shipping_methods":{},"max_uses":"3"}`,
		`{"id":5,"expires":"Mon, 01 Jan 0001 00:00:00 +0000","name":"\u00e9\u2028","code":"a\"b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Coupon
		if c.decode(b) != nil {
			return
		}
		body, err := json.Marshal(c.UpdateRequest().wire())
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		for _, k := range []string{"name", "type", "amount", "code", "applies_to", "min_purchase", "expires",
			"enabled", "max_uses", "max_uses_per_customer", "restricted_to"} {
			if _, ok := fields[k]; !ok {
				t.Fatalf("body %s lacks %s", body, k)
			}
		}
		if _, ok := fields["shipping_methods"]; ok != (c.ShippingMethods != nil) {
			t.Fatalf("shipping_methods %v sent as %s", c.ShippingMethods, body)
		}
		for _, k := range []string{"id", "num_uses", "date_created"} {
			if _, ok := fields[k]; ok {
				t.Fatalf("body %s carries read-only %s", body, k)
			}
		}
		var w couponJSON
		if err := json.Unmarshal(body, &w); err != nil {
			t.Fatalf("decode body %s: %v", body, err)
		}
		w.ID = wire.Int{V: c.ID, Set: true}
		var back Coupon
		if err := w.coupon(&back); err != nil {
			t.Fatalf("decode body %s: %v", body, err)
		}
		if a, b := writableOf(&c), writableOf(&back); !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the coupon\n in: %+v\nout: %+v\nbody: %s", a, b, body)
		}
	})
}
