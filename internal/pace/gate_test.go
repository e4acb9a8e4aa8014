package pace

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// fakeClock drives a Pacer without real sleeping: a timer fires at once
// and moves the clock forward by its duration, recording it.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
	real  bool // timers are real ones (to test ctx and Stop)
}

func newFake(res time.Duration) (*Pacer, *fakeClock) {
	c := &fakeClock{t: t0}
	return NewWithClock(res, c), c
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	if c.real {
		return realClock{}.Timer(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	c.t = c.t.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.t
	return ch, func() bool { return true }
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var bg = context.Background()

func TestSingleCallNotSlowedWhileQuotaLeft(t *testing.T) {
	p, c := newFake(time.Millisecond)
	tk, err := p.Acquire(bg, nil, 0)
	require.NoError(t, err)
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 3, ResetIn: 200 * time.Millisecond}, false)
	for i := 0; i < 3; i++ { // three concurrent single calls: none waits to be spread
		_, err := p.Acquire(bg, nil, 0)
		require.NoError(t, err)
	}
	assert.Empty(t, c.waits)
}

func TestSingleCallHeldUntilResetPlusResolution(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(bg, nil, 0)
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 0, ResetIn: 2 * time.Second}, false)
	_, err := p.Acquire(bg, nil, 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{3 * time.Second}, c.waits, "reset plus the header's resolution")
	assert.False(t, p.answered, "a new window's first bulk request goes alone")
}

func TestSingleCallPastDeadlineReturnsAtOnce(t *testing.T) {
	p, c := newFake(time.Millisecond)
	tk, _ := p.Acquire(bg, nil, 0)
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 0, ResetIn: 30 * time.Second}, true)
	ctx, cancel := context.WithDeadline(bg, c.Now().Add(time.Second))
	defer cancel()
	_, err := p.Acquire(ctx, nil, 0)
	require.Error(t, err)
	assert.ErrorIs(t, err, api.ErrRateLimited)
	assert.ErrorIs(t, err, api.ErrNotSent)
	w, ok := Wait(err)
	assert.True(t, ok)
	assert.Equal(t, 30*time.Second+time.Millisecond, w)
	assert.Empty(t, c.waits, "no sleeping into a certain timeout")
}

func TestSingleCallLongerThanMaxWaitReturnsAtOnce(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(bg, nil, 0)
	p.Done(tk, &api.RateLimit{Limit: 60, Remaining: 0, ResetIn: time.Minute}, false)
	_, err := p.Acquire(bg, nil, 30*time.Second)
	assert.ErrorIs(t, err, api.ErrRateLimited)
	assert.ErrorIs(t, err, api.ErrNotSent)
	assert.Contains(t, err.Error(), "longer than MaxWait 30s")
	assert.Empty(t, c.waits)
	// A bulk call's hold is bounded by ctx only: a 61 s hold is normal.
	_, err = p.Acquire(bg, &Call{}, 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{61 * time.Second}, c.waits)
}

func TestBulkSpreadsRemainingOverWindow(t *testing.T) {
	p, c := newFake(time.Millisecond)
	call := &Call{}
	tk, err := p.Acquire(bg, call, 0)
	require.NoError(t, err)
	p.Done(tk, &api.RateLimit{Limit: 5, Remaining: 4, ResetIn: 41 * time.Millisecond}, false)
	for i := 0; i < 4; i++ {
		tk, err := p.Acquire(bg, call, 0)
		require.NoError(t, err)
		p.Done(tk, nil, false) // answers without headers keep the window
	}
	// The quota is spread to end by the earliest possible reset (41 ms
	// less 1 ms resolution), from our latest request, the last a step
	// before it: 40/5, 32/4, 24/3, 16/2; 8 ms to spare.
	assert.Equal(t, []time.Duration{8 * time.Millisecond, 8 * time.Millisecond, 8 * time.Millisecond, 8 * time.Millisecond}, c.waits)
}

func TestBulkHoldsAtZeroUntilReset(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(bg, &Call{}, 0)
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 0, ResetIn: time.Second}, false)
	_, err := p.Acquire(bg, &Call{}, 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second}, c.waits)
}

func TestBulkFirstRequestGoesAlone(t *testing.T) {
	p, _ := newFake(time.Millisecond)
	call := &Call{}
	tk, err := p.Acquire(bg, call, 0)
	require.NoError(t, err)
	p.mu.Lock()
	_, forAnswer, _ := p.turn(p.clock.Now(), call)
	p.mu.Unlock()
	assert.True(t, forAnswer, "the second waits for the first answer, with no placeholder timer")
	got := make(chan error, 1)
	go func() {
		_, err := p.Acquire(bg, call, 0)
		got <- err
	}()
	p.Done(tk, nil, false)
	require.NoError(t, <-got)
}

func TestCeilingPacesBulkCall(t *testing.T) {
	p, c := newFake(0)
	// Slower than a new client's ramp (see rampSlot), which it overrides.
	call := &Call{RequestsPerSecond: 10}
	for i := 0; i < 4; i++ {
		tk, err := p.Acquire(bg, call, 0)
		require.NoError(t, err)
		p.Done(tk, nil, false)
	}
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}, c.waits)
}

func TestStopAndCancelEndWaits(t *testing.T) {
	p, c := newFake(time.Second)
	c.real = true
	tk, _ := p.Acquire(bg, nil, 0)
	p.Done(tk, &api.RateLimit{Limit: 1, Remaining: 0, Window: time.Hour, ResetIn: time.Hour}, false)

	stop := make(chan struct{})
	close(stop)
	_, err := p.Acquire(bg, &Call{Stop: stop}, 0)
	assert.ErrorIs(t, err, api.ErrNotSent)
	assert.True(t, errors.Is(err, ErrStopped))

	ctx, cancel := context.WithCancel(bg)
	cancel()
	_, err = p.Acquire(ctx, &Call{}, 0)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, api.ErrNotSent)
}

func TestBulkSpreadsOnlyItsShareWhenOthersUseTheQuota(t *testing.T) {
	p, c := newFake(time.Millisecond)
	call := &Call{}
	tk, _ := p.Acquire(bg, call, 0)
	// 20 in the window, 12 left after our first answer: others used 7.
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 12, ResetIn: 81 * time.Millisecond}, false)
	assert.InDelta(t, 8.0, p.share.factor, 0.01)
	// 12/8 of what is left is ours (12/8^0.6 as share.left takes it):
	// the next no sooner than 80 ms over that; and as no answer comes
	// meanwhile, the others are taken to use the rest, up to the reset.
	_, err := p.Acquire(bg, call, 0)
	require.NoError(t, err)
	var waited time.Duration
	for _, w := range c.waits {
		waited += w
	}
	assert.GreaterOrEqual(t, waited, time.Duration(float64(80*time.Millisecond)/(12/math.Pow(8, shareExponent))))
	assert.LessOrEqual(t, waited, 82*time.Millisecond, "never past the reset")
	// A single call is not slowed by the share: the quota is not spent.
	n := len(c.waits)
	_, err = p.Acquire(bg, nil, time.Second)
	require.NoError(t, err)
	assert.Len(t, c.waits, n)
}

// Hostile headers, as the gate sees them after the transport's parsing
// (which clamps negative values to 0 and huge ones to a century).
func TestHostileHeadersHoldsStayBounded(t *testing.T) {
	const century = 100 * 365 * 24 * time.Hour
	for _, tc := range []struct {
		name string
		rl   *api.RateLimit
		hold time.Duration // a bulk request's hold after the answer
	}{
		{"reset 54 years away next to a 200 ms window", &api.RateLimit{Limit: 20, Remaining: 0, Window: 200 * time.Millisecond, ResetIn: 54 * 365 * 24 * time.Hour}, 201 * time.Millisecond},
		{"huge reset, no window: not believed", &api.RateLimit{Limit: 20, Remaining: 0, ResetIn: century}, 0},
		{"window 0, reset within an hour: believed", &api.RateLimit{Limit: 20, Remaining: 0, ResetIn: 10 * time.Minute}, 10*time.Minute + time.Millisecond},
		{"negative reset (0): no window", &api.RateLimit{Limit: 20, Remaining: 0, ResetIn: 0}, 0},
		{"quota 0: held until the reset", &api.RateLimit{Limit: 0, Remaining: 0, Window: time.Second, ResetIn: time.Second}, time.Second + time.Millisecond},
		{"negative remaining: spent", &api.RateLimit{Limit: 20, Remaining: -3, Window: time.Second, ResetIn: 500 * time.Millisecond}, 501 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, c := newFake(time.Millisecond)
			tk, err := p.Acquire(bg, nil, 0)
			require.NoError(t, err)
			p.Done(tk, tc.rl, false)
			_, err = p.Acquire(bg, &Call{}, 0)
			require.NoError(t, err)
			var total time.Duration
			for _, w := range c.waits {
				total += w
			}
			assert.Equal(t, tc.hold, total)
		})
	}
}

func TestHeadersOnSomeAnswersOnly(t *testing.T) {
	p, c := newFake(time.Millisecond)
	tk, _ := p.Acquire(bg, nil, 0)
	p.Done(tk, &api.RateLimit{Limit: 3, Remaining: 2, Window: time.Second, ResetIn: time.Second}, false)
	for i := 0; i < 2; i++ {
		tk, _ := p.Acquire(bg, nil, 0)
		p.Done(tk, nil, false) // no headers: the window is spent all the same
	}
	_, err := p.Acquire(bg, nil, 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second + time.Millisecond}, c.waits, "held until the reset the last headers stated")
	// After the reset, answers without headers: the back-off paces; a
	// success leaves single calls alone.
	c.advance(time.Hour)
	tk, _ = p.Acquire(bg, nil, 0)
	p.Done(tk, nil, false)
	_, err = p.Acquire(bg, nil, 0)
	require.NoError(t, err)
	assert.Len(t, c.waits, 1)
}

// A 429 without believable headers (Paddle's 189, or a hostile reset)
// goes to the back-off: a pause that doubles, never an hour's hold.
func TestRefusalsWithoutBelievableHeadersPause(t *testing.T) {
	p, c := newFake(time.Second)
	call := &Call{}
	tk, _ := p.Acquire(bg, call, 0)
	p.Done(tk, &api.RateLimit{Limit: 60, Remaining: 0, ResetIn: 100 * 365 * 24 * time.Hour}, true)
	tk, _ = p.Acquire(bg, call, 0)
	p.Done(tk, nil, true)
	_, err := p.Acquire(bg, call, 0)
	require.NoError(t, err)
	require.Len(t, c.waits, 2, "a pause after each refusal; no hold from the unbelievable reset")
	assert.InDelta(t, float64(250*time.Millisecond), float64(c.waits[0]), float64(250*time.Millisecond/4),
		"the first pause, give or take a quarter")
	assert.InDelta(t, float64(500*time.Millisecond), float64(c.waits[1]), float64(500*time.Millisecond/4),
		"doubled")
}

func TestReadmitCountsInFlight(t *testing.T) {
	p, _ := newFake(time.Second)
	tk := p.Readmit()
	assert.Equal(t, 1, p.inFlight)
	p.Done(tk, nil, false)
	assert.Equal(t, 0, p.inFlight)
	assert.Nil(t, p.Latest())
	rl := &api.RateLimit{Limit: 1, Remaining: 1, ResetIn: time.Second}
	p.Done(p.Readmit(), rl, false)
	assert.Same(t, rl, p.Latest())
}

// The back-off's pauses hold bulk requests only: a single call after
// refusals without headers goes at once (the transport waits what each
// refusal asks before its own retry).
func TestSingleCallNotHeldByBackoffPause(t *testing.T) {
	p, c := newFake(0)
	for i := 0; i < 3; i++ {
		tk, err := p.Acquire(bg, nil, time.Millisecond)
		require.NoError(t, err)
		p.Done(tk, nil, true)
	}
	require.True(t, p.back.until.After(c.Now()), "bulk requests pause")
	_, err := p.Acquire(bg, nil, time.Millisecond)
	require.NoError(t, err)
	assert.Empty(t, c.waits)
}
