package main

import (
	"net/http"
	"sync/atomic"
)

// countingTransport counts the HTTP requests a run makes and the
// rate-limit answers (HTTP 429) it gets, for the summary. It sees every
// attempt, retries included, because the SDK sends them all through the
// client's Transport (WithHTTPClient).
type countingTransport struct {
	next    http.RoundTripper
	n       atomic.Int64
	limited atomic.Int64
	onWrite func() // set before the first request (afterWrite)
}

// afterWrite makes f run after every request other than a GET comes back
// (before the SDK sees the answer): the -demo-state save, so that the
// saved store always holds what the journal may record. nil: nothing.
func (t *countingTransport) afterWrite(f func()) { t.onWrite = f }

// newCountingTransport wraps a copy of http.DefaultTransport.
func newCountingTransport() *countingTransport {
	return &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
}

// RoundTrip counts req and its answer.
func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.n.Add(1)
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		t.limited.Add(1)
	}
	if t.onWrite != nil && req.Method != http.MethodGet {
		t.onWrite()
	}
	return resp, err
}

// requests is the number of requests sent so far.
func (t *countingTransport) requests() int64 { return t.n.Load() }

// rateLimited is the number of 429 answers so far.
func (t *countingTransport) rateLimited() int64 { return t.limited.Load() }
