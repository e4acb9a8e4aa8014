package bigcommerce

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// CouponType is the kind of discount; it decides how Amount is read.
type CouponType string

// The coupon types BigCommerce accepts.
const (
	PerItemDiscount    CouponType = "per_item_discount"
	PercentageDiscount CouponType = "percentage_discount"
	PerTotalDiscount   CouponType = "per_total_discount"
	ShippingDiscount   CouponType = "shipping_discount"
	FreeShipping       CouponType = "free_shipping"
	// Promotion coupons cannot be created through the API and come back
	// with placeholder values.
	Promotion CouponType = "promotion"
)

// Entities an AppliesTo can name.
const (
	EntityProducts   = "products"
	EntityCategories = "categories"
)

// AppliesTo says which products or categories the coupon applies to.
type AppliesTo struct {
	// Entity is EntityProducts or EntityCategories.
	Entity string `json:"entity"`
	// IDs are product or category ids; for categories, []int{0} means all.
	IDs []int `json:"ids"`
}

// RestrictedTo limits the coupon to countries, states or zip codes.
type RestrictedTo struct {
	Countries []string            `json:"countries,omitempty"`
	States    map[string][]string `json:"states,omitempty"`
	Zips      map[string][]string `json:"zips,omitempty"`
}

// UpdateCouponRequest is a full PUT of one coupon. BigCommerce requires
// Name, Type, Amount, Code and AppliesTo on every PUT: leaving applies_to
// out clears it on the coupon, so AppliesTo is required here. Nil optional
// fields are not sent and keep their values.
type UpdateCouponRequest struct {
	// ID is the coupon's id, > 0; it goes in the path.
	ID int
	// Name is required, at most 100 characters, unique in the store.
	Name string
	// Type is required.
	Type CouponType
	// Amount is required: a decimal string such as "10.00", read as money
	// or percent depending on Type.
	Amount string
	// Code is required: at most 50 characters of letters, digits, spaces,
	// underscores and hyphens; unique in the store.
	Code string
	// AppliesTo is required: BigCommerce clears applies_to when a PUT
	// omits it. Entity must be valid and IDs non-empty.
	AppliesTo *AppliesTo
	// MinPurchase is the minimum order value, a decimal string.
	MinPurchase *string
	// Expires is sent as RFC 2822. A pointer to the zero time.Time sends ""
	// and removes the expiry.
	Expires *time.Time
	// Enabled turns the coupon on or off.
	Enabled *bool
	// MaxUses caps total uses (0: unlimited).
	MaxUses *int
	// MaxUsesPerCustomer caps uses per customer (0: unlimited).
	MaxUsesPerCustomer *int
	// RestrictedTo limits where the coupon applies.
	RestrictedTo *RestrictedTo
	// ShippingMethods names enabled shipping methods; nil is not sent, an
	// empty non-nil slice sends [] (no restriction).
	ShippingMethods []string
}

// Coupon is a coupon as BigCommerce returns it.
type Coupon struct {
	ID          int
	Name        string
	Type        CouponType
	Amount      string
	MinPurchase string
	// Expires is nil when the coupon has no expiry (BigCommerce sends "").
	Expires            *time.Time
	Enabled            bool
	Code               string
	AppliesTo          *AppliesTo
	NumUses            int
	MaxUses            int
	MaxUsesPerCustomer int
	// RestrictedTo is nil when there is no restriction; BigCommerce sends
	// that as {}, [] or null.
	RestrictedTo    *RestrictedTo
	ShippingMethods []string
	DateCreated     time.Time
}

// UpdateCouponResponse is the updated coupon and the exchange's metadata.
type UpdateCouponResponse struct {
	Coupon Coupon
	Meta   ResponseMeta
}

var (
	decimalRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	codeRE    = regexp.MustCompile(`^[A-Za-z0-9_ -]*$`)
)

// UpdateCoupon replaces the coupon req.ID with req. It validates req first
// and returns a *ValidationError, sending nothing, when a documented rule is
// broken. Retries follow the client's RetryPolicy (the PUT is idempotent).
func (c *Client) UpdateCoupon(ctx context.Context, req *UpdateCouponRequest) (*UpdateCouponResponse, error) {
	body, err := req.encode()
	if err != nil {
		return nil, c.t.Invalid(c.put(req), err)
	}
	return c.send(ctx, req, body)
}

// put is the PUT of req without its body: where it goes and that it is
// idempotent. Nil for a nil req.
func (c *Client) put(req *UpdateCouponRequest) *transport.Request {
	if req == nil {
		return nil
	}
	return &transport.Request{Method: http.MethodPut, Path: c.path, PathParams: []string{strconv.Itoa(req.ID)}, Idempotent: true}
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
		return nil, fmt.Errorf("bigcommerce: encoding request: %w", err)
	}
	return body, nil
}

// send PUTs body, which encode returned for req, to the coupon req.ID.
func (c *Client) send(ctx context.Context, req *UpdateCouponRequest, body []byte) (*UpdateCouponResponse, error) {
	out := new(UpdateCouponResponse)
	r := c.put(req)
	r.Body = body
	r.Decode = func(_ int, b []byte) error { return out.Coupon.decode(b) }
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
	c.Check(r.ID > 0, "id", "must be greater than 0")
	if c.Required("name", r.Name) && c.Text("name", r.Name) {
		c.Length("name", r.Name, 1, 100)
	}
	if c.Text("type", string(r.Type)) {
		c.OneOf("type", string(r.Type), string(PerItemDiscount), string(PercentageDiscount),
			string(PerTotalDiscount), string(ShippingDiscount), string(FreeShipping), string(Promotion))
	}
	if c.Required("amount", r.Amount) && c.Text("amount", r.Amount) {
		c.Check(decimalRE.MatchString(r.Amount), "amount", `must be a decimal string such as "10.00"`)
	}
	if c.Required("code", r.Code) && c.Text("code", r.Code) {
		c.Length("code", r.Code, 1, 50)
		c.Check(codeRE.MatchString(r.Code), "code", "may contain only letters, digits, spaces, underscores and hyphens")
	}
	if r.AppliesTo == nil {
		c.Fail("applies_to", "is required (BigCommerce clears it when a PUT omits it)")
	} else {
		if c.Text("applies_to.entity", r.AppliesTo.Entity) {
			c.OneOf("applies_to.entity", r.AppliesTo.Entity, EntityProducts, EntityCategories)
		}
		c.Check(len(r.AppliesTo.IDs) > 0, "applies_to.ids", "must list at least one id (for categories, 0 means all)")
		for _, id := range r.AppliesTo.IDs {
			if id < 0 || (id == 0 && r.AppliesTo.Entity == EntityProducts) {
				c.Fail("applies_to.ids", "must be positive ids (0, meaning all, only for categories)")
				break
			}
		}
	}
	if r.MinPurchase != nil && c.Text("min_purchase", *r.MinPurchase) {
		c.Check(decimalRE.MatchString(*r.MinPurchase), "min_purchase", `must be a decimal string such as "25.00"`)
	}
	if r.Expires != nil && !r.Expires.IsZero() {
		// Sent in its own zone as RFC 2822, whose year has four digits.
		c.Date("expires", *r.Expires)
	}
	if rt := r.RestrictedTo; rt != nil {
		c.Texts("restricted_to.countries", rt.Countries)
		c.TextMap("restricted_to.states", rt.States)
		c.TextMap("restricted_to.zips", rt.Zips)
	}
	c.Texts("shipping_methods", r.ShippingMethods)
	c.NonNegative("max_uses", r.MaxUses)
	c.NonNegative("max_uses_per_customer", r.MaxUsesPerCustomer)
	return c.Err()
}

// couponBody is the PUT body; field order is the wire order.
type couponBody struct {
	Name               string        `json:"name"`
	Type               CouponType    `json:"type"`
	Amount             string        `json:"amount"`
	Code               string        `json:"code"`
	AppliesTo          *AppliesTo    `json:"applies_to"`
	MinPurchase        *string       `json:"min_purchase,omitempty"`
	Expires            *string       `json:"expires,omitempty"`
	Enabled            *bool         `json:"enabled,omitempty"`
	MaxUses            *int          `json:"max_uses,omitempty"`
	MaxUsesPerCustomer *int          `json:"max_uses_per_customer,omitempty"`
	RestrictedTo       *RestrictedTo `json:"restricted_to,omitempty"`
	ShippingMethods    *[]string     `json:"shipping_methods,omitempty"`
}

func (r *UpdateCouponRequest) wire() *couponBody {
	b := &couponBody{
		Name: r.Name, Type: r.Type, Amount: r.Amount, Code: r.Code, AppliesTo: r.AppliesTo,
		MinPurchase: r.MinPurchase, Enabled: r.Enabled, MaxUses: r.MaxUses,
		MaxUsesPerCustomer: r.MaxUsesPerCustomer, RestrictedTo: r.RestrictedTo,
	}
	if r.Expires != nil {
		s := formatDate(*r.Expires)
		b.Expires = &s
	}
	if r.ShippingMethods != nil {
		b.ShippingMethods = &r.ShippingMethods
	}
	return b
}
