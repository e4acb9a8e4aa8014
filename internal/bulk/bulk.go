// Package bulk is the one engine behind every vendor's UpdateCoupons and
// ModifyCoupons: a bounded pool of workers that runs items through the
// Client's pacer and yields each item's result exactly once, in completion
// order. It names no vendor: each vendor package adds a few lines of typed
// wrapper.
package bulk

import (
	"context"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// Concurrency bounds.
const (
	DefaultConcurrency = 4
	MaxConcurrency     = 64
)

// Outcome classifies a finished item for Progress.
type Outcome int

// Outcomes.
const (
	Failed Outcome = iota
	Changed
	Unchanged
)

// Job describes one bulk call.
type Job[R any] struct {
	// Vendor names the vendor in errors.
	Vendor string
	// N is the number of items.
	N int
	// Do runs item i; ctx carries the call's pacing (pace.WithCall).
	Do func(ctx context.Context, i int) R
	// Skipped is the result of item i when it was never started because
	// ctx ended; err matches ctx.Err() and api.ErrNotSent.
	Skipped func(i int, err error) R
	// Outcome classifies a result.
	Outcome func(R) Outcome
	// Latest is the vendor's latest rate limit, for Progress.
	Latest func() *api.RateLimit
}

// Run returns the iterator over job's results. Nothing starts until the
// caller ranges over it; breaking out of the loop stops new items at once
// and returns when the requests in flight have ended; no goroutine outlives
// the loop.
func Run[R any](ctx context.Context, opts *api.BulkOptions, job Job[R]) iter.Seq[R] {
	var o api.BulkOptions
	if opts != nil {
		o = *opts
	}
	conc := o.Concurrency
	if conc <= 0 {
		conc = DefaultConcurrency
	}
	conc = min(conc, MaxConcurrency, max(job.N, 1))
	return func(yield func(R) bool) {
		start := time.Now()
		stop := make(chan struct{})
		var stopped atomic.Bool
		call := &pace.Call{RequestsPerSecond: o.RequestsPerSecond, Stop: stop}
		wctx := pace.WithCall(ctx, call)
		results := make(chan R, conc)
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < conc; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stopped.Load() {
					i := int(next.Add(1) - 1)
					if i >= job.N {
						return
					}
					if err := ctx.Err(); err != nil {
						results <- job.Skipped(i, &notSent{vendor: job.Vendor, cause: err})
						continue
					}
					results <- job.Do(wctx, i)
				}
			}()
		}
		go func() {
			wg.Wait()
			close(results)
		}()
		p := api.Progress{Total: job.N}
		for r := range results {
			if stopped.Load() {
				continue // drain: the loop ended, requests in flight finish
			}
			p.Done++
			switch job.Outcome(r) {
			case Changed:
				p.Changed++
			case Unchanged:
				p.Unchanged++
			default:
				p.Failed++
			}
			if o.Progress != nil {
				p.Elapsed = time.Since(start)
				if job.Latest != nil {
					p.RateLimit = job.Latest()
				}
				o.Progress(p)
			}
			if !yield(r) {
				stopped.Store(true)
				close(stop)
			}
		}
	}
}

// notSent is an item that was never started because ctx ended.
type notSent struct {
	vendor string
	cause  error
}

// Error names the vendor and the cause.
func (e *notSent) Error() string {
	return e.vendor + ": not sent: " + e.cause.Error()
}

// Unwrap returns the context's error, so errors.Is(err, ctx.Err()) holds.
func (e *notSent) Unwrap() error { return e.cause }

// Is reports true for api.ErrNotSent: the item was never sent.
func (e *notSent) Is(target error) bool { return target == api.ErrNotSent }
