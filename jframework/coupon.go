package jframework

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

// Status is a coupon's lifecycle state.
type Status string

// The statuses JFramework accepts.
const (
	StatusActive   Status = "Active"
	StatusInactive Status = "Inactive"
	StatusExpired  Status = "Expired"
	StatusDeleted  Status = "Deleted"
)

// UpdateCouponRequest is a full PUT of one coupon: JFramework replaces every
// field with what the request says. It requires Name, Code, StartDate and
// EndDate on every call. A nil Percentage, Quantity, Description or Tags is
// sent as an explicit null (the coupon then has none); a nil
// AutoApplyToPrice or TestMode is not sent, and JFramework then applies its
// default, false. To change some fields and keep the others, use
// ModifyCoupon, or start from a read coupon's UpdateRequest.
type UpdateCouponRequest struct {
	// ID is the coupon's id; required. It goes in the path, escaped, so
	// no id can change the route ("." and ".." are refused).
	ID string
	// Name is required.
	Name string
	// Code is required and unique in the brand (a duplicate is a 409,
	// ErrConflict).
	Code string
	// Percentage is the discount, 0 to 100; nil is sent as null (none).
	Percentage *float64
	// Quantity is how many times the coupon can be used, >= 0; nil is
	// sent as null (no limit set).
	Quantity *int
	// StartDate is required. It is sent as RFC 3339 with its offset and
	// as many fractional digits as needed.
	StartDate time.Time
	// EndDate is required and not before StartDate.
	EndDate time.Time
	// AutoApplyToPrice applies the coupon to prices automatically; not
	// sent when nil, which JFramework reads as false.
	AutoApplyToPrice *bool
	// Description is free text; nil is sent as null.
	Description *string
	// Tags is JFramework's free-text tag list, e.g. "tag1, tag2"; nil is
	// sent as null.
	Tags *string
	// Status is one of the Status constants; "" is not sent.
	Status Status
	// TestMode marks a test coupon; not sent when nil, which JFramework
	// reads as false.
	TestMode *bool
}

// Coupon is a coupon as JFramework returns it.
type Coupon struct {
	ID   string
	Code string
	Name string
	// Description is "" when JFramework sends null.
	Description string
	// Tags is "" when JFramework sends null.
	Tags string
	// Percentage is nil when JFramework sends null. A quoted number
	// ("10.5") is read as the number.
	Percentage *float64
	// Quantity is nil when JFramework sends null (or ""). A quoted or
	// whole-float integer ("100", 100.0) is read as the integer; a
	// fraction is an error.
	Quantity *int
	// StartDate and EndDate keep the offset and the seven fractional
	// digits JFramework sends, e.g. 2025-06-23T13:56:00.4346197+07:00.
	StartDate        time.Time
	EndDate          time.Time
	AutoApplyToPrice bool
	Status           Status
	TestMode         bool
	// ModifiedDate is when JFramework last changed the coupon.
	ModifiedDate time.Time
}

// UpdateCouponResponse is the updated coupon, JFramework's message ("The
// request was successful.") and the exchange's metadata.
type UpdateCouponResponse struct {
	Coupon  Coupon
	Message string
	Meta    ResponseMeta
}

// UpdateCoupon replaces the coupon req.ID with req. It validates req first
// and returns a *ValidationError, sending nothing, when a documented rule is
// broken. An answer with "success": false is an *APIError even when its
// HTTP status is 200. Retries follow the client's RetryPolicy (the PUT is
// idempotent).
func (c *Client) UpdateCoupon(ctx context.Context, req *UpdateCouponRequest) (*UpdateCouponResponse, error) {
	body, err := req.encode()
	if err != nil {
		return nil, c.t.Invalid(put(req), err)
	}
	return c.send(ctx, req, body)
}

// put is the PUT of req without its body: where it goes and that it is
// idempotent. Nil for a nil req.
func put(req *UpdateCouponRequest) *transport.Request {
	if req == nil {
		return nil
	}
	return &transport.Request{Method: http.MethodPut, Path: couponsPath, PathParams: []string{req.ID}, Idempotent: true}
}

// encode validates r and returns the PUT body UpdateCoupon sends for it.
// ModifyCoupon encodes through it too, so both send the same bytes.
func (r *UpdateCouponRequest) encode() ([]byte, error) {
	if err := r.validate(); err != nil {
		return nil, err
	}
	return r.marshal()
}

// marshal is encode without the validation.
func (r *UpdateCouponRequest) marshal() ([]byte, error) {
	body, err := json.Marshal(r.wire())
	if err != nil {
		return nil, fmt.Errorf("jframework: encoding request: %w", err)
	}
	return body, nil
}

// send PUTs body, which encode returned for req, to the coupon req.ID.
func (c *Client) send(ctx context.Context, req *UpdateCouponRequest, body []byte) (*UpdateCouponResponse, error) {
	out := new(UpdateCouponResponse)
	r := put(req)
	r.Body = body
	r.Decode = func(_ int, b []byte) error { return out.decode(b) }
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	out.Meta = meta
	return out, nil
}

func (r *UpdateCouponRequest) validate() error {
	var c api.Checker
	if r == nil {
		c.Fail("request", "is required")
		return c.Err()
	}
	if c.Required("id", r.ID) {
		c.PathSegment("id", r.ID)
	}
	if c.Required("name", r.Name) {
		c.Text("name", r.Name)
	}
	if c.Required("code", r.Code) {
		c.Text("code", r.Code)
	}
	if r.Description != nil {
		c.Text("description", *r.Description)
	}
	if r.Tags != nil {
		c.Text("tags", *r.Tags)
	}
	if r.Percentage != nil {
		p := *r.Percentage
		c.Check(!math.IsNaN(p) && p >= 0 && p <= 100, "percentage", "must be between 0 and 100")
	}
	c.NonNegative("quantity", r.Quantity)
	startOK := checkDate(&c, "startDate", r.StartDate)
	if checkDate(&c, "endDate", r.EndDate) && startOK {
		c.Check(!r.EndDate.Before(r.StartDate), "endDate", "must not be before startDate")
	}
	if r.Status != "" && c.Text("status", string(r.Status)) {
		c.OneOf("status", string(r.Status), string(StatusActive), string(StatusInactive), string(StatusExpired), string(StatusDeleted))
	}
	return c.Err()
}

// checkDate requires a non-zero date that RFC 3339 can carry in its own
// offset, as it is sent (the years every vendor's dates share, 0001 to 9999).
func checkDate(c *api.Checker, field string, t time.Time) bool {
	if t.IsZero() {
		c.Fail(field, "is required")
		return false
	}
	return c.Date(field, t)
}

// couponBody is the PUT body; field order is the wire order of
// JFramework's documentation. The nullable fields are always sent, null
// when nil, so no field is left to how JFramework treats an omitted one.
type couponBody struct {
	Name             string   `json:"name"`
	Code             string   `json:"code"`
	Percentage       *float64 `json:"percentage"`
	Quantity         *int     `json:"quantity"`
	StartDate        string   `json:"startDate"`
	EndDate          string   `json:"endDate"`
	AutoApplyToPrice *bool    `json:"autoApplyToPrice,omitempty"`
	Description      *string  `json:"description"`
	Tags             *string  `json:"tags"`
	Status           Status   `json:"status,omitempty"`
	TestMode         *bool    `json:"testMode,omitempty"`
}

func (r *UpdateCouponRequest) wire() *couponBody {
	return &couponBody{
		Name: r.Name, Code: r.Code, Percentage: r.Percentage, Quantity: r.Quantity,
		StartDate: formatDate(r.StartDate), EndDate: formatDate(r.EndDate),
		AutoApplyToPrice: r.AutoApplyToPrice, Description: r.Description, Tags: r.Tags,
		Status: r.Status, TestMode: r.TestMode,
	}
}

// couponJSON is a coupon as JFramework sends it in the envelope's data.
type couponJSON struct {
	ID               string      `json:"id"`
	Code             string      `json:"code"`
	Name             string      `json:"name"`
	Description      *string     `json:"description"`
	Tags             *string     `json:"tags"`
	Percentage       *wire.Float `json:"percentage"`
	Quantity         wire.Int    `json:"quantity"`
	StartDate        *string     `json:"startDate"`
	EndDate          *string     `json:"endDate"`
	AutoApplyToPrice bool        `json:"autoApplyToPrice"`
	Status           Status      `json:"status"`
	TestMode         bool        `json:"testMode"`
	ModifiedDate     *string     `json:"modifiedDate"`
}

// fastEnvelope is envelope with data decoded in the same pass.
type fastEnvelope struct {
	Success    *bool       `json:"success"`
	StatusCode int         `json:"statusCode"`
	Message    string      `json:"message"`
	Data       *couponJSON `json:"data"`
	Errors     []errorItem `json:"errors"`
}

// decode reads a 2xx body: the envelope, then its data. An envelope with
// "success": false becomes the *APIError it reports. The common answer, a
// success with one coupon object in data, is decoded in one pass; anything
// else (a failure, no coupon, a decoding error) takes the general path,
// which says what is wrong.
func (out *UpdateCouponResponse) decode(b []byte) error {
	msg, err := decodeCoupon(b, &out.Coupon)
	out.Message = msg
	return err
}

// decodeCoupon decodes an envelope whose data is one coupon (the answer to
// a PUT or a GET by id) into c and returns the envelope's message.
func decodeCoupon(b []byte, c *Coupon) (string, error) {
	var fast fastEnvelope
	if json.Unmarshal(b, &fast) == nil && fast.Success != nil && *fast.Success && fast.Data != nil && c.from(fast.Data) == nil {
		return fast.Message, nil
	}
	env, err := decodeEnvelope(b)
	if err != nil {
		return "", err
	}
	if wire.IsEmpty(env.Data) {
		return "", errors.New(`no coupon in the envelope's "data"`)
	}
	if err := c.decode(env.Data); err != nil {
		return "", fmt.Errorf("data: %w", err)
	}
	return env.Message, nil
}

// decodeEnvelope decodes a 2xx body's envelope, leaving data raw. An
// envelope with "success": false is returned as the *APIError it reports,
// its kind from its error code or else its statusCode.
func decodeEnvelope(b []byte) (*envelope, error) {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	if env.Success == nil {
		return nil, errors.New(`no "success" in the envelope`)
	}
	if !*env.Success {
		e := env.apiError()
		if api.Kind(e) == nil {
			api.SetKind(e, api.KindForStatus(env.StatusCode))
		}
		return nil, e
	}
	return &env, nil
}

func (c *Coupon) decode(b []byte) error {
	var w couponJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return c.from(&w)
}

// from checks and converts a decoded coupon.
func (c *Coupon) from(w *couponJSON) error {
	if w.ID == "" {
		return errors.New("coupon has no id")
	}
	*c = Coupon{
		ID: w.ID, Code: w.Code, Name: w.Name, Description: deref(w.Description), Tags: deref(w.Tags),
		Percentage: (*float64)(w.Percentage), Quantity: w.Quantity.Ptr(), AutoApplyToPrice: w.AutoApplyToPrice,
		Status: w.Status, TestMode: w.TestMode,
	}
	for _, d := range []struct {
		name string
		src  *string
		dst  *time.Time
	}{
		{"startDate", w.StartDate, &c.StartDate},
		{"endDate", w.EndDate, &c.EndDate},
		{"modifiedDate", w.ModifiedDate, &c.ModifiedDate},
	} {
		t, err := parseDate(deref(d.src))
		if err != nil {
			return fmt.Errorf("%s: %w", d.name, err)
		}
		*d.dst = t
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
