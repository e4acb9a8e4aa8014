package pace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// Pacer is the gate every request of one Client passes, single or bulk,
// from any goroutine. It counts requests in flight, asks the window
// tracker (when the vendor's headers state a window) or the back-off (when
// they do not) for each request's turn, and waits for it. The zero value
// is not usable; build one with New.
type Pacer struct {
	clock Clock

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced after every answer
	inFlight int
	answered bool      // an answer arrived since New or since the window ended
	last     time.Time // our latest bulk request

	win    window
	share  share
	back   backoff
	latest *api.RateLimit
}

// New returns a pacer for a vendor whose reset header has the given
// resolution (time.Millisecond for BigCommerce, time.Second for VTEX and
// JFramework; 0 when it sends none), on the real clock.
func New(resolution time.Duration) *Pacer { return NewWithClock(resolution, realClock{}) }

// NewWithClock is New on the given clock.
func NewWithClock(resolution time.Duration, clock Clock) *Pacer {
	return &Pacer{clock: clock, changed: make(chan struct{}), win: newWindow(resolution), share: newShare()}
}

// Call is one bulk call's pacing: its ceiling and its stop signal. Pass
// it to Acquire for each of the call's requests; a single call passes nil.
type Call struct {
	// RequestsPerSecond is a fixed ceiling on the call's pace; 0: none.
	RequestsPerSecond float64
	// Stop, when closed, makes requests waiting for their turn give up
	// (with ErrNotSent): the caller stopped ranging over the results.
	Stop <-chan struct{}

	next time.Time // guarded by the Pacer's mu
}

// Ticket is one admitted request; pass it back to Done.
type Ticket struct {
	sent time.Time
}

// turn is a request's turn at now: the time it may go (at or before now:
// at once), or forAnswer when it waits for the next answer. spent says
// the quota is known to be spent, the only hold a single call (bulk nil)
// takes. p.mu is held.
func (p *Pacer) turn(now time.Time, bulk *Call) (at time.Time, forAnswer, spent bool) {
	if p.win.known && !now.Before(p.win.hi) {
		// The window ended: the new one's first bulk request goes alone,
		// so that clients sharing the quota learn it before spreading.
		p.win.expire(now)
		p.answered = false
	}
	switch {
	case p.win.spent(p.inFlight):
		return p.win.hi, false, true
	case bulk == nil && p.win.known:
		return now, false, false
	case bulk != nil && !p.answered && p.inFlight > 0:
		return time.Time{}, true, false
	case p.win.known:
		at = now
		if left := p.share.left(p.win.remaining, p.inFlight, p.win.infoAt, now, p.win.lo); left <= 0 {
			at = p.win.hi
		} else if from := p.last; !from.IsZero() && p.win.lo.After(from) {
			// The requests left, spread from our latest over the time
			// until the earliest reset; at the latest at the reset: a
			// client whose share is a fraction tries again in the next
			// window. (A request waiting asks again when its time comes.)
			// Alone, the last one a step before it: a request sent
			// right at the reset lands in the next window. (Shared,
			// the projection of the others' use ends it early anyway.)
			steps := left
			if left >= 1 && p.share.factor <= 1 {
				steps++
			}
			at = maxTime(now, minTime(p.win.hi, from.Add(time.Duration(float64(p.win.lo.Sub(from))/steps))))
			if at.Before(p.win.hi) && at.Sub(now) <= at.Sub(from)/8 {
				// Close enough: waiting on would chase a slot that the
				// projection moves on as time passes.
				at = now
			}
		}
	case bulk == nil:
		return now, false, false
	default:
		at, forAnswer = p.back.turn(now, p.inFlight)
	}
	if bulk != nil && bulk.RequestsPerSecond > 0 && !forAnswer {
		at = maxTime(at, bulk.next)
	}
	return at, forAnswer, spent
}

// admit counts a request sent at now in flight. p.mu is held.
func (p *Pacer) admit(now time.Time, bulk *Call) Ticket {
	p.inFlight++
	p.back.admitted(now)
	t := Ticket{sent: now}
	if bulk != nil {
		p.last = now
		if bulk.RequestsPerSecond > 0 {
			bulk.next = maxTime(now, bulk.next).Add(perSecond(bulk.RequestsPerSecond))
		}
	}
	return t
}

// Acquire waits for a request's turn and counts it in flight. bulk is the
// bulk call the request belongs to, nil for a single call. A single call
// waits only when the vendor's quota is known to be spent, and returns at
// once (an error matching api.ErrRateLimited and api.ErrNotSent) when that
// wait would outlast ctx's deadline or maxWait (the RetryPolicy's MaxWait:
// a single call never waits longer than a retry would). A bulk call's
// request also waits for its spread slot and its ceiling, bounded only by
// ctx and the call's Stop. Every error means nothing was sent.
func (p *Pacer) Acquire(ctx context.Context, bulk *Call, maxWait time.Duration) (Ticket, error) {
	for {
		p.mu.Lock()
		now := p.clock.Now()
		at, forAnswer, spent := p.turn(now, bulk)
		if !forAnswer && !at.After(now) {
			t := p.admit(now, bulk)
			p.mu.Unlock()
			return t, nil
		}
		changed := p.changed
		p.mu.Unlock()
		wait := at.Sub(now)
		if bulk == nil && spent {
			if dl, ok := ctx.Deadline(); ok && at.After(dl) {
				return Ticket{}, &holdError{limited: true, wait: wait,
					msg: fmt.Sprintf("rate limit quota spent for %v more, past the context's deadline; not sent", wait.Round(time.Millisecond))}
			}
			if maxWait > 0 && wait > maxWait {
				return Ticket{}, &holdError{limited: true, wait: wait,
					msg: fmt.Sprintf("rate limit quota spent for %v more, longer than MaxWait %v; not sent", wait.Round(time.Millisecond), maxWait)}
			}
		}
		if forAnswer {
			wait = -1
		}
		if err := p.sleep(ctx, bulk, wait, changed); err != nil {
			return Ticket{}, err
		}
	}
}

// sleep waits d (d < 0: no timer), or until changed is closed; ctx and
// the call's Stop cut it short with an error.
func (p *Pacer) sleep(ctx context.Context, bulk *Call, d time.Duration, changed <-chan struct{}) error {
	var fired <-chan time.Time
	if d >= 0 {
		var stop func() bool
		fired, stop = p.clock.Timer(d)
		defer stop()
	}
	var stop <-chan struct{}
	if bulk != nil {
		stop = bulk.Stop
	}
	select {
	case <-fired:
		return nil
	case <-changed:
		return nil
	case <-stop:
		return ErrStopped
	case <-ctx.Done():
		return &holdError{msg: "waiting for the rate limit: " + ctx.Err().Error() + "; not sent", cause: ctx.Err()}
	}
}

// Readmit counts a retry of a single call in flight again, without
// waiting: the caller already waited what the server asked for. (A bulk
// call's retries go through Acquire, so that retries woken together do not
// burst past the pace.)
func (p *Pacer) Readmit() Ticket {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.admit(p.clock.Now(), nil)
}

// Done ends a request admitted by Acquire: rl is the rate limit its answer
// reported (nil: none, or no answer), rateLimited whether the answer was a
// rate-limit answer.
func (p *Pacer) Done(t Ticket, rl *api.RateLimit, rateLimited bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done(p.clock.Now(), t, rl, rateLimited)
	close(p.changed)
	p.changed = make(chan struct{})
}

// done is Done at now. p.mu is held.
func (p *Pacer) done(now time.Time, t Ticket, rl *api.RateLimit, rateLimited bool) {
	p.inFlight--
	p.answered = true
	if rl != nil {
		p.latest = rl
	}
	var resetAt time.Time
	if reset, ok := believedReset(rl); ok {
		if used, fresh := p.win.observe(t.sent, now, rl, reset, rateLimited); used {
			p.share.observe(fresh, p.win.limit, p.win.remaining, p.inFlight)
			resetAt = p.win.hi
		}
	} else {
		p.win.spend()
	}
	if rateLimited {
		p.back.refused(t.sent, now, resetAt)
	} else {
		p.back.succeeded(t.sent, now)
	}
}

// Latest is the rate limit the vendor last reported; nil when none.
func (p *Pacer) Latest() *api.RateLimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.latest
}

// ErrStopped is returned to requests still waiting for their turn when
// their bulk call was stopped. It matches api.ErrNotSent.
var ErrStopped = &holdError{msg: "the bulk call was stopped before this request was sent"}

// holdError is a request the pacer did not let go: it matches
// api.ErrNotSent, and api.ErrRateLimited when the quota was spent.
type holdError struct {
	msg     string
	limited bool
	wait    time.Duration
	cause   error
}

// Error says why the request was held back.
func (e *holdError) Error() string { return e.msg }

// Unwrap returns the context's error when the context ended the hold.
func (e *holdError) Unwrap() error { return e.cause }

// Is reports true for api.ErrNotSent, and for api.ErrRateLimited when the
// quota was spent.
func (e *holdError) Is(target error) bool {
	return target == api.ErrNotSent || (e.limited && target == api.ErrRateLimited)
}

// Wait reports how long the hold would have lasted, for RetryAfter.
func Wait(err error) (time.Duration, bool) {
	var h *holdError
	if errors.As(err, &h) && h.limited {
		return h.wait, true
	}
	return 0, false
}
