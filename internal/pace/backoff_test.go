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
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
		4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute, time.Minute}
	require.Len(t, pauses, len(want))
	distinct := map[time.Duration]bool{}
	for i, p := range pauses {
		// Give or take a quarter, so that clients pausing alike do not
		// probe in step.
		assert.InDelta(t, float64(want[i]), float64(p), float64(want[i]/4), "pause %d doubles up to a minute", i)
		distinct[p*time.Minute/want[i]] = true
	}
	assert.Greater(t, len(distinct), 3, "the pauses are jittered: %v", pauses)
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

// Partnero's 429 states when the window ends: two refusals stating resets
// a window apart teach the window, without waiting for refusals to stop.
func TestBackoffLearnsTheWindowFromStatedResets(t *testing.T) {
	var b backoff
	// 12 successes, then the window's quota is spent: the 429 says it
	// resets at 40 s.
	for i := 0; i < 12; i++ {
		b.succeeded(at(time.Duration(i)*100*time.Millisecond), at(time.Duration(i)*100*time.Millisecond+50*time.Millisecond))
	}
	b.refused(at(1200*time.Millisecond), at(1300*time.Millisecond), at(40*time.Second), 0)
	require.False(t, b.learned(), "one reset tells the end of one window only")
	next, _ := b.turn(at(1300*time.Millisecond), 0)
	assert.Equal(t, at(40*time.Second), next, "held until the stated reset")
	// The next window: 5 get through, then a refusal states the next reset.
	for i := 0; i < 5; i++ {
		s := 40*time.Second + time.Duration(i)*100*time.Millisecond
		b.succeeded(at(s), at(s+50*time.Millisecond))
	}
	b.refused(at(41*time.Second), at(41100*time.Millisecond), at(100*time.Second+500*time.Millisecond), 0)
	require.True(t, b.learned())
	assert.Equal(t, time.Minute, b.win, "60.5 s between the resets: a minute")
	assert.Equal(t, at(40*time.Second+500*time.Millisecond), b.start, "the window ends at the stated reset")
	assert.Equal(t, 5, b.budget(), "what got through in the window")
	next, _ = b.turn(at(42*time.Second), 0)
	assert.Equal(t, at(100*time.Second+500*time.Millisecond), next, "nothing more in this window")
	// At the reset one probe goes; once it got through the rest of the
	// budget is spread over the window.
	next, _ = b.turn(at(100*time.Second+500*time.Millisecond), 0)
	assert.Equal(t, at(100*time.Second+500*time.Millisecond), next)
	b.admitted(next)
	b.succeeded(next, next.Add(100*time.Millisecond))
	next, _ = b.turn(at(100*time.Second+600*time.Millisecond), 0)
	assert.Equal(t, at(112*time.Second+500*time.Millisecond), next, "4 left over 60 s: every 12 s")
}

// The learned budget follows AIMD: a refusal cuts it by a factor (keeping
// at least what got through), clean windows grow it by a small step, then
// by faster steps while they stay clean.
func TestBackoffBudgetIsAIMD(t *testing.T) {
	b := backoff{win: time.Minute, quota: 40, start: at(0)}
	// A window where 20 got through before a refusal: cut to 0.75 × 40
	// (more than the 20 that got through).
	for i := 0; i < 21; i++ {
		b.admitted(at(time.Duration(i) * time.Second))
	}
	b.okWin = 20
	b.refused(at(21*time.Second), at(21100*time.Millisecond), time.Time{}, 0)
	assert.InDelta(t, 30, b.quota, 1e-9)
	b.refused(at(21500*time.Millisecond), at(21600*time.Millisecond), time.Time{}, 0)
	assert.InDelta(t, 30, b.quota, 1e-9, "once per window")
	// A refusal after 35 got through keeps the 35.
	c := backoff{win: time.Minute, quota: 40, start: at(0), okWin: 35, sent: 36}
	c.refused(at(50*time.Second), at(50100*time.Millisecond), time.Time{}, 0)
	assert.InDelta(t, 35, c.quota, 1e-9)

	// Clean, fully used windows: +1/8 of the budget, then +1/4 doubling.
	d := backoff{win: time.Minute, quota: 40, start: at(0)}
	var steps []float64
	for w := 0; w < 4; w++ {
		for i := 0; i < d.budget(); i++ {
			d.admitted(at(time.Duration(w)*time.Minute + time.Duration(i)*time.Minute/time.Duration(d.budget()+1)))
		}
		before := d.quota
		d.roll(at(time.Duration(w+1) * time.Minute))
		steps = append(steps, d.quota-before)
	}
	assert.Equal(t, []float64{5, 11.25, 28.125, 84.375}, steps)

	// A small budget (many clients share the quota) waits for a second
	// clean window before it grows, by one request at first.
	e := backoff{win: time.Minute, quota: 3, start: at(0)}
	var budgets []int
	for w := 0; w < 4; w++ {
		for i := 0; i < e.budget(); i++ {
			e.admitted(at(time.Duration(w)*time.Minute + time.Duration(i)*time.Second))
		}
		e.roll(at(time.Duration(w+1) * time.Minute))
		budgets = append(budgets, e.budget())
	}
	assert.Equal(t, []int{3, 4, 5, 8}, budgets)
}

// Where refusals stop a new window begins: it starts clean, so a full
// window without a refusal after it grows the budget (a client left alone
// on the quota reclaims what others freed).
func TestBackoffWindowFoundWhereRefusalsStopStartsClean(t *testing.T) {
	b := backoff{win: time.Minute, quota: 40, start: at(0)}
	for i := 0; i < 21; i++ {
		b.admitted(at(time.Duration(i) * time.Second))
	}
	b.okWin = 20
	// Refused 21 s into our window: quota cut, a probe halfway to our end.
	b.refused(at(21*time.Second), at(21100*time.Millisecond), time.Time{}, 0)
	require.True(t, b.reanchor)
	require.InDelta(t, 30, b.quota, 1e-9)
	// The probe at 40.55 s gets through: the vendor's window starts there.
	probe := at(40550 * time.Millisecond)
	b.admitted(probe)
	b.succeeded(probe, probe.Add(100*time.Millisecond))
	assert.Equal(t, probe.Add(100*time.Millisecond), b.start)
	assert.False(t, b.refusedWin, "the refusals were the previous window's")
	// The rest of the budget goes without a refusal: the next window grows.
	for i := 1; i < b.budget(); i++ {
		s := b.start.Add(time.Duration(i) * time.Second)
		b.admitted(s)
		b.succeeded(s, s.Add(100*time.Millisecond))
	}
	b.roll(b.start.Add(time.Minute))
	assert.Greater(t, b.quota, 30.0)
}
