package api

import "time"

// FieldChange is one wire field that an update changed (or, in a dry run,
// would change), computed from the request bodies before and after the
// caller's change.
type FieldChange struct {
	// Field is the wire name; nested fields are dotted, e.g.
	// "applies_to.ids" or "restricted_to.countries".
	Field string
	// Old and New are the wire values as compact JSON text (`"10.00"`,
	// `[1,2]`, `null`); "" when the field is absent from that body.
	Old, New string
}

// BulkOptions tunes a bulk call (UpdateCoupons, ModifyCoupons). A nil
// *BulkOptions means all defaults.
//
// Whatever the options, a bulk call stops at a 401 or 403 answer (items not
// sent match ErrNotSent and unwrap to that *APIError), re-raises a panic in
// ModifyCoupons' change func or in Progress on the caller's goroutine with
// its original value, and leaves no goroutine behind.
type BulkOptions struct {
	// Concurrency is the most requests in flight at once for this call;
	// 0 means 4, and it is capped at 64.
	Concurrency int
	// RequestsPerSecond is a fixed ceiling on this call's pace; 0 means no
	// ceiling: the vendor's rate-limit headers set the pace. For vendors that
	// send no headers (Paddle Classic) it is also the starting pace, halved
	// on every rate-limit answer and grown back step by step.
	RequestsPerSecond float64
	// DryRun sends no update. ModifyCoupons reads every coupon and
	// computes Changes. UpdateCoupons sends nothing at all: it validates
	// each request as UpdateCoupon would; a valid item yields Err nil and
	// Response nil, an invalid one its *ValidationError. Progress counts
	// the items that would be applied as Changed.
	DryRun bool
	// Progress, when set, is called after every item, never concurrently,
	// from the goroutine ranging over the results; keep it quick. The last
	// call has Done == Total. A panic in it stops the call (nothing more is
	// sent) and goes on from the loop with its original value.
	Progress func(Progress)
}

// Progress is a bulk call's running tally, passed to BulkOptions.Progress.
type Progress struct {
	// Total is the number of items in the call.
	Total int
	// Done = Changed + Unchanged + Failed.
	Done int
	// Changed counts items whose update was applied (in a dry run: would be).
	Changed int
	// Unchanged counts ModifyCoupons items whose change left the coupon as
	// it was, so nothing was sent.
	Unchanged int
	// Failed counts items that ended with an error.
	Failed int
	// Elapsed is the time since the call started.
	Elapsed time.Duration
	// RateLimit is the latest rate-limit window the vendor reported; nil
	// when it sends none.
	RateLimit *RateLimit
}

// UpdateResult is one item of an UpdateCoupons call. Each vendor package
// names its own instance (UpdateResult).
type UpdateResult[Req, Resp any] struct {
	// Index is the request's position in the slice passed to UpdateCoupons.
	Index int
	// Request is that request.
	Request *Req
	// Response is nil when Err != nil.
	Response *Resp
	// Err is nil when the update was applied. Test it with errors.Is:
	// ErrNotSent (safe to send again), ErrOutcomeUnknown (check before
	// sending again), context errors, and the usual sentinels.
	Err error
}

// ModifyResult is one item of a ModifyCoupons call. Each vendor package
// names its own instance (ModifyResult).
type ModifyResult[K, Resp any] struct {
	// Index is the key's position in the slice passed to ModifyCoupons.
	Index int
	// Key is that key.
	Key K
	// Response is nil when Err != nil; its Changes is empty when the coupon
	// needed no update.
	Response *Resp
	// Err is nil when the coupon was read and, if it needed one, updated.
	Err error
}
