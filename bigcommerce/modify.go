package bigcommerce

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/modify"
)

// FieldChange is one wire field a ModifyCoupon changed: Field is the wire
// name, nested fields dotted ("applies_to.ids",
// "restricted_to.countries"); Old and New are the wire values as compact
// JSON text (`"10.00"`, `[1,2]`, `null`), "" when the field is absent from
// that body (shipping_methods of a coupon that has none set).
type FieldChange = api.FieldChange

// ModifyCouponResponse is what ModifyCoupon did.
type ModifyCouponResponse struct {
	// Before is the coupon as read.
	Before Coupon
	// After is the coupon as BigCommerce answered the update; Before when
	// nothing was sent.
	After Coupon
	// Changes lists the wire fields the change altered (their typed
	// encodings differ), in wire order; empty when nothing was sent.
	Changes []FieldChange
	// Meta is the update's exchange, or the read's when nothing was sent.
	Meta ResponseMeta
}

// UpdateRequest returns the request that, sent unchanged, rewrites the
// coupon exactly as it is. BigCommerce's PUT replaces the coupon (and clears
// applies_to when omitted), so every writable field is set explicitly, none
// left to how BigCommerce treats an omitted field:
//
//   - Expires: no expiry becomes a pointer to the zero time.Time, which
//     sends "" (no expiry);
//   - RestrictedTo: no restriction becomes an empty RestrictedTo, which
//     sends {} (no restriction);
//   - MinPurchase: an empty value (BigCommerce reports none as "0.0000")
//     sends "0";
//   - ShippingMethods keeps nil (shipping_methods is null on the coupon:
//     none was ever set; not sent) apart from empty (sends []). To remove
//     every method, set it to []string{}, not nil.
//
// The read-only id goes in the path (ID); num_uses and date_created are left
// out. The request shares no memory with c, so a change that edits it in
// place (req.AppliesTo.IDs[0] = 7) leaves c as it was.
//
// It is the typed view of the coupon: fields this SDK does not model are
// not in it, and it writes values in the SDK's form ("0" for no minimum,
// countries as a list). ModifyCoupon therefore sends what BigCommerce sent,
// not this request, except for the fields a change alters.
func (c *Coupon) UpdateRequest() *UpdateCouponRequest {
	// One allocation holds the request and every value it points to.
	s := &struct {
		r                  UpdateCouponRequest
		minPurchase        string
		expires            time.Time
		enabled            bool
		maxUses, maxPerCus int
		restrictedTo       RestrictedTo
		appliesTo          AppliesTo
	}{
		minPurchase: c.MinPurchase, enabled: c.Enabled, maxUses: c.MaxUses, maxPerCus: c.MaxUsesPerCustomer,
	}
	if s.minPurchase == "" {
		s.minPurchase = "0"
	}
	if c.Expires != nil {
		s.expires = *c.Expires
	}
	if rt := c.RestrictedTo; rt != nil {
		s.restrictedTo = RestrictedTo{Countries: slices.Clone(rt.Countries), States: cloneLists(rt.States), Zips: cloneLists(rt.Zips)}
	}
	s.r = UpdateCouponRequest{
		ID:                 c.ID,
		Name:               c.Name,
		Type:               c.Type,
		Amount:             c.Amount,
		Code:               c.Code,
		MinPurchase:        &s.minPurchase,
		Expires:            &s.expires,
		Enabled:            &s.enabled,
		MaxUses:            &s.maxUses,
		MaxUsesPerCustomer: &s.maxPerCus,
		RestrictedTo:       &s.restrictedTo,
		ShippingMethods:    slices.Clone(c.ShippingMethods),
	}
	if c.AppliesTo != nil {
		s.appliesTo = AppliesTo{Entity: c.AppliesTo.Entity, IDs: slices.Clone(c.AppliesTo.IDs)}
		s.r.AppliesTo = &s.appliesTo
	}
	return &s.r
}

// cloneLists deep-copies a map of lists; nil stays nil.
func cloneLists(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}

// ModifyCoupon changes the coupon id without losing its other fields: it
// reads the coupon (GetCoupon), passes change the request from
// UpdateRequest, validates the result and PUTs it, because a BigCommerce PUT
// requires name, type, amount, code and applies_to, and a bare
// UpdateCoupon would overwrite them with what your code guessed (and clear
// applies_to when left out).
//
// What it sends is what it read, except what change changed: the five
// fields the PUT requires exactly as BigCommerce sent them ("5.0000" stays
// "5.0000", an unknown key inside applies_to stays), plus each field whose
// typed encoding change altered, in that encoding; nothing else, because
// BigCommerce keeps every field a PUT omits (except applies_to). So a read
// that lacks max_uses never becomes "max_uses":0, and restricted_to
// {"countries":"AU"} is not rewritten unless change alters it (then it is
// sent as a list). A required field the read lacks (or has as null) and
// change does not set is a *ValidationError naming it; nothing is sent.
//
// It sends exactly one read and at most one update. It sends no update when
// change returns an error (returned wrapped) or leaves the wire body as it
// was (Changes empty, After == Before, Meta of the read). Changing req.ID
// inside change is a *ValidationError: a modify never writes another
// coupon. BigCommerce offers no version check, so a write someone else makes
// between the read and the update is overwritten (last writer wins; the
// window is one round trip).
func (c *Client) ModifyCoupon(ctx context.Context, id int, change func(*UpdateCouponRequest) error) (*ModifyCouponResponse, error) {
	return c.modify(ctx, id, change, false)
}

// modify is ModifyCoupon; with dryRun it computes Changes and sends no
// update (bulk ModifyCoupons with BulkOptions.DryRun).
func (c *Client) modify(ctx context.Context, id int, change func(*UpdateCouponRequest) error, dryRun bool) (*ModifyCouponResponse, error) {
	res, err := modify.Do(ctx, c.ops, id, change, dryRun)
	if err != nil {
		return nil, err
	}
	return &ModifyCouponResponse{Before: res.Before, After: res.After, Changes: res.Changes, Meta: res.Meta}, nil
}

// requiredOnWrite are the fields every BigCommerce PUT must carry.
var requiredOnWrite = []string{"name", "type", "amount", "code", "applies_to"}

// modifyOps describes BigCommerce's read-modify-write to internal/modify;
// NewClient builds it once.
func modifyOps(c *Client) *modify.Ops[int, Coupon, UpdateCouponRequest] {
	return &modify.Ops[int, Coupon, UpdateCouponRequest]{
		Vendor:   "bigcommerce",
		KeyField: "id",
		Get: func(ctx context.Context, id int) (Coupon, []byte, api.ResponseMeta, error) {
			r, raw, err := c.get(ctx, id, true)
			if err != nil {
				return Coupon{}, nil, api.ResponseMeta{}, err
			}
			return r.Coupon, raw, r.Meta, nil
		},
		Request: (*Coupon).UpdateRequest,
		Key:     func(r *UpdateCouponRequest) int { return r.ID },
		Invalid: func(id int, err error) error { return c.t.Invalid(c.put(&UpdateCouponRequest{ID: id}), err) },
		Encode:  (*UpdateCouponRequest).encode,
		Marshal: (*UpdateCouponRequest).marshal,
		// BigCommerce's PUT keeps every field it omits except applies_to,
		// which it clears: the five fields it requires go back as read,
		// plus the changed ones, and nothing else.
		Write: modify.Write{
			ReadOnly: []string{"id", "num_uses", "date_created"},
			Required: requiredOnWrite,
			Keep:     requiredOnWrite,
		},
		Send: func(ctx context.Context, r *UpdateCouponRequest, body []byte) (Coupon, api.ResponseMeta, error) {
			resp, err := c.send(ctx, r, body)
			if err != nil {
				return Coupon{}, api.ResponseMeta{}, err
			}
			return resp.Coupon, resp.Meta, nil
		},
	}
}
