package jframework

import "github.com/couponkit/couponkit/internal/api"

// Errors returned by UpdateCoupon, shared by every couponkit package: test
// them with errors.Is. JFramework may report an error inside an HTTP 200
// (success:false); such an error maps by its envelope's statusCode.
var (
	// ErrInvalidRequest: the server rejected the input (400); a
	// *ValidationError found before sending matches it too.
	ErrInvalidRequest = api.ErrInvalidRequest
	// ErrUnauthorized: 401, a bad or missing Auth-Key or Brand-URL.
	ErrUnauthorized = api.ErrUnauthorized
	// ErrForbidden: 403, the key may not manage this brand's coupons.
	ErrForbidden = api.ErrForbidden
	// ErrNotFound: 404 (code CouponNotFound), no coupon with that id.
	ErrNotFound = api.ErrNotFound
	// ErrConflict: 409, the code is already used by another coupon.
	ErrConflict = api.ErrConflict
	// ErrRateLimited: 429 or the code RateLimitExceeded (even inside an
	// HTTP 200) once retries are spent or the wait would outlast ctx.
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
	// no answer came back, or got a 5xx. Every JFramework coupon update is a
	// full PUT, safe to repeat, so UpdateCoupon does not return it.
	ErrOutcomeUnknown = api.ErrOutcomeUnknown
)

// APIError is every error JFramework answered with, once retries are spent:
// errors.As(err, &apiErr) works on anything UpdateCoupon returns after a
// response arrived, and errors.Is with the sentinels above tells its kind.
// Its fields:
//
//   - Vendor is "jframework" and Operation names the call, e.g.
//     "PUT /api/v1/coupons/sApKpllz4sAplsmzha" (credentials redacted).
//   - StatusCode is the HTTP status of the last attempt: 200 when JFramework
//     reported the error inside an HTTP 200 ("success": false); the
//     envelope's statusCode then decides the kind.
//   - Code is the first error item's code, e.g. "CouponNotFound" or
//     "RateLimitExceeded".
//   - Message is the error items' messages (or details), joined with "; ".
//   - FieldErrors is nil: JFramework does not name fields.
//   - RequestID is the first error item's correlationId: quote it to
//     JFramework's support.
//   - RetryAfter is how long JFramework asked to wait (Retry-After and, on a
//     rate limit, X-RateLimit-Reset), 0 when it did not ask.
//   - Attempts is the number of HTTP attempts made, retries included.
//   - Body is the raw response body, at most 64 KiB, credentials redacted.
//
// Error() reads like `jframework: PUT /api/v1/coupons/sApKpllz4sAplsmzha:
// 404 CouponNotFound: The coupon was not found. (request id
// 0HNDK6T8U1AF0:00000002)` and never contains a credential.
type APIError = api.APIError

// ValidationError is what UpdateCoupon returns before sending (nothing was
// sent) when the request breaks a rule JFramework documents (a required
// field, a length, an enum, mutually exclusive fields) or holds a string
// that is not valid UTF-8 (which would reach JFramework rewritten). It lists
// every broken rule at once. It matches ErrInvalidRequest and ErrNotSent
// with errors.Is. Fields:
//
//   - Vendor is "jframework" and Operation names the request that was not
//     sent, as APIError.Operation does, e.g.
//     "PUT /api/v1/coupons/sApKpllz4sAplsmzha"; empty for a nil request.
//   - Fields lists each broken rule as a FieldError, in check order.
//
// Error() reads `jframework: invalid request for PUT
// /api/v1/coupons/sApKpllz4sAplsmzha: code is required`.
type ValidationError = api.ValidationError

// FieldError is one broken rule of a request: Field is its wire name, the
// JSON field name JFramework uses (e.g. "startDate", "endDate", "code",
// "id"), Problem says what is wrong (e.g. "is required", "must be valid
// UTF-8").
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
//     asks for (Retry-After and, on a rate limit, X-RateLimit-Reset, the
//     longer) is never shortened: when it is longer than MaxWait, or would
//     end after the context's deadline, the call returns at once with
//     ErrRateLimited (or ErrServer) and APIError.RetryAfter set to what the
//     server asked, instead of retrying early into a certain second refusal.
//
// What is retried: 429s and the code RateLimitExceeded (even inside an HTTP
// 200), transport errors and 5xx other than 501. A coupon PUT is idempotent,
// so every failure of those kinds is retried.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call
// (UpdateCouponResponse.Meta):
//
//   - StatusCode is the HTTP status of the final attempt.
//   - Header is that response's header, with any echoed credential redacted.
//   - RequestID is the vendor's request id from the response headers;
//     JFramework sends its correlationId only inside error bodies, so it is
//     empty.
//   - Attempts is the number of HTTP attempts made, 1 when no retry
//     happened.
//   - RateLimit is JFramework's window from its X-RateLimit-* headers (see
//     RateLimit); nil when they are absent.
type ResponseMeta = api.ResponseMeta

// RateLimit is JFramework's window, read from its headers into
// ResponseMeta.RateLimit:
//
//   - Limit is the number of requests allowed in the window
//     (X-RateLimit-Limit, e.g. 60).
//   - Remaining is how many are left (X-RateLimit-Remaining).
//   - Window is the window's length (always 0: JFramework does not send it).
//   - ResetIn is the time until the window resets (X-RateLimit-Reset, a Unix
//     time in seconds).
//
// Durations are clamped: a huge or negative header never wraps around or
// goes negative.
type RateLimit = api.RateLimit

// FieldChange is one PUT body field that ModifyCoupon changed: Field is
// the wire name ("percentage", "endDate"), Old and New the wire values as
// compact JSON text (`10`, `"2025-07-23T13:56:00.4346201+07:00"`, `null`),
// "" when the field is absent from that body.
type FieldChange = api.FieldChange

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
