package main

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// paddleVendor is Paddle Classic's Product API: coupons keyed by their
// code, partial updates (UpdateCoupons), no read of one coupon, no
// rate-limit headers (error 189 inside an HTTP 200).
var paddleVendor = &adapter[paddle.UpdateCouponRequest, string, paddle.Coupon, *paddle.Client, paddle.Option]{
	id:  "paddle",
	key: keySyntax{name: "coupon code"},
	whyNoUndo: noReads("Paddle Classic has no read of one coupon and its update is partial",
		"couponctl list -vendor paddle -product ID -json"),
	filterNames:  []string{"product"},
	neededFilter: []string{"product"},
	envVars: []envVar{
		{Name: "PADDLE_VENDOR_ID", Doc: "your vendor ID (Developer Tools > Authentication)"},
		{Name: "PADDLE_VENDOR_AUTH_CODE", Doc: "your vendor auth code, sent in the form body"},
	},
	table:    paddleFields,
	request:  func(key string) *paddle.UpdateCouponRequest { return &paddle.UpdateCouponRequest{CouponCode: key} },
	validate: (*paddle.UpdateCouponRequest).Validate,
	reqKey:   func(r *paddle.UpdateCouponRequest) string { return r.CouponCode },
	parseKey: func(k string) string { return k },
	options:  options[paddle.Option]{paddle.WithUserAgent, paddle.WithHTTPClient, paddle.WithLogger, paddle.WithBaseURL},
	newClient: func(getenv func(string) string, opts ...paddle.Option) (*paddle.Client, error) {
		id, err := strconv.Atoi(getenv("PADDLE_VENDOR_ID"))
		if err != nil {
			return nil, fmt.Errorf("PADDLE_VENDOR_ID must be a number")
		}
		return paddle.NewClient(id, getenv("PADDLE_VENDOR_AUTH_CODE"), opts...)
	},
	store: func(getenv func(string) string) string { return "vendor " + getenv("PADDLE_VENDOR_ID") },
	demo: demoDef[paddletest.Coupon, *paddletest.Server, *paddle.Client, paddle.Option]{
		vendor: "paddle", newServer: paddletest.NewServer, seed: seedPaddle,
		key: func(c paddletest.Coupon) string { return c.Code },
		get: (*paddletest.Server).Coupon,
		// Paddle documents no number; its limit shows as error 189. The
		// demo allows 50 requests per second, which the SDK finds by
		// halving its pace on each 189.
		limit: 50, window: time.Second,
		note: "an in-process paddletest vendor with 300 coupons of products 1001-1003 (SUMMER001, WELCOME002, ...), " +
			"rate limit 50 requests per second (error 189 beyond)",
	}.start,
	list: func(ctx context.Context, c *paddle.Client, f filterSet) iter.Seq2[paddle.Coupon, error] {
		return c.ListCoupons(ctx, &paddle.ListCouponsOptions{ProductID: f.number("product")})
	},
	toRow: paddleRow,
	update: func(ctx context.Context, c *paddle.Client, reqs []*paddle.UpdateCouponRequest, o *bulkOptions) iter.Seq[updated] {
		return mapSeq(c.UpdateCoupons(ctx, reqs, o), func(r paddle.UpdateResult) updated {
			return updated{r.Index, r.Err == nil && r.Response.Updated > 0, r.Err}
		})
	},
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
		set: func(r *paddle.UpdateCouponRequest, v value) error { r.AllowedUses = paddle.Ptr(v.i); return nil },
	},
	{
		name: "discount_amount", kind: numberKind, doc: "a percentage, or money for a flat coupon (then give currency too)",
		set: func(r *paddle.UpdateCouponRequest, v value) error { r.DiscountAmount = paddle.Ptr(v.f); return nil },
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

// paddleRow is a listed Paddle coupon.
func paddleRow(c paddle.Coupon) row {
	return row{key: c.Code, code: c.Code, fields: []col{
		{"coupon", c.Code, true}, {"description", c.Description, false}, {"discount_type", c.DiscountType, true},
		{"discount_amount", c.DiscountAmount, true}, {"discount_currency", c.Currency, true},
		{"allowed_uses", c.AllowedUses, true}, {"times_used", c.TimesUsed, true}, {"is_recurring", c.Recurring, true},
		{"expires", c.Expires, true},
	}}
}

// seedPaddle makes a demo vendor's 300 coupons over three products.
func seedPaddle(now time.Time) []paddletest.Coupon {
	day := now.UTC().Truncate(24 * time.Hour)
	return demoSeed(300, func(i int, camp demoCampaign) paddletest.Coupon {
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
		return c
	})
}
