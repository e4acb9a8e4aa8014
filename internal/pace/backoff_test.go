package pace

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func at(d time.Duration) time.Time { return t0.Add(d) }

func TestBackoffHalvesOncePerRoundTrip(t *testing.T) {
	var b backoff
	b.refused(at(0), at(100*time.Millisecond), time.Time{}, 40)
	assert.InDelta(t, 20.0, b.rate, 1e-9, "halved from the call's ceiling")
	// Answers to requests sent before the first refusal arrived: the same
	// round, no second cut and no pause.
	b.refused(at(50*time.Millisecond), at(150*time.Millisecond), time.Time{}, 40)
	assert.InDelta(t, 20.0, b.rate, 1e-9)
	assert.True(t, b.until.IsZero())
}

func TestBackoffPausesOnRepeatedRefusals(t *testing.T) {
	var b backoff
	b.refused(at(0), at(100*time.Millisecond), time.Time{}, 0)
	now := 100 * time.Millisecond
	var pauses []time.Duration
	for i := 0; i < 11; i++ {
		// One probe at a time: while it is in flight nothing else goes.
		_, forAnswer := b.turn(at(now), 1)
		assert.True(t, forAnswer)
		b.refused(at(now), at(now+100*time.Millisecond), time.Time{}, 0)
		now += 100 * time.Millisecond
		pauses = append(pauses, b.until.Sub(at(now)))
		next, _ := b.turn(at(now), 0)
		assert.Equal(t, b.until, next)
		now = b.until.Sub(t0)
	}
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
		4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute, time.Minute}, pauses,
		"the pause doubles up to a minute")
}

func TestBackoffHoldsUntilAStatedReset(t *testing.T) {
	var b backoff
	b.refused(at(0), at(time.Second), at(37*time.Second), 0)
	next, _ := b.turn(at(time.Second), 0)
	assert.Equal(t, at(37*time.Second), next)
}

// drive answers n requests of a fixed window of limit per win (starting at
// 0) from the back-off's own turns, one at a time with 100 ms round trips,
// until the time until. It returns the refusals.
func drive(b *backoff, limit int, win, until time.Duration) (sent, refused int) {
	now := time.Duration(0)
	count, cur := 0, time.Duration(-1)
	for now < until {
		next, _ := b.turn(at(now), 0)
		now = max(now, next.Sub(t0))
		b.admitted(at(now))
		arrive := now + 50*time.Millisecond
		if w := arrive / win; w != cur {
			cur, count = w, 0
		}
		count++
		sent++
		if count > limit {
			refused++
			b.refused(at(now), at(now+100*time.Millisecond), time.Time{}, 0)
		} else {
			b.succeeded(at(now), at(now+100*time.Millisecond))
		}
		now += 100 * time.Millisecond
	}
	return sent, refused
}

func TestBackoffLearnsTheWindowAndQuota(t *testing.T) {
	var b backoff
	drive(&b, 30, time.Minute, 4*time.Minute)
	require.True(t, b.learned(), "two runs of refusals: learned")
	assert.Equal(t, time.Minute, b.win)
	assert.InDelta(t, 30, b.quota, 3)
	// From then on, few refusals and the quota nearly all used.
	sent, refused := drive(&b, 30, time.Minute, 14*time.Minute)
	t.Logf("sent %d, refused %d in 10 minutes of 30 per minute", sent, refused)
	assert.LessOrEqual(t, float64(refused), 0.05*float64(sent))
	assert.GreaterOrEqual(t, sent-refused, 255, "at least 85% of the quota")
}

func TestSnapToUsualWindows(t *testing.T) {
	assert.Equal(t, time.Minute, snap(69*time.Second))
	assert.Equal(t, 30*time.Second, snap(27*time.Second))
	assert.Equal(t, time.Second, snap(1100*time.Millisecond))
	assert.Equal(t, 40*time.Second, snap(40*time.Second), "between usual windows: as measured")
	assert.Equal(t, time.Second, snap(10*time.Millisecond), "at least a second")
}
