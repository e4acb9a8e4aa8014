// Package bulk is the one engine behind every vendor's UpdateCoupons and
// ModifyCoupons: a bounded pool of workers that runs items through the
// Client's pacer and yields each item's result exactly once, in completion
// order. It names no vendor: each vendor package adds a few lines of typed
// wrapper.
//
// What it guarantees, for every vendor at once: breaking out of the loop,
// cancelling ctx, a 401 or 403 answer and a panic (in a worker, in
// Progress or in the caller's loop body) all stop new requests at once,
// and no goroutine outlives the loop; a 401 or 403 stops the call and every
// item not sent reports it; repeated keys are run one at a time in input
// order (Serialize) or refused (Refuse); a nil context is an error for
// every item.
package bulk

import (
	"context"
	"errors"
	"iter"
	"sync"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
	"github.com/couponkit/couponkit/internal/transport"
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

// Repeats says what a key that appears more than once in a call does.
type Repeats int

const (
	// Serialize runs the items of one key one at a time, in input order:
	// an item waits until the previous item of its key has ended.
	Serialize Repeats = iota
	// Refuse runs the first item of a key and refuses each later one
	// (Job.Refused), sending nothing for it.
	Refuse
)

// Job describes one bulk call. K is the type of the coupon key.
type Job[R any, K comparable] struct {
	// N is the number of items.
	N int
	// DryRun makes every request of the call return, sending nothing, an
	// error transport.IsDryRun reports (transport.Gate.DryRun).
	DryRun bool
	// Do runs item i; ctx carries the call's transport.Gate (its stop, dry
	// run and pacing; transport.WithGate), made afresh each time the
	// iterator is ranged over.
	Do func(ctx context.Context, i int) R
	// NotSent is the result of item i when it was never sent: because ctx
	// ended, or the call stopped with cause (a 401 or 403 answer, a nil
	// context). Its error must match api.ErrNotSent and wrap cause.
	NotSent func(i int, cause error) R
	// Err is a result's error, nil for success.
	Err func(R) error
	// Outcome classifies a result.
	Outcome func(R) Outcome
	// Latest is the vendor's latest rate limit, for Progress.
	Latest func() *api.RateLimit
	// Key, when set, is the coupon item i addresses; ok false for none
	// (a nil request), which is never held nor refused.
	Key func(i int) (key K, ok bool)
	// Repeats is what a repeated key does.
	Repeats Repeats
	// Refused is the result of item i, whose key item first already had,
	// when Repeats is Refuse. Its error must match api.ErrNotSent.
	Refused func(i, first int) R
}

// envelope carries a worker's result to the loop, or the panic that ended
// the worker.
type envelope[R any] struct {
	r     R
	panic *panicked
}

// panicked is a panic recovered on a worker, re-raised on the loop.
type panicked struct{ value any }

// errPanicked stops a call's gate after a panic: nothing more is sent.
var errPanicked = errors.New("the bulk call stopped: a panic ended it")

// errLoopEnded stops a call's gate after the caller's loop ended early
// (a break, or a panic in its body or in Progress).
var errLoopEnded = errors.New("the bulk call stopped: the caller's loop ended")

// run is one bulk call's shared state.
type run[R any, K comparable] struct {
	job  Job[R, K]
	ctx  context.Context // the caller's
	wctx context.Context // the workers': ctx with the call's pacing and gate
	gate *transport.Gate // stops the call's requests; its dry run
	// stop is closed once when the call stops for any reason, so that
	// requests waiting for their turn in the pacer give up.
	stop     chan struct{}
	stopOnce sync.Once
	// quit is set when no more results are wanted (the loop ended or a
	// worker panicked): workers take no new item.
	quit atomic.Bool
	// halt is set when a 401 or 403 stopped the call: workers report every
	// item left as not sent, with halt's cause.
	halt atomic.Bool

	next atomic.Int64 // next item, without keys
	keys keyed[K]     // with keys
}

// keyed hands out items in input order while tracking their keys.
type keyed[K comparable] struct {
	mu   sync.Mutex
	next int
	// busy holds the keys in flight (Serialize) and, per key, the workers
	// waiting to run its next items, first come first served.
	busy map[K][]chan struct{}
	// seen holds every key handed out so far and its first item (Refuse).
	seen map[K]int
}

// Run returns the iterator over job's results. Nothing starts until the
// caller ranges over it. Breaking out of the loop stops new items at once
// and returns when the requests in flight have ended; a panic in a worker
// (a change func), in Progress or in the caller's loop body stops every
// worker the same way and is re-raised, with its original value, in the
// caller's goroutine; no goroutine outlives the loop. A nil ctx yields
// every item with an error (transport.ErrNilContext) and sends nothing.
func Run[R any, K comparable](ctx context.Context, opts *api.BulkOptions, job Job[R, K]) iter.Seq[R] {
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
		ru := &run[R, K]{job: job, ctx: ctx, stop: make(chan struct{}), gate: &transport.Gate{DryRun: job.DryRun}}
		if ru.ctx == nil {
			// Every item reports the nil context; none is sent.
			ru.ctx = context.Background()
			ru.halted(transport.ErrNilContext)
		}
		if job.Key != nil {
			if job.Repeats == Serialize {
				ru.keys.busy = make(map[K][]chan struct{}, conc)
			} else {
				ru.keys.seen = make(map[K]int)
			}
		}
		ru.gate.Pace = &pace.Call{RequestsPerSecond: o.RequestsPerSecond, Stop: ru.stop}
		ru.wctx = transport.WithGate(ru.ctx, ru.gate)
		results := make(chan envelope[R], conc)
		var wg sync.WaitGroup
		for range conc {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ru.work(results)
			}()
		}
		go func() {
			wg.Wait()
			close(results)
		}()
		done := false
		defer func() {
			if done {
				return
			}
			// The loop ended early: a break, or a panic in the loop body
			// or in Progress, now unwinding. Stop every worker and wait
			// for the requests in flight; the panic, if any, goes on.
			ru.quitAll(errLoopEnded)
			for range results {
			}
		}()
		p := api.Progress{Total: job.N}
		for e := range results {
			if e.panic != nil {
				ru.quitAll(errPanicked)
				for range results {
				}
				done = true
				panic(e.panic.value)
			}
			p.Done++
			switch job.Outcome(e.r) {
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
			if !yield(e.r) {
				return // the deferred stop
			}
		}
		done = true
	}
}

// quitAll stops the call for good: no new item, no new request.
func (ru *run[R, K]) quitAll(cause error) {
	ru.gate.Stop(cause) // before quit: a worker seeing quit finds a cause
	ru.quit.Store(true)
	ru.stopOnce.Do(func() { close(ru.stop) })
}

// halted stops the call's requests with cause; the workers go on
// reporting every item left as not sent.
func (ru *run[R, K]) halted(cause error) {
	ru.gate.Stop(cause)
	ru.halt.Store(true)
	ru.stopOnce.Do(func() { close(ru.stop) })
}

// work runs items until none is left or the call quits.
func (ru *run[R, K]) work(results chan<- envelope[R]) {
	for !ru.quit.Load() {
		t := ru.take()
		if t.kind == none {
			return
		}
		e := ru.item(t)
		if e.panic == nil && !ru.halt.Load() {
			if err := ru.job.Err(e.r); err != nil {
				ru.checkAuth(err)
			}
		}
		results <- e
		if e.panic != nil {
			return
		}
	}
}

// turn is one item handed out by take.
type turn[K comparable] struct {
	i     int
	kind  turnKind
	key   K   // held: the key to release when the item ends
	first int // refused: the first item of the key
}

type turnKind int

const (
	none    turnKind = iota // no item left
	free                    // an item whose key is not tracked
	held                    // an item holding its key until it ends
	refused                 // a repeat to refuse
)

// item runs the item t hands out, releasing its key when it ends, even in
// a panic, which it recovers into the envelope.
func (ru *run[R, K]) item(t turn[K]) (e envelope[R]) {
	defer func() {
		if t.kind == held {
			ru.release(t.key)
		}
		if v := recover(); v != nil {
			e = envelope[R]{panic: &panicked{value: v}}
		}
	}()
	switch {
	case t.kind == refused:
		return envelope[R]{r: ru.job.Refused(t.i, t.first)}
	case ru.halt.Load() || ru.quit.Load():
		return envelope[R]{r: ru.job.NotSent(t.i, ru.gate.Stopped())}
	case ru.ctx.Err() != nil:
		return envelope[R]{r: ru.job.NotSent(t.i, ru.ctx.Err())}
	}
	return envelope[R]{r: ru.job.Do(ru.wctx, t.i)}
}

// checkAuth halts the call on a 401 or 403 answer: it would repeat for
// every item.
func (ru *run[R, K]) checkAuth(err error) {
	var ae *api.APIError
	if errors.As(err, &ae) {
		if k := api.Kind(ae); k == api.ErrUnauthorized || k == api.ErrForbidden {
			ru.halted(ae)
		}
	}
}

// take hands out the next item, in input order. With Serialize it waits
// while an earlier item of the same key runs (the item then holds the key
// until it ends); with Refuse a repeat comes out as refused.
func (ru *run[R, K]) take() turn[K] {
	j := &ru.job
	if j.Key == nil {
		i := int(ru.next.Add(1) - 1)
		if i >= j.N {
			return turn[K]{kind: none}
		}
		return turn[K]{i: i, kind: free}
	}
	ks := &ru.keys
	ks.mu.Lock()
	i := ks.next
	if i >= j.N {
		ks.mu.Unlock()
		return turn[K]{kind: none}
	}
	ks.next++
	k, has := j.Key(i)
	switch {
	case !has:
		ks.mu.Unlock()
		return turn[K]{i: i, kind: free}
	case j.Repeats == Refuse:
		first, dup := ks.seen[k]
		if !dup {
			ks.seen[k] = i
		}
		ks.mu.Unlock()
		if dup {
			return turn[K]{i: i, kind: refused, first: first}
		}
		return turn[K]{i: i, kind: free}
	}
	waiters, busy := ks.busy[k]
	if !busy {
		ks.busy[k] = nil
		ks.mu.Unlock()
		return turn[K]{i: i, kind: held, key: k}
	}
	ch := make(chan struct{})
	ks.busy[k] = append(waiters, ch)
	ks.mu.Unlock()
	<-ch // the previous item of k has ended and handed k over
	return turn[K]{i: i, kind: held, key: k}
}

// release hands key over to the first worker waiting for it, or frees it.
func (ru *run[R, K]) release(key K) {
	ks := &ru.keys
	ks.mu.Lock()
	defer ks.mu.Unlock()
	waiters := ks.busy[key]
	if len(waiters) == 0 {
		delete(ks.busy, key)
		return
	}
	close(waiters[0])
	ks.busy[key] = waiters[1:]
}
