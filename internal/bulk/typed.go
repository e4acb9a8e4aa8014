package bulk

import (
	"context"
	"iter"

	"github.com/couponkit/couponkit/internal/api"
)

// Updates is every vendor's UpdateCoupons: update runs one request (the
// vendor's UpdateCoupon), latest reports the pacer's view of the window.
// An item succeeds (Changed) or fails.
func Updates[Req, Resp any](ctx context.Context, vendor string, reqs []*Req, opts *api.BulkOptions,
	update func(context.Context, *Req) (*Resp, error), latest func() *api.RateLimit) iter.Seq[api.UpdateResult[Req, Resp]] {
	type result = api.UpdateResult[Req, Resp]
	return Run(ctx, opts, Job[result]{
		Vendor: vendor,
		N:      len(reqs),
		Do: func(ctx context.Context, i int) result {
			resp, err := update(ctx, reqs[i])
			if err != nil {
				return result{Index: i, Request: reqs[i], Err: err}
			}
			return result{Index: i, Request: reqs[i], Response: resp}
		},
		Skipped: func(i int, err error) result { return result{Index: i, Request: reqs[i], Err: err} },
		Outcome: func(r result) Outcome {
			if r.Err != nil {
				return Failed
			}
			return Changed
		},
		Latest: latest,
	})
}

// Modifies is every full-replace vendor's ModifyCoupons: modify runs one
// read-modify-write (a dry run when opts.DryRun), changed reports whether
// its response holds changes.
func Modifies[K, Resp any](ctx context.Context, vendor string, keys []K, opts *api.BulkOptions,
	modify func(ctx context.Context, key K, dryRun bool) (*Resp, error), changed func(*Resp) bool,
	latest func() *api.RateLimit) iter.Seq[api.ModifyResult[K, Resp]] {
	type result = api.ModifyResult[K, Resp]
	dry := opts != nil && opts.DryRun
	return Run(ctx, opts, Job[result]{
		Vendor: vendor,
		N:      len(keys),
		Do: func(ctx context.Context, i int) result {
			resp, err := modify(ctx, keys[i], dry)
			if err != nil {
				return result{Index: i, Key: keys[i], Err: err}
			}
			return result{Index: i, Key: keys[i], Response: resp}
		},
		Skipped: func(i int, err error) result { return result{Index: i, Key: keys[i], Err: err} },
		Outcome: func(r result) Outcome {
			switch {
			case r.Err != nil:
				return Failed
			case changed(r.Response):
				return Changed
			}
			return Unchanged
		},
		Latest: latest,
	})
}
