package main

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// jframeworkVendor is JFramework's Protocol API: coupons keyed by a string
// id, read and PUT back whole (ModifyCoupons), X-RateLimit-* headers.
var jframeworkVendor = &adapter[jframework.UpdateCouponRequest, string, jframework.Coupon, *jframework.Client, jframework.Option]{
	id:          "jframework",
	key:         keySyntax{name: "id"},
	readable:    true,
	filterNames: []string{"code", "name", "keywords", "status", "per-page"},
	envVars: []envVar{
		{Name: "JFRAMEWORK_BRAND_URL", Doc: "the brand's URL, sent as the Brand-URL header"},
		{Name: "JFRAMEWORK_AUTH_KEY", Doc: "the brand's API key, sent as the Auth-Key header"},
	},
	table: jfFields,
	// the widest dates Validate allows, so that checking a startDate or an
	// endDate alone never trips the endDate-before-startDate rule
	request: func(key string) *jframework.UpdateCouponRequest {
		return &jframework.UpdateCouponRequest{ID: key, Name: "sample", Code: "SAMPLE",
			StartDate: time.Date(1, 1, 2, 0, 0, 0, 0, time.UTC), EndDate: time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC)}
	},
	validate: (*jframework.UpdateCouponRequest).Validate,
	reqKey:   func(r *jframework.UpdateCouponRequest) string { return r.ID },
	parseKey: func(k string) string { return k },
	options:  options[jframework.Option]{jframework.WithUserAgent, jframework.WithHTTPClient, jframework.WithLogger, jframework.WithBaseURL},
	newClient: func(getenv func(string) string, opts ...jframework.Option) (*jframework.Client, error) {
		return jframework.NewClient(getenv("JFRAMEWORK_BRAND_URL"), getenv("JFRAMEWORK_AUTH_KEY"), opts...)
	},
	store: func(getenv func(string) string) string { return "brand " + getenv("JFRAMEWORK_BRAND_URL") },
	demo: demoDef[jframework.Coupon, *jframeworktest.Server, *jframework.Client, jframework.Option]{
		vendor: "jframework", newServer: jframeworktest.NewServer, seed: seedJFramework,
		key: func(c jframework.Coupon) string { return c.ID },
		get: (*jframeworktest.Server).Coupon,
		// JFramework answers X-RateLimit-Limit 60; its window, shrunk to
		// 1 s for the demo, is counted in whole seconds.
		limit: 60, window: time.Second,
		note: "an in-process jframeworktest brand with coupons jf-001 to jf-300, rate limit 60 requests per 1 s window",
	}.start,
	list: func(ctx context.Context, c *jframework.Client, f filterSet) iter.Seq2[jframework.Coupon, error] {
		return c.ListCoupons(ctx, &jframework.ListCouponsOptions{Name: f["name"], Code: f["code"], Keywords: f["keywords"],
			Status: jframework.Status(titleCase(f["status"])), PageSize: f.number("per-page")})
	},
	toRow: jfRow,
	modify: func(ctx context.Context, c *jframework.Client, keys []string, change func(*jframework.UpdateCouponRequest) error, o *bulkOptions) iter.Seq[modified] {
		return mapSeq(c.ModifyCoupons(ctx, keys, change, o), func(r jframework.ModifyResult) modified {
			return modified{r.Key, changesOf(r.Response, func(m *jframework.ModifyCouponResponse) []fieldChange { return m.Changes }), r.Err}
		})
	},
}

// titleCase writes a word as JFramework's statuses are (Active): the
// status filter is case-insensitive for the user.
func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

// jfFields are the JFramework fields couponctl sets, by wire name.
var jfFields = fields[jframework.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text"), doc: "the coupon's name",
		get: func(r *jframework.UpdateCouponRequest) value { return value{s: r.Name} },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.Name = v.s; return nil },
	},
	{
		name: "code", kind: textKind("text, unique in the brand"), doc: "the code customers enter",
		get:    func(r *jframework.UpdateCouponRequest) value { return value{s: r.Code} },
		set:    func(r *jframework.UpdateCouponRequest, v value) error { r.Code = v.s; return nil },
		unique: true,
	},
	{
		name: "percentage", kind: numberKind, null: optional, doc: "the discount in percent, 0 to 100",
		get: func(r *jframework.UpdateCouponRequest) value { return optNumber(r.Percentage) },
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.Percentage = nil
			if !v.null {
				r.Percentage = jframework.Ptr(v.f)
			}
			return nil
		},
	},
	{
		name: "quantity", kind: intKind, null: optional, doc: "how many times the coupon can be used", hint: "none means no cap",
		get: func(r *jframework.UpdateCouponRequest) value { return optInt(r.Quantity) },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.Quantity = intPtr(v); return nil },
	},
	{
		name: "startDate", kind: dateKind, doc: "when the coupon starts",
		get: func(r *jframework.UpdateCouponRequest) value { return value{t: r.StartDate} },
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.StartDate = inZoneOf(v.t, r.StartDate)
			return nil
		},
	},
	{
		name: "endDate", kind: dateKind, doc: "when the coupon ends (not before startDate)",
		get: func(r *jframework.UpdateCouponRequest) value { return value{t: r.EndDate} },
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.EndDate = inZoneOf(v.t, r.EndDate)
			return nil
		},
	},
	{
		name: "autoApplyToPrice", kind: boolKind, doc: "apply the coupon to prices automatically",
		get: func(r *jframework.UpdateCouponRequest) value {
			return value{b: r.AutoApplyToPrice != nil && *r.AutoApplyToPrice}
		},
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.AutoApplyToPrice = jframework.Ptr(v.b)
			return nil
		},
	},
	{
		name: "description", kind: textKind("text"), null: optional, doc: "free text",
		get: func(r *jframework.UpdateCouponRequest) value { return optText(r.Description) },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.Description = textPtr(v); return nil },
	},
	{
		name: "tags", kind: textKind("text, e.g. \"tag1, tag2\""), null: optional, doc: "JFramework's free-text tag list",
		get: func(r *jframework.UpdateCouponRequest) value { return optText(r.Tags) },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.Tags = textPtr(v); return nil },
	},
	{
		name: "status", kind: enumKind(string(jframework.StatusActive), string(jframework.StatusInactive),
			string(jframework.StatusExpired), string(jframework.StatusDeleted)),
		doc: "the coupon's lifecycle state",
		get: func(r *jframework.UpdateCouponRequest) value { return value{s: string(r.Status)} },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.Status = jframework.Status(v.s); return nil },
	},
	{
		name: "testMode", kind: boolKind, doc: "mark a test coupon",
		get: func(r *jframework.UpdateCouponRequest) value { return value{b: r.TestMode != nil && *r.TestMode} },
		set: func(r *jframework.UpdateCouponRequest, v value) error { r.TestMode = jframework.Ptr(v.b); return nil },
	},
}

// inZoneOf returns t in the zone of like, so that a date keeps the
// coupon's offset (JFramework writes dates with the brand's offset); an
// instant is the same in every zone.
func inZoneOf(t, like time.Time) time.Time {
	if like.IsZero() {
		return t
	}
	return t.In(like.Location())
}

// jfRow is a listed JFramework coupon.
func jfRow(c jframework.Coupon) row {
	return row{key: c.ID, code: c.Code, fields: []col{
		{"id", c.ID, true}, {"code", c.Code, true}, {"name", c.Name, true}, {"percentage", c.Percentage, true},
		{"quantity", c.Quantity, true}, {"startDate", c.StartDate, false}, {"endDate", c.EndDate, true},
		{"autoApplyToPrice", c.AutoApplyToPrice, false}, {"description", c.Description, false}, {"tags", c.Tags, false},
		{"status", string(c.Status), true}, {"testMode", c.TestMode, false}, {"modifiedDate", c.ModifiedDate, false},
	}}
}

// seedJFramework makes a demo brand's 300 coupons jf-001 to jf-300.
func seedJFramework(now time.Time) []jframework.Coupon {
	zone := time.FixedZone("", 7*3600) // JFramework brands write their local offset
	y, m, d := now.In(zone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, zone)
	return demoSeed(300, func(i int, camp demoCampaign) jframework.Coupon {
		c := jframework.Coupon{
			ID:               fmt.Sprintf("jf-%03d", i),
			Code:             fmt.Sprintf("%s-%03d", camp.code, i),
			Name:             fmt.Sprintf("%s %03d", camp.title, i),
			Percentage:       jframework.Ptr(camp.percent),
			StartDate:        day.AddDate(0, 0, -30),
			EndDate:          day.AddDate(0, 0, 30+i%60),
			Status:           jframework.StatusActive,
			AutoApplyToPrice: i%5 == 0,
			ModifiedDate:     day.AddDate(0, 0, -i%30),
		}
		if camp.maxUses > 0 {
			c.Quantity = jframework.Ptr(camp.maxUses)
		}
		if i%3 == 0 {
			c.Tags = "demo, " + camp.code
		}
		return c
	})
}
