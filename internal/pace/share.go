package pace

import (
	"math"
	"time"
)

// share estimates how the vendor's window is shared with clients this
// pacer cannot see (other processes, other apps of the same store): the
// number of the window's requests that go by per request of ours. It is 1
// when this client is alone, about 2 beside one other client as busy.
// Bulk calls spread only their share of what is left, so that several
// clients on one quota pace each other through the vendor's own counter.
type share struct {
	factor float64
	ours   int // our answers counted in the current window
}

// shareExponent: 1 would keep every client's share as it started (a
// client first into a window keeps its lead); the simulator
// (BenchmarkSimulatedPacing) measured 0.6 best for 4 to 16 clients:
// smallest client at 0.85 of the mean or more, at most 0.1% refused.
const shareExponent = 0.6

func newShare() share { return share{factor: 1} }

// observe takes in an answer of ours that stated the window: fresh says it
// opened a new window; limit and remaining are the window's counts, and
// inFlight our requests still unanswered (the server may have counted
// them: half are taken as counted, neither favouring a client with many in
// flight nor one with few). Only use beyond our own requests is another
// client's.
func (s *share) observe(fresh bool, limit, remaining, inFlight int) {
	if fresh {
		s.ours = 0
	}
	s.ours++
	used, ours := float64(limit-remaining), float64(s.ours)+float64(inFlight)/2
	if limit > 0 && used > ours {
		s.factor = used / ours
	} else {
		s.factor = 1
	}
}

// left is how many of the remaining requests are this client's, less its
// requests in flight; a fraction means ours only in a share of the
// windows. remaining was counted at infoAt; by now the others have used
// their part of it at the pace that ends it at the reset lo, so the count
// is projected to now: a client whose latest answer is old does not send
// into a window the others have spent meanwhile. The share is taken to the
// power shareExponent: a client that got less of the window asks for more
// than its past share, one that got more for less, so that shares even out
// instead of staying as they started.
func (s *share) left(remaining, inFlight int, infoAt, now, lo time.Time) float64 {
	rem := float64(remaining)
	if s.factor > 1 && lo.After(infoAt) {
		elapsed := min(1, now.Sub(infoAt).Seconds()/lo.Sub(infoAt).Seconds())
		rem -= rem * (1 - 1/s.factor) * max(0, elapsed)
	}
	return rem/math.Pow(s.factor, shareExponent) - float64(inFlight)
}
