// Package pace is the one pacer behind every couponkit Client: it follows
// the vendor's own rate-limit counters so that bulk calls run at the full
// allowed pace without a rate-limit answer, and holds single calls only
// when it knows the quota is spent. It names no vendor: a vendor gives the
// resolution of its reset header.
//
// It is four small parts, each in its own file with its own tests:
//
//   - window.go, the window tracker: the vendor's window as its headers
//     state it (quota left, when it resets, within the header's resolution),
//     with hostile values bounded;
//   - share.go, the share estimator: how many of the window's requests
//     go to other clients on the same quota;
//   - backoff.go, the back-off for answers without headers: it learns
//     the vendor's window from where refusals stop, sends each window's
//     requests on a schedule common to all clients, so that the quota is
//     shared fairly where it runs out, and holds until the window's end
//     after a refusal;
//   - gate.go, the gate every request passes, single or bulk: it asks
//     the parts above for the request's turn and waits for it.
//
// Time comes from a Clock, so that tests and the simulator (sim_test.go)
// run the real pacer in virtual time.
package pace

import "time"

// Clock is the pacer's source of time: the real clock in a Client, a
// virtual one in tests.
type Clock interface {
	// Now is the current time.
	Now() time.Time
	// Timer returns a channel that receives once d has passed, and a
	// function that stops the timer.
	Timer(d time.Duration) (<-chan time.Time, func() bool)
}

// realClock is the wall clock.
type realClock struct{}

// Now is time.Now.
func (realClock) Now() time.Time { return time.Now() }

// Timer is a time.Timer.
func (realClock) Timer(d time.Duration) (<-chan time.Time, func() bool) {
	t := time.NewTimer(d)
	return t.C, t.Stop
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func perSecond(rate float64) time.Duration { return time.Duration(float64(time.Second) / rate) }
