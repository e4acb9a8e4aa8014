package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// jframeworkVendor is JFramework's Protocol API: coupons keyed by a string
// id, read and PUT back whole (ModifyCoupons), X-RateLimit-* headers.
type jframeworkVendor struct{}

func (jframeworkVendor) name() string    { return "jframework" }
func (jframeworkVendor) keys() keySyntax { return keySyntax{name: "id"} }
func (jframeworkVendor) reads() bool     { return true }
func (jframeworkVendor) noUndo() string  { return "" }
func (jframeworkVendor) filters() []string {
	return []string{"code", "name", "keywords", "status", "per-page"}
}
func (jframeworkVendor) needFilters() []string     { return nil }
func (jframeworkVendor) hasField(name string) bool { return jfFields.lookup(name) != nil }
func (jframeworkVendor) fieldDocs() []fieldDoc     { return jfFields.docs() }

func (jframeworkVendor) env() []envVar {
	return []envVar{
		{Name: "JFRAMEWORK_BRAND_URL", Doc: "the brand's URL, sent as the Brand-URL header"},
		{Name: "JFRAMEWORK_AUTH_KEY", Doc: "the brand's API key, sent as the Auth-Key header"},
	}
}

func (jframeworkVendor) parseSetting(field, raw string) (setting, error) {
	return jfFields.parseSetting(field, raw, true, "jframework")
}

// jfFields are the JFramework fields couponctl sets, by wire name.
var jfFields = fields[jframework.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text"), doc: "the coupon's name",
		get:   func(r *jframework.UpdateCouponRequest) value { return value{s: r.Name} },
		set:   func(r *jframework.UpdateCouponRequest, v value) error { r.Name = v.s; return nil },
		check: notEmpty,
	},
	{
		name: "code", kind: textKind("text, unique in the brand"), doc: "the code customers enter",
		get:    func(r *jframework.UpdateCouponRequest) value { return value{s: r.Code} },
		set:    func(r *jframework.UpdateCouponRequest, v value) error { r.Code = v.s; return nil },
		check:  notEmpty,
		unique: true,
	},
	{
		name: "percentage", kind: numberKind, null: optional, doc: "the discount in percent, 0 to 100",
		get: func(r *jframework.UpdateCouponRequest) value {
			if r.Percentage == nil {
				return value{null: true}
			}
			return value{f: *r.Percentage}
		},
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.Percentage = nil
			if !v.null {
				r.Percentage = jframework.Ptr(v.f)
			}
			return nil
		},
		check: func(v value) error {
			if v.f < 0 || v.f > 100 {
				return errors.New("must be between 0 and 100")
			}
			return nil
		},
	},
	{
		name: "quantity", kind: intKind, null: optional, doc: "how many times the coupon can be used",
		get: func(r *jframework.UpdateCouponRequest) value {
			if r.Quantity == nil {
				return value{null: true}
			}
			return value{i: *r.Quantity}
		},
		set: func(r *jframework.UpdateCouponRequest, v value) error {
			r.Quantity = nil
			if !v.null {
				r.Quantity = jframework.Ptr(v.i)
			}
			return nil
		},
		check: nonNegativeInt,
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

// jfSession is a connected JFramework client.
type jfSession struct {
	c    *jframework.Client
	stop func()
	srv  *jframeworktest.Server // -demo only
}

func (jframeworkVendor) connect(cfg *connectConfig) (session, error) {
	opts := []jframework.Option{jframework.WithUserAgent("couponctl"), jframework.WithHTTPClient(cfg.http)}
	if cfg.logger != nil {
		opts = append(opts, jframework.WithLogger(cfg.logger))
	}
	if cfg.demo {
		srv := jframeworktest.NewServer()
		seedJFramework(srv, time.Now())
		// JFramework answers X-RateLimit-Limit 60; its window, shrunk to
		// 1 s for the demo, is counted in whole seconds.
		srv.SetRateLimit(60, time.Second)
		fmt.Fprintln(cfg.notice, "couponctl: -demo: an in-process jframeworktest brand with coupons jf-001 to jf-300, "+
			"rate limit 60 requests per 1 s window")
		return &jfSession{c: srv.Client(opts...), stop: srv.Close, srv: srv}, nil
	}
	if cfg.baseURL != "" {
		opts = append(opts, jframework.WithBaseURL(cfg.baseURL))
	}
	c, err := jframework.NewClient(cfg.getenv("JFRAMEWORK_BRAND_URL"), cfg.getenv("JFRAMEWORK_AUTH_KEY"), opts...)
	if err != nil {
		return nil, err
	}
	return &jfSession{c: c, stop: func() {}}, nil
}

func (s *jfSession) list(ctx context.Context, f filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		o := &jframework.ListCouponsOptions{Name: f["name"], Code: f["code"], Keywords: f["keywords"], Status: jframework.Status(f["status"])}
		var err error
		if o.PageSize, err = intFilter(f, "per-page"); err != nil {
			yield(row{}, err)
			return
		}
		for c, err := range s.c.ListCoupons(ctx, o) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(jfRow(c), nil) {
				return
			}
		}
	}
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

func (s *jfSession) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &jframework.BulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps, DryRun: o.dryRun,
		Progress: func(p jframework.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	return modifyRun(items, o, "jframework", jfFields,
		func(k string) string { return k },
		func(r *jframework.UpdateCouponRequest) string { return r.ID },
		func(keys []string, change func(*jframework.UpdateCouponRequest) error) iter.Seq[jframework.ModifyResult] {
			return s.c.ModifyCoupons(ctx, keys, change, opts)
		},
		func(r jframework.ModifyResult) (string, []change, error) {
			var wire []change
			if r.Response != nil {
				wire = fieldChanges(r.Response.Changes, func(fc jframework.FieldChange) (string, string, string) {
					return fc.Field, fc.Old, fc.New
				})
			}
			return r.Key, wire, r.Err
		},
		sentinels{notSent: jframework.ErrNotSent, unknown: jframework.ErrOutcomeUnknown,
			refused: []error{jframework.ErrInvalidRequest, jframework.ErrNotFound, jframework.ErrConflict, jframework.ErrRateLimited},
			fatal:   []error{jframework.ErrUnauthorized, jframework.ErrForbidden}})
}

func (s *jfSession) close() { s.stop() }

func (s *jfSession) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// seedJFramework fills a demo brand with 300 coupons jf-001 to jf-300.
func seedJFramework(srv *jframeworktest.Server, now time.Time) {
	zone := time.FixedZone("", 7*3600) // JFramework brands write their local offset
	y, m, d := now.In(zone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, zone)
	for i := 1; i <= 300; i++ {
		camp := demoCampaigns[(i-1)%len(demoCampaigns)]
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
		srv.AddCoupon(c)
	}
}

// notEmpty refuses "".
func notEmpty(v value) error {
	if v.s == "" {
		return errors.New("must not be empty")
	}
	return nil
}

// optText reads an optional text: nil is none.
func optText(p *string) value {
	if p == nil {
		return value{null: true}
	}
	return value{s: *p}
}

// textPtr writes an optional text: none is nil.
func textPtr(v value) *string {
	if v.null {
		return nil
	}
	s := v.s
	return &s
}
