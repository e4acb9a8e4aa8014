package pace

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// fakeClock drives a Pacer without real sleeping: a timer fires at once and
// moves the clock forward by its duration, recording it.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newFake(res time.Duration) (*Pacer, *fakeClock) {
	c := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	p := New(res)
	p.now = c.now
	p.timer = c.timer
	return p, c
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) timer(d time.Duration) (<-chan time.Time, func() bool) {
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

func bulkCtx(rps float64) context.Context {
	return WithCall(context.Background(), &Call{RequestsPerSecond: rps})
}

func TestSingleCallNotSlowedWhileQuotaLeft(t *testing.T) {
	p, c := newFake(time.Millisecond)
	tk, err := p.Acquire(context.Background(), 0)
	require.NoError(t, err)
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 3, ResetIn: 200 * time.Millisecond}, false)
	for i := 0; i < 3; i++ { // three concurrent single calls: none waits to be spread
		_, err := p.Acquire(context.Background(), 0)
		require.NoError(t, err)
	}
	assert.Empty(t, c.waits)
}

func TestSingleCallHeldUntilResetPlusResolution(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(context.Background(), 0)
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 0, ResetIn: 2 * time.Second}, false)
	_, err := p.Acquire(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{3 * time.Second}, c.waits, "reset plus the header's resolution")
	assert.False(t, p.answered, "a new window's first bulk request goes alone")
}

func TestSingleCallPastDeadlineReturnsAtOnce(t *testing.T) {
	p, c := newFake(time.Millisecond)
	tk, _ := p.Acquire(context.Background(), 0)
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 0, ResetIn: 30 * time.Second}, true)
	ctx, cancel := context.WithDeadline(context.Background(), c.now().Add(time.Second))
	defer cancel()
	_, err := p.Acquire(ctx, 0)
	require.Error(t, err)
	assert.ErrorIs(t, err, api.ErrRateLimited)
	assert.ErrorIs(t, err, api.ErrNotSent)
	w, ok := Wait(err)
	assert.True(t, ok)
	assert.Equal(t, 30*time.Second+time.Millisecond, w)
	assert.Empty(t, c.waits, "no sleeping into a certain timeout")
}

func TestBulkSpreadsRemainingOverWindow(t *testing.T) {
	p, c := newFake(time.Millisecond)
	ctx := bulkCtx(0)
	tk, err := p.Acquire(ctx, 0)
	require.NoError(t, err)
	p.Done(tk, &api.RateLimit{Limit: 5, Remaining: 4, ResetIn: 39 * time.Millisecond}, false)
	for i := 0; i < 4; i++ {
		tk, err := p.Acquire(ctx, 0)
		require.NoError(t, err)
		p.Done(tk, nil, false) // answers without headers keep the window
	}
	// The quota is spread to end by the earliest possible reset (39ms less
	// 1ms resolution): one now, then every 9.5ms.
	assert.Equal(t, []time.Duration{9500 * time.Microsecond, 9500 * time.Microsecond, 9500 * time.Microsecond}, c.waits)
}

func TestBulkHoldsAtZeroUntilReset(t *testing.T) {
	p, c := newFake(time.Second)
	ctx := bulkCtx(0)
	tk, _ := p.Acquire(ctx, 0)
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 0, ResetIn: time.Second}, false)
	_, err := p.Acquire(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second}, c.waits)
}

func TestResetNarrowsAcrossAnswers(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(context.Background(), 0)
	// Whole-second headers, rounded either way: the reset is in [0s, 2s).
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 10, ResetIn: time.Second}, false)
	c.advance(600 * time.Millisecond)
	tk, _ = p.Acquire(context.Background(), 0)
	// Now [0.6s, 2.6s) from the start: intersected, [0.6s, 2s).
	p.Done(tk, &api.RateLimit{Limit: 25, Remaining: 0, ResetIn: time.Second}, false)
	_, err := p.Acquire(context.Background(), 0)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{1400 * time.Millisecond}, c.waits, "held until the latest possible reset")
	assert.Equal(t, c.now().Add(-1400*time.Millisecond), p.resetLo)
}

func TestBulkFirstRequestGoesAlone(t *testing.T) {
	p, _ := newFake(time.Millisecond)
	ctx := bulkCtx(0)
	tk, err := p.Acquire(ctx, 0)
	require.NoError(t, err)
	got := make(chan error, 1)
	go func() {
		_, err := p.Acquire(ctx, 0)
		got <- err
	}()
	select {
	case <-got:
		t.Fatal("second request went before the first answer")
	case <-time.After(20 * time.Millisecond):
	}
	p.Done(tk, nil, false)
	require.NoError(t, <-got)
}

func TestCeilingPacesBulkCall(t *testing.T) {
	p, c := newFake(0)
	ctx := bulkCtx(100)
	tk, _ := p.Acquire(ctx, 0)
	p.Done(tk, nil, false)
	for i := 0; i < 3; i++ {
		tk, err := p.Acquire(ctx, 0)
		require.NoError(t, err)
		p.Done(tk, nil, false)
	}
	assert.Equal(t, []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}, c.waits)
}

func TestAdaptiveHalvesOncePerRoundAndGrowsBack(t *testing.T) {
	p, c := newFake(0)
	ctx := bulkCtx(40)
	var tks []Ticket
	for i := 0; i < 4; i++ {
		tk, err := p.Acquire(ctx, 0)
		require.NoError(t, err)
		if i == 0 {
			p.Done(tk, nil, false)
			continue
		}
		tks = append(tks, tk)
	}
	for _, tk := range tks { // three rate-limit answers from one round: one cut
		p.Done(tk, nil, true)
	}
	require.InDelta(t, 20.0, p.rate, 0.01, "halved once from the call's pace")
	cut := p.rate
	tk, err := p.Acquire(ctx, 0)
	require.NoError(t, err)
	p.Done(tk, nil, true)
	require.InDelta(t, 20.0, p.rate, 0.01, "no second cut before a success")
	for i := 0; i < 16; i++ {
		p.grow()
	}
	assert.InDelta(t, 3*cut, p.rate, 0.01, "each step adds an eighth of the cut pace")
	_ = c
}

func TestStopAndCancelEndWaits(t *testing.T) {
	p, _ := newFake(time.Second)
	p.timer = realTimer
	tk, _ := p.Acquire(context.Background(), 0)
	p.Done(tk, &api.RateLimit{Limit: 1, Remaining: 0, ResetIn: time.Hour}, false)

	stop := make(chan struct{})
	close(stop)
	_, err := p.Acquire(WithCall(context.Background(), &Call{Stop: stop}), 0)
	assert.ErrorIs(t, err, api.ErrNotSent)
	assert.True(t, errors.Is(err, ErrStopped))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Acquire(WithCall(ctx, &Call{}), 0)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, api.ErrNotSent)
}

func TestSingleCallLongerThanMaxWaitReturnsAtOnce(t *testing.T) {
	p, c := newFake(time.Second)
	tk, _ := p.Acquire(context.Background(), 0)
	p.Done(tk, &api.RateLimit{Limit: 60, Remaining: 0, ResetIn: time.Minute}, false)
	_, err := p.Acquire(context.Background(), 30*time.Second)
	assert.ErrorIs(t, err, api.ErrRateLimited)
	assert.ErrorIs(t, err, api.ErrNotSent)
	assert.Contains(t, err.Error(), "longer than MaxWait 30s")
	assert.Empty(t, c.waits)
	// A bulk call's hold is bounded by ctx only: a 61 s hold is normal.
	_, err = p.Acquire(bulkCtx(0), 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{61 * time.Second}, c.waits)
}

func TestBulkSpreadsOnlyItsShareWhenOthersUseTheQuota(t *testing.T) {
	p, _ := newFake(time.Millisecond)
	ctx := bulkCtx(0)
	tk, _ := p.Acquire(ctx, 0)
	// 20 in the window, 12 left after our first answer: others used 7.
	p.Done(tk, &api.RateLimit{Limit: 20, Remaining: 12, ResetIn: 81 * time.Millisecond}, false)
	assert.InDelta(t, 8.0, p.share, 0.01)
	assert.Equal(t, 1, p.avail(), "12/8: one more request in the window is ours")
	_, err := p.Acquire(ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, 0, p.avail(), "then this client waits for the next window")
	// A single call is not slowed by the share: the quota is not spent.
	_, err = p.Acquire(context.Background(), time.Second)
	require.NoError(t, err)
}
