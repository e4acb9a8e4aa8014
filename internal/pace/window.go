package pace

import (
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// maxUnstated bounds a reset when the answer states no window length: a
// reset further away is not believed (API.md section 6).
const maxUnstated = time.Hour

// believedReset is the reset the pacer acts on: the answer's ResetIn, or
// the window it states when ResetIn is further away than that (a reset 54
// years away next to a 200 ms window). ok is false when the answer tells
// no usable window: no reset, a zero or negative one (parsed as 0), or one
// beyond an hour with no window stated.
func believedReset(rl *api.RateLimit) (reset time.Duration, ok bool) {
	if rl == nil || rl.ResetIn <= 0 {
		return 0, false
	}
	switch {
	case rl.Window > 0 && rl.ResetIn > rl.Window:
		return rl.Window, true
	case rl.Window <= 0 && rl.ResetIn > maxUnstated:
		return 0, false
	}
	return rl.ResetIn, true
}

// window tracks the vendor's current rate-limit window as its headers
// state it. The server counted a request between its sending and its
// answer, and rounded the reset to its resolution either way, so the reset
// lies in [lo, hi); each answer of the same window narrows the interval.
// Spreading aims at lo (never idling through a window that may have
// ended); a spent window holds until hi (never landing just before the
// server's window ends).
type window struct {
	res time.Duration // resolution of the reset header, at least 1ms

	known     bool
	limit     int
	remaining int       // the fewest left any answer of this window stated
	lo, hi    time.Time // the reset lies in [lo, hi)
	infoAt    time.Time // when the answer that set remaining arrived
}

func newWindow(res time.Duration) window { return window{res: max(res, time.Millisecond)} }

// expire forgets a window whose reset has certainly passed.
func (w *window) expire(now time.Time) {
	if w.known && !now.Before(w.hi) {
		w.known = false
	}
}

// spent reports whether the window holds no request beyond those in flight.
func (w *window) spent(inFlight int) bool { return w.known && w.remaining-inFlight <= 0 }

// spend counts an answer without headers in a known window: it used the
// quota all the same.
func (w *window) spend() {
	if w.known && w.remaining > 0 {
		w.remaining--
	}
}

// observe takes in an answer stating a believable reset (see
// believedReset) for a request sent at sent and answered at now. It
// reports whether the answer was used, and whether it opened a new window.
func (w *window) observe(sent, now time.Time, rl *api.RateLimit, reset time.Duration, limited bool) (used, fresh bool) {
	lo, hi := sent.Add(reset-w.res), now.Add(reset+w.res)
	remaining := max(rl.Remaining, 0)
	if rl.Limit > 0 {
		remaining = min(remaining, rl.Limit)
	}
	if limited {
		remaining = 0
	}
	switch {
	case w.known && !hi.After(w.lo) && sent.Before(w.infoAt):
		// A late answer from an earlier window says nothing of this one.
		return false, false
	case w.known && lo.Before(w.hi) && hi.After(w.lo):
		// The same window: narrow the reset.
		if nlo, nhi := maxTime(lo, w.lo), minTime(hi, w.hi); nlo.Before(nhi) {
			w.lo, w.hi = nlo, nhi
		}
		if sent.Before(w.infoAt) {
			// Answers overtake each other: the fewest left is the latest.
			remaining = min(remaining, w.remaining)
		}
		// A request sent after the last count arrived is a newer count,
		// even a higher one (a token bucket refills).
	default:
		// A new window (or the server moved its reset back: a request
		// sent after the last count arrived is the server's latest word).
		fresh = true
		w.lo, w.hi = lo, hi
	}
	w.known = true
	w.limit = rl.Limit
	w.remaining = remaining
	w.infoAt = maxTime(w.infoAt, now)
	return true, fresh
}
