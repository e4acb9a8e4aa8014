package partnero

import (
	"context"
	"iter"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/bulk"
)

// BulkOptions tunes UpdateCoupons; nil means all defaults.
// Fields: Concurrency (requests in flight at once; 0 means 4, at most 64),
// RequestsPerSecond (a fixed ceiling on the pace; 0: the vendor's headers set
// it), DryRun (send nothing: each request is validated as UpdateCoupon would;
// valid items yield Err nil and Response nil, invalid ones their
// *ValidationError), and Progress (called after every item, never
// concurrently; keep it quick; a panic in it goes on from the loop).
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
// With BulkOptions.DryRun nothing is sent: each request is validated as
// UpdateCoupon would; a valid item yields Err nil and Response nil (Progress
// counts it as Changed), an invalid one its *ValidationError. A 401 or 403
// answer stops the call: only the requests already in flight are still sent,
// and every item not sent yields an error matching ErrNotSent that unwraps
// (errors.As) to that *APIError. Requests may address the same UUIDCode (two
// redemptions of one coupon with two transaction keys are two requests):
// those go one at a time, in input order, never in flight together. A panic
// in Progress is re-raised from the loop with its original value, and a
// panic in the loop body stops the workers too; either way nothing more is
// sent and no goroutine is left. A nil ctx yields every item with an error,
// sending nothing. Every item's error names the vendor, the request and the
// coupon.
//
// Partnero documents no rate limit; where it sends Laravel's X-RateLimit-Limit/-Remaining the pacer follows them, otherwise the pace starts at BulkOptions.RequestsPerSecond (or unlimited), halves on every 429 and grows back step by step. A redemption without TransactionKey, or a Sync, is not safe to repeat: one that got no answer ends with ErrOutcomeUnknown, never retried.
func (c *Client) UpdateCoupons(ctx context.Context, reqs []*UpdateCouponRequest, opts *BulkOptions) iter.Seq[UpdateResult] {
	return bulk.Updates(ctx, c.t, reqs, opts, bulk.UpdateOps[UpdateCouponRequest, UpdateCouponResponse, string]{
		Update:  c.UpdateCoupon,
		Request: put,
		Key:     func(r *UpdateCouponRequest) string { return r.UUIDCode },
	})
}
