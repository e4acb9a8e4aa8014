package utmcoupon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
	"github.com/couponkit/couponkit/utmcoupon/internal/timespan"
)

// UpdateCouponRequest is the whole coupon, sent to VTEX's upsert. VTEX
// replaces the stored coupon with it, so every field is sent on every call
// (except nil pointers, left out: VTEX never receives a JSON null, and
// treats a missing field as empty) and a zero or nil field is not
// "unchanged" but a value: nil UtmCampaign clears the campaign, IsArchived
// false un-archives, nil MaxUsage removes the usage cap. To change one
// field, use ModifyCoupon, which also keeps the fields this SDK does not
// model.
type UpdateCouponRequest struct {
	// CouponCode identifies the coupon and is required. An update never
	// renames a coupon: a code VTEX does not know creates a new coupon.
	CouponCode string
	// UtmSource is the utm_source the coupon is tied to; required.
	UtmSource string
	// UtmCampaign is the utm_campaign; nil is left out (no campaign): VTEX's
	// OpenAPI document types it as a non-nullable string.
	UtmCampaign *string
	// IsArchived archives the coupon; false (always sent) un-archives it.
	IsArchived bool
	// MaxItemsPerClient is the most items a client can buy with the
	// coupon; >= 0.
	MaxItemsPerClient int
	// ExpirationIntervalPerUse is how long a use of the coupon lasts; 0 is
	// "00:00:00", VTEX's "no interval". It is sent as a .NET TimeSpan
	// ("1.12:00:00" for 36h, "14.00:00:00" for 14 days, "00:00:01.5000000"
	// for 1.5s), so it must be >= 0 and a whole number of .NET ticks
	// (100ns, the TimeSpan's resolution): a finer fraction is a validation
	// error rather than being silently dropped (use Truncate(100 *
	// time.Nanosecond)). Fractions of a second are allowed so that a
	// coupon VTEX returns with one can be sent back unchanged.
	ExpirationIntervalPerUse time.Duration
	// MaxUsage caps how often the coupon can be used in total, >= 0; nil is
	// left out (VTEX's document types it as a non-nullable integer), which
	// VTEX reads as no cap.
	MaxUsage *int
}

// Coupon is a coupon as VTEX returns it (GetCoupon, ListCoupons and the
// upsert's answer). Every field is read leniently: null reads as the zero
// value, numbers may arrive as strings ("10") and booleans as "true".
type Coupon struct {
	// CouponCode is the coupon's key.
	CouponCode string
	// UtmSource is the utm_source the coupon is tied to.
	UtmSource string
	// UtmCampaign is "" when VTEX sends null or leaves it out, and when it
	// sends the empty string "". VTEX stores null and "" apart, so a Coupon
	// read from VTEX remembers which of the two it got: UpdateRequest gives
	// nil (left out) for null or absent and a pointer to "" for "", and a
	// ModifyCoupon that changes another field sends the campaign back as
	// VTEX sent it ("" stays "", null is left out). A Coupon you build
	// yourself with UtmCampaign "" means none.
	UtmCampaign string
	// utmCampaignEmpty is true when VTEX sent utmCampaign as "" (not null).
	utmCampaignEmpty bool
	// IsArchived is true for an archived coupon.
	IsArchived bool
	// MaxItemsPerClient is the most items a client can buy with it.
	MaxItemsPerClient int
	// ExpirationIntervalPerUse is decoded from the .NET TimeSpan VTEX sends,
	// fractional seconds included.
	ExpirationIntervalPerUse time.Duration
	// MaxUsage is nil when VTEX sends no cap.
	MaxUsage *int
	// LastModifiedUTC is when VTEX last changed the coupon, in UTC. VTEX
	// writes 5 to 7 fraction digits ("2020-01-08T20:06:06.37289Z"); a value
	// without a zone is read as UTC. Zero when VTEX leaves it out. It is
	// read-only: UpdateRequest leaves it out.
	LastModifiedUTC time.Time
	// GroupingKey is set on coupons created in batches (VTEX's "multiple
	// coupons" and bulk generation): the couponCode the batch was created
	// with, which each coupon's own code extends with a random suffix.
	// "" for a coupon created on its own. It is read-only: UpdateRequest
	// leaves it out, and VTEX keeps it across updates.
	GroupingKey string
}

// UpdateCouponResponse is the coupon as stored after the upsert, whether it
// was created, and the exchange's metadata.
type UpdateCouponResponse struct {
	Coupon Coupon
	// Created is true when VTEX answered 201: no coupon had that code, so
	// one was created; false on 200, an existing coupon was replaced. After
	// a retry (the first attempt's answer was lost) it reports the last
	// attempt's view, so a coupon created by the lost attempt reads false.
	Created bool
	Meta    ResponseMeta
}

// UpdateCoupon creates or replaces the coupon req.CouponCode with req (see
// UpdateCouponRequest for why every field matters). It validates req first
// and returns a *ValidationError, sending nothing, when a rule is broken.
// Retries follow the client's RetryPolicy (the upsert is idempotent).
func (c *Client) UpdateCoupon(ctx context.Context, req *UpdateCouponRequest) (*UpdateCouponResponse, error) {
	body, err := c.encode(req)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, req, body)
}

// encode validates req and returns the POST body UpdateCoupon sends for it.
func (c *Client) encode(req *UpdateCouponRequest) ([]byte, error) {
	if err := req.validate(); err != nil {
		return nil, c.t.Invalid(upsert(req), err)
	}
	return req.marshal()
}

// marshal is encode without the validation.
func (r *UpdateCouponRequest) marshal() ([]byte, error) {
	body, err := json.Marshal(r.wire())
	if err != nil {
		return nil, fmt.Errorf("utmcoupon: encoding request: %w", err)
	}
	return body, nil
}

// send POSTs body, which encode returned for req.
func (c *Client) send(ctx context.Context, req *UpdateCouponRequest, body []byte) (*UpdateCouponResponse, error) {
	r := upsert(req)
	out := new(UpdateCouponResponse)
	r.Body = body
	r.Decode = func(status int, b []byte) error {
		out.Created = status == http.StatusCreated
		return out.Coupon.decode(b)
	}
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	out.Meta = meta
	return out, nil
}

// upsert is the POST of req without its body: where it goes and the coupon
// it selects (the upsert is idempotent). Nil for a nil req.
func upsert(req *UpdateCouponRequest) *transport.Request {
	if req == nil {
		return nil
	}
	return &transport.Request{
		Method:     http.MethodPost,
		Path:       couponPath,
		Key:        transport.KeyOf("couponCode", req.CouponCode),
		Idempotent: true,
	}
}

func (r *UpdateCouponRequest) validate() error {
	var c api.Checker
	if r == nil {
		c.Fail("request", "is required")
		return c.Err()
	}
	// Invalid UTF-8 would be replaced by U+FFFD when encoded: the upsert
	// would then create a coupon with another code.
	if c.Required("couponCode", r.CouponCode) {
		c.Text("couponCode", r.CouponCode)
	}
	if c.Required("utmSource", r.UtmSource) {
		c.Text("utmSource", r.UtmSource)
	}
	if r.UtmCampaign != nil {
		c.Text("utmCampaign", *r.UtmCampaign)
	}
	c.Check(r.MaxItemsPerClient >= 0, "maxItemsPerClient", "must not be negative")
	switch d := r.ExpirationIntervalPerUse; {
	case d < 0:
		c.Fail("expirationIntervalPerUse", "must not be negative")
	case d%timespan.Tick != 0:
		c.Fail("expirationIntervalPerUse", "must be a whole number of 100ns ticks (a .NET TimeSpan's resolution)")
	}
	c.NonNegative("maxUsage", r.MaxUsage)
	return c.Err()
}

// couponBody is the POST body; field order is VTEX's documented order. The
// server replaces the whole coupon, so every field is sent, except nil
// pointers: VTEX's OpenAPI document types utmCampaign and maxUsage as a
// non-nullable string and integer, so a nil one is left out (VTEX treats a
// missing field as empty), and no body ever holds a JSON null.
type couponBody struct {
	UtmSource                string  `json:"utmSource"`
	UtmCampaign              *string `json:"utmCampaign,omitempty"`
	CouponCode               string  `json:"couponCode"`
	IsArchived               bool    `json:"isArchived"`
	MaxItemsPerClient        int     `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse string  `json:"expirationIntervalPerUse"`
	MaxUsage                 *int    `json:"maxUsage,omitempty"`
}

func (r *UpdateCouponRequest) wire() *couponBody {
	return &couponBody{
		UtmSource:                r.UtmSource,
		UtmCampaign:              r.UtmCampaign,
		CouponCode:               r.CouponCode,
		IsArchived:               r.IsArchived,
		MaxItemsPerClient:        r.MaxItemsPerClient,
		ExpirationIntervalPerUse: timespan.Format(r.ExpirationIntervalPerUse),
		MaxUsage:                 r.MaxUsage,
	}
}

// couponJSON is a coupon as VTEX sends it, read leniently: null and absent
// fields are zero, strings may arrive as numbers and numbers and booleans
// as strings (wire.String, wire.Int, wire.Bool).
type couponJSON struct {
	LastModifiedUTC          wire.String `json:"lastModifiedUtc"`
	UtmSource                wire.String `json:"utmSource"`
	UtmCampaign              optString   `json:"utmCampaign"`
	CouponCode               wire.String `json:"couponCode"`
	IsArchived               wire.Bool   `json:"isArchived"`
	MaxItemsPerClient        wire.Int    `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse wire.String `json:"expirationIntervalPerUse"`
	MaxUsage                 wire.Int    `json:"maxUsage"`
	GroupingKey              wire.String `json:"groupingKey"`
}

// optString is a string that remembers whether VTEX sent one (set, even
// "") or null or nothing; a number is kept as written.
type optString struct {
	v   string
	set bool
}

// UnmarshalJSON implements json.Unmarshaler; encoding/json calls it for
// null too.
func (o *optString) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*o = optString{}
		return nil
	}
	var s wire.String
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*o = optString{v: string(s), set: true}
	return nil
}

func (c *Coupon) decode(b []byte) error {
	var w couponJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return c.from(&w)
}

// from converts a decoded coupon, checking what cannot be read leniently.
func (c *Coupon) from(w *couponJSON) error {
	if w.CouponCode == "" {
		return errors.New("coupon has no couponCode")
	}
	*c = Coupon{
		CouponCode:        string(w.CouponCode),
		UtmSource:         string(w.UtmSource),
		UtmCampaign:       w.UtmCampaign.v,
		utmCampaignEmpty:  w.UtmCampaign.set && w.UtmCampaign.v == "",
		IsArchived:        bool(w.IsArchived),
		MaxItemsPerClient: w.MaxItemsPerClient.V,
		MaxUsage:          w.MaxUsage.Ptr(),
		GroupingKey:       string(w.GroupingKey),
	}
	if w.ExpirationIntervalPerUse != "" {
		d, err := timespan.Parse(string(w.ExpirationIntervalPerUse))
		if err != nil {
			return fmt.Errorf("expirationIntervalPerUse: %w", err)
		}
		c.ExpirationIntervalPerUse = d
	}
	if w.LastModifiedUTC != "" {
		t, err := parseLastModified(string(w.LastModifiedUTC))
		if err != nil {
			return fmt.Errorf("lastModifiedUtc: %w", err)
		}
		c.LastModifiedUTC = t
	}
	return nil
}

// parseLastModified reads a .NET UTC DateTime as VTEX writes it: RFC 3339
// with 5 to 7 fraction digits and "Z" ("2021-11-10T14:24:39.3683694Z"). Any
// number of fraction digits and an explicit offset are accepted too, and a
// value without a zone (a DateTime of unspecified kind) is read as UTC.
func parseLastModified(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t, nil
	}
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return time.Time{}, fmt.Errorf("not an RFC 3339 UTC time: %q", s)
}
