package bulk

import (
	"context"
	"fmt"
	"iter"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// UpdateOps is what a vendor's UpdateCoupons needs of the vendor.
type UpdateOps[Req, Resp any, K comparable] struct {
	// Update is the vendor's UpdateCoupon: it validates (sending nothing
	// and returning a *api.ValidationError for a bad request) and sends.
	Update func(context.Context, *Req) (*Resp, error)
	// Request locates a request for error strings: its method, path and
	// key, as UpdateCoupon sends it; nil for a nil *Req.
	Request func(*Req) *transport.Request
	// Key is the coupon a (non-nil) request addresses: requests for one key
	// are never in flight at once and go in input order.
	Key func(*Req) K
}

// Updates is every vendor's UpdateCoupons over t, the vendor's transport.
// An item succeeds (Changed) or fails. With opts.DryRun each request goes
// through the vendor's validation and encoding and is not sent: a valid
// one yields Err nil and Response nil (Changed: it would be applied), an
// invalid one its *api.ValidationError.
func Updates[Req, Resp any, K comparable](ctx context.Context, t *transport.Client, reqs []*Req, opts *api.BulkOptions,
	ops UpdateOps[Req, Resp, K]) iter.Seq[api.UpdateResult[Req, Resp]] {
	type result = api.UpdateResult[Req, Resp]
	return Run(ctx, opts, Job[result, K]{
		N:      len(reqs),
		DryRun: opts != nil && opts.DryRun,
		Do: func(ctx context.Context, i int) result {
			resp, err := ops.Update(ctx, reqs[i])
			switch {
			case err == nil:
				return result{Index: i, Request: reqs[i], Response: resp}
			case transport.IsDryRun(err):
				return result{Index: i, Request: reqs[i]} // valid: it would be sent
			}
			return result{Index: i, Request: reqs[i], Err: err}
		},
		NotSent: func(i int, cause error) result {
			return result{Index: i, Request: reqs[i], Err: t.NotSent(ops.Request(reqs[i]), cause)}
		},
		Err: func(r result) error { return r.Err },
		Outcome: func(r result) Outcome {
			if r.Err != nil {
				return Failed
			}
			return Changed
		},
		Latest: t.Pacer().Latest,
		Key: func(i int) (K, bool) {
			if reqs[i] == nil {
				var zero K
				return zero, false
			}
			return ops.Key(reqs[i]), true
		},
		Repeats: Serialize,
	})
}

// ModifyOps is what a vendor's ModifyCoupons needs of the vendor.
type ModifyOps[K comparable, Resp any] struct {
	// Modify runs one read-modify-write (a dry run when dryRun).
	Modify func(ctx context.Context, key K, dryRun bool) (*Resp, error)
	// Changed reports whether a response holds changes.
	Changed func(*Resp) bool
	// Request locates the update of key for error strings, as the vendor's
	// ModifyCoupon names its refusals.
	Request func(key K) *transport.Request
	// KeyField is the key's wire name, e.g. "id" or "couponCode".
	KeyField string
}

// Modifies is every full-replace vendor's ModifyCoupons over t, the
// vendor's transport. A key repeated in keys is refused after its first
// item with a *api.ValidationError, sending nothing: two read-modify-writes
// of one coupon at once would race, and one would overwrite the other.
func Modifies[K comparable, Resp any](ctx context.Context, t *transport.Client, keys []K, opts *api.BulkOptions,
	ops ModifyOps[K, Resp]) iter.Seq[api.ModifyResult[K, Resp]] {
	type result = api.ModifyResult[K, Resp]
	dry := opts != nil && opts.DryRun
	return Run(ctx, opts, Job[result, K]{
		N: len(keys),
		Do: func(ctx context.Context, i int) result {
			resp, err := ops.Modify(ctx, keys[i], dry)
			if err != nil {
				return result{Index: i, Key: keys[i], Err: err}
			}
			return result{Index: i, Key: keys[i], Response: resp}
		},
		NotSent: func(i int, cause error) result {
			return result{Index: i, Key: keys[i], Err: t.NotSent(ops.Request(keys[i]), cause)}
		},
		Err: func(r result) error { return r.Err },
		Outcome: func(r result) Outcome {
			switch {
			case r.Err != nil:
				return Failed
			case ops.Changed(r.Response):
				return Changed
			}
			return Unchanged
		},
		Latest:  t.Pacer().Latest,
		Key:     func(i int) (K, bool) { return keys[i], true },
		Repeats: Refuse,
		Refused: func(i, first int) result {
			err := t.Invalid(ops.Request(keys[i]), &api.ValidationError{Fields: []api.FieldError{{
				Field: ops.KeyField,
				Problem: fmt.Sprintf("repeats item %d's key %v: ModifyCoupons reads and writes each coupon once "+
					"(two read-modify-writes of one coupon at once would race, one overwriting the other)", first, keys[i]),
			}}})
			return result{Index: i, Key: keys[i], Err: err}
		},
	})
}
