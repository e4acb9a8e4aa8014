// Package testserver is the machinery the vendor test servers
// (bigcommercetest, paddletest, ...) share: request counting, injected
// failures and a fixed-window rate limiter. Each vendor server decides how a
// failure or a rate limit looks on its wire.
package testserver

import (
	"sync"
	"time"
)

// Base counts requests and decides which ones fail. It is safe for
// concurrent use; embed it by value in a vendor server (never copy it after
// first use).
type Base struct {
	mu         sync.Mutex
	requests   int
	failN      int
	failStatus int
	limit      int
	window     time.Duration
	start      time.Time
	used       int
	limited    int
	windows    int
	now        func() time.Time
}

// Admission is what Admit decided for one request.
type Admission struct {
	// FailStatus is non-zero when FailNext asked for this request to fail
	// with that HTTP status.
	FailStatus int
	// Limited is true when the request is over the rate limit.
	Limited bool
	// Limiting is true when a rate limit is configured; the fields below
	// then describe the window after this request.
	Limiting  bool
	Limit     int
	Remaining int
	Window    time.Duration
	ResetIn   time.Duration
}

// SetRateLimit allows limit requests per window; 0 turns limiting off.
func (b *Base) SetRateLimit(limit int, window time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.limit, b.window, b.used = limit, window, 0
	b.start = b.clock()
	b.windows = 0
}

// FailNext makes the next n requests fail with status.
func (b *Base) FailNext(n, status int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failN, b.failStatus = n, status
}

// Requests returns the number of requests received so far.
func (b *Base) Requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.requests
}

// Admit counts a request and decides whether it fails, in this order:
// injected failures first, then the rate limit.
func (b *Base) Admit() Admission {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.requests++
	var a Admission
	if b.failN > 0 {
		b.failN--
		a.FailStatus = b.failStatus
		if a.FailStatus == 429 {
			b.limited++
		}
	}
	if b.limit <= 0 {
		return a
	}
	now := b.clock()
	if elapsed := now.Sub(b.start); elapsed >= b.window || b.windows == 0 {
		if elapsed >= b.window {
			b.start, b.used = now, 0
		}
		b.windows++
	}
	if a.FailStatus == 0 {
		b.used++
	}
	a.Limiting, a.Limit, a.Window = true, b.limit, b.window
	a.Limited = b.used > b.limit
	if a.Limited {
		b.limited++
	}
	a.Remaining = max(0, b.limit-b.used)
	a.ResetIn = b.window - now.Sub(b.start)
	return a
}

func (b *Base) clock() time.Time {
	if b.now != nil {
		return b.now()
	}
	return time.Now()
}

// RateLimited returns how many rate-limit answers were sent: requests over
// the limit, and injected 429s.
func (b *Base) RateLimited() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limited
}

// Windows returns how many rate-limit windows have been opened since
// SetRateLimit: a window opens with the first request after the previous one
// ended, so requests per window can be measured as requests / windows.
func (b *Base) Windows() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.windows
}
