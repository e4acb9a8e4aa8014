package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// paddleVendor is Paddle Classic's Product API: coupons keyed by their
// code, partial updates (UpdateCoupons), no read of one coupon, no
// rate-limit headers (error 189 inside an HTTP 200).
type paddleVendor struct{}

func (paddleVendor) name() string { return "paddle" }
func (paddleVendor) keys() keySyntax {
	return keySyntax{name: "coupon code", check: func(k string) error {
		if n := utf8.RuneCountInString(k); n < 5 || n > 300 {
			return errors.New("a Paddle coupon code has 5 to 300 characters")
		}
		return nil
	}}
}
func (paddleVendor) reads() bool { return false }
func (paddleVendor) noUndo() string {
	return "Paddle Classic has no read of one coupon and its update is partial, so couponctl does not know " +
		"the values a run replaced: relative values (+7d) and undo are not available; keep your own export " +
		"(couponctl list -vendor paddle -product ID -json) before a run"
}
func (paddleVendor) filters() []string         { return []string{"product"} }
func (paddleVendor) needFilters() []string     { return []string{"product"} }
func (paddleVendor) fieldDocs() []fieldDoc     { return paddleFields.docs() }
func (paddleVendor) hasField(name string) bool { return paddleFields.lookup(name) != nil }

func (paddleVendor) env() []envVar {
	return []envVar{
		{Name: "PADDLE_VENDOR_ID", Doc: "your vendor ID (Developer Tools > Authentication)"},
		{Name: "PADDLE_VENDOR_AUTH_CODE", Doc: "your vendor auth code, sent in the form body"},
	}
}

func (paddleVendor) parseSetting(field, raw string) (setting, error) {
	return paddleFields.parseSetting(field, raw, false, "paddle")
}

// paddleFields are the Paddle fields couponctl sets, by wire name. Renames
// (new_coupon_code, new_group) are left out: they are not safe to repeat.
var paddleFields = fields[paddle.UpdateCouponRequest]{
	{
		name: "expires", kind: dateKind, null: optional, doc: "the expiry date (00:00 UTC); none: never",
		set: func(r *paddle.UpdateCouponRequest, v value) error {
			if v.null {
				r.RemoveExpiry = true
				return nil
			}
			t := v.t
			r.Expires = &t
			return nil
		},
	},
	{
		name: "allowed_uses", kind: intKind, doc: "how many times the coupon can be used",
		set:   func(r *paddle.UpdateCouponRequest, v value) error { r.AllowedUses = paddle.Ptr(v.i); return nil },
		check: nonNegativeInt,
	},
	{
		name: "discount_amount", kind: numberKind, doc: "a percentage, or money for a flat coupon (then give currency too)",
		set: func(r *paddle.UpdateCouponRequest, v value) error { r.DiscountAmount = paddle.Ptr(v.f); return nil },
		check: func(v value) error {
			if v.f <= 0 {
				return errors.New("must be greater than 0")
			}
			return nil
		},
	},
	{
		name: "currency", kind: enumKind(paddle.USD, paddle.GBP, paddle.EUR), doc: "the currency of a flat discount_amount",
		set: func(r *paddle.UpdateCouponRequest, v value) error { r.Currency = v.s; return nil },
	},
	{
		name: "recurring", kind: boolKind, doc: "whether the discount applies to recurring payments too",
		set: func(r *paddle.UpdateCouponRequest, v value) error { r.Recurring = paddle.Ptr(v.b); return nil },
	},
	{
		name: "product_ids", kind: idsKind, null: optional, doc: "the products the coupon applies to; none removes all",
		set: func(r *paddle.UpdateCouponRequest, v value) error {
			if v.null {
				r.RemoveProducts = true
				return nil
			}
			r.ProductIDs = v.ids
			return nil
		},
	},
}

// paddleSession is a connected Paddle client.
type paddleSession struct {
	c    *paddle.Client
	stop func()
	srv  *paddletest.Server // -demo only
}

func (paddleVendor) connect(cfg *connectConfig) (session, error) {
	opts := []paddle.Option{paddle.WithUserAgent("couponctl"), paddle.WithHTTPClient(cfg.http)}
	if cfg.logger != nil {
		opts = append(opts, paddle.WithLogger(cfg.logger))
	}
	if cfg.demo {
		srv := paddletest.NewServer()
		seedPaddle(srv, time.Now())
		// Paddle documents no number; its limit shows as error 189. The
		// demo allows 50 requests per second, which the SDK finds by
		// halving its pace on each 189.
		srv.SetRateLimit(50, time.Second)
		fmt.Fprintln(cfg.notice, "couponctl: -demo: an in-process paddletest vendor with 300 coupons of products "+
			"1001-1003 (SUMMER001, WELCOME002, ...), rate limit 50 requests per second (error 189 beyond)")
		return &paddleSession{c: srv.Client(opts...), stop: srv.Close, srv: srv}, nil
	}
	if cfg.baseURL != "" {
		opts = append(opts, paddle.WithBaseURL(cfg.baseURL))
	}
	id, err := strconv.Atoi(cfg.getenv("PADDLE_VENDOR_ID"))
	if err != nil {
		return nil, errors.New("PADDLE_VENDOR_ID must be a number")
	}
	c, err := paddle.NewClient(id, cfg.getenv("PADDLE_VENDOR_AUTH_CODE"), opts...)
	if err != nil {
		return nil, err
	}
	return &paddleSession{c: c, stop: func() {}}, nil
}

func (s *paddleSession) list(ctx context.Context, f filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		product, err := intFilter(f, "product")
		if err != nil {
			yield(row{}, err)
			return
		}
		for c, err := range s.c.ListCoupons(ctx, &paddle.ListCouponsOptions{ProductID: product}) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(paddleRow(c), nil) {
				return
			}
		}
	}
}

// paddleRow is a listed Paddle coupon.
func paddleRow(c paddle.Coupon) row {
	return row{key: c.Code, code: c.Code, fields: []col{
		{"coupon", c.Code, true}, {"description", c.Description, false}, {"discount_type", c.DiscountType, true},
		{"discount_amount", c.DiscountAmount, true}, {"discount_currency", c.Currency, true},
		{"allowed_uses", c.AllowedUses, true}, {"times_used", c.TimesUsed, true}, {"is_recurring", c.Recurring, true},
		{"expires", c.Expires, true},
	}}
}

func (s *paddleSession) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &paddle.BulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps,
		Progress: func(p paddle.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	return updateRun(items, o,
		func(it *item) (*paddle.UpdateCouponRequest, []change, error) {
			r := &paddle.UpdateCouponRequest{CouponCode: it.key}
			cs, err := applySets(paddleFields, r, it)
			return r, cs, err
		},
		func(reqs []*paddle.UpdateCouponRequest) iter.Seq[paddle.UpdateResult] {
			return s.c.UpdateCoupons(ctx, reqs, opts)
		},
		func(r paddle.UpdateResult) (int, bool, error) {
			return r.Index, r.Err == nil && r.Response.Updated > 0, r.Err
		},
		sentinels{notSent: paddle.ErrNotSent, unknown: paddle.ErrOutcomeUnknown,
			refused: []error{paddle.ErrInvalidRequest, paddle.ErrNotFound, paddle.ErrConflict, paddle.ErrRateLimited},
			fatal:   []error{paddle.ErrUnauthorized, paddle.ErrForbidden}})
}

func (s *paddleSession) close() { s.stop() }

func (s *paddleSession) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// seedPaddle fills a demo vendor with 300 coupons over three products.
func seedPaddle(srv *paddletest.Server, now time.Time) {
	day := now.UTC().Truncate(24 * time.Hour)
	for i := 1; i <= 300; i++ {
		camp := demoCampaigns[(i-1)%len(demoCampaigns)]
		c := paddletest.Coupon{
			Code:           fmt.Sprintf("%s%03d", camp.code, i),
			Description:    camp.title,
			ProductIDs:     []int{1001 + i%3},
			AllowedUses:    max(camp.maxUses, 1),
			TimesUsed:      i % 2,
			DiscountType:   paddletest.Percentage,
			DiscountAmount: max(camp.percent, 5),
			Recurring:      i%4 == 0,
		}
		if camp.days > 0 {
			exp := day.AddDate(0, 0, camp.days+i%30)
			c.Expires = &exp
		}
		srv.AddCoupon(c)
	}
}
