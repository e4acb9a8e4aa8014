package utmcoupon

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/modify"
)

// UpdateRequest returns the request that, sent unchanged, rewrites the
// coupon exactly as it is. VTEX's upsert replaces the whole coupon, so
// every writable field is set explicitly: CouponCode, UtmSource,
// IsArchived, MaxItemsPerClient, ExpirationIntervalPerUse (fractions of a
// second included), MaxUsage (a copy; nil stays nil and is left out, which
// VTEX reads as no cap) and UtmCampaign: a copy of the campaign, nil (left
// out) when the coupon has none. A campaign VTEX sent as the
// empty string "" rather than null is given back as a pointer to "", so
// that the stored value survives a modify; a Coupon built by hand with
// UtmCampaign "" gives nil. The read-only LastModifiedUTC and GroupingKey
// are left out (VTEX sets them). The request shares no memory with c, so
// editing it leaves c as read.
//
// It is the typed view of the coupon: fields this SDK does not model are
// not in it, which is why ModifyCoupon sends the coupon as VTEX sent it,
// not this request, except for the fields a change alters.
func (c *Coupon) UpdateRequest() *UpdateCouponRequest {
	r := &UpdateCouponRequest{
		CouponCode:               c.CouponCode,
		UtmSource:                c.UtmSource,
		IsArchived:               c.IsArchived,
		MaxItemsPerClient:        c.MaxItemsPerClient,
		ExpirationIntervalPerUse: c.ExpirationIntervalPerUse,
	}
	if c.UtmCampaign != "" || c.utmCampaignEmpty {
		r.UtmCampaign = Ptr(c.UtmCampaign)
	}
	if c.MaxUsage != nil {
		r.MaxUsage = Ptr(*c.MaxUsage)
	}
	return r
}

// ModifyCouponResponse is what ModifyCoupon did.
type ModifyCouponResponse struct {
	// Before is the coupon as read.
	Before Coupon
	// After is the coupon as VTEX answered the upsert; Before when nothing
	// was sent.
	After Coupon
	// Changes lists the POST body's fields the change altered, by wire
	// name in wire order ("utmCampaign", "maxUsage", ...), with old and new
	// values as compact JSON text (`"14.00:00:00"`, `500`; "" when absent
	// from that typed body, as a nil MaxUsage is); empty when nothing was
	// sent.
	Changes []FieldChange
	// Meta is the upsert's metadata, or the read's when nothing was sent.
	Meta ResponseMeta
}

// ModifyCoupon changes some fields of the coupon couponCode and keeps the
// others. VTEX's POST /api/rnb/pvt/coupon is an upsert that replaces the
// whole coupon (a campaign or usage cap left out becomes empty, isArchived
// false), so a bare UpdateCoupon with only the fields you mean to change
// wipes the rest. ModifyCoupon does what VTEX documents instead: it reads
// the coupon (GetCoupon), passes change the request from its
// UpdateRequest, validates the result and sends it back whole: one read
// and at most one write.
//
// What it sends is what it read, except what change changed: the coupon
// object exactly as VTEX sent it (fields this SDK does not model kept,
// every value in the form read, "3" stays "3"), minus the read-only
// lastModifiedUtc and groupingKey, with each field whose typed encoding
// change altered replaced by that encoding. VTEX never receives a JSON
// null: a null read (at any depth) is left out, which VTEX treats the
// same. A field VTEX's OpenAPI document requires on the upsert (utmSource,
// couponCode, maxItemsPerClient, expirationIntervalPerUse) that the read
// lacks and change does not set is a *ValidationError naming it; nothing
// is sent.
//
// It sends no update when change returns an error (returned wrapped) or
// leaves the POST body identical (Changes empty, After == Before, Meta of
// the read). Changing CouponCode inside change is a *ValidationError: the
// upsert would not rename the coupon but CREATE another one. couponCode
// must be the code as VTEX stores it; when the read answers with the same
// code in another case, ModifyCoupon returns a *ValidationError naming the
// stored code and sends nothing.
//
// VTEX offers no version check: a write someone else makes between the
// read and the update is overwritten (last writer wins; the window is one
// round trip).
func (c *Client) ModifyCoupon(ctx context.Context, couponCode string, change func(*UpdateCouponRequest) error) (*ModifyCouponResponse, error) {
	return c.modify(ctx, couponCode, change, false)
}

// modify is ModifyCoupon; with dryRun it computes Changes and sends no
// update (the bulk ModifyCoupons uses it).
func (c *Client) modify(ctx context.Context, couponCode string, change func(*UpdateCouponRequest) error, dryRun bool) (*ModifyCouponResponse, error) {
	res, err := modify.Do(ctx, c.ops, couponCode, change, dryRun)
	if err != nil {
		return nil, err
	}
	return &ModifyCouponResponse{Before: res.Before, After: res.After, Changes: res.Changes, Meta: res.Meta}, nil
}

// modifyOps describes VTEX's read-modify-write to modify.Do; NewClient
// builds it once.
func (c *Client) modifyOps() *modify.Ops[string, Coupon, UpdateCouponRequest] {
	return &modify.Ops[string, Coupon, UpdateCouponRequest]{
		Vendor:   "utmcoupon",
		KeyField: "couponCode",
		Get: func(ctx context.Context, code string) (Coupon, []byte, api.ResponseMeta, error) {
			r, raw, err := c.get(ctx, code, true)
			if err != nil {
				return Coupon{}, nil, api.ResponseMeta{}, err
			}
			if r.Coupon.CouponCode != code {
				// GetCoupon accepts another case; the upsert might not.
				return Coupon{}, nil, api.ResponseMeta{}, c.t.Invalid(upsert(&UpdateCouponRequest{CouponCode: code}), &ValidationError{Fields: []FieldError{{
					Field:   "couponCode",
					Problem: fmt.Sprintf("must be the code as VTEX stores it, %q (an update sent with %q might create another coupon)", r.Coupon.CouponCode, code),
				}}})
			}
			return r.Coupon, raw, r.Meta, nil
		},
		Request: (*Coupon).UpdateRequest,
		Key:     func(r *UpdateCouponRequest) string { return r.CouponCode },
		Invalid: func(code string, err error) error {
			return c.t.Invalid(upsert(&UpdateCouponRequest{CouponCode: code}), err)
		},
		Encode:  c.encode,
		Marshal: (*UpdateCouponRequest).marshal,
		// A full replace: the coupon as read, unknown fields included,
		// minus what VTEX sets itself, and never a JSON null.
		Write: modify.Write{
			ReadOnly: []string{"lastModifiedUtc", "groupingKey"},
			// VTEX's OpenAPI document requires these four on the upsert.
			Required: []string{"utmSource", "couponCode", "maxItemsPerClient", "expirationIntervalPerUse"},
			NoNull:   true,
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
