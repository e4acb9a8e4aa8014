package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// bigcommerceVendor is BigCommerce's v2 Marketing API: coupons keyed by a
// numeric id, read and sent back whole (ModifyCoupons), a per-store quota
// reported in X-Rate-Limit-* headers.
type bigcommerceVendor struct{}

func (bigcommerceVendor) name() string    { return "bigcommerce" }
func (bigcommerceVendor) keys() keySyntax { return keySyntax{name: "id", numeric: true} }
func (bigcommerceVendor) reads() bool     { return true }
func (bigcommerceVendor) noUndo() string  { return "" }
func (bigcommerceVendor) filters() []string {
	return []string{"code", "name", "type", "min-id", "max-id", "per-page"}
}
func (bigcommerceVendor) needFilters() []string     { return nil }
func (bigcommerceVendor) hasField(name string) bool { return bcFields.lookup(name) != nil }
func (bigcommerceVendor) fieldDocs() []fieldDoc     { return bcFields.docs() }

func (bigcommerceVendor) env() []envVar {
	return []envVar{
		{Name: "BIGCOMMERCE_STORE_HASH", Doc: "the store hash, abc123 in https://api.bigcommerce.com/stores/abc123/"},
		{Name: "BIGCOMMERCE_ACCESS_TOKEN", Doc: "an API account token with the Marketing modify scope"},
	}
}

func (bigcommerceVendor) parseSetting(field, raw string) (setting, error) {
	return bcFields.parseSetting(field, raw, true, "bigcommerce")
}

// bcFields are the BigCommerce fields couponctl sets, by wire name.
var bcFields = fields[bigcommerce.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text, at most 100 characters, unique in the store"), doc: "the coupon's name",
		get:    func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Name} },
		set:    func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Name = v.s; return nil },
		check:  maxRunes(100),
		unique: true,
	},
	{
		name: "code", kind: textKind("letters, digits, spaces, _ and -, at most 50, unique in the store"),
		doc: "the code customers enter",
		get: func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Code} },
		set: func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Code = v.s; return nil },
		check: func(v value) error {
			if err := maxRunes(50)(v); err != nil {
				return err
			}
			for _, c := range v.s {
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' ' || c == '_' || c == '-') {
					return fmt.Errorf("%q is not allowed: only letters, digits, spaces, _ and -", c)
				}
			}
			return nil
		},
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
		get:   func(r *bigcommerce.UpdateCouponRequest) value { return value{s: r.Amount} },
		set:   func(r *bigcommerce.UpdateCouponRequest, v value) error { r.Amount = v.s; return nil },
		check: nonNegativeDecimal,
	},
	{
		name: "min_purchase", kind: decimalKind, doc: "the least order value the coupon needs (0 for none)",
		get: func(r *bigcommerce.UpdateCouponRequest) value {
			if r.MinPurchase == nil {
				return value{s: "0"}
			}
			return value{s: *r.MinPurchase}
		},
		set:   func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MinPurchase = &v.s; return nil },
		check: nonNegativeDecimal,
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
		name: "max_uses", kind: intKind, doc: "total uses allowed, 0 for unlimited",
		get:   func(r *bigcommerce.UpdateCouponRequest) value { return intValue(r.MaxUses) },
		set:   func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MaxUses = &v.i; return nil },
		check: nonNegativeInt,
	},
	{
		name: "max_uses_per_customer", kind: intKind, doc: "uses allowed per customer, 0 for unlimited",
		get:   func(r *bigcommerce.UpdateCouponRequest) value { return intValue(r.MaxUsesPerCustomer) },
		set:   func(r *bigcommerce.UpdateCouponRequest, v value) error { r.MaxUsesPerCustomer = &v.i; return nil },
		check: nonNegativeInt,
	},
}

// bcSession is a connected BigCommerce client.
type bcSession struct {
	c    *bigcommerce.Client
	stop func()
	srv  *bigcommercetest.Server // -demo only
}

func (bigcommerceVendor) connect(cfg *connectConfig) (session, error) {
	opts := []bigcommerce.Option{bigcommerce.WithUserAgent("couponctl"), bigcommerce.WithHTTPClient(cfg.http)}
	if cfg.logger != nil {
		opts = append(opts, bigcommerce.WithLogger(cfg.logger))
	}
	if cfg.demo {
		srv := bigcommercetest.NewServer()
		seedBigCommerce(srv, time.Now())
		// BigCommerce's Standard-plan quota, 150 requests per 30 s window,
		// with the window shrunk to 1 s so that the demo shows the pacing
		// in a few seconds.
		srv.SetRateLimit(150, time.Second)
		fmt.Fprintln(cfg.notice, "couponctl: -demo: an in-process bigcommercetest store with coupons 1-300, "+
			"rate limit 150 requests per 1 s window (BigCommerce's 150 per 30 s, 30x faster)")
		return &bcSession{c: srv.Client(opts...), stop: srv.Close, srv: srv}, nil
	}
	if cfg.baseURL != "" {
		opts = append(opts, bigcommerce.WithBaseURL(cfg.baseURL))
	}
	c, err := bigcommerce.NewClient(cfg.getenv("BIGCOMMERCE_STORE_HASH"), cfg.getenv("BIGCOMMERCE_ACCESS_TOKEN"), opts...)
	if err != nil {
		return nil, err
	}
	return &bcSession{c: c, stop: func() {}}, nil
}

func (s *bcSession) list(ctx context.Context, f filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		o := &bigcommerce.ListCouponsOptions{Code: f["code"], Name: f["name"], Type: bigcommerce.CouponType(f["type"])}
		var err error
		if o.MinID, err = intFilter(f, "min-id"); err == nil {
			if o.MaxID, err = intFilter(f, "max-id"); err == nil {
				o.PerPage, err = intFilter(f, "per-page")
			}
		}
		if err != nil {
			yield(row{}, err)
			return
		}
		for c, err := range s.c.ListCoupons(ctx, o) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(bcRow(c), nil) {
				return
			}
		}
	}
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

func (s *bcSession) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &bigcommerce.BulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps, DryRun: o.dryRun,
		Progress: func(p bigcommerce.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	return modifyRun(items, o, "bigcommerce", bcFields,
		func(k string) int { id, _ := strconv.Atoi(k); return id }, // checked by parseKeys
		func(r *bigcommerce.UpdateCouponRequest) string { return strconv.Itoa(r.ID) },
		func(keys []int, change func(*bigcommerce.UpdateCouponRequest) error) iter.Seq[bigcommerce.ModifyResult] {
			return s.c.ModifyCoupons(ctx, keys, change, opts)
		},
		func(r bigcommerce.ModifyResult) (string, []change, error) {
			var wire []change
			if r.Response != nil {
				wire = fieldChanges(r.Response.Changes, func(fc bigcommerce.FieldChange) (string, string, string) {
					return fc.Field, fc.Old, fc.New
				})
			}
			return strconv.Itoa(r.Key), wire, r.Err
		},
		sentinels{notSent: bigcommerce.ErrNotSent, unknown: bigcommerce.ErrOutcomeUnknown,
			refused: []error{bigcommerce.ErrInvalidRequest, bigcommerce.ErrNotFound, bigcommerce.ErrConflict, bigcommerce.ErrRateLimited},
			fatal:   []error{bigcommerce.ErrUnauthorized, bigcommerce.ErrForbidden}})
}

func (s *bcSession) close() { s.stop() }

func (s *bcSession) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// seedBigCommerce fills a demo store with 300 coupons of five campaigns.
func seedBigCommerce(srv *bigcommercetest.Server, now time.Time) {
	day := now.UTC().Truncate(24 * time.Hour)
	for i := 1; i <= 300; i++ {
		camp := demoCampaigns[(i-1)%len(demoCampaigns)]
		c := bigcommerce.Coupon{
			ID:        i,
			Name:      fmt.Sprintf("%s %03d", camp.title, i),
			Code:      fmt.Sprintf("%s-%03d", camp.code, i),
			Type:      bigcommerce.CouponType(camp.bcType),
			Amount:    camp.amount,
			Enabled:   i%17 != 0,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
			MaxUses:   camp.maxUses,
			NumUses:   i % 7,
		}
		exp := day.AddDate(0, 0, camp.days+i%30)
		c.Expires = &exp
		srv.AddCoupon(c)
	}
}

// demoCampaign is one family of demo coupons, shared by every vendor's demo.
type demoCampaign struct {
	code, title string
	bcType      string
	amount      string
	percent     float64
	maxUses     int
	days        int // expires this many days (+ a spread) from now
}

// demoCampaigns are the demo's coupon families.
var demoCampaigns = []demoCampaign{
	{"SUMMER", "Summer sale", "percentage_discount", "15.0000", 15, 500, 30},
	{"WELCOME", "Welcome offer", "per_total_discount", "10.0000", 10, 1, 90},
	{"VIP", "VIP customers", "percentage_discount", "20.0000", 20, 0, 180},
	{"FREESHIP", "Free shipping", "free_shipping", "0.0000", 0, 1000, 45},
	{"BF", "Black Friday", "per_item_discount", "5.0000", 25, 200, 14},
}

// Vendor rules shared by the field tables.

func maxRunes(n int) func(value) error {
	return func(v value) error {
		if v.s == "" {
			return errors.New("must not be empty")
		}
		if utf8.RuneCountInString(v.s) > n {
			return fmt.Errorf("must be at most %d characters", n)
		}
		return nil
	}
}

func nonNegativeDecimal(v value) error {
	if v.s != "" && v.s[0] == '-' {
		return errors.New("must not be negative")
	}
	return nil
}

func nonNegativeInt(v value) error {
	if v.i < 0 {
		return errors.New("must not be negative")
	}
	return nil
}

// intValue reads an optional int: nil is 0 (BigCommerce: unlimited).
func intValue(p *int) value {
	if p == nil {
		return value{}
	}
	return value{i: *p}
}

// intFilter reads a numeric list filter (0 when absent).
func intFilter(f filterSet, name string) (int, error) {
	s, ok := f[name]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %q is not a number", name, s)
	}
	return n, nil
}
