package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// utmcouponVendor is VTEX's Promotions & Taxes coupons: keyed by
// couponCode, read and sent back whole through VTEX's upsert
// (ModifyCoupons never creates a coupon).
type utmcouponVendor struct{}

func (utmcouponVendor) name() string              { return "utmcoupon" }
func (utmcouponVendor) keys() keySyntax           { return keySyntax{name: "couponCode"} }
func (utmcouponVendor) reads() bool               { return true }
func (utmcouponVendor) noUndo() string            { return "" }
func (utmcouponVendor) filters() []string         { return nil }
func (utmcouponVendor) needFilters() []string     { return nil }
func (utmcouponVendor) hasField(name string) bool { return utmFields.lookup(name) != nil }
func (utmcouponVendor) fieldDocs() []fieldDoc     { return utmFields.docs() }

func (utmcouponVendor) env() []envVar {
	return []envVar{
		{Name: "VTEX_ACCOUNT_NAME", Doc: "the account name, mystore in https://mystore.vtexcommercestable.com.br"},
		{Name: "VTEX_APP_KEY", Doc: "an application key whose role has the Promotions & Taxes permission"},
		{Name: "VTEX_APP_TOKEN", Doc: "that key's application token"},
	}
}

func (utmcouponVendor) parseSetting(field, raw string) (setting, error) {
	return utmFields.parseSetting(field, raw, true, "utmcoupon")
}

// utmFields are the VTEX coupon fields couponctl sets, by wire name.
var utmFields = fields[utmcoupon.UpdateCouponRequest]{
	{
		name: "utmSource", kind: textKind("text"), doc: "the utm_source the coupon is tied to",
		get:   func(r *utmcoupon.UpdateCouponRequest) value { return value{s: r.UtmSource} },
		set:   func(r *utmcoupon.UpdateCouponRequest, v value) error { r.UtmSource = v.s; return nil },
		check: notEmpty,
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
		get:   func(r *utmcoupon.UpdateCouponRequest) value { return value{i: r.MaxItemsPerClient} },
		set:   func(r *utmcoupon.UpdateCouponRequest, v value) error { r.MaxItemsPerClient = v.i; return nil },
		check: nonNegativeInt,
	},
	{
		name: "expirationIntervalPerUse", kind: durationKind, doc: "how long a use of the coupon lasts (00:00:00: none)",
		get: func(r *utmcoupon.UpdateCouponRequest) value { return value{d: r.ExpirationIntervalPerUse} },
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error {
			r.ExpirationIntervalPerUse = v.d
			return nil
		},
		check: func(v value) error {
			if v.d < 0 {
				return errors.New("must not be negative")
			}
			if v.d%time.Second != 0 {
				return errors.New("must be a whole number of seconds")
			}
			return nil
		},
	},
	{
		name: "maxUsage", kind: intKind, null: optional, doc: "how often the coupon can be used in total; none: no cap",
		get: func(r *utmcoupon.UpdateCouponRequest) value {
			if r.MaxUsage == nil {
				return value{null: true}
			}
			return value{i: *r.MaxUsage}
		},
		set: func(r *utmcoupon.UpdateCouponRequest, v value) error {
			r.MaxUsage = nil
			if !v.null {
				r.MaxUsage = utmcoupon.Ptr(v.i)
			}
			return nil
		},
		check: nonNegativeInt,
	},
}

// utmSession is a connected VTEX client.
type utmSession struct {
	c    *utmcoupon.Client
	stop func()
	srv  *utmcoupontest.Server // -demo only
}

func (utmcouponVendor) connect(cfg *connectConfig) (session, error) {
	opts := []utmcoupon.Option{utmcoupon.WithUserAgent("couponctl"), utmcoupon.WithHTTPClient(cfg.http)}
	if cfg.logger != nil {
		opts = append(opts, utmcoupon.WithLogger(cfg.logger))
	}
	if cfg.demo {
		srv := utmcoupontest.NewServer()
		seedUTMCoupon(srv)
		// VTEX documents no number for this API; the demo allows 100
		// requests per 1 s window (VTEX counts in whole seconds).
		srv.SetRateLimit(100, time.Second)
		fmt.Fprintln(cfg.notice, "couponctl: -demo: an in-process utmcoupontest account with 300 coupons "+
			"(SUMMER-001, WELCOME-002, ...), rate limit 100 requests per 1 s window")
		return &utmSession{c: srv.Client(opts...), stop: srv.Close, srv: srv}, nil
	}
	if cfg.baseURL != "" {
		opts = append(opts, utmcoupon.WithBaseURL(cfg.baseURL))
	}
	c, err := utmcoupon.NewClient(cfg.getenv("VTEX_ACCOUNT_NAME"), cfg.getenv("VTEX_APP_KEY"), cfg.getenv("VTEX_APP_TOKEN"), opts...)
	if err != nil {
		return nil, err
	}
	return &utmSession{c: c, stop: func() {}}, nil
}

func (s *utmSession) list(ctx context.Context, _ filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		for c, err := range s.c.ListCoupons(ctx, nil) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(utmRow(c), nil) {
				return
			}
		}
	}
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

func (s *utmSession) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &utmcoupon.BulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps, DryRun: o.dryRun,
		Progress: func(p utmcoupon.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	return modifyRun(items, o, "utmcoupon", utmFields,
		func(k string) string { return k },
		func(r *utmcoupon.UpdateCouponRequest) string { return r.CouponCode },
		func(keys []string, change func(*utmcoupon.UpdateCouponRequest) error) iter.Seq[utmcoupon.ModifyResult] {
			return s.c.ModifyCoupons(ctx, keys, change, opts)
		},
		func(r utmcoupon.ModifyResult) (string, []change, error) {
			var wire []change
			if r.Response != nil {
				wire = fieldChanges(r.Response.Changes, func(fc utmcoupon.FieldChange) (string, string, string) {
					return fc.Field, fc.Old, fc.New
				})
			}
			return r.Key, wire, r.Err
		},
		sentinels{notSent: utmcoupon.ErrNotSent, unknown: utmcoupon.ErrOutcomeUnknown,
			refused: []error{utmcoupon.ErrInvalidRequest, utmcoupon.ErrNotFound, utmcoupon.ErrConflict, utmcoupon.ErrRateLimited},
			fatal:   []error{utmcoupon.ErrUnauthorized, utmcoupon.ErrForbidden}})
}

func (s *utmSession) close() { s.stop() }

func (s *utmSession) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// seedUTMCoupon fills a demo account with 300 coupons.
func seedUTMCoupon(srv *utmcoupontest.Server) {
	for i := 1; i <= 300; i++ {
		camp := demoCampaigns[(i-1)%len(demoCampaigns)]
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
		srv.AddCoupon(c)
	}
}
