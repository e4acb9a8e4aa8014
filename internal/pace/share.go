package pace

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

func newShare() share { return share{factor: 1} }

// observe takes in an answer of ours that stated the window: fresh says it
// opened a new window; limit and remaining are the window's counts, and
// inFlight our requests still unanswered (the server may have counted
// them). Only use beyond our own requests is another client's.
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
// windows.
func (s *share) left(remaining, inFlight int) float64 {
	return float64(remaining)/s.factor - float64(inFlight)
}
