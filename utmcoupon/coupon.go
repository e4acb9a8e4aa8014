package utmcoupon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/utmcoupon/internal/timespan"
)

// UpdateCouponRequest is the whole coupon, sent to VTEX's upsert. VTEX
// replaces the stored coupon with it, so every field is sent on every call
// and a zero or nil field is not "unchanged" but a value: nil UtmCampaign
// clears the campaign, IsArchived false un-archives, nil MaxUsage removes
// the usage cap. To change one field, start from the coupon as it is.
type UpdateCouponRequest struct {
	// CouponCode identifies the coupon and is required. An update never
	// renames a coupon: a code VTEX does not know creates a new coupon.
	CouponCode string
	// UtmSource is the utm_source the coupon is tied to; required.
	UtmSource string
	// UtmCampaign is the utm_campaign; nil is sent as null (no campaign).
	UtmCampaign *string
	// IsArchived archives the coupon; false (always sent) un-archives it.
	IsArchived bool
	// MaxItemsPerClient is the most items a client can buy with the
	// coupon; >= 0.
	MaxItemsPerClient int
	// ExpirationIntervalPerUse is how long a use of the coupon lasts; 0 is
	// "00:00:00", VTEX's "no interval". It is sent as a .NET TimeSpan
	// ("1.12:00:00" for 36h, "14.00:00:00" for 14 days), so it must be >= 0
	// and a whole number of seconds: a fraction is a validation error rather
	// than being silently dropped (use Truncate(time.Second)).
	ExpirationIntervalPerUse time.Duration
	// MaxUsage caps how often the coupon can be used in total, >= 0; nil is
	// sent as null, which VTEX reads as no cap.
	MaxUsage *int
}

// Coupon is a coupon as VTEX returns it.
type Coupon struct {
	CouponCode string
	UtmSource  string
	// UtmCampaign is "" when VTEX sends null or leaves it out.
	UtmCampaign string
	IsArchived  bool
	// MaxItemsPerClient is the most items a client can buy with it.
	MaxItemsPerClient int
	// ExpirationIntervalPerUse is decoded from the .NET TimeSpan VTEX sends,
	// fractional seconds included.
	ExpirationIntervalPerUse time.Duration
	// MaxUsage is nil when VTEX sends no cap.
	MaxUsage *int
	// LastModifiedUTC is when VTEX last changed the coupon, in UTC. VTEX
	// writes 5 to 7 fraction digits ("2020-01-08T20:06:06.37289Z"); a value
	// without a zone is read as UTC. Zero when VTEX leaves it out.
	LastModifiedUTC time.Time
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
	r := upsert(req)
	if err := req.validate(); err != nil {
		return nil, c.t.Invalid(r, err)
	}
	body, err := json.Marshal(req.wire())
	if err != nil {
		return nil, fmt.Errorf("utmcoupon: encoding request: %w", err)
	}
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
	case d%time.Second != 0:
		c.Fail("expirationIntervalPerUse", "must be a whole number of seconds")
	}
	c.NonNegative("maxUsage", r.MaxUsage)
	return c.Err()
}

// couponBody is the POST body; field order is VTEX's documented order, and
// nothing is omitted: the server replaces the whole coupon.
type couponBody struct {
	UtmSource                string  `json:"utmSource"`
	UtmCampaign              *string `json:"utmCampaign"`
	CouponCode               string  `json:"couponCode"`
	IsArchived               bool    `json:"isArchived"`
	MaxItemsPerClient        int     `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse string  `json:"expirationIntervalPerUse"`
	MaxUsage                 *int    `json:"maxUsage"`
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

// couponJSON is a coupon as VTEX sends it; null and absent fields are zero.
type couponJSON struct {
	LastModifiedUTC          *string `json:"lastModifiedUtc"`
	UtmSource                string  `json:"utmSource"`
	UtmCampaign              *string `json:"utmCampaign"`
	CouponCode               string  `json:"couponCode"`
	IsArchived               bool    `json:"isArchived"`
	MaxItemsPerClient        int     `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse *string `json:"expirationIntervalPerUse"`
	MaxUsage                 *int    `json:"maxUsage"`
}

func (c *Coupon) decode(b []byte) error {
	var w couponJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.CouponCode == "" {
		return errors.New("coupon has no couponCode")
	}
	*c = Coupon{
		CouponCode: w.CouponCode, UtmSource: w.UtmSource, IsArchived: w.IsArchived,
		MaxItemsPerClient: w.MaxItemsPerClient, MaxUsage: w.MaxUsage,
	}
	if w.UtmCampaign != nil {
		c.UtmCampaign = *w.UtmCampaign
	}
	if w.ExpirationIntervalPerUse != nil {
		d, err := timespan.Parse(*w.ExpirationIntervalPerUse)
		if err != nil {
			return fmt.Errorf("expirationIntervalPerUse: %w", err)
		}
		c.ExpirationIntervalPerUse = d
	}
	if w.LastModifiedUTC != nil && *w.LastModifiedUTC != "" {
		t, err := parseLastModified(*w.LastModifiedUTC)
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
