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
	// in [resetLo, resetHi): each answer narrows it, to the resolution of
	// the header at worst.
	window           bool
	limit, remaining int
	resetLo, resetHi time.Time
	latest           *api.RateLimit
	next             time.Time // next free slot when spreading

	// Without headers: an adaptive pace (requests per second; 0 means
	// unlimited), halved on a rate-limit answer and grown back additively.
	rate     float64
	step     float64
	rateNext time.Time
	lastCut  time.Time
	sends    [32]time.Time // recent send times, to measure the pace
	nsends   int
}

// New returns a pacer for a vendor whose reset header has the given
// resolution (time.Millisecond for BigCommerce, time.Second for VTEX and
// JFramework; 0 when it sends none).
func New(resolution time.Duration) *Pacer {
	return &Pacer{res: resolution, now: time.Now, timer: realTimer, changed: make(chan struct{})}
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

func (e *holdError) Error() string { return e.msg }
func (e *holdError) Unwrap() error { return e.cause }
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
type Ticket struct{ sent time.Time }

// Acquire waits for a request's turn and counts it in flight. A single call
// waits only when the vendor's quota is known to be spent, and returns at
// once (an error matching api.ErrRateLimited and api.ErrNotSent) when that
// wait would outlast ctx's deadline or maxWait (the RetryPolicy's MaxWait:
// a single call never waits longer than a retry would). A bulk call's request (ctx from
// WithCall) also waits for its spread slot and its ceiling, bounded only by
// ctx and the call's Stop. Every error means nothing was sent.
func (p *Pacer) Acquire(ctx context.Context, maxWait time.Duration) (Ticket, error) {
	call := callOf(ctx)
	if call != nil {
		if err := p.spread(ctx, call); err != nil {
			return Ticket{}, err
		}
	}
	for {
		p.mu.Lock()
		now := p.now()
		p.expire(now)
		var until time.Time
		if p.window && p.remaining-p.inFlight <= 0 {
			until = p.resetHi
		} else if call != nil && !p.answered && p.inFlight > 0 {
			// The first request of a bulk call on a fresh client goes
			// alone: its answer tells the window.
			until = now.Add(time.Hour)
		}
		if !until.After(now) {
			p.inFlight++
			p.noteSend(now)
			p.mu.Unlock()
			return Ticket{sent: now}, nil
		}
		wait := until.Sub(now)
		changed := p.changed
		p.mu.Unlock()
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

// spread waits for the bulk call's next slot: the requests left in the
// window spread evenly until its reset, the adaptive pace where the vendor
// sends no headers, and the call's own ceiling.
func (p *Pacer) spread(ctx context.Context, call *Call) error {
	p.mu.Lock()
	now := p.now()
	p.expire(now)
	slot := now
	if p.window {
		if avail := p.remaining - p.inFlight; avail > 0 {
			slot = maxTime(now, p.next)
			p.next = slot.Add(p.resetHi.Sub(slot) / time.Duration(avail))
		}
	} else if p.rate > 0 {
		slot = maxTime(now, p.rateNext)
		p.rateNext = slot.Add(perSecond(p.rate))
	}
	p.mu.Unlock()
	if call.RequestsPerSecond > 0 {
		call.mu.Lock()
		s := maxTime(now, call.next)
		call.next = s.Add(perSecond(call.RequestsPerSecond))
		call.mu.Unlock()
		slot = maxTime(slot, s)
	}
	if wait := slot.Sub(now); wait > 0 {
		return p.sleep(ctx, call, wait, nil)
	}
	return nil
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

// expire forgets a window whose reset has passed.
func (p *Pacer) expire(now time.Time) {
	if p.window && !now.Before(p.resetHi) {
		p.window = false
		p.next = time.Time{}
	}
}

func (p *Pacer) noteSend(now time.Time) {
	p.sends[p.nsends%len(p.sends)] = now
	p.nsends++
}

// measured is the recent send rate, in requests per second.
func (p *Pacer) measured(now time.Time) float64 {
	n := min(p.nsends, len(p.sends))
	if n < 2 {
		return 1
	}
	oldest := p.sends[(p.nsends-n)%len(p.sends)]
	d := now.Sub(oldest)
	if d <= 0 {
		return float64(n) * 1000
	}
	return float64(n) / d.Seconds()
}

// Readmit counts a retry of an admitted request in flight again, without
// waiting: the caller already waited what the server asked for.
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
	if rl != nil || rateLimited {
		p.answered = true
	}
	switch {
	case rl != nil && (rl.ResetIn > 0 || rl.Remaining > 0 || rl.Limit > 0):
		p.answered = true
		p.latest = rl
		if rl.ResetIn > 0 {
			lo := now.Add(rl.ResetIn)
			hi := lo.Add(max(p.res, time.Millisecond))
			if p.window && lo.Before(p.resetHi) && hi.After(p.resetLo) {
				p.resetLo, p.resetHi = maxTime(lo, p.resetLo), minTime(hi, p.resetHi)
			} else {
				p.resetLo, p.resetHi = lo, hi
			}
			p.window = true
			p.limit, p.remaining = rl.Limit, rl.Remaining
			if rateLimited {
				p.remaining = 0
			}
		} else if rateLimited {
			p.cut(t, now)
		} else {
			p.grow()
		}
	case rateLimited:
		p.cut(t, now)
	default:
		p.answered = true
		if p.window && p.remaining > 0 {
			p.remaining-- // an answer without headers still used the quota
		}
		p.grow()
	}
	close(p.changed)
	p.changed = make(chan struct{})
}

// cut halves the adaptive pace, once per round of requests: answers to
// requests sent before the last cut do not cut again.
func (p *Pacer) cut(t Ticket, now time.Time) {
	if t.sent.Before(p.lastCut) {
		return
	}
	base := p.rate
	if base == 0 {
		base = p.measured(now)
	}
	p.rate = max(base/2, 0.5)
	p.step = max(p.rate/16, 0.05)
	p.lastCut = now
	p.rateNext = now.Add(perSecond(p.rate))
}

// grow adds one step to the adaptive pace.
func (p *Pacer) grow() {
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
