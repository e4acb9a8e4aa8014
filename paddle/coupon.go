package paddle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// Currencies Paddle accepts for a coupon's discount_amount. The currency
// must match your account's balance currency.
const (
	USD = "USD"
	GBP = "GBP"
	EUR = "EUR"
)

// UpdateCouponRequest changes one coupon (CouponCode) or every coupon of a
// group (Group). Zero-valued fields are not sent and leave the coupon as it
// is; only RemoveProducts and RemoveExpiry send the blank values with which
// Paddle deletes data.
type UpdateCouponRequest struct {
	// CouponCode selects the coupon to update: 5..300 characters. Exactly
	// one of CouponCode and Group is required.
	CouponCode string
	// Group selects every coupon of that group: 1..50 characters.
	Group string
	// NewCouponCode renames the coupon: 5..300 characters, not with Group.
	// A rename is not idempotent, so it is never retried after the server
	// may have acted on it.
	NewCouponCode string
	// NewGroup moves the coupon(s) to another group: 1..50 characters. Not
	// idempotent either.
	NewGroup string
	// ProductIDs replaces the products the coupon applies to; it is sent
	// comma-separated. Empty (nil or not) sends nothing: use RemoveProducts
	// to remove every product.
	ProductIDs []int
	// RemoveProducts sends product_ids blank, which REMOVES every product
	// from the coupon. Not together with ProductIDs.
	RemoveProducts bool
	// Expires is sent as its UTC date, YYYY-MM-DD: Paddle expires the
	// coupon at 00:00:00 UTC on that date, so the time of day is dropped.
	Expires *time.Time
	// RemoveExpiry sends expires blank, which removes the expiry. Not
	// together with Expires.
	RemoveExpiry bool
	// AllowedUses is how many times each coupon can be used: >= 0, and
	// Paddle refuses a value below the uses so far (code 136).
	AllowedUses *int
	// Currency is USD, GBP or EUR; Paddle needs it when changing the
	// DiscountAmount of a flat coupon, and it must be your balance currency.
	Currency string
	// DiscountAmount is a money amount for a flat coupon or a percentage
	// for a percentage coupon: > 0, sent in plain decimal notation.
	DiscountAmount *float64
	// Recurring says whether the discount applies to a subscription's
	// recurring payments too; sent as 1 or 0.
	Recurring *bool
}

// UpdateCouponResponse is Paddle's answer to a successful update.
type UpdateCouponResponse struct {
	// Updated is the number of coupons Paddle changed: 1 for a coupon
	// code, the group's size for a group (0 when nothing matched).
	Updated int
	Meta    ResponseMeta
}

// UpdateCoupon updates the coupon or group req selects. It validates req
// first and returns a *ValidationError, sending nothing, when a documented
// rule is broken. Paddle's HTTP 200 failures come back as *APIError.
// Retries follow the client's RetryPolicy, except that a rename or group
// move is retried only after a rate limit (189 or 429) or a dial failure.
func (c *Client) UpdateCoupon(ctx context.Context, req *UpdateCouponRequest) (*UpdateCouponResponse, error) {
	r := update(req)
	if err := req.validate(); err != nil {
		return nil, c.t.Invalid(r, err)
	}
	body, err := newForm(req).encode(c.creds())
	if err != nil {
		return nil, errors.New("paddle: encoding request: " + c.t.Redact(err.Error()))
	}
	out := new(UpdateCouponResponse)
	r.Body = body
	r.Decode = func(_ int, b []byte) error {
		n, err := decodeResponse(b)
		out.Updated = n
		return err
	}
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	out.Meta = meta
	return out, nil
}

// update is the POST of req without its body: where it goes, the coupon
// or group it selects and whether it is safe to repeat. Nil for a nil req.
func update(req *UpdateCouponRequest) *transport.Request {
	if req == nil {
		return nil
	}
	return &transport.Request{
		Method:     http.MethodPost,
		Path:       updatePath,
		Key:        transport.KeyOf("coupon_code", req.CouponCode, "group", req.Group),
		Idempotent: req.idempotent(),
	}
}

// idempotent reports whether Paddle may safely see the request twice: a
// rename or group move repeated addresses the old code or group.
func (r *UpdateCouponRequest) idempotent() bool {
	return r.NewCouponCode == "" && r.NewGroup == ""
}

func (r *UpdateCouponRequest) validate() error {
	var c api.Checker
	if r == nil {
		c.Fail("request", "is required")
		return c.Err()
	}
	switch {
	case r.CouponCode == "" && r.Group == "":
		c.Fail("coupon_code", "or group is required (exactly one of them)")
	case r.CouponCode != "" && r.Group != "":
		c.Fail("group", "must not be set together with coupon_code (exactly one of them)")
	}
	if r.CouponCode != "" && c.Text("coupon_code", r.CouponCode) {
		c.Length("coupon_code", r.CouponCode, 5, 300)
	}
	if r.Group != "" && c.Text("group", r.Group) {
		c.Length("group", r.Group, 1, 50)
	}
	if r.NewCouponCode != "" && c.Text("new_coupon_code", r.NewCouponCode) {
		c.Length("new_coupon_code", r.NewCouponCode, 5, 300)
		c.Check(r.Group == "", "new_coupon_code", "is not allowed when updating a group")
	}
	if r.NewGroup != "" && c.Text("new_group", r.NewGroup) {
		c.Length("new_group", r.NewGroup, 1, 50)
	}
	if r.RemoveProducts && len(r.ProductIDs) > 0 {
		c.Fail("product_ids", "must be empty when RemoveProducts is set")
	}
	for _, id := range r.ProductIDs {
		if id < 1 {
			c.Fail("product_ids", "must be positive product ids")
			break
		}
	}
	if r.Expires != nil {
		switch {
		case r.RemoveExpiry:
			c.Fail("expires", "must be nil when RemoveExpiry is set")
		case r.Expires.IsZero():
			c.Fail("expires", "is the zero time (set RemoveExpiry to remove the expiry)")
		default:
			c.Date("expires", r.Expires.UTC()) // sent as its UTC date
		}
	}
	c.NonNegative("allowed_uses", r.AllowedUses)
	if r.Currency != "" && c.Text("currency", r.Currency) {
		c.OneOf("currency", r.Currency, USD, GBP, EUR)
	}
	if r.DiscountAmount != nil {
		c.Check(validAmount(*r.DiscountAmount), "discount_amount", "must be a positive number")
	}
	return c.Err()
}

// envelope is every Paddle Classic answer: {"success":true,"response":...}
// or {"success":false,"error":{"code":N,"message":"..."}}.
type envelope struct {
	Success  *bool           `json:"success"`
	Response json.RawMessage `json:"response"`
	Error    *errorJSON      `json:"error"`
}

type errorJSON struct {
	Code    wire.String `json:"code"`
	Message string      `json:"message"`
}

// successJSON is the common answer, decoded in one pass.
type successJSON struct {
	Success  bool `json:"success"`
	Response struct {
		Updated presentFloat `json:"updated"`
	} `json:"response"`
}

// presentFloat is a wire.Float that remembers whether it was in the body.
type presentFloat struct {
	v   wire.Float
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (p *presentFloat) UnmarshalJSON(b []byte) error {
	if err := p.v.UnmarshalJSON(b); err != nil {
		return err
	}
	p.set = string(b) != "null"
	return nil
}

// openEnvelope reads any Paddle answer: its "response" when "success" is
// true, Paddle's error as an *api.APIError when it is false (Paddle's
// failures inside an HTTP 200), and a plain error for any other shape.
func openEnvelope(body []byte) (json.RawMessage, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if env.Success == nil {
		return nil, errors.New(`no "success" field`)
	}
	if !*env.Success {
		if env.Error == nil {
			return nil, errors.New(`"success":false without an "error" object`)
		}
		return nil, env.Error.apiError()
	}
	return env.Response, nil
}

// decodeResponse reads a 2xx body: the number of coupons updated, or an
// *api.APIError for Paddle's {"success":false,...} failures. The common
// answer is decoded in one pass; anything else takes the general path,
// which says what is wrong.
func decodeResponse(body []byte) (int, error) {
	var fast successJSON
	if json.Unmarshal(body, &fast) == nil && fast.Success && fast.Response.Updated.set {
		if n, err := count(float64(fast.Response.Updated.v)); err == nil {
			return n, nil
		}
	}
	response, err := openEnvelope(body)
	if err != nil {
		return 0, err
	}
	var resp struct {
		Updated *wire.Float `json:"updated"`
	}
	ok, err := wire.UnmarshalObject(response, &resp)
	if err != nil {
		return 0, fmt.Errorf("response: %w", err)
	}
	if !ok || resp.Updated == nil {
		return 0, errors.New(`response has no "updated" count`)
	}
	return count(float64(*resp.Updated))
}

// count checks that n, Paddle's "updated", is a whole number of coupons.
func count(n float64) (int, error) {
	if n < 0 || n != math.Trunc(n) || n > math.MaxInt32 {
		return 0, fmt.Errorf(`"updated" is not a count: %v`, n)
	}
	return int(n), nil
}
