package pace

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func at(d time.Duration) time.Time { return t0.Add(d) }

func TestBackoffPausesOnRepeatedRefusals(t *testing.T) {
	var b backoff
	now := time.Duration(0)
	var pauses []time.Duration
	for i := 0; i < 11; i++ {
		if i > 0 {
			// One probe at a time: while it is in flight nothing else goes.
			_, forAnswer := b.turn(at(now), 1)
			assert.True(t, forAnswer)
		}
		b.refused(at(now), at(now+100*time.Millisecond), time.Time{})
		now += 100 * time.Millisecond
		pauses = append(pauses, b.until.Sub(at(now)))
		next, _ := b.turn(at(now), 0)
		assert.Equal(t, b.until, next)
		now = b.until.Sub(t0)
	}
	want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second, time.Second,
		time.Second, time.Second, time.Second, time.Second, time.Second, time.Second, time.Second}
	require.Len(t, pauses, len(want))
	distinct := map[time.Duration]bool{}
	for i, p := range pauses {
		// Give or take a quarter, so that clients pausing alike do not
		// probe in step.
		assert.InDelta(t, float64(want[i]), float64(p), float64(want[i]/4), "pause %d doubles up to a second", i)
		distinct[p*time.Second/want[i]] = true
	}
	assert.Greater(t, len(distinct), 3, "the pauses are jittered: %v", pauses)
}

func TestBackoffHoldsUntilAStatedReset(t *testing.T) {
	var b backoff
	b.refused(at(0), at(time.Second), at(37*time.Second))
	next, _ := b.turn(at(time.Second), 0)
	assert.Equal(t, at(37*time.Second), next)
}

// drive answers requests of a fixed window of limit per win (starting at
// 0) from the back-off's own turns, one at a time with 100 ms round trips,
// until the time until. It returns the requests sent and refused.
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
			b.refused(at(now), at(now+100*time.Millisecond), time.Time{})
		} else {
			b.succeeded(at(now), at(now+100*time.Millisecond))
		}
		now += 100 * time.Millisecond
	}
	return sent, refused
}

// Alone on a quota, the back-off learns the window from where refusals
// stop, measures its budget, and then uses nearly all of the quota with
// few refusals.
func TestBackoffLearnsTheWindowAndBudget(t *testing.T) {
	var b backoff
	drive(&b, 30, time.Minute, 4*time.Minute)
	require.True(t, b.learned())
	assert.Equal(t, time.Minute, b.win)
	assert.False(t, b.provisional, "refusals stopped where it predicted")
	assert.InDelta(t, 30, b.budget, 1, "what got through in the measuring window")
	sent, refused := drive(&b, 30, time.Minute, 14*time.Minute)
	t.Logf("sent %d, refused %d in 10 minutes of 30 per minute", sent, refused)
	assert.LessOrEqual(t, float64(refused), 0.05*float64(sent))
	assert.GreaterOrEqual(t, sent-refused, 285, "at least 95% of the quota")
}

// Where refusals first stop, the window is taken to be the shortest usual
// length that holds the refusals before; refused from the start of the
// next window it predicts, the next usual length.
func TestBackoffTakesAWindowForNowAndLengthensIt(t *testing.T) {
	var b backoff
	b.succeeded(at(-time.Second), at(-900*time.Millisecond)) // it had got through before
	b.refused(at(0), at(100*time.Millisecond), time.Time{})
	b.refused(at(12*time.Second), at(12100*time.Millisecond), time.Time{})
	b.succeeded(at(13*time.Second), at(13100*time.Millisecond))
	require.True(t, b.learned())
	assert.True(t, b.provisional)
	assert.Equal(t, 15*time.Second, b.win, "12 s of refusals: at least 15 s")
	assert.Equal(t, at(13100*time.Millisecond), b.start)
	assert.InDelta(t, float64(time.Second+100*time.Millisecond), float64(b.early), 1, "it may have begun since the last refusal")
	// Refused from the start of the next window it predicted: longer.
	s := b.slot(0).Add(15 * time.Second)
	b.sendAndAnswer(s, false)
	assert.Equal(t, 20*time.Second, b.win)
	next, _ := b.turn(s.Add(200*time.Millisecond), 0)
	assert.Equal(t, at(33100*time.Millisecond), next, "held until the lengthened window's end")
}

// A client whose every request so far was refused joined a spent window,
// and may have missed where the next one began (other clients took its
// quota between two of its probes): refusals that overrun a usual window
// by less than 30% are taken to be that window, not the next usual one,
// whose every predicted start would then fall where a window begins.
func TestBackoffJoiningASpentWindowGuessesShort(t *testing.T) {
	for _, c := range []struct {
		refused time.Duration
		want    time.Duration
	}{
		{68 * time.Second, time.Minute},      // a minute and a missed start: not 2 minutes
		{12 * time.Second, 10 * time.Second}, // 10 s or 15 s: the shorter, corrected if wrong
		{40 * time.Second, time.Minute},      // past 30 s by more than 30%: at least a minute
	} {
		b := learnGuessed(t, true, c.refused)
		assert.Equal(t, c.want, b.win, "refused for %v from its first request", c.refused)
	}
	// One that had got through before takes the shortest usual window
	// that holds the refusals (see TestBackoffTakesAWindowForNowAndLengthensIt).
	assert.Equal(t, 2*time.Minute, learnGuessed(t, false, 68*time.Second).win)
}

func TestUsualWindowsAtLeastAndAtMost(t *testing.T) {
	assert.Equal(t, time.Minute, atLeast(31*time.Second))
	assert.Equal(t, 30*time.Second, atMost(31*time.Second))
	assert.Equal(t, time.Minute, atMost(40*time.Second), "30 s overrun by a third: a minute")
	assert.Equal(t, time.Minute, atMost(time.Minute))
	assert.Equal(t, 2*time.Hour, atMost(2*time.Hour), "beyond the usual windows: as measured")
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
	b.refused(at(1200*time.Millisecond), at(1300*time.Millisecond), at(40*time.Second))
	require.False(t, b.learned(), "one reset tells the end of one window only")
	next, _ := b.turn(at(1300*time.Millisecond), 0)
	assert.Equal(t, at(40*time.Second), next, "held until the stated reset")
	b.succeeded(at(40*time.Second), at(40100*time.Millisecond))
	b.refused(at(41*time.Second), at(41100*time.Millisecond), at(100*time.Second+500*time.Millisecond))
	require.True(t, b.learned())
	assert.False(t, b.provisional)
	assert.Equal(t, time.Minute, b.win, "60.5 s between the resets: a minute")
	assert.Equal(t, at(40*time.Second+500*time.Millisecond), b.start, "the window ends at the stated reset")
	assert.True(t, math.IsInf(b.budget, 1), "the next window measures the budget")
	next, _ = b.turn(at(42*time.Second), 0)
	assert.Equal(t, at(100*time.Second+500*time.Millisecond), next, "nothing more in this window")
}

// Every client sends the jth request of a window at the same point of it,
// whatever its budget: one every maxPause through the window's first
// quarter (the steady start), then log2(j+2)/scheduleSteps of the way.
func TestBackoffScheduleIsCommon(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: 3}
	var slots []time.Duration
	for j := 0; j < 4; j++ {
		next, _ := b.turn(at(0), 0)
		slots = append(slots, next.Sub(t0))
		b.admitted(next)
	}
	assert.Equal(t, []time.Duration{0, time.Second, 2 * time.Second, time.Minute}, slots, "three slots, then the window's end")
	c := backoff{win: time.Minute, start: at(0), budget: 300}
	next, _ := c.turn(at(0), 0)
	assert.Equal(t, slots[0], next.Sub(t0), "a bigger budget, the same first slot")
	assert.Equal(t, at(14*time.Second), c.slot(14), "the steady start: a quarter of the window")
	assert.Equal(t, at(time.Duration(float64(time.Minute)*math.Log2(17)/16)), c.slot(15), "then the spread")
}

// The steady start does not depend on the window's length: clients that
// guessed different lengths send alike there.
func TestBackoffSteadyStartWhateverTheGuess(t *testing.T) {
	short := backoff{win: 30 * time.Second, start: at(0), budget: math.Inf(1)}
	long := backoff{win: time.Minute, start: at(0), budget: math.Inf(1)}
	for j := 0; j < short.steadyCount(); j++ {
		assert.Equal(t, long.slot(j), short.slot(j), "slot %d", j)
	}
	assert.Equal(t, 7, short.steadyCount())
}

// learnGuessed is a back-off that learned a guessed window: refused from
// 0 to refusedFor, then admitted a second later, having got through
// before (or, joined, not).
func learnGuessed(t *testing.T, joined bool, refusedFor time.Duration) *backoff {
	var b backoff
	if !joined {
		b.succeeded(at(-time.Second), at(-900*time.Millisecond))
	}
	b.refused(at(0), at(100*time.Millisecond), time.Time{})
	b.refused(at(refusedFor), at(refusedFor+100*time.Millisecond), time.Time{})
	b.succeeded(at(refusedFor+time.Second), at(refusedFor+1100*time.Millisecond))
	require.True(t, b.provisional)
	return &b
}

// runOut answers the window's next slots until through requests of it
// got through, and refuses the next: the quota ran out.
func runOut(b *backoff, through int) {
	for b.ok < through {
		b.sendAndAnswer(b.slot(b.sent), true)
	}
	b.sendAndAnswer(b.slot(b.sent), false)
}

// A window whose length is a guess still measures: if the quota ran out
// in the steady start of every client that learned the window then, and
// the guess then holds, what got through is the budget, and the next
// window need not measure. Later, a client that guessed shorter may have
// sent faster: the next window measures.
func TestBackoffAdoptsWhatAGuessedWindowMeasured(t *testing.T) {
	for _, c := range []struct {
		refusedFor time.Duration // 58 s: a guess of a minute, the others' too
		through    int
		want       float64
	}{
		{58 * time.Second, 3, 3},
		{58 * time.Second, 14, 14},          // refused at 14 s, in the steady start
		{58 * time.Second, 15, math.Inf(1)}, // at its end: not taken
		{58 * time.Second, 2, math.Inf(1)},  // after 2: clients joining the window may have taken the quota
		// Refused for 31 s: a guess of a minute, but a client whose
		// refusals began a moment later guessed 30 s, and sent faster
		// from 5.9 s on.
		{31 * time.Second, 5, 5},
		{31 * time.Second, 6, math.Inf(1)},
	} {
		b := learnGuessed(t, false, c.refusedFor)
		require.Equal(t, time.Minute, b.win)
		runOut(b, c.through)
		require.True(t, math.IsInf(b.budget, 1), "not taken while the window is a guess")
		next := b.start.Add(b.win)
		b.sendAndAnswer(next, true)
		require.False(t, b.provisional, "a window began where it predicted")
		assert.Equal(t, c.want, b.budget, "refused for %v, ran out after %d", c.refusedFor, c.through)
	}
}

// A guess refused at the start it predicted is lengthened from the same
// start, where the vendor's window began: what got through in the trial
// stands for the longer guess, and the client learns the window and its
// budget with one refusal, not a second to measure again. Not if only
// minTrial got through (clients starting in that window may have spent
// its quota), nor if the trial came from a later window of the short
// guess, which began where no window did.
func TestBackoffKeepsATrialWhenTheGuessLengthens(t *testing.T) {
	// Refused for 25 s, joined: a guess of 20 s; the others got through
	// before and guessed 30 s at least, steady until 5.9 s.
	for _, c := range []struct {
		through int
		want    float64
	}{{5, 5}, {minTrial, math.Inf(1)}} {
		b := learnGuessed(t, true, 25*time.Second)
		require.Equal(t, 20*time.Second, b.win)
		runOut(b, c.through)
		check := b.start.Add(b.win)
		b.sendAndAnswer(check, false)
		require.Equal(t, 30*time.Second, b.win, "refused where a window was to begin: longer")
		next := b.start.Add(b.win)
		b.sendAndAnswer(next, true)
		require.False(t, b.provisional)
		assert.Equal(t, c.want, b.budget, "measured in the window that began where refusals stopped, %d through", c.through)
	}

	// The same guess, but the quota lasted through its first window:
	// the trial in the next began 20 s after the vendor's window did.
	b := learnGuessed(t, true, 25*time.Second)
	answerSlots(b, 5)
	second := b.start.Add(b.win)
	b.sendAndAnswer(second, true)
	require.True(t, b.provisional, "the window before did not run out: proves nothing")
	runOut(b, 5)
	check := b.start.Add(b.win)
	b.sendAndAnswer(check, false)
	require.Equal(t, time.Minute, b.win)
	next := b.start.Add(b.win)
	b.sendAndAnswer(next, true)
	require.False(t, b.provisional)
	assert.True(t, math.IsInf(b.budget, 1), "a trial in a window that did not begin where refusals stopped")

	// A joiner refused for 12 s guessed 10 s; the others may have
	// guessed as short, steady until 1.25 s: its 4 through (at a
	// second apart) are not kept.
	b = learnGuessed(t, true, 12*time.Second)
	require.Equal(t, 10*time.Second, b.win)
	runOut(b, 4)
	check = b.start.Add(b.win)
	b.sendAndAnswer(check, false)
	next = b.start.Add(b.win)
	b.sendAndAnswer(next, true)
	require.False(t, b.provisional)
	assert.True(t, math.IsInf(b.budget, 1), "ran out after the others' steady start")
}

// The quota ran out: what got through is the budget (the same for every
// client still sending then), and the rest of the window is held.
func TestBackoffRefusalSetsBudgetToWhatGotThrough(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: math.Inf(1)}
	answerSlots(&b, 5)
	s := b.slot(5)
	b.sendAndAnswer(s, false)
	assert.InDelta(t, 5, b.budget, 1e-9)
	next, _ := b.turn(s.Add(200*time.Millisecond), 0)
	assert.Equal(t, at(time.Minute), next, "held until the window's end")
	// An answer overtaken by the refusal: the quota held it too.
	b.succeeded(s.Add(-time.Millisecond), s.Add(300*time.Millisecond))
	assert.InDelta(t, 6, b.budget, 1e-9)
}

// A probe sends beyond the budget, the extra requests one at a time at
// first: a refused probe keeps the budget, what got through is the new
// budget, and the next window probes again.
func TestBackoffProbeKeepsWhatGotThrough(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: 4, every: 5}
	b.begin(at(0), at(0))
	require.False(t, b.probe)
	b.quiet = 100
	b.begin(at(0), at(0))
	require.True(t, b.probe)
	answerSlots(&b, 4)
	b.admitted(b.slot(4))
	_, forAnswer := b.turn(b.slot(5), 1)
	assert.True(t, forAnswer, "extra requests one at a time")
	b.refused(b.slot(4), b.slot(4).Add(100*time.Millisecond), time.Time{})
	assert.InDelta(t, 4, b.budget, 1e-9, "a refused probe keeps the budget")

	c := backoff{win: time.Minute, start: at(0), budget: 4, probe: true, probedFrom: 4}
	answerSlots(&c, 12)
	_, forAnswer = c.turn(c.slot(12), 2)
	assert.False(t, forAnswer, "8 extra got through: two in flight")
	assert.InDelta(t, 12, c.budget, 1e-9, "what got through")
	c.roll(at(time.Minute))
	assert.True(t, c.probe, "room found and no refusal: the next window probes too")
}

// A probe that found room and then was refused took all the room there
// was: the quota ran out with it, so the next window has none to find,
// and the client goes back to probing every probeEvery windows.
func TestBackoffProbeRefusedAfterRoomDoesNotProbeAgainAtOnce(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: 4, probe: true, probedFrom: 4}
	answerSlots(&b, 12)
	s := b.slot(12)
	b.sendAndAnswer(s, false)
	assert.InDelta(t, 12, b.budget, 1e-9, "what got through")
	b.roll(at(time.Minute))
	assert.False(t, b.probe, "the quota ran out: no room left to find next window")
	assert.Equal(t, b.probeEvery(), b.every)
}

// Clients probe rarely: a budget of b, every probeRefusals/b windows (at
// most maxProbeEvery), so that many small clients do not overshoot the
// quota together.
func TestBackoffProbesRarelyWithASmallBudget(t *testing.T) {
	count := func(budget float64) int {
		b := backoff{win: time.Minute, start: at(0), budget: budget, every: 1}
		n := 0
		for w := 1; w <= 240; w++ {
			b.roll(at(time.Duration(w)*time.Minute + time.Duration(w)*time.Millisecond))
			if b.probe {
				n++
			}
		}
		return n
	}
	assert.InDelta(t, 24, count(4), 3, "every 10 windows")
	assert.InDelta(t, 20, count(1), 3, "every 12 windows at most")
	assert.Greater(t, count(100), 160, "about every window")
}

// The window placed from where refusals stopped may begin up to early
// sooner: probes before our window's end halve that, until it is within a
// sixteenth of the window; only then is the budget measured.
func TestBackoffNarrowsWhereTheWindowBegins(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: math.Inf(1), early: 8 * time.Second}
	answerSlots(&b, 5)
	s := b.slot(5)
	b.sendAndAnswer(s, false)
	assert.True(t, math.IsInf(b.budget, 1), "not measured: the window may begin 8 s sooner")
	next, _ := b.turn(s.Add(time.Second), 0)
	assert.Equal(t, at(56*time.Second), next, "a probe 4 s before our end")
	b.sendAndAnswer(next, false)
	assert.Equal(t, 4*time.Second, b.early)
	next, _ = b.turn(next.Add(200*time.Millisecond), 0)
	assert.Equal(t, at(58*time.Second), next, "halved again")
	b.sendAndAnswer(next, true)
	assert.Equal(t, at(58100*time.Millisecond), b.start, "it had begun: ours begins here")
	assert.Equal(t, 2100*time.Millisecond, b.early)
	// Within a sixteenth: the next refusal measures.
	b.budget = math.Inf(1)
	for j := 1; j < 5; j++ {
		s := b.slot(j)
		b.sendAndAnswer(s, true)
	}
	s = b.slot(5)
	b.sendAndAnswer(s, false)
	assert.InDelta(t, 5, b.budget, 1e-9)
}

// Refused from the start of a learned window: it is misplaced; where
// refusals stop our window starts.
func TestBackoffWindowFoundWhereRefusalsStop(t *testing.T) {
	b := backoff{win: time.Minute, start: at(0), budget: 5}
	s := b.slot(0)
	b.sendAndAnswer(s, false)
	next, _ := b.turn(s.Add(100*time.Millisecond), 0)
	assert.Less(t, next.Sub(s), time.Second, "a probe soon, not a hold to the end")
	probe := at(20 * time.Second)
	b.sendAndAnswer(probe, true)
	assert.Equal(t, probe.Add(100*time.Millisecond), b.start)
	assert.Equal(t, 1, b.ok)
	assert.Equal(t, probe.Add(100*time.Millisecond).Sub(s), b.early, "it may have begun since the refusal")
}

// Refused for longer than the window it learned, the back-off takes the
// window to be longer, at least as long as the refusals, and measures its
// budget anew.
func TestBackoffLengthensAWindowRefusedThroughout(t *testing.T) {
	b := backoff{win: 2 * time.Second, start: at(0), budget: 20, stop: at(0)}
	now := time.Duration(0)
	refuseUntil := func(until time.Duration) {
		for now < until {
			next, _ := b.turn(at(now), 0)
			now = max(now, next.Sub(t0))
			b.admitted(at(now))
			b.refused(at(now), at(now+100*time.Millisecond), time.Time{})
			now += 100 * time.Millisecond
		}
	}
	refuseUntil(4 * time.Second)
	assert.Equal(t, 5*time.Second, b.win, "refused for over 3 s: at least 5 s")
	assert.True(t, b.provisional)
	assert.True(t, math.IsInf(b.budget, 1))
	refuseUntil(12 * time.Second)
	assert.GreaterOrEqual(t, b.win, 10*time.Second, "and longer still")
}

// answerSlots sends the window's first n slots and answers each with a
// success 100 ms later.
func answerSlots(b *backoff, n int) {
	for j := 0; j < n; j++ {
		b.sendAndAnswer(b.slot(j), true)
	}
}

// A new client ramps up, doubling its pace every firstPause, until its
// first refusal: one that starts just after a window began leaves clients
// probing for that start a second to see it.
func TestBackoffNewClientRampsUpUntilRefused(t *testing.T) {
	var b backoff
	sendAll := func(now time.Duration) (n int) {
		for n < 1000 {
			next, forAnswer := b.turn(at(now), 0)
			if forAnswer || next.After(at(now)) {
				return n
			}
			b.admitted(at(now))
			n++
		}
		return n
	}
	// The first at once; rampFirst·(2^k-1) more by k firstPauses.
	sent := sendAll(0)
	assert.Equal(t, 1, sent)
	for k := 1; k <= 4; k++ {
		sent += sendAll(time.Duration(k) * firstPause)
		assert.Equal(t, 1+rampFirst*(1<<k-1), sent, "by %d firstPauses", k)
	}
	// Refused, then a window began: no ramp any more.
	b.refused(at(4*firstPause), at(4*firstPause+50*time.Millisecond), time.Time{})
	b.refusing = false
	assert.Equal(t, 1000, sendAll(b.until.Sub(t0)), "after the first refusal it sends freely")
}

// A client refused from its first request on joined a window others had
// spent, and its first guess of the window is short (its refusals began
// late): while that guess is unchecked it sends a request a maxPause
// through the whole window, not faster after the steady start, so that
// it does not take the quota from clients that guessed right before
// they measure it (see adoptTrial).
func TestBackoffJoinerSendsSteadilyUnderAGuess(t *testing.T) {
	joiner, other := learnGuessed(t, true, 8*time.Second), learnGuessed(t, false, 8*time.Second)
	require.Equal(t, 10*time.Second, joiner.win)
	require.Equal(t, 10*time.Second, other.win)
	assert.Equal(t, joiner.start.Add(5*time.Second), joiner.slot(5), "a joiner: a second apart throughout")
	assert.True(t, other.slot(5).Before(other.start.Add(3*time.Second)), "the others spread after the steady start: %v", other.slot(5).Sub(other.start))
	joiner.provisional = false
	assert.Equal(t, other.slot(5).Sub(other.start), joiner.slot(5).Sub(joiner.start), "a checked window: the common schedule")
}

// A window is seen to hold only where the window before it ran out: a
// request that gets through at a predicted start after a window with
// quota left proves nothing (the vendor's window may not have ended).
func TestBackoffPredictedStartHoldsOnlyAfterASpentWindow(t *testing.T) {
	for _, spent := range []bool{false, true} {
		b := backoff{win: 10 * time.Second, start: at(0), budget: math.Inf(1), provisional: true}
		answerSlots(&b, 2)
		if spent {
			s := b.slot(2)
			b.sendAndAnswer(s, false)
		}
		next := b.start.Add(b.win)
		b.sendAndAnswer(next, true)
		assert.Equal(t, !spent, b.provisional, "the window before ran out: %v", spent)
	}
}

// sendAndAnswer sends a request at s and answers it 100 ms later: a
// success if ok, else a refusal stating no reset.
func (b *backoff) sendAndAnswer(s time.Time, ok bool) {
	b.admitted(s)
	if ok {
		b.succeeded(s, s.Add(100*time.Millisecond))
	} else {
		b.refused(s, s.Add(100*time.Millisecond), time.Time{})
	}
}
