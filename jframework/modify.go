package jframework

import (
	"context"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/modify"
)

// UpdateRequest returns the request that, sent unchanged, rewrites the
// coupon exactly as it is. JFramework's PUT replaces the whole coupon, so
// every writable field is set explicitly: Name, Code, the dates (their
// instants and offsets as read), AutoApplyToPrice, TestMode and Status
// ("" only when the read gave none; it is then not sent and JFramework keeps
// the coupon's status). Percentage and Quantity are copies (nil stays nil
// and is sent as null, which is what the coupon holds); an empty
// Description or Tags is nil and sent as null, the way JFramework returns
// a coupon that has none. The read-only ModifiedDate is left out. The
// request shares no memory with c, so editing it leaves c as read.
//
// It is the typed view of the coupon: fields this SDK does not model are
// not in it, which is why ModifyCoupon sends the coupon as JFramework sent
// it, not this request, except for the fields a change alters.
func (c *Coupon) UpdateRequest() *UpdateCouponRequest {
	// One allocation holds the request and the values its pointers point
	// to (ModifyCoupon builds two requests per call).
	s := &requestValues{
		r: UpdateCouponRequest{
			ID:        c.ID,
			Name:      c.Name,
			Code:      c.Code,
			StartDate: c.StartDate,
			EndDate:   c.EndDate,
			Status:    c.Status,
		},
		autoApply: c.AutoApplyToPrice, testMode: c.TestMode, description: c.Description, tags: c.Tags,
	}
	r := &s.r
	r.AutoApplyToPrice, r.TestMode = &s.autoApply, &s.testMode
	if c.Percentage != nil {
		s.percentage = *c.Percentage
		r.Percentage = &s.percentage
	}
	if c.Quantity != nil {
		s.quantity = *c.Quantity
		r.Quantity = &s.quantity
	}
	if c.Description != "" {
		r.Description = &s.description
	}
	if c.Tags != "" {
		r.Tags = &s.tags
	}
	return r
}

// requestValues is an UpdateRequest's request with the values its
// pointer fields point to.
type requestValues struct {
	r                 UpdateCouponRequest
	percentage        float64
	quantity          int
	autoApply         bool
	testMode          bool
	description, tags string
}

// ModifyCouponResponse is what ModifyCoupon did.
type ModifyCouponResponse struct {
	// Before is the coupon as read.
	Before Coupon
	// After is the coupon as JFramework answered the update; Before when
	// nothing was sent.
	After Coupon
	// Changes lists the fields the change altered, by wire name in wire
	// order ("percentage", "endDate", ...), with old and new values in the
	// typed encoding as compact JSON text; empty when nothing was sent.
	Changes []FieldChange
	// Meta is the update's metadata, or the read's when nothing was sent.
	Meta ResponseMeta
}

// ModifyCoupon changes some fields of the coupon id and keeps the others.
// JFramework's PUT replaces the whole coupon (an omitted percentage,
// quantity, description or tags becomes null, autoApplyToPrice and
// testMode false), so a bare UpdateCoupon with only the fields you mean to
// change wipes the rest. ModifyCoupon reads the coupon (GetCoupon), passes
// change the request from its UpdateRequest, validates the result and sends
// it as one PUT: one read and at most one write.
//
// What it sends is what it read, except what change changed: the coupon
// object exactly as JFramework sent it in the envelope's data (fields this
// SDK does not model kept, every value in the form read: "10.50" stays a
// string, a null stays null, a date keeps its text, an absent field stays
// absent), minus the read-only id and modifiedDate, with each field whose
// typed encoding change altered replaced by that encoding (dates as RFC
// 3339 with their offsets and the fractional digits they need). A field
// the PUT requires (name, code, startDate, endDate) that the read lacks
// (or has as null) and change does not set is a *ValidationError naming
// it; nothing is sent.
//
// It sends no update when change returns an error (returned wrapped) or
// leaves the typed body identical (Changes empty, After == Before, Meta of
// the read). Changing ID inside change is a *ValidationError: a modify
// never writes another coupon.
//
// JFramework offers no version check: a write someone else makes between
// the read and the update is overwritten (last writer wins; the window is
// one round trip).
func (c *Client) ModifyCoupon(ctx context.Context, id string, change func(*UpdateCouponRequest) error) (*ModifyCouponResponse, error) {
	return c.modify(ctx, id, change, false)
}

// modify is ModifyCoupon; with dryRun it computes Changes and sends no
// update (the bulk ModifyCoupons uses it).
func (c *Client) modify(ctx context.Context, id string, change func(*UpdateCouponRequest) error, dryRun bool) (*ModifyCouponResponse, error) {
	res, err := modify.Do(ctx, c.ops, id, change, dryRun)
	if err != nil {
		return nil, err
	}
	return &ModifyCouponResponse{Before: res.Before, After: res.After, Changes: res.Changes, Meta: res.Meta}, nil
}

// modifyOps describes JFramework's read-modify-write to modify.Do; NewClient
// builds it once.
func (c *Client) modifyOps() *modify.Ops[string, Coupon, UpdateCouponRequest] {
	return &modify.Ops[string, Coupon, UpdateCouponRequest]{
		Vendor:   "jframework",
		KeyField: "id",
		Get: func(ctx context.Context, id string) (Coupon, []byte, api.ResponseMeta, error) {
			r, raw, err := c.get(ctx, id, true)
			if err != nil {
				return Coupon{}, nil, api.ResponseMeta{}, err
			}
			return r.Coupon, raw, r.Meta, nil
		},
		Request: (*Coupon).UpdateRequest,
		Key:     func(r *UpdateCouponRequest) string { return r.ID },
		Invalid: func(id string, err error) error { return c.t.Invalid(put(&UpdateCouponRequest{ID: id}), err) },
		Encode:  (*UpdateCouponRequest).encode,
		Marshal: (*UpdateCouponRequest).marshal,
		// A full replace: the coupon as read, unknown fields included,
		// minus what JFramework sets itself.
		Write: modify.Write{
			ReadOnly: []string{"id", "modifiedDate"},
			Required: []string{"name", "code", "startDate", "endDate"},
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
