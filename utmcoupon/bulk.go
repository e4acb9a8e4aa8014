package utmcoupon

import (
	"context"
	"iter"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/bulk"
	"github.com/couponkit/couponkit/internal/transport"
)

// BulkOptions tunes UpdateCoupons and ModifyCoupons; nil means all defaults.
// Fields: Concurrency (requests in flight at once; 0 means 4, at most 64),
// RequestsPerSecond (a fixed ceiling on the pace; 0: the vendor's headers set
// it), DryRun (send no update: ModifyCoupons reads and computes Changes;
// UpdateCoupons sends nothing at all, valid items yield Err nil and Response
// nil, invalid ones their *ValidationError), and Progress (called after every
// item, never concurrently; keep it quick; a panic in it goes on from the
// loop).
type BulkOptions = api.BulkOptions

// Progress is a bulk call's running tally: Total, Done (= Changed +
// Unchanged + Failed), Changed (an update was applied; in a dry run, would be),
// Unchanged (ModifyCoupons found nothing to send), Failed, Elapsed, and
// RateLimit, the latest window the vendor reported (nil when it sends none).
type Progress = api.Progress

// UpdateResult is one item of UpdateCoupons: Index (its position in reqs),
// Request, Response (nil when Err != nil) and Err. Branch on Err with
// errors.Is: ErrNotSent means it is safe to send again, ErrOutcomeUnknown
// that the vendor may have applied it (check before sending again).
type UpdateResult = api.UpdateResult[UpdateCouponRequest, UpdateCouponResponse]

// UpdateCoupons sends every request of reqs at the vendor's full allowed
// pace and yields each item's result exactly once, in completion order.
// Nothing is sent until the loop starts; breaking out of the loop stops new
// requests at once and returns after those in flight end; cancelling ctx
// yields every unfinished item with an error matching ctx.Err() (and
// ErrNotSent when it was never sent). Results are not retained: memory
// stays flat in the number of items.
//
// With BulkOptions.DryRun nothing is sent: each request is validated as
// UpdateCoupon would; a valid item yields Err nil and Response nil (Progress
// counts it as Changed), an invalid one its *ValidationError. A 401 or 403
// answer stops the call: only the requests already in flight are still sent,
// and every item not sent yields an error matching ErrNotSent that unwraps
// (errors.As) to that *APIError. Requests may address the same CouponCode:
// those go one at a time, in input order, never in flight together. A panic
// in Progress is re-raised from the loop with its original value, and a
// panic in the loop body stops the workers too; either way nothing more is
// sent and no goroutine is left. A nil ctx yields every item with an error,
// sending nothing. Every item's error names the vendor, the request and the
// coupon.
//
// VTEX reports its window in Ratelimit-Remaining and Ratelimit-Reset (whole seconds); the pacer spreads the requests left until the reset and, at Remaining 0, holds new requests until the reset plus one second (the header's resolution).
func (c *Client) UpdateCoupons(ctx context.Context, reqs []*UpdateCouponRequest, opts *BulkOptions) iter.Seq[UpdateResult] {
	return bulk.Updates(ctx, c.t, reqs, opts, bulk.UpdateOps[UpdateCouponRequest, UpdateCouponResponse, string]{
		Update:  c.UpdateCoupon,
		Request: upsert,
		Key:     func(r *UpdateCouponRequest) string { return r.CouponCode },
	})
}

// ModifyResult is one item of ModifyCoupons: Index (its position in keys),
// Key, Response (nil when Err != nil; its Changes is empty when the coupon
// needed no update) and Err.
type ModifyResult = api.ModifyResult[string, ModifyCouponResponse]

// ModifyCoupons runs ModifyCoupon on every key of keys (its coupon codes) at
// the vendor's full allowed pace: each coupon is read, passed to change, and
// updated only when its wire body changed. With BulkOptions.DryRun nothing
// is updated and each result's Changes says what would be. Results come as
// for UpdateCoupons: each key exactly once, in completion order. change is
// called from several goroutines at once (one per coupon in flight), so it
// must be safe for concurrent use; a panic in it is re-raised in the
// caller's goroutine, from the loop, with its original value, after which
// nothing more is sent and no goroutine is left. A key repeated in keys is
// refused after its first item with a *ValidationError (ErrNotSent),
// sending nothing for it: two read-modify-writes of one coupon at once would
// race and lose an update. A 401 or 403 answer stops the call as for
// UpdateCoupons.
func (c *Client) ModifyCoupons(ctx context.Context, keys []string, change func(*UpdateCouponRequest) error, opts *BulkOptions) iter.Seq[ModifyResult] {
	return bulk.Modifies(ctx, c.t, keys, opts, bulk.ModifyOps[string, ModifyCouponResponse]{
		Modify: func(ctx context.Context, key string, dryRun bool) (*ModifyCouponResponse, error) {
			return c.modify(ctx, key, change, dryRun)
		},
		Changed:  func(r *ModifyCouponResponse) bool { return len(r.Changes) > 0 },
		Request:  func(code string) *transport.Request { return upsert(&UpdateCouponRequest{CouponCode: code}) },
		KeyField: c.ops.KeyField,
	})
}
