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
//     doubles, up to a minute (or until the reset the refusal states);
//  3. from where refusals stop (a window began) and start again (our
//     share of it is spent) it learns the vendor's window and our quota
//     in it; from then on it sends that quota spread over each window and
//     holds until the next one, probing a little more after clean windows.
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

	// Learning. start is where refusals last stopped, the start of one of
	// the vendor's windows (or a little after it); ok counts our successes
	// since, okAtRefusal what ok was when refusals started again.
	start       time.Time
	ok          int
	okAtRefusal int

	// The learned window: our quota in each window of length win from
	// start (rolled forward window by window). Both 0 until learned.
	win         time.Duration
	quota       int
	sent, okWin int       // our requests sent, and answered, in this window
	refusedWin  bool      // this window saw a refusal
	reanchor    bool      // where refusals stop, our window starts
	clean       int       // full windows in a row without a refusal
	last        time.Time // our latest send in learned mode
}

func (b *backoff) learned() bool { return b.win > 0 && b.quota > 0 }

// roll moves the learned window forward to the one holding now.
func (b *backoff) roll(now time.Time) {
	if !b.learned() || now.Before(b.start.Add(b.win)) {
		return
	}
	if b.sent >= b.quota && !b.refusedWin {
		// A clean window, fully used: probe for more (others may have
		// left). A probe costs about one refusal, so a small quota probes
		// rarely (every 40/quota windows, at most 4); the steps grow
		// while the windows stay clean.
		b.clean++
		if need := min(4, max(1, (20+b.quota-1)/b.quota)); b.clean >= need {
			b.quota += max(1, b.quota/4) << min(b.clean-need, 3)
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
		if b.sent >= b.quota {
			return end, false
		}
		from := maxTime(b.last, b.start)
		// The quota left, spread evenly, the last a step before the end.
		return maxTime(now, from.Add(end.Sub(from)/time.Duration(b.quota-b.sent+1))), false
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
	if b.learned() && !sent.Before(b.start) {
		b.refusedWin, b.clean = true, 0
		end := b.start.Add(b.win)
		switch {
		case !reset.IsZero():
			b.until, b.reanchor = reset, false
			if first && b.okWin > 0 {
				b.quota = max(b.okWin, b.quota/2)
			}
			return
		case first && b.okWin > 0:
			// Our share of this window is spent after okWin: that is
			// our quota now. Our window starts at or after the vendor's
			// (see succeeded), so its next one starts by our end: one
			// probe halfway there, and if refusals stop by then the
			// vendor's window starts earlier than we thought.
			// (At most halved: a misplaced window undercounts.)
			b.quota, b.until, b.reanchor = max(b.okWin, b.quota/2), end, false
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
		b.until = now.Add(b.pause)
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
			b.win, b.quota = snap(at.Sub(b.start)), b.okAtRefusal
			b.start, b.sent, b.okWin, b.last = at, 1, 1, sent
		case b.reanchor:
			b.start, b.sent, b.okWin, b.last = at, 1, 1, sent
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
			b.quota = max(b.quota, b.okWin)
		}
	}
	if b.rate > 0 && !b.refusing && !b.learned() {
		b.rate += b.step
	}
}

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
