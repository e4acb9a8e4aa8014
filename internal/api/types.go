package api

import (
	"net/http"
	"time"
)

// RetryPolicy says how often and how long a client retries.
//
// Retries happen on 429 (and vendor rate-limit codes), on transport errors
// and on 5xx other than 501. A request the vendor does not treat as
// idempotent is retried only when the server certainly did not act on it.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0
	// disables retries. Default 3.
	MaxRetries int
	// MinWait is the first backoff step. Zero means the default, 500ms.
	MinWait time.Duration
	// MaxWait caps any single wait, server-requested waits included. Zero
	// means the default, 30s.
	MaxWait time.Duration
}

// Retry policy defaults.
const (
	DefaultMaxRetries = 3
	DefaultMinWait    = 500 * time.Millisecond
	DefaultMaxWait    = 30 * time.Second
)

// DefaultRetryPolicy is the policy of a client built without WithRetryPolicy.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: DefaultMaxRetries, MinWait: DefaultMinWait, MaxWait: DefaultMaxWait}
}

// ResponseMeta describes the HTTP exchange behind a successful call.
type ResponseMeta struct {
	// StatusCode is the HTTP status of the final attempt.
	StatusCode int
	// Header is the final response's header.
	Header http.Header
	// RequestID is the vendor's request or correlation id, if any.
	RequestID string
	// Attempts is the number of HTTP attempts made; 1 when no retry happened.
	Attempts int
	// RateLimit is nil when the response carried no rate-limit headers.
	RateLimit *RateLimit
}

// RateLimit is the vendor's rate-limit window as its headers reported it.
type RateLimit struct {
	// Limit is the number of requests allowed in the window (the quota).
	Limit int
	// Remaining is how many requests are left in the window.
	Remaining int
	// Window is the length of the window; 0 when the vendor does not say.
	Window time.Duration
	// ResetIn is the time until the window resets.
	ResetIn time.Duration
}

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
