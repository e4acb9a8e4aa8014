package utmcoupon

import "github.com/couponkit/couponkit/internal/api"

// Errors returned by UpdateCoupon, shared by every couponkit package: test
// them with errors.Is.
var (
	// ErrInvalidRequest: the server rejected the input (400, 422), e.g. an
	// RFC 7807 "One or more validation errors occurred." answer; a
	// *ValidationError found before sending matches it too.
	ErrInvalidRequest = api.ErrInvalidRequest
	// ErrUnauthorized: 401, a missing or unknown app key or token.
	ErrUnauthorized = api.ErrUnauthorized
	// ErrForbidden: 403, the app key's role lacks the Promotions & Taxes
	// permission (or the token does not match the key).
	ErrForbidden = api.ErrForbidden
	// ErrNotFound: 404, e.g. a wrong account name or environment behind a
	// WithBaseURL proxy.
	ErrNotFound = api.ErrNotFound
	// ErrConflict: 409.
	ErrConflict = api.ErrConflict
	// ErrRateLimited: 429 once retries are spent or the wait would outlast ctx.
	ErrRateLimited = api.ErrRateLimited
	// ErrServer: 5xx once retries are spent.
	ErrServer = api.ErrServer
)

// Outcome errors say whether the vendor may have acted on a failed call.
// They match besides the kind above (or the context error).
var (
	// ErrNotSent: the request was certainly not acted on: a
	// *ValidationError, a context cancelled or expired before sending, a
	// value net/http refuses to send, or every attempt failed to connect or
	// was refused with a rate limit. Safe to send again.
	ErrNotSent = api.ErrNotSent
	// ErrOutcomeUnknown: a request that is not safe to repeat was sent and
	// no answer came back, or got a 5xx. VTEX's coupon POST is an upsert by
	// couponCode, safe to repeat, so UpdateCoupon does not return it.
	ErrOutcomeUnknown = api.ErrOutcomeUnknown
)

// APIError is every error VTEX answered with, once retries are spent:
// errors.As(err, &apiErr) works on anything UpdateCoupon returns after a
// response arrived, and errors.Is with the sentinels above tells its kind.
// Its fields:
//
//   - Vendor is "utmcoupon" and Operation names the call, e.g.
//     `POST /api/rnb/pvt/coupon couponCode "SUMMER15"` (credentials
//     redacted).
//   - StatusCode is the HTTP status of the last attempt.
//   - Code is empty, except for VTEX's older {"error":{"code":...}} bodies.
//   - Message is an RFC 7807 body's title (and detail) followed by its field
//     messages, or a text/plain body's text.
//   - FieldErrors is an RFC 7807 body's "errors" map, keyed by wire field
//     name (e.g. "couponCode"); nil when absent.
//   - RequestID is an RFC 7807 body's traceId; empty for a text/plain body.
//   - RetryAfter is how long VTEX asked to wait (Retry-After and, on a 429,
//     Ratelimit-Reset), 0 when it did not ask.
//   - Attempts is the number of HTTP attempts made, retries included.
//   - Body is the raw response body, at most 64 KiB, credentials redacted.
//
// Error() reads like `utmcoupon: POST /api/rnb/pvt/coupon couponCode
// "SUMMER15": 400: One or more validation errors occurred. (request id
// 00-4bf9...)` and never contains a credential.
type APIError = api.APIError

// ValidationError is what UpdateCoupon returns before sending (nothing was
// sent) when the request breaks a rule VTEX documents (a required field, a
// length, an enum, mutually exclusive fields) or holds a string that is not
// valid UTF-8 (which would reach VTEX rewritten). It lists every broken rule
// at once. It matches ErrInvalidRequest and ErrNotSent with errors.Is.
// Fields:
//
//   - Vendor is "utmcoupon" and Operation names the request that was not
//     sent, as APIError.Operation does, e.g.
//     `POST /api/rnb/pvt/coupon couponCode "SUMMER15"`; empty for a nil
//     request.
//   - Fields lists each broken rule as a FieldError, in check order.
//
// Error() reads `utmcoupon: invalid request for POST /api/rnb/pvt/coupon
// couponCode "SUMMER15": utmSource is required`.
type ValidationError = api.ValidationError

// FieldError is one broken rule of a request: Field is its wire name, the
// JSON field name VTEX uses (e.g. "couponCode", "utmSource",
// "expirationIntervalPerUse"), Problem says what is wrong (e.g. "is
// required", "must be valid UTF-8").
type FieldError = api.FieldError

// RetryPolicy says how often and how long the client retries; pass it to
// WithRetryPolicy. Every zero field means its default, so
// RetryPolicy{MinWait: 5 * time.Millisecond} keeps 3 retries and a 30s
// MaxWait:
//
//   - MaxRetries is the number of retries after the first attempt: default
//     3; NoRetries (-1) turns retries off (one attempt only); other negative
//     values are refused by NewClient.
//   - MinWait is the first backoff step, default 500ms; each retry without a
//     server instruction waits a random time up to MinWait doubled per
//     attempt (full jitter), capped by MaxWait.
//   - MaxWait is the longest single wait, default 30s. A wait the server
//     asks for (Retry-After and, on a 429, Ratelimit-Reset, the longer) is
//     never shortened: when it is longer than MaxWait, or would end after
//     the context's deadline, the call returns at once with ErrRateLimited
//     (or ErrServer) and APIError.RetryAfter set to what the server asked,
//     instead of retrying early into a certain second refusal.
//
// What is retried: 429s, transport errors and 5xx other than 501. The upsert
// is idempotent, so every failure of those kinds is retried.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call
// (UpdateCouponResponse.Meta):
//
//   - StatusCode is the HTTP status of the final attempt: 201 when the
//     upsert created the coupon, 200 when it replaced one.
//   - Header is that response's header, with any echoed credential redacted.
//   - RequestID is the vendor's request id from the response headers; VTEX
//     sends none, so it is empty.
//   - Attempts is the number of HTTP attempts made, 1 when no retry
//     happened.
//   - RateLimit is VTEX's credits from its Ratelimit-* headers (see
//     RateLimit); nil when they are absent.
type ResponseMeta = api.ResponseMeta

// RateLimit is VTEX's burst credits, read from its headers into
// ResponseMeta.RateLimit:
//
//   - Limit is the number of requests allowed in the window
//     (Ratelimit-Limit, the burst credits).
//   - Remaining is how many are left (Ratelimit-Remaining).
//   - Window is the window's length (always 0: VTEX does not send it).
//   - ResetIn is the time until the window resets (Ratelimit-Reset in
//     seconds: until the credits are full again, not until one is free).
//
// Durations are clamped: a huge or negative header never wraps around or
// goes negative.
type RateLimit = api.RateLimit

// FieldChange is one wire field a ModifyCoupon changed: Field is the wire
// name ("maxUsage", "expirationIntervalPerUse"), Old and New its values in
// the typed POST body as compact JSON text (`"14.00:00:00"`, `500`), ""
// when absent from it (a nil MaxUsage or UtmCampaign is left out).
type FieldChange = api.FieldChange

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
