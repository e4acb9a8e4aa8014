package pace

import "time"

// Pauses after repeated refusals: the first, and the most (API.md section 6).
const (
	firstPause = 250 * time.Millisecond
	maxPause   = time.Minute
)

// backoff paces requests whose answers state no window: a vendor without
// headers (Paddle Classic signals its limit only by error 189), or with
// headers on its refusals only (Partnero), or any answer that lacks them.
//
// Halving alone cannot stay under 5% refusals against a fixed window: once
// the window's quota is spent, every request until its end is refused. So
// the back-off does three things:
//
//  1. the first refusal halves the pace (at most once per round trip);
//  2. refusals after that pause sending: one probe after a pause that
//     doubles, up to a minute, give or take a quarter so that clients do
//     not probe in step (or until the reset the refusal states);
//  3. it learns the vendor's window, from two resets refusals state
//     (Partnero's 429) or from where refusals stop (a window began) and
//     start again (our share of it is spent), and our budget in it; from
//     then on it spreads that budget over each window, holds until the
//     next one after a refusal, and adjusts the budget by AIMD: a cut
//     by a factor on a refusal, small steps up after clean windows, so
//     that clients sharing the quota converge to fair shares.
type backoff struct {
	// The adaptive pace until a window is learned, in requests per
	// second; 0 means unlimited.
	rate, step float64
	next       time.Time // the next request's slot at rate
	sends      [64]time.Time
	nsends     int // sends noted, to measure the pace the first cut halves

	// Refusals.
	refusing  bool          // the latest answer was a refusal: one probe at a time
	refusedAt time.Time     // when the first refusal of this run arrived
	pause     time.Duration // the latest pause
	until     time.Time     // nothing is sent before
	boundary  time.Time     // a window start a refusal stated (0: none)
	lastReset time.Time     // the latest stated one

	// Learning. start is where refusals last stopped, the start of one of
	// the vendor's windows (or a little after it); ok counts our successes
	// since, okAtRefusal what ok was when refusals started again.
	start       time.Time
	ok          int
	okAtRefusal int

	// The learned window: our quota in each window of length win from
	// start (rolled forward window by window). Both 0 until learned.
	win         time.Duration
	quota       float64   // our budget per window (AIMD); see budget
	sent, okWin int       // our requests sent, and answered, in this window
	refusedWin  bool      // this window saw a refusal
	reanchor    bool      // where refusals stop, our window starts
	clean       int       // full windows in a row without a refusal
	last        time.Time // our latest send in learned mode
}

func (b *backoff) learned() bool { return b.win > 0 && b.quota >= 1 }

// budget is the whole requests we send in each learned window: the
// budget rounded (truncated, a budget of 1.9 would send 1).
func (b *backoff) budget() int { return int(b.quota + 0.5) }

// roll moves the learned window forward to the one holding now.
func (b *backoff) roll(now time.Time) {
	if !b.learned() || now.Before(b.start.Add(b.win)) {
		return
	}
	if b.sent >= b.budget() && !b.refusedWin {
		// A clean window, fully used: probe for more (others may have
		// left). A probe costs about one refusal, so a small budget
		// (many clients) probes every other window only.
		b.clean++
		need := min(2, max(1, 20/b.budget()))
		if b.clean >= need {
			b.quota += b.growth(b.clean - need)
		}
	}
	b.start = b.start.Add(now.Sub(b.start) / b.win * b.win)
	b.sent, b.okWin, b.refusedWin = 0, 0, false
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
		return now, false // the probe
	case b.learned():
		end := b.start.Add(b.win)
		if b.sent >= b.budget() {
			return end, false
		}
		from := maxTime(b.last, b.start)
		// The quota left, spread evenly, the last a step before the end.
		return maxTime(now, from.Add(end.Sub(from)/time.Duration(b.budget()-b.sent+1))), false
	case b.rate > 0:
		return maxTime(now, b.next), false
	}
	return now, false
}

// admitted notes a request sent at now.
func (b *backoff) admitted(now time.Time) {
	b.sends[b.nsends%len(b.sends)] = now
	b.nsends++
	if b.rate > 0 {
		b.next = maxTime(now, b.next).Add(perSecond(b.rate))
	}
	b.roll(now)
	if b.learned() {
		b.sent++
		b.last = now
	}
}

// refused takes in a refusal of a request sent at sent, answered at now;
// reset is the window start the refusal stated (zero: none), ceiling the
// bulk call's own pace (0: none).
func (b *backoff) refused(sent, now, reset time.Time, ceiling float64) {
	b.roll(now)
	first := !b.refusing
	if first {
		b.refusing, b.refusedAt, b.okAtRefusal = true, now, b.ok
	}
	b.boundary = reset
	if b.learnFromResets(reset) {
		return
	}
	if b.learned() && !sent.Before(b.start) {
		again := b.refusedWin
		b.refusedWin, b.clean = true, 0
		end := b.start.Add(b.win)
		switch {
		case !reset.IsZero():
			// The refusal says where the window ends: hold until then,
			// and cut our budget once per window.
			b.start, b.until, b.reanchor = reset.Add(-b.win), reset, false
			if !again {
				b.quota = b.cutTo()
			}
			return
		case first && b.okWin > 0:
			// Our share of this window is spent after okWin: that is
			// our quota now. Our window starts at or after the vendor's
			// (see succeeded), so its next one starts by our end: one
			// probe halfway there, and if refusals stop by then the
			// vendor's window starts earlier than we thought.
			// (At most halved: a misplaced window undercounts.)
			b.quota, b.until, b.reanchor = b.cutTo(), end, false
			if end.Sub(now) > 2*time.Second {
				b.until, b.reanchor = now.Add(end.Sub(now)/2), true
			}
			return
		case b.reanchor && !sent.Before(b.refusedAt):
			// The halfway probe was refused: hold until our end.
			b.until, b.reanchor = end, false
			return
		case b.okWin > 0:
			return // sent before the first refusal of this run arrived
		}
		// Refused at the start of a window we predicted: misplaced. It
		// is found again where refusals stop.
		b.reanchor = true
	}
	switch {
	case !reset.IsZero():
		b.until = reset
	case first:
		b.cut(now, ceiling)
	case !sent.Before(b.refusedAt):
		// Refused again after the cut: the window is spent. Pause.
		b.pause = min(max(2*b.pause, firstPause), maxPause)
		b.until = now.Add(b.jitter(now, b.pause))
		if !b.start.IsZero() && !b.learned() {
			// A window started at start: the next probably starts a
			// usual window length after it. Probe there rather than
			// after a doubled pause, which may overshoot by half.
			for _, w := range niceWindows {
				if at := b.start.Add(w); at.After(now) {
					b.until = minTime(b.until, at)
					break
				}
			}
		}
	}
}

// jitter is d give or take a quarter, drawn from now: clients pausing
// alike do not probe in step (nor, a minute apart, at the same point of
// a one-minute window every time).
func (b *backoff) jitter(now time.Time, d time.Duration) time.Duration {
	// splitmix64 of the time: deterministic on a virtual clock.
	x := uint64(now.UnixNano()) + 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	x ^= x >> 31
	return d*3/4 + time.Duration(x%uint64(d/2+1))
}

// learnFromResets learns the window from the resets two refusals state
// (Partnero's 429 carries one): two different ones are a window apart, or
// a few. It reports whether it learned the window now: then it holds until
// the reset, and our budget is what got through since refusals last
// stopped.
func (b *backoff) learnFromResets(reset time.Time) bool {
	if reset.IsZero() {
		return false
	}
	prev := b.lastReset
	b.lastReset = reset
	d := reset.Sub(prev)
	if b.learned() || prev.IsZero() || d < minResetWindow {
		return false
	}
	b.win = snap(d)
	b.quota = float64(max(1, b.okAtRefusal))
	b.start, b.until = reset.Add(-b.win), reset
	b.sent, b.okWin, b.refusedWin, b.reanchor = b.budget(), 0, true, false
	return true
}

// cut halves the pace: the one it had, else the call's ceiling, else the
// pace measured over the last second.
func (b *backoff) cut(now time.Time, ceiling float64) {
	base := b.rate
	if base == 0 || (ceiling > 0 && ceiling < base) {
		base = ceiling
	}
	if base == 0 {
		n := 0
		for i := 1; i <= min(b.nsends, len(b.sends)); i++ {
			if now.Sub(b.sends[(b.nsends-i)%len(b.sends)]) > time.Second {
				break
			}
			n++
		}
		base = float64(max(n, 1))
	}
	b.rate = max(base/2, 0.5)
	b.step = max(b.rate/8, 0.05)
	b.next = now.Add(perSecond(b.rate))
}

// succeeded takes in a success of a request sent at sent, answered at now.
func (b *backoff) succeeded(sent, now time.Time) {
	b.roll(now)
	if b.refusing && !sent.Before(b.refusedAt) {
		// Refusals stopped: a window began at the stated reset, or
		// before this answer.
		at := now
		if !b.boundary.IsZero() && b.boundary.Before(now) {
			at = b.boundary
		}
		switch {
		case !b.learned() && !b.start.IsZero() && b.okAtRefusal > 0:
			b.win, b.quota = snap(at.Sub(b.start)), float64(b.okAtRefusal)
			b.start, b.sent, b.okWin, b.last = at, 1, 1, sent
		case b.reanchor:
			// A new window begins here: the refusals were the old one's,
			// so this one starts clean (else it could never grow).
			b.start, b.sent, b.okWin, b.last, b.refusedWin = at, 1, 1, sent, false
		case !b.learned():
			b.start = at
		}
		b.refusing, b.pause, b.boundary, b.ok, b.reanchor = false, 0, time.Time{}, 0, false
	}
	b.ok++
	if b.learned() && !sent.Before(b.start) {
		b.okWin++
		if b.refusedWin {
			// An answer overtaken by the window's first refusal: the
			// quota held it too.
			b.quota = max(b.quota, float64(b.okWin))
		}
	}
	if b.rate > 0 && !b.refusing && !b.learned() {
		b.rate += b.step
	}
}

// The learned budget follows AIMD (Chiu and Jain): clients sharing a
// quota, each growing by about the same step after a clean window and
// cutting by the same factor on a refusal, converge to equal budgets,
// where clients that each keep what got through before their refusals
// keep whatever unequal shares they started with.
const (
	// cut is the budget kept on a refusal (at least what got through).
	cut = 0.75
	// minResetWindow is the shortest window learned from two stated
	// resets: refusals in one window state resets a second or two apart.
	minResetWindow = 3 * time.Second
)

// growth is the step after the n+1th clean window in a row we may grow
// in: small at first (an eighth of the budget, at least one request:
// clients contending for the quota mostly see this one), then, while the
// windows stay clean and others have likely left, a quarter of the
// budget, doubling.
func (b *backoff) growth(n int) float64 {
	if n == 0 {
		return max(1, b.quota/8)
	}
	return max(1, b.quota/4) * float64(int(1)<<min(n-1, 3))
}

// cutTo is the budget after the first refusal in a window.
func (b *backoff) cutTo() float64 { return max(float64(b.okWin), cut*b.quota) }

// niceWindows are the windows vendors use; a measured window within 30%
// of one is taken to be it.
var niceWindows = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second,
	15 * time.Second, 20 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute,
	5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour}

// snap rounds a measured window to the nearest usual one within 30%.
func snap(d time.Duration) time.Duration {
	for _, w := range niceWindows {
		if d >= w*7/10 && d <= w*13/10 {
			return w
		}
	}
	return max(d, time.Second)
}
