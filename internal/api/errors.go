package api

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The sentinels below are shared by every vendor package; each vendor
// package re-exports them under the same names.
var (
	ErrInvalidRequest = errors.New("couponkit: invalid request")
	ErrUnauthorized   = errors.New("couponkit: unauthorized")
	ErrForbidden      = errors.New("couponkit: forbidden")
	ErrNotFound       = errors.New("couponkit: not found")
	ErrConflict       = errors.New("couponkit: conflict")
	ErrRateLimited    = errors.New("couponkit: rate limited")
	ErrServer         = errors.New("couponkit: server error")
)

// Outcome sentinels: whether the vendor may have acted on a failed request.
// They are matched in addition to (never instead of) the sentinel of an
// error's kind or its context error.
var (
	// ErrNotSent: the request was certainly not acted on. It was rejected
	// by validation, cancelled or timed out before it was sent, refused
	// locally (a value net/http cannot send), or every attempt failed to
	// connect or was refused with a rate limit. Safe to send again.
	ErrNotSent = errors.New("couponkit: request not sent")
	// ErrOutcomeUnknown: a request that is not safe to repeat was sent and
	// no answer came back (the connection broke after it was written, or
	// the call timed out), or the server answered 5xx. The vendor may or
	// may not have applied it; it was never retried. Read the coupon before
	// sending it again.
	ErrOutcomeUnknown = errors.New("couponkit: outcome unknown")
)

// MaxErrorBody is the most of a response body kept in APIError.Body.
const MaxErrorBody = 64 << 10

// APIError is every error a vendor's server answered with, after retries
// were spent. Use errors.Is with the sentinels to branch on its kind and
// errors.As to read its fields.
type APIError struct {
	// Vendor names the package that made the call, e.g. "bigcommerce".
	Vendor string
	// Operation names the request: its method and path, and for a vendor
	// that selects the coupon in the body (Paddle, Partnero, utmcoupon) the
	// wire field and value, e.g. `PUT /stores/abc/v2/coupons/7` or
	// `POST /api/2.0/product/update_coupon coupon_code "SUMMER15"`.
	// Credentials are redacted.
	Operation string
	// StatusCode is the HTTP status. A vendor that reports errors inside an
	// HTTP 200 (Paddle, JFramework) keeps 200 here.
	StatusCode int
	// Code is the vendor's own error code, e.g. Paddle "135" or
	// JFramework "RateLimitExceeded"; empty when the vendor gives none.
	Code string
	// Message is the vendor's human-readable message(s), joined with "; ".
	Message string
	// FieldErrors holds per-field messages keyed by wire field name, where
	// the vendor gives them (Laravel and RFC 7807 style bodies).
	FieldErrors map[string][]string
	// RequestID is the vendor's request or correlation id, if any: quote it
	// to the vendor's support.
	RequestID string
	// RetryAfter is what the server asked us to wait before trying again, if
	// it did (Retry-After and the vendor's rate-limit reset headers).
	RetryAfter time.Duration
	// Attempts is the number of HTTP attempts made, retries included.
	Attempts int
	// Body is the raw response body, at most 64 KiB, with credentials
	// redacted.
	Body []byte

	kind    error // the one status sentinel e matches, or nil
	outcome error // ErrOutcomeUnknown or ErrNotSent where it applies, or nil
}

// NotRetriedUnsafe ends the text of an error whose request is not safe to
// repeat and may have been applied.
const NotRetriedUnsafe = "not retried: the request is not safe to repeat and the vendor may have applied it"

// Error returns "<vendor>: <operation>: <status>[ <code>]: <message>",
// followed by the request id and attempt count when known, e.g.
// `bigcommerce: PUT /stores/abc/v2/coupons/7: 404: The requested resource
// was not found.`. It never contains credentials.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.Vendor != "" {
		b.WriteString(e.Vendor)
		b.WriteString(": ")
	}
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	b.WriteString(": ")
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString("(no message)")
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		b.WriteString(" after ")
		b.WriteString(strconv.Itoa(e.Attempts))
		b.WriteString(" attempts")
	}
	if e.outcome == ErrOutcomeUnknown {
		b.WriteString(" (" + NotRetriedUnsafe + ")")
	}
	return b.String()
}

// Is reports whether target is the one status sentinel this error maps to
// (ErrNotFound, ErrServer, ...), or its outcome: ErrOutcomeUnknown for a
// request that is not safe to repeat and got a 5xx, ErrNotSent when every
// answer was a rate limit.
func (e *APIError) Is(target error) bool {
	return target != nil && (e.kind == target || e.outcome == target)
}

// Kind returns the sentinel e maps to, or nil. It is an internal helper: the
// vendor packages expose only Is.
func Kind(e *APIError) error { return e.kind }

// SetKind makes e match exactly the sentinel kind (nil for none).
func SetKind(e *APIError, kind error) { e.kind = kind }

// SetOutcome makes e match outcome (ErrOutcomeUnknown or ErrNotSent) besides
// its kind; nil for none.
func SetOutcome(e *APIError, outcome error) { e.outcome = outcome }

// KindForStatus is the sentinel an HTTP status maps to when the vendor's
// body says nothing more specific.
func KindForStatus(status int) error {
	switch {
	case status == 400 || status == 422:
		return ErrInvalidRequest
	case status == 401:
		return ErrUnauthorized
	case status == 403:
		return ErrForbidden
	case status == 404:
		return ErrNotFound
	case status == 409:
		return ErrConflict
	case status == 429:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}
	return nil
}
