package partnero

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// SyncProvider is an integration Partnero can create the coupon in.
type SyncProvider string

// The sync providers Partnero accepts. The provider must be connected to
// the program, and a coupon's provider can be set only once.
const (
	SyncStripe      SyncProvider = "stripe"
	SyncShopify     SyncProvider = "shopify"
	SyncWooCommerce SyncProvider = "woocommerce"
	SyncPaddle      SyncProvider = "paddle"
)

// Sync assigns a sync provider to a coupon that has none yet. Partnero
// creates the coupon in that provider during the request; a coupon that
// already has a different provider gets a 422 with
// FieldErrors["sync.provider"].
type Sync struct {
	// Provider is one of SyncStripe, SyncShopify, SyncWooCommerce,
	// SyncPaddle.
	Provider SyncProvider
}

// UpdateCouponRequest is a partial update of one coupon: nil fields are not
// sent and keep their values.
type UpdateCouponRequest struct {
	// UUIDCode identifies the coupon; required. It travels in the body as
	// uuid_code (the URL names no coupon).
	UUIDCode string
	// Name is the new customer-facing name; if set, it must not be blank
	// (Laravel trims it and reads "" as null, which it rejects).
	Name *string
	// Metadata is merged into the coupon's metadata by the server: keys
	// sent replace, keys not sent stay. Nil is not sent; an empty non-nil
	// map is sent as {} (and changes nothing). Values must be encodable as
	// JSON.
	Metadata map[string]any
	// Redeem true records a redemption: times_redeemed is incremented and
	// an entry appended to additional_info.redemptions. Without a
	// TransactionKey every received request counts, so the request is not
	// retried after a 5xx or a broken connection.
	Redeem *bool
	// TransactionKey is the originating transaction's key, only together
	// with Redeem true, and not blank. Partnero records a redemption once
	// per key and coupon; a repeated key, or one matching no transaction in
	// the program, is a silent no-op. Setting it makes the redemption safe
	// to retry.
	TransactionKey *string
	// Sync assigns a sync provider; such a request is not retried after a
	// 5xx (the provider may have been assigned).
	Sync *Sync
}

// Redemption is one entry of additional_info.redemptions.
type Redemption struct {
	RedeemedAt time.Time
	// TransactionKey is "" when the redemption was recorded without one.
	TransactionKey string
}

// Coupon is a coupon as Partnero returns it.
type Coupon struct {
	UUIDCode string
	Name     string
	Active   bool
	// DiscountType is coupon_discount_type: "percent" or "static".
	DiscountType string
	// DiscountAmount is coupon_discount_amount; Partnero may send it as a
	// number or a numeric string.
	DiscountAmount float64
	// DurationType is coupon_duration_type: "once", "hours", "days",
	// "months", "years" or "lifetime".
	DurationType string
	// DurationValue is nil when Partnero sends null.
	DurationValue *int
	// RedemptionSpecificDateStatus says whether the coupon can be redeemed
	// only until RedemptionSpecificDateValue (nil when null).
	RedemptionSpecificDateStatus bool
	RedemptionSpecificDateValue  *time.Time
	// RedemptionTimesStatus says whether redemptions are capped at
	// RedemptionTimesValue (nil when null).
	RedemptionTimesStatus bool
	RedemptionTimesValue  *int
	// Metadata is never nil: Partnero sends an empty object as [] (PHP),
	// which decodes to an empty map; a PHP list decodes with keys "0",
	// "1", ... as PHP sees it.
	Metadata map[string]any
	// Redemptions is additional_info.redemptions; additional_info may be
	// [], null or an object.
	Redemptions   []Redemption
	TimesRedeemed int
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// DeletedAt is nil unless the coupon is soft-deleted.
	DeletedAt *time.Time
}

// SyncStatus is the synchronization_* part of the answer: whether the
// coupon is synchronized with a provider and how that went.
type SyncStatus struct {
	Enabled    bool
	Successful bool
	Message    string
}

// UpdateCouponResponse is the updated coupon, Partnero's message (e.g.
// "Coupon updated in the app successfully."), the sync outcome and the
// exchange's metadata.
type UpdateCouponResponse struct {
	Coupon  Coupon
	Message string
	Sync    SyncStatus
	Meta    ResponseMeta
}

// UpdateCoupon updates the coupon req.UUIDCode. It validates req first and
// returns a *ValidationError, sending nothing, when a documented rule is
// broken. Retries follow the client's RetryPolicy, except that a redemption
// without a TransactionKey and a Sync are retried only when Partnero
// certainly did not act on them (429, failure to connect).
func (c *Client) UpdateCoupon(ctx context.Context, req *UpdateCouponRequest) (*UpdateCouponResponse, error) {
	r := put(req)
	if err := req.validate(); err != nil {
		return nil, c.t.Invalid(r, err)
	}
	body, err := json.Marshal(req.wire())
	if err != nil {
		// Only Metadata can fail to encode (a func, a channel, NaN...).
		return nil, c.t.Invalid(r, &ValidationError{Fields: []FieldError{{
			Field: "metadata", Problem: "must be encodable as JSON (" + c.t.Redact(err.Error()) + ")",
		}}})
	}
	out := new(UpdateCouponResponse)
	r.Body = body
	r.Decode = func(_ int, b []byte) error { return out.decode(b) }
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	out.Meta = meta
	return out, nil
}

// put is the PUT of req without its body: where it goes, the coupon it
// selects and whether it is safe to repeat. Nil for a nil req.
func put(req *UpdateCouponRequest) *transport.Request {
	if req == nil {
		return nil
	}
	return &transport.Request{
		Method:     http.MethodPut,
		Path:       couponsPath,
		Key:        transport.KeyOf("uuid_code", req.UUIDCode),
		Idempotent: req.idempotent(),
	}
}

// idempotent reports whether the server may safely see req twice: not a
// redemption without a transaction key (it would count twice), not a sync
// assignment (the provider is created during the request).
func (r *UpdateCouponRequest) idempotent() bool {
	redeems := r.Redeem != nil && *r.Redeem
	return !(redeems && r.TransactionKey == nil) && r.Sync == nil
}

func (r *UpdateCouponRequest) validate() error {
	var c api.Checker
	if r == nil {
		c.Fail("request", "is required")
		return c.Err()
	}
	if c.Text("uuid_code", r.UUIDCode) {
		c.Required("uuid_code", strings.TrimSpace(r.UUIDCode))
	}
	if r.Name != nil && c.Text("name", *r.Name) {
		c.Check(strings.TrimSpace(*r.Name) != "", "name", "must not be blank when set")
	}
	if r.Metadata != nil {
		c.JSONText("metadata", r.Metadata)
	}
	if r.TransactionKey != nil {
		c.Check(r.Redeem != nil && *r.Redeem, "transaction_key", "is allowed only with redeem true")
		if c.Text("transaction_key", *r.TransactionKey) {
			c.Check(strings.TrimSpace(*r.TransactionKey) != "", "transaction_key", "must not be blank when set")
		}
	}
	if r.Sync != nil && c.Text("sync.provider", string(r.Sync.Provider)) {
		c.OneOf("sync.provider", string(r.Sync.Provider),
			string(SyncStripe), string(SyncShopify), string(SyncWooCommerce), string(SyncPaddle))
	}
	return c.Err()
}

// couponBody is the PUT body; field order is the wire order.
type couponBody struct {
	UUIDCode       string          `json:"uuid_code"`
	Name           *string         `json:"name,omitempty"`
	Metadata       *map[string]any `json:"metadata,omitempty"`
	Redeem         *bool           `json:"redeem,omitempty"`
	TransactionKey *string         `json:"transaction_key,omitempty"`
	Sync           *syncBody       `json:"sync,omitempty"`
}

type syncBody struct {
	Provider SyncProvider `json:"provider"`
}

func (r *UpdateCouponRequest) wire() *couponBody {
	b := &couponBody{UUIDCode: r.UUIDCode, Name: r.Name, Redeem: r.Redeem, TransactionKey: r.TransactionKey}
	if r.Metadata != nil {
		b.Metadata = &r.Metadata
	}
	if r.Sync != nil {
		b.Sync = &syncBody{Provider: r.Sync.Provider}
	}
	return b
}

// envelopeJSON is Partnero's success answer.
type envelopeJSON struct {
	Data                      json.RawMessage `json:"data"`
	Message                   wire.String     `json:"message"`
	SynchronizationEnabled    flexBool        `json:"synchronization_enabled"`
	SynchronizationSuccessful flexBool        `json:"synchronization_successful"`
	SynchronizationMessage    wire.String     `json:"synchronization_message"`
}

// fastEnvelopeJSON is envelopeJSON with data decoded in the same pass.
type fastEnvelopeJSON struct {
	Data                      *couponJSON `json:"data"`
	Message                   wire.String `json:"message"`
	SynchronizationEnabled    flexBool    `json:"synchronization_enabled"`
	SynchronizationSuccessful flexBool    `json:"synchronization_successful"`
	SynchronizationMessage    wire.String `json:"synchronization_message"`
}

// decode reads a success answer. The common answer, one coupon object in
// data, is decoded in one pass; anything else (no coupon, a PHP [] for
// data, a decoding error) takes the general path, which decodes the
// envelope and then its data and says what is wrong.
func (out *UpdateCouponResponse) decode(b []byte) error {
	var fast fastEnvelopeJSON
	var c Coupon
	if json.Unmarshal(b, &fast) == nil && fast.Data != nil && c.from(fast.Data) == nil {
		out.Coupon = c
		out.setEnvelope(fast.Message, fast.SynchronizationEnabled, fast.SynchronizationSuccessful, fast.SynchronizationMessage)
		return nil
	}
	var env envelopeJSON
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	var w couponJSON
	ok, err := wire.UnmarshalObject(env.Data, &w)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if !ok {
		return errors.New("answer has no coupon in data")
	}
	if err := out.Coupon.from(&w); err != nil {
		return err
	}
	out.setEnvelope(env.Message, env.SynchronizationEnabled, env.SynchronizationSuccessful, env.SynchronizationMessage)
	return nil
}

func (out *UpdateCouponResponse) setEnvelope(msg wire.String, enabled, successful flexBool, syncMsg wire.String) {
	out.Message = string(msg)
	out.Sync = SyncStatus{
		Enabled:    bool(enabled),
		Successful: bool(successful),
		Message:    string(syncMsg),
	}
}

// couponJSON is a coupon as Partnero sends it.
type couponJSON struct {
	Name                         wire.String     `json:"name"`
	UUIDCode                     wire.String     `json:"uuid_code"`
	Active                       flexBool        `json:"active"`
	CouponDiscountType           wire.String     `json:"coupon_discount_type"`
	CouponDiscountAmount         wire.Float      `json:"coupon_discount_amount"`
	CouponDurationType           wire.String     `json:"coupon_duration_type"`
	CouponDurationValue          optInt          `json:"coupon_duration_value"`
	RedemptionSpecificDateStatus flexBool        `json:"redemption_specific_date_status"`
	RedemptionSpecificDateValue  wire.String     `json:"redemption_specific_date_value"`
	RedemptionTimesStatus        flexBool        `json:"redemption_times_status"`
	RedemptionTimesValue         optInt          `json:"redemption_times_value"`
	Metadata                     json.RawMessage `json:"metadata"`
	AdditionalInfo               json.RawMessage `json:"additional_info"`
	TimesRedeemed                optInt          `json:"times_redeemed"`
	CreatedAt                    wire.String     `json:"created_at"`
	UpdatedAt                    wire.String     `json:"updated_at"`
	DeletedAt                    wire.String     `json:"deleted_at"`
}

type additionalInfoJSON struct {
	Redemptions []redemptionJSON `json:"redemptions"`
}

type redemptionJSON struct {
	RedeemedAt     wire.String `json:"redeemed_at"`
	TransactionKey wire.String `json:"transaction_key"`
}

func (c *Coupon) from(w *couponJSON) error {
	if w.UUIDCode == "" {
		return errors.New("coupon has no uuid_code")
	}
	*c = Coupon{
		UUIDCode: string(w.UUIDCode), Name: string(w.Name), Active: bool(w.Active),
		DiscountType: string(w.CouponDiscountType), DiscountAmount: float64(w.CouponDiscountAmount),
		DurationType: string(w.CouponDurationType), DurationValue: w.CouponDurationValue.Ptr(),
		RedemptionSpecificDateStatus: bool(w.RedemptionSpecificDateStatus),
		RedemptionTimesStatus:        bool(w.RedemptionTimesStatus), RedemptionTimesValue: w.RedemptionTimesValue.Ptr(),
	}
	if w.TimesRedeemed.Set {
		c.TimesRedeemed = w.TimesRedeemed.V
	}
	var err error
	if c.RedemptionSpecificDateValue, err = optTime("redemption_specific_date_value", w.RedemptionSpecificDateValue); err != nil {
		return err
	}
	if c.DeletedAt, err = optTime("deleted_at", w.DeletedAt); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		in   wire.String
		out  *time.Time
	}{{"created_at", w.CreatedAt, &c.CreatedAt}, {"updated_at", w.UpdatedAt, &c.UpdatedAt}} {
		if f.in == "" {
			continue
		}
		// optTime, without its pointer.
		t, err := parseTime(string(f.in))
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		*f.out = t
	}
	if c.Metadata, err = decodeMetadata(w.Metadata); err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	var info additionalInfoJSON
	if _, err := wire.UnmarshalObject(w.AdditionalInfo, &info); err != nil {
		return fmt.Errorf("additional_info: %w", err)
	}
	for i, r := range info.Redemptions {
		red := Redemption{TransactionKey: string(r.TransactionKey)}
		if r.RedeemedAt != "" {
			// optTime, with the field named only on failure.
			t, err := parseTime(string(r.RedeemedAt))
			if err != nil {
				return fmt.Errorf("additional_info.redemptions[%d].redeemed_at: %w", i, err)
			}
			red.RedeemedAt = t
		}
		c.Redemptions = append(c.Redemptions, red)
	}
	return nil
}

// decodeMetadata reads Partnero's metadata as a never-nil map: null, [] and
// {} are empty; a non-empty JSON list is what PHP writes for an array with
// keys 0..n-1, so it decodes to keys "0", "1", ....
func decodeMetadata(data []byte) (map[string]any, error) {
	m := map[string]any{}
	if wire.IsEmpty(data) {
		return m, nil
	}
	if s := bytes.TrimSpace(data); s[0] == '[' {
		var list []any
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, err
		}
		for i, v := range list {
			m[fmt.Sprint(i)] = v
		}
		return m, nil
	}
	if _, err := wire.UnmarshalObject(data, &m); err != nil {
		return nil, err
	}
	if m == nil { // cannot happen for an object, but never hand out nil
		m = map[string]any{}
	}
	return m, nil
}
