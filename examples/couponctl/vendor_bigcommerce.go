package main

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// bigcommerceVendor is BigCommerce's v2 Marketing API: coupons keyed by a
// numeric id, read and sent back whole (ModifyCoupons), a per-store quota
// reported in X-Rate-Limit-* headers.
var bigcommerceVendor = &adapter[bigcommerce.UpdateCouponRequest, int, bigcommerce.Coupon, *bigcommerce.Client, bigcommerce.Option]{
	id:          "bigcommerce",
	key:         keySyntax{name: "id", numeric: true},
	readable:    true,
	filterNames: []string{"code", "name", "type", "min-id", "max-id", "per-page"},
	envVars: []envVar{
		{Name: "BIGCOMMERCE_STORE_HASH", Doc: "the store hash, abc123 in https://api.bigcommerce.com/stores/abc123/"},
		{Name: "BIGCOMMERCE_ACCESS_TOKEN", Doc: "an API account token with the Marketing modify scope"},
	},
	table: bcFields,
	request: func(key string) *bigcommerce.UpdateCouponRequest {
		id, _ := strconv.Atoi(key)
		return &bigcommerce.UpdateCouponRequest{ID: id, Name: "sample", Code: "SAMPLE", Type: bigcommerce.PercentageDiscount, Amount: "1",
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}}
	},
	validate: (*bigcommerce.UpdateCouponRequest).Validate,
	reqKey:   func(r *bigcommerce.UpdateCouponRequest) string { return strconv.Itoa(r.ID) },
	parseKey: func(k string) int { id, _ := strconv.Atoi(k); return id }, // checked by parseKeys
	options:  options[bigcommerce.Option]{bigcommerce.WithUserAgent, bigcommerce.WithHTTPClient, bigcommerce.WithLogger, bigcommerce.WithBaseURL},
	newClient: func(getenv func(string) string, opts ...bigcommerce.Option) (*bigcommerce.Client, error) {
		return bigcommerce.NewClient(getenv("BIGCOMMERCE_STORE_HASH"), getenv("BIGCOMMERCE_ACCESS_TOKEN"), opts...)
	},
	store: func(getenv func(string) string) string { return "store " + getenv("BIGCOMMERCE_STORE_HASH") },
	demo: demoDef[bigcommerce.Coupon, *bigcommercetest.Server, *bigcommerce.Client, bigcommerce.Option]{
		vendor: "bigcommerce", newServer: bigcommercetest.NewServer, seed: seedBigCommerce,
		key: func(c bigcommerce.Coupon) string { return strconv.Itoa(c.ID) },
		get: func(s *bigcommercetest.Server, k string) (bigcommerce.Coupon, bool) {
			id, _ := strconv.Atoi(k)
			return s.Coupon(id)
		},
		// BigCommerce's Standard-plan quota, 150 requests per 30 s window,
		// with the window shrunk to 1 s so that the demo shows the pacing
		// in a few seconds.
		limit: 150, window: time.Second,
		note: "an in-process bigcommercetest store with coupons 1-300, rate limit 150 requests per 1 s window (BigCommerce's 150 per 30 s, 30x faster)",
	}.start,
	list: func(ctx context.Context, c *bigcommerce.Client, f filterSet) iter.Seq2[bigcommerce.Coupon, error] {
		o := &bigcommerce.ListCouponsOptions{Code: f["code"], Name: f["name"], Type: bigcommerce.CouponType(strings.ToLower(f["type"])),
			MinID: f.number("min-id"), MaxID: f.number("max-id"), PerPage: f.number("per-page")}
		return c.ListCoupons(ctx, o)
	},
	toRow: bcRow,
	modify: func(ctx context.Context, c *bigcommerce.Client, keys []int, change func(*bigcommerce.UpdateCouponRequest) error, o *bulkOptions) iter.Seq[modified] {
		return mapSeq(c.ModifyCoupons(ctx, keys, change, o), func(r bigcommerce.ModifyResult) modified {
			return modified{strconv.Itoa(r.Key), changesOf(r.Response, func(m *bigcommerce.ModifyCouponResponse) []fieldChange { return m.Changes }), r.Err}
		})
	},
}

// bcFields are the BigCommerce fields couponctl sets, by wire name.
var bcFields = fields[bigcommerce.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text, at most 100 characters, unique in the store"), doc: "the coupon's name",
		get:    func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Name} },
		set:    func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Name = v.s; return nil },
		unique: true,
	},
	{
		name: "code", kind: textKind("letters, digits, spaces, _ and -, at most 50, unique in the store"),
		doc:    "the code customers enter",
		get:    func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Code} },
		set:    func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Code = v.s; return nil },
		unique: true,
	},
	{
		name: "type", kind: enumKind(string(bigcommerce.PerItemDiscount), string(bigcommerce.PercentageDiscount),
			string(bigcommerce.PerTotalDiscount), string(bigcommerce.ShippingDiscount), string(bigcommerce.FreeShipping)),
		doc: "the discount type",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return value{s: string(r.Type)} },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error {
			r.Type = bigcommerce.CouponType(v.s)
			return nil
		},
	},
	{
		name: "amount", kind: decimalKind, doc: "the discount: money, or a percentage for percentage_discount",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Amount} },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Amount = v.s; return nil },
	},
	{
		name: "min_purchase", kind: decimalKind, doc: "the least order value the coupon needs (0 for none)", hint: "0 means no minimum",
		get: func(r *bigcommerce.UpdateCouponRequest) value {
			if r.MinPurchase == nil {
				return value{s: "0"}
			}
			return value{s: *r.MinPurchase}
		},
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MinPurchase = &v.s; return nil },
	},
	{
		name: "expires", kind: dateKind, null: optional, doc: "when the coupon expires; none: never",
		get: func(r *bigcommerce.UpdateCouponRequest) value {
			if r.Expires == nil || r.Expires.IsZero() {
				return value{null: true}
			}
			return value{t: *r.Expires}
		},
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error {
			if v.null {
				r.Expires = new(time.Time) // the zero time sends "": no expiry
				return nil
			}
			t := v.t
			r.Expires = &t
			return nil
		},
	},
	{
		name: "enabled", kind: boolKind, doc: "whether customers can use the coupon",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return value{b: r.Enabled != nil && *r.Enabled} },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Enabled = &v.b; return nil },
	},
	{
		name: "max_uses", kind: intKind, doc: "total uses allowed, 0 for unlimited", hint: "0 means unlimited",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return intValue(r.MaxUses) },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MaxUses = &v.i; return nil },
	},
	{
		name: "max_uses_per_customer", kind: intKind, doc: "uses allowed per customer, 0 for unlimited", hint: "0 means unlimited",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return intValue(r.MaxUsesPerCustomer) },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MaxUsesPerCustomer = &v.i; return nil },
	},
}

// bcRow is a listed BigCommerce coupon.
func bcRow(c bigcommerce.Coupon) row {
	var applies any
	if c.AppliesTo != nil {
		applies = map[string]any{"entity": c.AppliesTo.Entity, "ids": c.AppliesTo.IDs}
	}
	return row{key: strconv.Itoa(c.ID), code: c.Code, fields: []col{
		{"id", c.ID, true}, {"code", c.Code, true}, {"name", c.Name, true}, {"type", string(c.Type), true},
		{"amount", c.Amount, true}, {"min_purchase", c.MinPurchase, false}, {"expires", c.Expires, true},
		{"enabled", c.Enabled, true}, {"num_uses", c.NumUses, true}, {"max_uses", c.MaxUses, true},
		{"max_uses_per_customer", c.MaxUsesPerCustomer, false}, {"applies_to", applies, false},
		{"date_created", c.DateCreated, false},
	}}
}

// seedBigCommerce makes a demo store's 300 coupons of five campaigns.
func seedBigCommerce(now time.Time) []bigcommerce.Coupon {
	day := now.UTC().Truncate(24 * time.Hour)
	return demoSeed(300, func(i int, camp demoCampaign) bigcommerce.Coupon {
		exp := day.AddDate(0, 0, camp.days+i%30)
		return bigcommerce.Coupon{
			ID:        i,
			Name:      fmt.Sprintf("%s %03d", camp.title, i),
			Code:      fmt.Sprintf("%s-%03d", camp.code, i),
			Type:      bigcommerce.CouponType(camp.bcType),
			Amount:    camp.amount,
			Enabled:   i%17 != 0,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
			MaxUses:   camp.maxUses,
			NumUses:   i % 7,
			Expires:   &exp,
		}
	})
}

// intValue reads an optional int: nil is 0 (BigCommerce: unlimited).
func intValue(p *int) value {
	if p == nil {
		return value{}
	}
	return value{i: *p}
}
