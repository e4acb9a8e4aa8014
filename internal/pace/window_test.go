package pace

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/internal/api"
)

var t0 = time.Unix(1_800_000_000, 0)

func TestBelievedResetBoundsHostileResets(t *testing.T) {
	const century = 100 * 365 * 24 * time.Hour // the transport's clamp
	for _, tc := range []struct {
		name string
		rl   *api.RateLimit
		want time.Duration
		ok   bool
	}{
		{"no headers", nil, 0, false},
		{"no reset", &api.RateLimit{Limit: 20, Remaining: 3}, 0, false},
		{"negative reset (parsed as 0)", &api.RateLimit{Limit: 20, ResetIn: 0}, 0, false},
		{"within the stated window", &api.RateLimit{Window: 30 * time.Second, ResetIn: 12 * time.Second}, 12 * time.Second, true},
		{"54 years next to a 200 ms window", &api.RateLimit{Window: 200 * time.Millisecond, ResetIn: 54 * 365 * 24 * time.Hour}, 200 * time.Millisecond, true},
		{"huge, clamped, next to a window", &api.RateLimit{Window: time.Minute, ResetIn: century}, time.Minute, true},
		{"window 0 (unstated): up to an hour", &api.RateLimit{ResetIn: 59 * time.Minute}, 59 * time.Minute, true},
		{"window 0, beyond an hour: not believed", &api.RateLimit{ResetIn: 61 * time.Minute}, 0, false},
	} {
		got, ok := believedReset(tc.rl)
		assert.Equal(t, tc.ok, ok, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

func TestWindowNarrowsTheResetAcrossAnswers(t *testing.T) {
	w := newWindow(time.Second)
	rl := &api.RateLimit{Limit: 25, Remaining: 10, ResetIn: time.Second}
	// Whole-second headers, rounded either way: the reset is in [0s, 2s).
	used, fresh := w.observe(t0, t0, rl, time.Second, false)
	assert.True(t, used)
	assert.True(t, fresh)
	assert.Equal(t, t0, w.lo)
	assert.Equal(t, t0.Add(2*time.Second), w.hi)
	// 0.6 s later: [0.6s, 2.6s); intersected, [0.6s, 2s).
	at := t0.Add(600 * time.Millisecond)
	used, fresh = w.observe(at, at, &api.RateLimit{Limit: 25, Remaining: 9, ResetIn: time.Second}, time.Second, false)
	assert.True(t, used)
	assert.False(t, fresh)
	assert.Equal(t, at, w.lo)
	assert.Equal(t, t0.Add(2*time.Second), w.hi)
	assert.Equal(t, 9, w.remaining)
}

func TestWindowRisingRemaining(t *testing.T) {
	w := newWindow(time.Millisecond)
	w.observe(t0, t0.Add(100*time.Millisecond), &api.RateLimit{Limit: 150, Remaining: 40, ResetIn: 10 * time.Second}, 10*time.Second, false)
	// An answer to a request sent before that count arrived, stating more
	// left, was overtaken: the fewest left stands.
	w.observe(t0.Add(50*time.Millisecond), t0.Add(200*time.Millisecond), &api.RateLimit{Limit: 150, Remaining: 90, ResetIn: 10 * time.Second}, 10*time.Second, false)
	assert.Equal(t, 40, w.remaining)
	// A request sent after it is a newer count, even a higher one (a
	// token bucket refills); never above the quota.
	w.observe(t0.Add(300*time.Millisecond), t0.Add(400*time.Millisecond), &api.RateLimit{Limit: 150, Remaining: 9999, ResetIn: 10 * time.Second}, 10*time.Second, false)
	assert.Equal(t, 150, w.remaining)
}

func TestWindowNegativeRemainingAndQuotaZeroAreSpent(t *testing.T) {
	w := newWindow(time.Millisecond)
	w.observe(t0, t0, &api.RateLimit{Limit: 20, Remaining: -5, ResetIn: time.Second}, time.Second, false)
	assert.Equal(t, 0, w.remaining)
	assert.True(t, w.spent(0))
	w = newWindow(time.Millisecond)
	w.observe(t0, t0, &api.RateLimit{Limit: 0, Remaining: 0, ResetIn: time.Second}, time.Second, false)
	assert.True(t, w.spent(0), "quota 0: spent until the reset")
	w.expire(t0.Add(time.Second + time.Millisecond))
	assert.False(t, w.known, "and forgotten at the reset")
}

func TestWindowBackwardsResets(t *testing.T) {
	w := newWindow(time.Millisecond)
	w.observe(t0, t0.Add(10*time.Millisecond), &api.RateLimit{Limit: 20, Remaining: 5, ResetIn: 20 * time.Second}, 20*time.Second, false)
	// A late answer of an earlier window (sent before this count arrived,
	// resetting before it): ignored.
	used, _ := w.observe(t0.Add(-time.Second), t0.Add(20*time.Millisecond), &api.RateLimit{Limit: 20, Remaining: 19, ResetIn: time.Second}, time.Second, false)
	assert.False(t, used)
	assert.Equal(t, 5, w.remaining)
	// A request sent after it whose reset jumps back: the server's latest
	// word, a new window.
	at := t0.Add(time.Second)
	used, fresh := w.observe(at, at, &api.RateLimit{Limit: 20, Remaining: 19, ResetIn: time.Second}, time.Second, false)
	assert.True(t, used)
	assert.True(t, fresh)
	assert.Equal(t, 19, w.remaining)
	assert.Equal(t, at.Add(time.Second+time.Millisecond), w.hi)
}

func TestWindowRateLimitAnswerSpendsIt(t *testing.T) {
	w := newWindow(time.Millisecond)
	w.observe(t0, t0, &api.RateLimit{Limit: 20, Remaining: 7, ResetIn: time.Second}, time.Second, true)
	assert.Equal(t, 0, w.remaining, "a 429 says the window is spent, whatever Remaining says")
}

func TestWindowAnswersWithoutHeadersStillSpend(t *testing.T) {
	w := newWindow(time.Millisecond)
	w.spend()
	assert.False(t, w.known)
	w.observe(t0, t0, &api.RateLimit{Limit: 20, Remaining: 2, ResetIn: time.Second}, time.Second, false)
	w.spend()
	w.spend()
	w.spend()
	assert.Equal(t, 0, w.remaining)
}
