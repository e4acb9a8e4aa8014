package paddle

import (
	"context"
	"iter"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/bulk"
	"github.com/couponkit/couponkit/internal/transport"
)

// BulkOptions tunes UpdateCoupons; nil means all defaults.
// Fields: Concurrency (requests in flight at once; 0 means 4, at most 64),
// RequestsPerSecond (a fixed ceiling on the pace; 0: the vendor's headers set
// it), DryRun (ModifyCoupons only; ignored here), and
// Progress (called after every item, never concurrently; keep it quick).
type BulkOptions = api.BulkOptions

// Progress is a bulk call's running tally: Total, Done (= Changed +
// Unchanged + Failed), Changed (an update was applied),
// Unchanged (always 0 here: UpdateCoupons sends every request), Failed, Elapsed, and
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
// Paddle Classic sends no rate-limit headers: its limit shows as error 189 inside an HTTP 200. The pace starts at BulkOptions.RequestsPerSecond (or unlimited), halves on every 189 and grows back step by step. A rename or group move (NewCouponCode, NewGroup) is not safe to repeat: one that got no answer ends with ErrOutcomeUnknown, never retried.
func (c *Client) UpdateCoupons(ctx context.Context, reqs []*UpdateCouponRequest, opts *BulkOptions) iter.Seq[UpdateResult] {
	return bulk.Updates(ctx, c.t, reqs, opts, bulk.UpdateOps[UpdateCouponRequest, UpdateCouponResponse, transport.Key]{
		Update:  c.UpdateCoupon,
		Request: update,
		Key: func(r *UpdateCouponRequest) transport.Key {
			return transport.KeyOf("coupon_code", r.CouponCode, "group", r.Group)
		},
	})
}
