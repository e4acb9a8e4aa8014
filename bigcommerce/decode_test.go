package bigcommerce

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openAPIList is the getCoupons response example of BigCommerce's own
// OpenAPI document (bigcommerce/docs reference/marketing.v2.yml), as JSON:
// restricted_to {} and a single-string countries, shipping_methods [] and
// a list.
const openAPIList = `[
{"id":1,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"0.0000","expires":"",
 "enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},"num_uses":2,"max_uses":0,
 "max_uses_per_customer":0,"restricted_to":{},"shipping_methods":[],"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"},
{"id":2,"name":"Limit by Location","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000","expires":"",
 "enabled":true,"code":"E3JC79S0I","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,"max_uses":25,
 "max_uses_per_customer":0,"restricted_to":{"countries":"AU"},"shipping_methods":["shipping_endicia"],
 "date_created":"Tue, 12 Jun 2018 20:22:19 +0000"}]`

func TestDecodeOpenAPIListExample(t *testing.T) {
	got, err := decodeCoupons([]byte(openAPIList))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, Coupon{
		ID: 1, Name: "$5 off", Type: PerTotalDiscount, Amount: "5.0000", MinPurchase: "0.0000", Enabled: true,
		Code: "S2549JM0Y", AppliesTo: &AppliesTo{Entity: EntityCategories, IDs: []int{0}}, NumUses: 2,
		ShippingMethods: []string{}, DateCreated: time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC),
	}, utc(got[0]))
	assert.Equal(t, Coupon{
		ID: 2, Name: "Limit by Location", Type: PerTotalDiscount, Amount: "5.0000", MinPurchase: "25.0000",
		Enabled: true, Code: "E3JC79S0I", AppliesTo: &AppliesTo{Entity: EntityCategories, IDs: []int{0}},
		MaxUses: 25, RestrictedTo: &RestrictedTo{Countries: []string{"AU"}},
		ShippingMethods: []string{"shipping_endicia"}, DateCreated: time.Date(2018, 6, 12, 20, 22, 19, 0, time.UTC),
	}, utc(got[1]))
	assert.NotNil(t, got[0].ShippingMethods, "[] must stay an empty non-nil list, distinct from null")
}

// TestDecodeLenientFields checks every field against the looseness
// BigCommerce's examples and PHP back end show.
func TestDecodeLenientFields(t *testing.T) {
	base := func(extra string) string {
		return `{"id":7,"name":"n","type":"promotion","code":"C"` + extra + `}`
	}
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, c Coupon)
	}{
		{"countries as one string", base(`,"restricted_to":{"countries":"AU"}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &RestrictedTo{Countries: []string{"AU"}}, c.RestrictedTo)
		}},
		{"countries as a list", base(`,"restricted_to":{"countries":["AU","NZ"]}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &RestrictedTo{Countries: []string{"AU", "NZ"}}, c.RestrictedTo)
		}},
		{"restricted_to {}", base(`,"restricted_to":{}`), func(t *testing.T, c Coupon) { assert.Nil(t, c.RestrictedTo) }},
		{"restricted_to []", base(`,"restricted_to":[]`), func(t *testing.T, c Coupon) { assert.Nil(t, c.RestrictedTo) }},
		{"restricted_to null", base(`,"restricted_to":null`), func(t *testing.T, c Coupon) { assert.Nil(t, c.RestrictedTo) }},
		{"restricted_to with empty lists", base(`,"restricted_to":{"countries":"","states":[],"zips":{}}`), func(t *testing.T, c Coupon) {
			assert.Nil(t, c.RestrictedTo)
		}},
		{"states and zips, single strings and numbers", base(`,"restricted_to":{"states":{"AU":"NSW","US":["CA","NY"]},"zips":{"AU":[2000,"2001"]}}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &RestrictedTo{
				States: map[string][]string{"AU": {"NSW"}, "US": {"CA", "NY"}},
				Zips:   map[string][]string{"AU": {"2000", "2001"}},
			}, c.RestrictedTo)
		}},
		{"amounts as numbers", base(`,"amount":5,"min_purchase":25.5`), func(t *testing.T, c Coupon) {
			assert.Equal(t, "5", c.Amount)
			assert.Equal(t, "25.5", c.MinPurchase)
		}},
		{"amounts null", base(`,"amount":null,"min_purchase":null`), func(t *testing.T, c Coupon) {
			assert.Equal(t, "", c.Amount)
			assert.Equal(t, "", c.MinPurchase)
		}},
		{"shipping_methods null stays nil", base(`,"shipping_methods":null`), func(t *testing.T, c Coupon) {
			assert.Nil(t, c.ShippingMethods)
		}},
		{"shipping_methods {} is empty", base(`,"shipping_methods":{}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, []string{}, c.ShippingMethods)
		}},
		{"shipping_methods one string", base(`,"shipping_methods":"shipping_endicia"`), func(t *testing.T, c Coupon) {
			assert.Equal(t, []string{"shipping_endicia"}, c.ShippingMethods)
		}},
		{"applies_to null (promotion)", base(`,"applies_to":null`), func(t *testing.T, c Coupon) { assert.Nil(t, c.AppliesTo) }},
		{"applies_to []", base(`,"applies_to":[]`), func(t *testing.T, c Coupon) { assert.Nil(t, c.AppliesTo) }},
		{"applies_to {}", base(`,"applies_to":{}`), func(t *testing.T, c Coupon) { assert.Nil(t, c.AppliesTo) }},
		{"applies_to ids as strings", base(`,"applies_to":{"entity":"products","ids":["7",9]}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &AppliesTo{Entity: EntityProducts, IDs: []int{7, 9}}, c.AppliesTo)
		}},
		{"applies_to ids null", base(`,"applies_to":{"entity":"categories","ids":null}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &AppliesTo{Entity: EntityCategories}, c.AppliesTo)
		}},
		{"applies_to single id", base(`,"applies_to":{"entity":"categories","ids":0}`), func(t *testing.T, c Coupon) {
			assert.Equal(t, &AppliesTo{Entity: EntityCategories, IDs: []int{0}}, c.AppliesTo)
		}},
		{"counters as strings", `{"id":"7","num_uses":"2","max_uses":"25","max_uses_per_customer":"1.0"}`, func(t *testing.T, c Coupon) {
			assert.Equal(t, 7, c.ID)
			assert.Equal(t, 2, c.NumUses)
			assert.Equal(t, 25, c.MaxUses)
			assert.Equal(t, 1, c.MaxUsesPerCustomer)
		}},
		{"counters null", base(`,"num_uses":null,"max_uses":null`), func(t *testing.T, c Coupon) { assert.Zero(t, c.MaxUses) }},
		{"enabled as 1 and string", base(`,"enabled":1`), func(t *testing.T, c Coupon) { assert.True(t, c.Enabled) }},
		{"enabled as string", base(`,"enabled":"false"`), func(t *testing.T, c Coupon) { assert.False(t, c.Enabled) }},
		{"expires empty", base(`,"expires":""`), func(t *testing.T, c Coupon) { assert.Nil(t, c.Expires) }},
		{"expires null", base(`,"expires":null`), func(t *testing.T, c Coupon) { assert.Nil(t, c.Expires) }},
		{"expires set", base(`,"expires":"Wed, 31 Dec 2025 23:59:59 -0500"`), func(t *testing.T, c Coupon) {
			require.NotNil(t, c.Expires)
			assert.True(t, c.Expires.Equal(time.Date(2026, 1, 1, 4, 59, 59, 0, time.UTC)), c.Expires)
		}},
		{"date_created with a zone name", base(`,"date_created":"Tue, 13 Mar 2018 16:18:59 GMT"`), func(t *testing.T, c Coupon) {
			assert.True(t, c.DateCreated.Equal(time.Date(2018, 3, 13, 16, 18, 59, 0, time.UTC)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Coupon
			require.NoError(t, c.decode([]byte(tt.body)))
			tt.check(t, c)
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, body := range []string{
		`{"id":0}`, `{"name":"x"}`, `{"id":[1]}`, `{"id":"x"}`, `{"id":1.5}`, `{"id":1,"enabled":"maybe"}`,
		`{"id":1,"restricted_to":"AU"}`, `{"id":1,"restricted_to":["AU"]}`, `{"id":1,"applies_to":"all"}`,
		`{"id":1,"applies_to":{"ids":["x"]}}`, `{"id":1,"expires":"tomorrow"}`, `{"id":1,"date_created":"2018-03-13"}`,
		`{"id":1,"shipping_methods":[{}]}`, `{"id":1,"restricted_to":{"states":{"AU":[{}]}}}`, `[]`, `null`, `{`,
	} {
		var c Coupon
		assert.Error(t, c.decode([]byte(body)), body)
	}
}

func TestDecodeCouponsShapes(t *testing.T) {
	for _, body := range []string{``, ` `, `null`, `[]`, `{}`, "[ ]\n"} {
		got, err := decodeCoupons([]byte(body))
		assert.NoError(t, err, body)
		assert.Empty(t, got, body)
	}
	for _, body := range []string{`{"id":1}`, `"x"`, `[{"id":1},{"id":0}]`, `[1]`, `[`} {
		_, err := decodeCoupons([]byte(body))
		assert.Error(t, err, body)
	}
}

// utc returns c with its times in UTC, so that assert.Equal compares
// instants rather than time.Location pointers.
func utc(c Coupon) Coupon {
	if c.Expires != nil {
		e := c.Expires.UTC()
		c.Expires = &e
	}
	if !c.DateCreated.IsZero() {
		c.DateCreated = c.DateCreated.UTC()
	}
	return c
}

// FuzzDecodeCoupons: a GET /v2/coupons body never panics the decoder, and
// every coupon it accepts has an id.
func FuzzDecodeCoupons(f *testing.F) {
	for _, s := range []string{openAPIList, `[]`, ``, `null`, `{}`, `[{"id":1,"restricted_to":{"countries":"AU"}}]`,
		`[{"id":"2","applies_to":[],"shipping_methods":"x","enabled":1}]`, `[{"id":0}]`, `[1]`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeCoupons(b)
		if err != nil {
			return
		}
		for i, c := range got {
			if c.ID == 0 {
				t.Fatalf("coupon %d decoded without an id", i)
			}
		}
	})
}
