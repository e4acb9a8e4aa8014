// Package pace is the one pacer behind every couponkit Client: it follows
// the vendor's own rate-limit counters so that bulk calls run at the full
// allowed pace without a rate-limit answer, and holds single calls only
// when it knows the quota is spent. It names no vendor: a vendor gives the
// resolution of its reset header.
package pace

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// Pacer paces every request of one Client, from any goroutine. The zero
// value is not usable; build one with New.
type Pacer struct {
	res time.Duration // resolution of the vendor's reset header
	// now and timer are replaced in tests.
	now   func() time.Time
	timer func(d time.Duration) (<-chan time.Time, func() bool)

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced after every answer
	inFlight int
	answered bool // an answer has arrived since New

	// The vendor's window, as its headers last reported it. The reset lies
	// in [resetLo, resetHi): a header rounded either way to its resolution
	// puts it within one resolution of what it says, and each answer
	// narrows the interval. Bulk requests are spread to finish the quota by
	// resetLo (never idling through a window that may already have ended);
	// at Remaining 0 requests are held until resetHi (never landing just
	// before the server's window ends).
	window           bool
	limit, remaining int
	resetLo, resetHi time.Time
	// share is how many of the window's requests go by per answer of ours
	// (1 when this client is alone on the quota, about 2 with another
	// process as busy): bulk calls spread only their share of what is left.
	share  float64
	ours   int // answers of ours in the window
	latest *api.RateLimit
	next   time.Time // next free slot when spreading

	// Without headers: an adaptive pace (requests per second; 0 means
	// unlimited), halved on a rate-limit answer and grown back additively.
	rate     float64
	step     float64
	rateNext time.Time
	lastCut  time.Time
	holdCut  bool           // no success since the last cut
	sends    [128]time.Time // recent send times, to measure the pace
	nsends   int
}

// New returns a pacer for a vendor whose reset header has the given
// resolution (time.Millisecond for BigCommerce, time.Second for VTEX and
// JFramework; 0 when it sends none).
func New(resolution time.Duration) *Pacer {
	return &Pacer{res: resolution, now: time.Now, timer: realTimer, changed: make(chan struct{}), share: 1}
}

func realTimer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

// Call is one bulk call's pacing: its ceiling and its stop signal. A
// request whose context carries a Call is spread over the vendor's window;
// one without is a single call, never slowed by spreading.
type Call struct {
	// RequestsPerSecond is a fixed ceiling on the call's pace; 0: none.
	RequestsPerSecond float64
	// Stop, when closed, makes requests waiting for their turn give up
	// (with ErrNotSent): the caller stopped ranging over the results.
	Stop <-chan struct{}

	mu   sync.Mutex
	next time.Time
}

type callKey struct{}

// WithCall marks ctx as belonging to the bulk call c.
func WithCall(ctx context.Context, c *Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

func callOf(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
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

// Ticket is one admitted request; pass it back to Done.
type Ticket struct {
	sent    time.Time
	ceiling float64 // the bulk call's RequestsPerSecond, 0 for none
}

// Acquire waits for a request's turn and counts it in flight. A single call
// waits only when the vendor's quota is known to be spent, and returns at
// once (an error matching api.ErrRateLimited and api.ErrNotSent) when that
// wait would outlast ctx's deadline or maxWait (the RetryPolicy's MaxWait:
// a single call never waits longer than a retry would). A bulk call's request (ctx from
// WithCall) also waits for its spread slot and its ceiling, bounded only by
// ctx and the call's Stop. Every error means nothing was sent.
func (p *Pacer) Acquire(ctx context.Context, maxWait time.Duration) (Ticket, error) {
	call := callOf(ctx)
	reserved := false // a bulk request takes one spread slot, once
	for {
		p.mu.Lock()
		now := p.now()
		p.expire(now)
		var until time.Time
		var changed chan struct{}
		switch {
		case call != nil && !p.answered && p.inFlight > 0:
			// A bulk request waits while the first request on a fresh
			// client or window is in flight: its answer tells the window.
			until, changed, reserved = now.Add(time.Hour), p.changed, false
		case p.window && (p.remaining-p.inFlight <= 0 || (call != nil && p.avail() <= 0)):
			// Spent: held until the reset, then spread in the new window.
			until, changed, reserved = p.resetHi, p.changed, false
		case call != nil && !reserved:
			reserved = true
			until = p.reserve(now, call)
		}
		if !until.After(now) {
			p.inFlight++
			p.noteSend(now)
			p.mu.Unlock()
			tk := Ticket{sent: now}
			if call != nil {
				tk.ceiling = call.RequestsPerSecond
			}
			return tk, nil
		}
		p.mu.Unlock()
		wait := until.Sub(now)
		if call == nil {
			if dl, ok := ctx.Deadline(); ok && until.After(dl) {
				return Ticket{}, &holdError{limited: true, wait: wait,
					msg: fmt.Sprintf("rate limit quota spent for %v more, past the context's deadline; not sent", wait.Round(time.Millisecond))}
			}
			if maxWait > 0 && wait > maxWait {
				return Ticket{}, &holdError{limited: true, wait: wait,
					msg: fmt.Sprintf("rate limit quota spent for %v more, longer than MaxWait %v; not sent", wait.Round(time.Millisecond), maxWait)}
			}
		}
		if err := p.sleep(ctx, call, wait, changed); err != nil {
			return Ticket{}, err
		}
	}
}

// reserve takes a bulk request's slot: the requests left in the window
// spread evenly until its earliest reset, the adaptive pace where the
// vendor sends no headers, and the call's own ceiling. p.mu is held.
func (p *Pacer) reserve(now time.Time, call *Call) time.Time {
	slot := now
	if p.window {
		if avail := p.avail(); avail > 0 {
			slot = maxTime(now, p.next)
			p.next = slot.Add(max(0, p.resetLo.Sub(slot)) / time.Duration(avail))
		}
	} else if p.rate > 0 {
		slot = maxTime(now, p.rateNext)
		p.rateNext = slot.Add(perSecond(p.rate))
	}
	if call.RequestsPerSecond > 0 {
		call.mu.Lock()
		s := maxTime(now, call.next)
		call.next = s.Add(perSecond(call.RequestsPerSecond))
		call.mu.Unlock()
		slot = maxTime(slot, s)
	}
	return slot
}

func perSecond(rate float64) time.Duration { return time.Duration(float64(time.Second) / rate) }

// sleep waits d, or until changed is closed; ctx and the call's Stop cut
// it short with an error.
func (p *Pacer) sleep(ctx context.Context, call *Call, d time.Duration, changed <-chan struct{}) error {
	fired, cancel := p.timer(d)
	defer cancel()
	var stop <-chan struct{}
	if call != nil {
		stop = call.Stop
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

// avail is the bulk requests this client may still send in the window:
// its share of what is left, less its own requests in flight.
func (p *Pacer) avail() int {
	return int(float64(p.remaining)/p.share) - p.inFlight
}

// expire forgets a window whose reset has passed.
func (p *Pacer) expire(now time.Time) {
	if p.window && !now.Before(p.resetHi) {
		p.window = false
		p.next = time.Time{}
		// A new window: its first bulk request goes alone again, so that
		// several clients sharing the quota learn it before spreading.
		p.answered = false
	}
}

func (p *Pacer) noteSend(now time.Time) {
	p.sends[p.nsends%len(p.sends)] = now
	p.nsends++
}

// measured is the recent send rate in requests per second: the sends of
// the last second (a burst of n requests counts as n per second, not as
// the burst's own instantaneous rate).
func (p *Pacer) measured(now time.Time) float64 {
	n := 0
	for i := 1; i <= min(p.nsends, len(p.sends)); i++ {
		if now.Sub(p.sends[(p.nsends-i)%len(p.sends)]) > time.Second {
			break
		}
		n++
	}
	return float64(max(n, 1))
}

// InBulk reports whether ctx belongs to a bulk call.
func InBulk(ctx context.Context) bool { return callOf(ctx) != nil }

// Readmit counts a retry of a single call in flight again, without
// waiting: the caller already waited what the server asked for. (A bulk
// call's retries go through Acquire, so that retries woken together do not
// burst past the pace.)
func (p *Pacer) Readmit() Ticket {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.inFlight++
	p.noteSend(now)
	return Ticket{sent: now}
}

// Done ends a request admitted by Acquire: rl is the rate limit its answer
// reported (nil: none, or no answer), rateLimited whether the answer was a
// rate-limit answer.
func (p *Pacer) Done(t Ticket, rl *api.RateLimit, rateLimited bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.inFlight--
	switch {
	case rl != nil && rl.ResetIn > 0:
		p.answered = true
		p.latest = rl
		p.observe(t, now, rl, rateLimited)
	case rateLimited:
		p.answered = true
		if rl != nil {
			p.latest = rl
		}
		p.cut(t, now)
	default:
		p.answered = true
		if rl != nil {
			p.latest = rl
		}
		if p.window && p.remaining > 0 {
			p.remaining-- // an answer without a window still used the quota
		}
		p.grow()
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// observe takes in an answer that reported the vendor's window.
func (p *Pacer) observe(t Ticket, now time.Time, rl *api.RateLimit, rateLimited bool) {
	// The server counted the request between its sending and its answer,
	// and rounded the reset to its resolution either way.
	res := max(p.res, time.Millisecond)
	lo, hi := t.sent.Add(rl.ResetIn-res), now.Add(rl.ResetIn+res)
	remaining := rl.Remaining
	if rateLimited {
		remaining = 0
	}
	switch {
	case p.window && !hi.After(p.resetLo):
		// A late answer from an earlier window says nothing of this one.
		return
	case p.window && lo.Before(p.resetHi):
		// The same window: narrow the reset.
		if nlo, nhi := maxTime(lo, p.resetLo), minTime(hi, p.resetHi); nlo.Before(nhi) {
			p.resetLo, p.resetHi = nlo, nhi
		}
		p.remaining = min(p.remaining, remaining) // answers may arrive out of order
		p.ours++
	default:
		p.window = true
		p.resetLo, p.resetHi = lo, hi
		p.remaining = remaining
		p.ours = 1
	}
	p.limit = rl.Limit
	// Our requests the server counted are the answered ones and, at most,
	// those still in flight: only use beyond that is another client's.
	if used, ours := rl.Limit-p.remaining, p.ours+p.inFlight; rl.Limit > 0 && used > ours {
		p.share = float64(used) / float64(ours)
	} else {
		p.share = 1
	}
}

// cut halves the adaptive pace, once per round: answers to requests sent
// before the last cut, and any before a success has shown the lower pace
// got through (the rest of an exhausted window), do not cut again.
func (p *Pacer) cut(t Ticket, now time.Time) {
	if t.sent.Before(p.lastCut) || p.holdCut {
		return
	}
	p.holdCut = true
	base := p.rate
	if base == 0 || (t.ceiling > 0 && t.ceiling < base) {
		base = t.ceiling // the pace the call was going at
	}
	if base == 0 {
		base = p.measured(now)
	}
	p.rate = max(base/2, 0.5)
	p.step = max(p.rate/8, 0.05)
	p.lastCut = now
	p.rateNext = now.Add(perSecond(p.rate))
}

// grow adds one step to the adaptive pace.
func (p *Pacer) grow() {
	p.holdCut = false
	if p.rate > 0 {
		p.rate += p.step
	}
}

// Latest is the rate limit the vendor last reported; nil when none.
func (p *Pacer) Latest() *api.RateLimit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.latest
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
