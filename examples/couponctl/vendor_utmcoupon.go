package main

import (
	"context"
	"fmt"
	"iter"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// utmcouponVendor is VTEX's Promotions & Taxes coupons: keyed by
// couponCode, read and sent back whole through VTEX's upsert
// (ModifyCoupons never creates a coupon).
var utmcouponVendor = &adapter[utmcoupon.UpdateCouponRequest, string, utmcoupon.Coupon, *utmcoupon.Client, utmcoupon.Option]{
	id:       "utmcoupon",
	key:      keySyntax{name: "couponCode"},
	readable: true,
	envVars: []envVar{
		{Name: "VTEX_ACCOUNT_NAME", Doc: "the account name, mystore in https://mystore.vtexcommercestable.com.br"},
		{Name: "VTEX_APP_KEY", Doc: "an application key whose role has the Promotions & Taxes permission"},
		{Name: "VTEX_APP_TOKEN", Doc: "that key's application token"},
	},
	table: utmFields,
	request: func(key string) *utmcoupon.UpdateCouponRequest {
		return &utmcoupon.UpdateCouponRequest{CouponCode: key, UtmSource: "sample"}
	},
	validate: (*utmcoupon.UpdateCouponRequest).Validate,
	reqKey:   func(r *utmcoupon.UpdateCouponRequest) string { return r.CouponCode },
	parseKey: func(k string) string { return k },
	options:  options[utmcoupon.Option]{utmcoupon.WithUserAgent, utmcoupon.WithHTTPClient, utmcoupon.WithLogger, utmcoupon.WithBaseURL},
	newClient: func(getenv func(string) string, opts ...utmcoupon.Option) (*utmcoupon.Client, error) {
		return utmcoupon.NewClient(getenv("VTEX_ACCOUNT_NAME"), getenv("VTEX_APP_KEY"), getenv("VTEX_APP_TOKEN"), opts...)
	},
	store: func(getenv func(string) string) string { return "account " + getenv("VTEX_ACCOUNT_NAME") },
	demo: demoDef[utmcoupon.Coupon, *utmcoupontest.Server, *utmcoupon.Client, utmcoupon.Option]{
		vendor: "utmcoupon", newServer: utmcoupontest.NewServer, seed: seedUTMCoupon,
		key: func(c utmcoupon.Coupon) string { return c.CouponCode },
		get: (*utmcoupontest.Server).Coupon,
		// VTEX documents no number for this API; the demo allows 100
		// requests per 1 s window (VTEX counts in whole seconds).
		limit: 100, window: time.Second,
		note: "an in-process utmcoupontest account with 300 coupons (SUMMER-001, WELCOME-002, ...), rate limit 100 requests per 1 s window",
	}.start,
	list: func(ctx context.Context, c *utmcoupon.Client, _ filterSet) iter.Seq2[utmcoupon.Coupon, error] {
		return c.ListCoupons(ctx, nil)
	},
	toRow: utmRow,
	modify: func(ctx context.Context, c *utmcoupon.Client, keys []string, change func(*utmcoupon.UpdateCouponRequest) error, o *bulkOptions) iter.Seq[modified] {
		return mapSeq(c.ModifyCoupons(ctx, keys, change, o), func(r utmcoupon.ModifyResult) modified {
			return modified{r.Key, changesOf(r.Response, func(m *utmcoupon.ModifyCouponResponse) []fieldChange { return m.Changes }), r.Err}
		})
	},
}

// utmFields are the VTEX coupon fields couponctl sets, by wire name.
var utmFields = fields[utmcoupon.UpdateCouponRequest]{
	{
		name: "utmSource", kind: textKind("text"), doc: "the utm_source the coupon is tied to",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return value{s: r.UtmSource} },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error { r.UtmSource = v.s; return nil },
	},
	{
		name: "utmCampaign", kind: textKind("text"), null: optional, doc: "the utm_campaign; none: no campaign",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return optText(r.UtmCampaign) },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error { r.UtmCampaign = textPtr(v); return nil },
	},
	{
		name: "isArchived", kind: boolKind, doc: "archive the coupon (false un-archives it)",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return value{b: r.IsArchived} },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error { r.IsArchived = v.b; return nil },
	},
	{
		name: "maxItemsPerClient", kind: intKind, doc: "the most items a client can buy with the coupon",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return value{i: r.MaxItemsPerClient} },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error { r.MaxItemsPerClient = v.i; return nil },
	},
	{
		name: "expirationIntervalPerUse", kind: durationKind, doc: "how long a use of the coupon lasts (00:00:00: none)",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return value{d: r.ExpirationIntervalPerUse} },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error {
			r.ExpirationIntervalPerUse = v.d
			return nil
		},
	},
	{
		name: "maxUsage", kind: intKind, null: optional, doc: "how often the coupon can be used in total; none: no cap", hint: "none means no cap",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return optInt(r.MaxUsage) },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error { r.MaxUsage = intPtr(v); return nil },
	},
}

// utmRow is a listed VTEX coupon.
func utmRow(c utmcoupon.Coupon) row {
	return row{key: c.CouponCode, code: c.CouponCode, fields: []col{
		{"couponCode", c.CouponCode, true}, {"utmSource", c.UtmSource, true}, {"utmCampaign", c.UtmCampaign, true},
		{"isArchived", c.IsArchived, true}, {"maxItemsPerClient", c.MaxItemsPerClient, true},
		{"expirationIntervalPerUse", c.ExpirationIntervalPerUse, true}, {"maxUsage", c.MaxUsage, true},
		{"lastModifiedUtc", c.LastModifiedUTC, false},
	}}
}

// seedUTMCoupon makes a demo account's 300 coupons.
func seedUTMCoupon(time.Time) []utmcoupon.Coupon {
	return demoSeed(300, func(i int, camp demoCampaign) utmcoupon.Coupon {
		c := utmcoupon.Coupon{
			CouponCode:               fmt.Sprintf("%s-%03d", camp.code, i),
			UtmSource:                "newsletter",
			UtmCampaign:              fmt.Sprintf("%s-2026", camp.code),
			MaxItemsPerClient:        1 + i%3,
			ExpirationIntervalPerUse: time.Duration(i%3) * 7 * 24 * time.Hour,
			IsArchived:               i%23 == 0,
		}
		if camp.maxUses > 0 {
			c.MaxUsage = utmcoupon.Ptr(camp.maxUses)
		}
		return c
	})
}
