package api

import (
	"net/http"
	"time"
)

// RetryPolicy says how often and how long a client retries. Every zero
// field means its default, so RetryPolicy{MinWait: 5 * time.Millisecond}
// keeps the default 3 retries and 30s MaxWait; set MaxRetries to NoRetries
// to turn retries off.
//
// Retries happen on 429 (and vendor rate-limit codes), on transport errors
// and on 5xx other than 501. A request the vendor does not treat as
// idempotent is retried only when the server certainly did not act on it
// (a rate limit, or a connection that was never made). Errors that cannot
// change between attempts (a value net/http refuses to send, a bad
// certificate) are never retried.
//
// The wait before a retry is what the server asked for (Retry-After and the
// vendor's rate-limit reset headers, the longest), else exponential backoff
// with full jitter from MinWait, capped by MaxWait. A server-requested wait
// is never shortened: when it is longer than MaxWait, or would end after
// the context's deadline, the call returns at once with ErrRateLimited (or
// ErrServer) and APIError.RetryAfter set, instead of retrying early into a
// certain second refusal. Cancelling the context cuts any wait short.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt. Zero
	// means the default, 3; NoRetries (-1) disables retries. Other negative
	// values are refused.
	MaxRetries int
	// MinWait is the first backoff step. Zero means the default, 500ms.
	MinWait time.Duration
	// MaxWait is the longest single wait: it caps the backoff, and a server
	// asking for longer is not retried (the call returns at once). Zero
	// means the default, 30s.
	MaxWait time.Duration
}

// NoRetries as RetryPolicy.MaxRetries disables retries: one attempt only.
const NoRetries = -1

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
