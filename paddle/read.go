package paddle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// listCouponsPath is Paddle Classic's list-coupons endpoint (API version
// 2.0, unlike the 2.1 update), appended to the base URL.
const listCouponsPath = "/2.0/product/list_coupons"

// Discount types of a Coupon, as Paddle names them.
const (
	// DiscountPercentage: DiscountAmount is a percentage, e.g. 10 for 10%.
	DiscountPercentage = "percentage"
	// DiscountFlat: DiscountAmount is a money amount in Currency.
	DiscountFlat = "flat"
)

// Coupon is a coupon as Paddle Classic's list_coupons answers it. Paddle
// has no single-coupon read, so ListCoupons is the only way to see one.
//
// It is not paddletest.Coupon: that type is the test server's own stored
// view (group and product ids included, which list_coupons does not
// return), used to seed and inspect a paddletest.Server.
type Coupon struct {
	// Code is the coupon code customers enter (Paddle's "coupon").
	Code string
	// Description is the note shown in the Seller Dashboard; "" for none.
	Description string
	// DiscountType is DiscountPercentage or DiscountFlat.
	DiscountType string
	// DiscountAmount is in the units UpdateCouponRequest.DiscountAmount
	// takes: a percentage (10 for 10%) for a percentage coupon, a money
	// amount in Currency for a flat one. Paddle's list answer writes a
	// percentage as a fraction (0.1 for 10%, as in Paddle's own example and
	// the answers its SDKs' live tests check); it is converted here, exactly
	// in decimal, so that a value read can be sent back unchanged.
	DiscountAmount float64
	// Currency is Paddle's discount_currency (USD, GBP, EUR); "" when Paddle
	// sends null, which it has been seen to do even for coupons created with
	// a currency.
	Currency string
	// AllowedUses is how many times the coupon can be used in total.
	AllowedUses int
	// TimesUsed is how many times it has been used.
	TimesUsed int
	// Recurring says whether the discount applies to a subscription's
	// recurring payments too (Paddle's is_recurring; true/false or 1/0).
	Recurring bool
	// Expires is 00:00:00 UTC of the expiry date (Paddle sends
	// "YYYY-MM-DD" or "YYYY-MM-DD 00:00:00"); nil when the coupon never
	// expires (null, "" or a zero date on the wire).
	Expires *time.Time
}

// ListCouponsOptions selects the coupons to list. Paddle's list_coupons
// takes no page size: its one answer is bounded by the client's 10 MiB
// response limit, and ListCoupons' memory by the answer's size.
type ListCouponsOptions struct {
	// ProductID is the one-time product or subscription plan whose coupons
	// are listed; required (>= 1). Paddle has no listing across products.
	ProductID int
}

// listForm is the list_coupons body before the credentials, encoded by
// go-querystring like the update form.
type listForm struct {
	ProductID int `url:"product_id"`
}

// ListCoupons lists the coupons of opts.ProductID with one request to
// POST /2.0/product/list_coupons (form vendor_id, vendor_auth_code,
// product_id). Nothing is sent until the sequence is ranged over, and
// nothing more once the loop stops. A nil opts or a ProductID below 1
// yields a *ValidationError for product_id, sending nothing. Paddle's
// failures inside an HTTP 200 (108 unknown product: ErrNotFound, 189 rate
// limit, 120 internal error) are yielded once as *APIError, after the
// retries a read allows (it is idempotent, so it is retried like one).
//
// Paddle answers one page: the form sends no limit or offset, and Paddle's
// changelog announces at most 500 coupons per answer (its default page)
// from March 2025, so a product with more coupons lists only the first 500.
// The answer is bounded by the client's 10 MiB response limit (an
// *APIError beyond it) and decoded whole, coupon by coupon, before any
// coupon is yielded (a bad one fails the listing with an *APIError).
// Memory is bounded by the answer's size: the decoded coupons are kept only
// while they take no more memory than the answer; an answer of many tiny
// elements is checked, then decoded again one coupon at a time as the loop
// runs, so that 10 MiB of them cannot cost hundreds of MiB.
func (c *Client) ListCoupons(ctx context.Context, opts *ListCouponsOptions) iter.Seq2[Coupon, error] {
	return pager.Unpaged(ctx, "paddle", func(ctx context.Context) (pager.Checked[Coupon], error) {
		return c.listCoupons(ctx, opts)
	})
}

// listCoupons sends the one list_coupons request and returns its decoded
// "response".
func (c *Client) listCoupons(ctx context.Context, opts *ListCouponsOptions) (pager.Checked[Coupon], error) {
	r := &transport.Request{Method: http.MethodPost, Path: listCouponsPath, Idempotent: true}
	var chk api.Checker
	if opts == nil {
		chk.Fail("product_id", "is required (ListCouponsOptions is nil)")
	} else {
		r.Key = transport.Key{Field: "product_id", Value: strconv.Itoa(opts.ProductID)}
		chk.Check(opts.ProductID >= 1, "product_id", "must be a product id of at least 1")
	}
	if err := chk.Err(); err != nil {
		return pager.Checked[Coupon]{}, c.t.Invalid(r, err)
	}
	v, err := query.Values(listForm{ProductID: opts.ProductID})
	if err != nil {
		return pager.Checked[Coupon]{}, errors.New("paddle: encoding request: " + c.t.Redact(err.Error()))
	}
	// "product_id" sorts before "vendor_", so this is the sorted encoding
	// of every field, as for updates.
	r.Body = []byte(v.Encode() + "&" + c.creds())
	var out pager.Checked[Coupon]
	r.Decode = func(_ int, b []byte) error {
		var err error
		out, err = decodeCoupons(b)
		return err
	}
	if _, err := c.t.Do(ctx, r); err != nil {
		return pager.Checked[Coupon]{}, err
	}
	return out, nil
}

// couponJSON is one element of list_coupons' "response". Paddle's example
// also carries "id" and "product_id", which are not read.
type couponJSON struct {
	Coupon           wire.String `json:"coupon"`
	Description      wire.String `json:"description"`
	DiscountType     wire.String `json:"discount_type"`
	DiscountAmount   wire.Float  `json:"discount_amount"`
	DiscountCurrency wire.String `json:"discount_currency"`
	AllowedUses      wire.Int    `json:"allowed_uses"`
	TimesUsed        wire.Int    `json:"times_used"`
	IsRecurring      wire.Bool   `json:"is_recurring"`
	Expires          expiresJSON `json:"expires"`
}

// expiresJSON is Paddle's expires: a date or date-time string, or null,
// "", false (PHP) or a zero date for none.
type expiresJSON struct{ t *time.Time }

// UnmarshalJSON implements json.Unmarshaler.
func (e *expiresJSON) UnmarshalJSON(data []byte) error {
	e.t = nil
	switch string(bytes.TrimSpace(data)) {
	case "null", "false", `""`:
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("expires: expected a date, got %.30s", data)
	}
	t, err := parseExpires(s)
	if err != nil {
		return fmt.Errorf("expires: %w", err)
	}
	e.t = t
	return nil
}

// parseExpires reads an expiry: "YYYY-MM-DD" (what updates send),
// "YYYY-MM-DD HH:MM:SS" (what Paddle's list answers), or RFC 3339, in UTC;
// a MySQL zero date ("0000-00-00 ...") means no expiry.
func parseExpires(s string) (*time.Time, error) {
	if len(s) >= 10 && s[:10] == "0000-00-00" {
		return nil, nil
	}
	if t, err := parseDate(s); err == nil {
		return &t, nil
	}
	for _, layout := range []string{time.DateTime, time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, fmt.Errorf("not a YYYY-MM-DD date: %q", s)
}

// decodeCoupons reads a list_coupons body: Paddle's error, or its
// "response" array of coupons, decoded with pager.Check. "response" may be
// [] or null (PHP) for none.
func decodeCoupons(body []byte) (pager.Checked[Coupon], error) {
	response, err := openEnvelope(body)
	if err != nil {
		return pager.Checked[Coupon]{}, err
	}
	if wire.IsEmpty(response) {
		return pager.Checked[Coupon]{}, nil
	}
	if s := bytes.TrimSpace(response); s[0] != '[' {
		return pager.Checked[Coupon]{}, fmt.Errorf("response: expected a list of coupons, got %.20s", s)
	}
	return pager.Check(response, "response", (*Coupon).from)
}

func (c *Coupon) from(w *couponJSON) error {
	if w.Coupon == "" {
		return errors.New("coupon has no code")
	}
	*c = Coupon{
		Code: string(w.Coupon), Description: string(w.Description), DiscountType: string(w.DiscountType),
		DiscountAmount: float64(w.DiscountAmount), Currency: string(w.DiscountCurrency),
		AllowedUses: w.AllowedUses.V, TimesUsed: w.TimesUsed.V, Recurring: bool(w.IsRecurring),
		Expires: w.Expires.t,
	}
	if c.DiscountType == DiscountPercentage {
		c.DiscountAmount = percent(c.DiscountAmount)
	}
	return nil
}

// percent converts Paddle's fraction (0.15) to a percentage (15) exactly in
// decimal: the fraction's shortest decimal text has its exponent raised by
// 2 and is parsed again, so 0.15 gives 15, not 15.000000000000002.
func percent(fraction float64) float64 {
	s := strconv.FormatFloat(fraction, 'e', -1, 64) // e.g. "1.5e-01"
	i := strings.LastIndexByte(s, 'e')
	exp, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return fraction * 100 // NaN or ±Inf: no exponent
	}
	p, err := strconv.ParseFloat(s[:i]+"e"+strconv.Itoa(exp+2), 64)
	if err != nil {
		return fraction * 100
	}
	return p
}
