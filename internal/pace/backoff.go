package pace

import (
	"math"
	"time"
)

// Pauses between probes while refusals last: the first, and the most. A
// second apart at most, a client that does not know the window yet finds
// where one begins within a second (see backoff).
const (
	firstPause = 250 * time.Millisecond
	maxPause   = time.Second
)

// rampFirst is how many requests a new client sends in its first
// firstPause; it doubles its pace every firstPause after that, until its
// first refusal (see backoff and rampSlot).
const rampFirst = 4

// backoff paces requests whose answers state no window: a vendor without
// headers (Paddle Classic signals its limit only by error 189), or with
// headers on its refusals only (Partnero), or any answer that lacks them.
//
// Against a fixed window, once the window's quota is spent every request
// until its end is refused, and clients sharing the quota see none of each
// other's requests. What every client does see is the same moments: where
// refusals start (the quota ran out) and where they stop (a window began).
// The back-off builds on those:
//
//  1. Until it knows the window it sends freely, after a ramp: a new
//     client doubles its pace every firstPause until its first refusal,
//     so that one starting just after a window began does not spend the
//     window's quota within a second. Clients already probing for the
//     window's start (a second apart) would miss that start, guess the
//     window from refusals that ran past it, and probe on, a refusal a
//     second, until the next window's start. After a refusal it
//     holds, probing after pauses that double up to maxPause (or until
//     the reset a refusal states). Where refusals stop a window begins;
//     it takes the window to be the shortest usual length that holds the
//     refusals just seen, for now, and the next usual length each time
//     it is refused from the start of a window it predicted, until
//     refusals stop where it predicts. A predicted start holds only
//     after a window that ran out: a request that gets through there
//     when the quota was not spent proves nothing (a guess too short
//     would be taken, and its client send far more than its share).
//     Two resets that refusals state tell the length at once. A client
//     refused from its first request on may have missed where a window
//     began (others took its quota between two probes): it takes the
//     usual length its refusals overran by less than 30%, since a
//     multiple of the window would never be corrected.
//  2. Every client sends its requests of each window on one schedule, the
//     same for all and for any quota: one every maxPause through the
//     window's first quarter (the steady start), then the jth
//     log2(j+2)/scheduleSteps of the way through the window. When the
//     quota runs out, every client still sending got the same number
//     through (give or take one): the quota is cut max-min fair in a
//     single window, whatever the clients' speeds and whoever came first.
//     The first window after learning has no budget: it measures. Each
//     keeps what got through as its budget, sends no more in a window,
//     and holds until the window's end after a refusal. Fair only if the
//     clients place the window alike: where refusals stop is known to
//     within the pause before, so it first narrows that down to a
//     sixteenth of the window, halving it with a probe before the
//     window's end (see early). A window whose length is still a guess
//     measures too, but clients that guessed different lengths follow
//     different schedules, so what got through is kept only if the quota
//     ran out within the steady start of every client that learned the
//     window with it, and the guess, or a longer one lengthened from the
//     same start, then holds (see adoptTrial): many clients then learn
//     window and budget with one refusal each, not two. A client that
//     joined a spent window has the shortest guesses (its refusals began
//     late): under a guess it sends a maxPause apart through the whole
//     window, lest it spend the quota faster than the others and leave
//     what they keep short.
//  3. A client probes for more rarely, so that the clients together probe
//     about Q/probeRefusals times a window whatever their number: it
//     sends beyond its budget in one window, the extra requests one at a
//     time at first. They come after every other client's budget, so a
//     probe that finds the quota spent costs one refusal and no budget;
//     one that finds room (a client left, or got more than its share)
//     keeps what got through. If it ran on to the schedule's end there
//     may be more: it probes again in the next window. If a refusal ended
//     it, the quota ran out with it and the next window has no room left
//     to find: probing again at once would only cost a refusal.
type backoff struct {
	// Refusals.
	refusing     bool          // the latest answer was a refusal: one probe at a time
	refusedAt    time.Time     // when the first refusal of this run of them arrived
	pause        time.Duration // the latest pause
	until        time.Time     // nothing is sent before
	boundary     time.Time     // a window start a refusal stated (0: none)
	lastReset    time.Time     // the latest stated one
	stop         time.Time     // where refusals last stopped: a window start
	lastRefused  time.Time     // the latest refused request's sending
	admittedOnce bool          // a request of ours has got through
	joiner       bool          // every request before the window was learned was refused
	firstSent    time.Time     // our first bulk request's turn (0: none yet)
	rampSent     int           // requests sent since, before our first refusal

	// The learned window: our budget in each window of length win from
	// start (rolled forward window by window). win is 0 until learned.
	win         time.Duration
	start       time.Time
	provisional bool          // win is a guess, not yet seen to hold
	rolled      bool          // this window follows one we predicted
	early       time.Duration // how much sooner than start the vendor's window may begin
	phaseProbe  time.Time     // when we probed whether it did (0: none)
	budget      float64       // requests per window; +Inf: not measured yet
	shortest    time.Duration // the shortest guess of a client that learned with us (see adoptTrial)
	// A window of guessed length whose quota ran out early in its
	// steady start (see adoptTrial): the length guessed, where the
	// window began, and what got through (0: none).
	trialWin    time.Duration
	trialStart  time.Time
	trialOK     int
	sent, ok    int  // our requests sent, and answered, in this window
	refusedWin  bool // this window saw a refusal
	prevRefused bool // and the one before it

	// Probing for more.
	probe      bool    // this window sends beyond the budget
	probedFrom float64 // the budget when this window's probe began
	every      int     // windows between probes
	quiet      int     // windows since we last probed
}

// scheduleSteps spreads the schedule after its steady start (see slot):
// the jth request goes log2(j+2)/scheduleSteps of the way through the
// window, the 60th 37% of the way, the 600th 58%, and some 40,000 fit
// before the last 32nd. The simulator measured 12, 16, 20 and 24 steps
// alike.
const scheduleSteps = 16

// probeRefusals sets how rarely a client probes: N clients of budget b
// sharing a quota Q = N·b, each probing every probeRefusals/b windows,
// probe about Q/probeRefusals times a window together (2.5% of the quota
// refused, when there is no room), however many they are; at least every
// maxProbeEvery windows, so that a client with a small budget finds room
// others left within a run of ten.
const (
	probeRefusals = 40
	maxProbeEvery = 12
)

func (b *backoff) learned() bool { return b.win > 0 }

// cap is how many requests we send in the current window.
func (b *backoff) cap() int {
	if b.probe || math.IsInf(b.budget, 1) {
		return math.MaxInt32
	}
	return max(1, int(b.budget))
}

// slot is when the jth request of the window (from 0) may go: the common
// schedule, the same for every client, dense towards the end so that it
// fits budgets of one to a few thousand. Its first quarter is a steady
// start, one request every maxPause: slots that do not depend on the
// window's length, so that clients that guessed different lengths still
// send alike there (see adoptTrial); a maxPause apart, because clients
// place the window's start only to within the pause before it.
func (b *backoff) slot(j int) time.Time {
	if j < b.steadyCount() || (b.provisional && b.joiner) {
		return b.start.Add(time.Duration(j) * maxPause)
	}
	return b.start.Add(time.Duration(float64(b.win) * math.Log2(float64(j+2)) / scheduleSteps))
}

// steadyCount is how many slots of a window are its steady start.
func (b *backoff) steadyCount() int { return int(b.win / 4 / maxPause) }

// steadyFor is how long a client that takes the window to be win long
// sends steadily: until its first slot after the steady start, which
// may come sooner than a maxPause after the last.
func steadyFor(win time.Duration) time.Duration {
	b := backoff{win: win}
	return b.slot(b.steadyCount()).Sub(b.start)
}

// probeEvery is how many windows apart we probe (see probeRefusals).
func (b *backoff) probeEvery() int {
	if math.IsInf(b.budget, 1) {
		return 1
	}
	return min(maxProbeEvery, max(1, int(math.Ceil(probeRefusals/max(b.budget, 1)))))
}

// roll moves the learned window forward to the one holding now.
func (b *backoff) roll(now time.Time) {
	if b.learned() && !now.Before(b.start.Add(b.win)) {
		b.begin(b.start.Add(now.Sub(b.start)/b.win*b.win), now)
	}
}

// begin starts our next window at start, and decides whether it probes:
// the window after a probe that found room and was not refused (see
// backoff, 3), else probeEvery windows after the last probe (one sooner or
// later, drawn from the time, so that clients do not probe in step).
func (b *backoff) begin(start, now time.Time) {
	if b.probe {
		if b.budget >= b.probedFrom+max(2, b.probedFrom/8) && !b.refusedWin {
			b.every = 1
		} else {
			b.every = b.probeEvery()
		}
	}
	b.start = start
	b.prevRefused = b.refusedWin
	b.sent, b.ok, b.refusedWin, b.rolled = 0, 0, false, true
	b.quiet++
	b.probe = b.quiet >= b.every && !math.IsInf(b.budget, 1)
	if b.probe {
		b.quiet, b.probedFrom = int(draw(now)%3)-1, b.budget
	}
}

// turn is the earliest time a bulk request may go, or forAnswer when it
// must wait for an answer (a probe is in flight). Single calls do not ask:
// the transport already waits what a refusal asks before retrying one,
// and a pause is a guess, not a known spent quota.
func (b *backoff) turn(now time.Time, inFlight int) (at time.Time, forAnswer bool) {
	b.roll(now)
	switch {
	case now.Before(b.until):
		return b.until, false
	case b.refusing && inFlight > 0:
		return time.Time{}, true
	case b.refusing:
		return now, false
	case !b.learned():
		return maxTime(now, b.rampSlot(now)), false
	}
	end := b.start.Add(b.win)
	if b.sent >= b.cap() {
		return end, false
	}
	if b.probe && b.sent >= int(b.probedFrom) && inFlight > max(0, (b.ok-int(b.probedFrom))/4) {
		// The probe's extra requests start one at a time, one more
		// in flight for every four that got through: the first
		// refused ends it (a refusal or so when there is no room),
		// and a quota a client left is taken back within a window.
		return time.Time{}, true
	}
	slot := b.slot(b.sent)
	if slot.After(end.Add(-b.win / (2 * scheduleSteps))) {
		return end, false // past the schedule's end: it would land in the next window
	}
	return maxTime(now, slot), false
}

// rampSlot is when a new client's next request may go: the nth after
// its first (from 0) firstPause·log2(1+n/rampFirst) after it, so
// rampFirst·(2^k-1) by k firstPauses (a quota of 60 lasts a second, 600
// nearly two, against milliseconds at full speed). Zero (at once) for its
// first, and after its first refusal.
func (b *backoff) rampSlot(now time.Time) time.Time {
	if b.firstSent.IsZero() {
		b.firstSent = now // the ramp starts with the first request that asks
	}
	if !b.refusedAt.IsZero() {
		return time.Time{}
	}
	return b.firstSent.Add(time.Duration(float64(firstPause) * math.Log2(1+float64(b.rampSent)/rampFirst)))
}

// admitted notes a request sent at now.
func (b *backoff) admitted(now time.Time) {
	b.roll(now)
	if !b.firstSent.IsZero() && b.refusedAt.IsZero() {
		b.rampSent++
	}
	if b.learned() {
		b.sent++
	}
}

// refused takes in a refusal of a request sent at sent, answered at now;
// reset is the window start the refusal stated (zero: none).
func (b *backoff) refused(sent, now, reset time.Time) {
	if !b.phaseProbe.IsZero() && !sent.Before(b.phaseProbe) {
		// The window had not begun: it begins between the probe and
		// our end. Halve that again, down to a sixteenth.
		b.early, b.phaseProbe = b.start.Add(b.win).Sub(sent), time.Time{}
		b.until = b.start.Add(b.win)
		if b.early > b.win/16 {
			b.until = b.start.Add(b.win - b.early/2)
			b.phaseProbe = b.until
		}
		return
	}
	b.roll(now)
	first := !b.refusing
	if first {
		b.refusing, b.refusedAt = true, now
	}
	b.boundary = reset
	b.lastRefused = maxTime(b.lastRefused, sent)
	if b.learned() && reset.IsZero() && now.Sub(b.refusedAt) > b.win+maxPause {
		// Refused for longer than the window we learned: the window
		// is longer, at least this long. Measure the budget anew.
		b.win, b.provisional, b.budget = atLeast(now.Sub(b.refusedAt)), true, math.Inf(1)
		b.start, b.sent, b.ok, b.rolled = b.stop, 0, 0, false
		b.roll(now)
	}
	if b.provisional && math.IsInf(b.budget, 1) && !b.refusedWin && !sent.Before(b.start) &&
		b.ok >= minTrial && sent.Sub(b.start) < steadyFor(b.shortest) {
		// The quota ran out in the steady start of a window we
		// guessed, and in that of every client that learned it with
		// us (see adoptTrial).
		b.trialWin, b.trialStart, b.trialOK = b.win, b.start, b.ok
	}
	if b.learnFromResets(reset) {
		b.adoptTrial()
		b.until = reset
		return
	}
	if b.learned() && !sent.Before(b.start) {
		again := b.refusedWin
		b.refusedWin = true
		if b.ok > 0 {
			// The quota ran out: what got through is our share (more
			// may still get through: see succeeded). Hold until the
			// window ends, where the refusal says or where we learned.
			if !again && !b.provisional && b.early <= b.win/16 {
				measured := math.IsInf(b.budget, 1)
				b.budget = float64(b.ok)
				if measured {
					// The first probe in probeEvery windows.
					b.quiet, b.every = 0, max(3, b.probeEvery())
				}
			}
			b.until = b.start.Add(b.win)
			if !reset.IsZero() {
				b.start, b.until = reset.Add(-b.win), reset
			} else if !b.provisional && b.early > b.win/16 {
				// The next window may begin up to early before our
				// end: probe half of that before it.
				b.until = b.start.Add(b.win - b.early/2)
				b.phaseProbe = b.until
			}
			return
		}
		// Refused from the start of a window we predicted: it is
		// misplaced, and found again where refusals stop; or, taken
		// for now, too short: the next usual length from where it
		// started. A trial in the window that began there ran out
		// within the longer one too: it stands for the longer guess
		// (see adoptTrial).
		if b.provisional && !again {
			longer := atLeast(now.Sub(b.stop) + time.Millisecond)
			if b.trialWin == b.win && b.trialStart.Equal(b.stop) && b.trialOK > minTrial {
				b.trialWin = longer
			}
			b.win = longer
			b.start, b.sent, b.ok, b.rolled = b.stop, 0, 0, false
			if end := b.start.Add(b.win); end.After(now) {
				b.until = end
				return
			}
		}
	}
	switch {
	case !reset.IsZero():
		if b.learned() {
			b.start = reset.Add(-b.win)
		}
		b.until = reset
	case first || !sent.Before(b.refusedAt):
		// Refused at a probe: pause, doubling.
		b.pause = min(max(2*b.pause, firstPause), maxPause)
		b.until = now.Add(b.jitter(now, b.pause))
	}
}

// succeeded takes in a success of a request sent at sent, answered at now.
func (b *backoff) succeeded(sent, now time.Time) {
	if !b.phaseProbe.IsZero() && !sent.Before(b.phaseProbe) {
		// The window had begun: it began between our earliest guess
		// and this answer. Ours begins here (late rather than early:
		// a request sent before the vendor's window begins counts in
		// the previous one).
		lo := b.start.Add(b.win - b.early)
		b.begin(now, now)
		b.sent, b.ok, b.early, b.phaseProbe = 1, 1, now.Sub(lo), time.Time{}
		b.refusing, b.pause, b.boundary = false, 0, time.Time{}
		return
	}
	b.roll(now)
	if !b.learned() {
		b.joiner = !b.admittedOnce // every request of ours so far was refused
	}
	b.admittedOnce = true
	if b.refusing && !sent.Before(b.refusedAt) {
		// Refusals stopped: a window began at the stated reset, or
		// before this answer (we take the answer: a window placed late
		// only shifts the schedule).
		at := now
		if !b.boundary.IsZero() && b.boundary.Before(now) {
			at = b.boundary
		}
		anchor := b.learned() && b.refusedWin && b.ok == 0 // refused from our window's start
		if !b.learned() {
			// The first window start we see. The window is at least
			// as long as the refusals before it: take the shortest
			// usual one that holds them, for now (see refused).
			refusedTo := b.lastRefused
			if !b.boundary.IsZero() {
				refusedTo = at // the refusals said the window ends here
			}
			// A client that joined a spent window may have missed
			// where the next began (others took its quota within our
			// pause) and seen refusals run past it: it takes the usual
			// length they overran by less than 30%, if any. Too short
			// costs a refusal to correct; too long, a multiple of the
			// window, would never be (every window we predict begins
			// where one does).
			guess := atLeast
			if b.joiner && b.boundary.IsZero() {
				guess = atMost
			}
			span := refusedTo.Sub(b.refusedAt)
			b.win, b.budget, b.every, b.provisional, anchor = guess(span), math.Inf(1), 3, true, true
			b.shortest = atLeast(span - shortestSlack) // see adoptTrial
		}
		if anchor {
			b.start, b.sent, b.ok, b.refusedWin, b.probe, b.rolled = at, 1, 1, false, false, false
			b.early = 0
			if b.boundary.IsZero() && b.lastRefused.Before(at) {
				b.early = at.Sub(b.lastRefused)
			}
		}
		b.stop = at
		b.refusing, b.pause, b.boundary = false, 0, time.Time{}
		if anchor {
			return
		}
	}
	if b.learned() && !sent.Before(b.start) {
		if b.rolled && b.ok == 0 && !b.refusedWin && b.prevRefused {
			// A window we predicted began where we predicted: the
			// window is right.
			b.provisional = false
			b.adoptTrial()
		}
		b.ok++
		if b.refusedWin && !math.IsInf(b.budget, 1) {
			// An answer overtaken by the window's first refusal: the
			// quota held it too.
			b.budget = max(b.budget, float64(b.ok))
		}
		if b.probe {
			b.budget = max(b.budget, float64(b.ok)) // the probe got through so far
		}
	}
}

// adoptTrial takes as our budget what got through in the window of the
// trial, measured while its length was a guess, once the guess is seen to
// hold (a window began where predicted, or the trial's refusal stated a
// reset that confirms it); the next window then need not measure (a
// refusal per client). A guess refused at the start it predicted is
// lengthened from the same start: the trial's window began where the
// vendor's did, and the quota ran out within it, so its count stands
// for the longer guess (clients that guessed short pay one refusal to
// learn the window, not one more to measure again). Only if more than
// minTrial got through: a short guess comes from refusals that began
// late, so clients were still starting just before that window, and
// one starting within it sends freely (its ramp) and may have spent
// the quota (without this, the simulator run once with quotas of 100 to
// 300 a minute shared by 16, outside its vendor models, froze shares as
// low as 0.15 of the mean).
//
// Only if the quota ran out while every client still sent alike: a client
// that guessed shorter sends faster after its own steady start (a
// quarter of its guess), and the counts of the others would then be
// short, for good (see backoff, 2). A client that joined a spent window
// sends steadily under any guess; one that did not got through before the
// quota ran out, and was refused from a moment after it to where refusals
// stopped, as every such client was: its refusals ran at most
// shortestSlack shorter than ours, and its guess is at least the usual
// length that holds those (shortest). So the trial must have run out
// within the steady start of that guess (steadyFor): its refused request
// went before any client sent faster. Clients whose guess did not hold
// measure in a window of their own, as before.
func (b *backoff) adoptTrial() {
	ok := b.trialOK
	b.trialOK = 0
	if ok == 0 || b.trialWin != b.win || !math.IsInf(b.budget, 1) {
		return
	}
	b.budget = float64(ok)
	b.quiet, b.every = 0, max(3, b.probeEvery())
}

// shortestSlack is how much shorter another client's refusals may have
// run than ours, had they begun and stopped where ours did: each of us
// sees a start and a stop to within a pause and a round trip.
const shortestSlack = 2 * maxPause

// minTrial is the fewest requests a trial must have got through: fewer,
// and the quota may have gone to clients that joined the window sending
// freely.
const minTrial = 3

// learnFromResets learns the window from the resets two refusals state
// (Partnero's 429 carries one): two different ones are a window apart, or
// a few. It reports whether it learned the window now.
func (b *backoff) learnFromResets(reset time.Time) bool {
	if reset.IsZero() {
		return false
	}
	prev := b.lastReset
	b.lastReset = reset
	d := reset.Sub(prev)
	if (b.learned() && !b.provisional) || prev.IsZero() || d < minResetWindow {
		return false
	}
	b.win, b.budget, b.every, b.provisional = snap(d), math.Inf(1), 3, false
	b.start = reset.Add(-b.win)
	b.sent, b.ok, b.refusedWin = 0, 0, true
	return true
}

// minResetWindow is the shortest window learned from two stated resets:
// refusals in one window state resets a second or two apart.
const minResetWindow = 3 * time.Second

// jitter is d give or take a quarter, drawn from now: clients pausing
// alike do not probe in step (nor, a minute apart, at the same point of
// a one-minute window every time).
func (b *backoff) jitter(now time.Time, d time.Duration) time.Duration {
	return d*3/4 + time.Duration(draw(now)%uint64(d/2+1))
}

// draw is a number drawn from the time: splitmix64 of it, deterministic
// on a virtual clock.
func draw(now time.Time) uint64 {
	x := uint64(now.UnixNano()) + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// niceWindows are the windows vendors use; a measured window within 30%
// of one is taken to be it.
var niceWindows = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second,
	15 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute,
	5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

// atLeast is the shortest usual window of at least d (d beyond them).
func atLeast(d time.Duration) time.Duration {
	for _, w := range niceWindows {
		if w >= d {
			return w
		}
	}
	return d
}

// atMost is the longest usual window that d overruns by less than 30%,
// else atLeast(d).
func atMost(d time.Duration) time.Duration {
	for i := len(niceWindows) - 1; i >= 0; i-- {
		if w := niceWindows[i]; w <= d && d <= w*13/10 {
			return w
		}
	}
	return atLeast(d)
}

// snap rounds a measured window to the nearest usual one within 30%.
func snap(d time.Duration) time.Duration {
	for _, w := range niceWindows {
		if d >= w*7/10 && d <= w*13/10 {
			return w
		}
	}
	return max(d, time.Second)
}
