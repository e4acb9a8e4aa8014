package partnero

import "github.com/couponkit/couponkit/internal/api"

// Errors returned by UpdateCoupon, shared by every couponkit package: test
// them with errors.Is.
var (
	// ErrInvalidRequest: the server rejected the input (400, 422 with
	// Laravel's per-field errors in APIError.FieldErrors, e.g.
	// "sync.provider"); a *ValidationError found before sending matches it
	// too.
	ErrInvalidRequest = api.ErrInvalidRequest
	// ErrUnauthorized: 401, a bad or missing API key ("Unauthenticated.").
	ErrUnauthorized = api.ErrUnauthorized
	// ErrForbidden: 403, the key may not act on this program.
	ErrForbidden = api.ErrForbidden
	// ErrNotFound: 404, no coupon with that uuid_code.
	ErrNotFound = api.ErrNotFound
	// ErrConflict: 409; Partnero documents none for this endpoint.
	ErrConflict = api.ErrConflict
	// ErrRateLimited: 429 once retries are spent or the wait would outlast ctx.
	ErrRateLimited = api.ErrRateLimited
	// ErrServer: 5xx once retries are spent. A redemption without a
	// TransactionKey, or a Sync, is not retried after a 5xx: the server may
	// have acted on it.
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
	// ErrOutcomeUnknown: a redemption without a TransactionKey, or a Sync,
	// was sent and no answer came back, or Partnero answered 5xx. Partnero
	// may or may not have applied it and it was not retried: look the
	// coupon up before sending it again.
	ErrOutcomeUnknown = api.ErrOutcomeUnknown
)

// APIError is every error Partnero answered with, once retries are spent:
// errors.As(err, &apiErr) works on anything UpdateCoupon returns after a
// response arrived, and errors.Is with the sentinels above tells its kind.
// Its fields:
//
//   - Vendor is "partnero" and Operation names the call, e.g.
//     `PUT /v1/coupons uuid_code "coupon_123"` (credentials redacted).
//   - StatusCode is the HTTP status of the last attempt.
//   - Code is empty: Laravel error bodies carry no code.
//   - Message is Laravel's "message" (e.g. "The given data was invalid."),
//     or the field messages joined when there is none.
//   - FieldErrors is Laravel's "errors" object, keyed by wire field name
//     (e.g. "uuid_code", "sync.provider"); nil when absent.
//   - RequestID is empty: Partnero sends no request id.
//   - RetryAfter is how long Partnero asked to wait (Retry-After and, on a
//     429, X-RateLimit-Reset), 0 when it did not ask.
//   - Attempts is the number of HTTP attempts made, retries included.
//   - Body is the raw response body, at most 64 KiB, credentials redacted.
//
// Error() reads like `partnero: PUT /v1/coupons uuid_code "coupon_123": 404:
// Coupon not found.` and never contains a credential.
type APIError = api.APIError

// ValidationError is what UpdateCoupon returns before sending (nothing was
// sent) when the request breaks a rule Partnero documents (a required field,
// a length, an enum, mutually exclusive fields) or holds a string that is
// not valid UTF-8 (which would reach Partnero rewritten). It lists every
// broken rule at once. It matches ErrInvalidRequest and ErrNotSent with
// errors.Is. Fields:
//
//   - Vendor is "partnero" and Operation names the request that was not
//     sent, as APIError.Operation does, e.g.
//     `PUT /v1/coupons uuid_code "coupon_123"`; empty for a nil request.
//   - Fields lists each broken rule as a FieldError, in check order.
//
// Error() reads `partnero: invalid request for PUT /v1/coupons uuid_code
// "coupon_123": name must not be blank when set`.
type ValidationError = api.ValidationError

// FieldError is one broken rule of a request: Field is its wire name, the
// JSON field name Partnero uses (e.g. "uuid_code", "transaction_key",
// "sync.provider", "metadata"), Problem says what is wrong (e.g. "is
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
//     asks for (Retry-After and, on a 429, X-RateLimit-Reset, the longer) is
//     never shortened: when it is longer than MaxWait, or would end after
//     the context's deadline, the call returns at once with ErrRateLimited
//     (or ErrServer) and APIError.RetryAfter set to what the server asked,
//     instead of retrying early into a certain second refusal.
//
// What is retried: 429s always; 5xx other than 501 and transport errors only
// for a request Partnero may safely see twice: a redemption without a
// TransactionKey, or a Sync, is retried only after a rate limit or a
// connection that was never made.
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
//     Partnero sends none, so it is empty.
//   - Attempts is the number of HTTP attempts made, 1 when no retry
//     happened.
//   - RateLimit is read from Laravel's X-RateLimit-* headers when Partnero
//     sends them (see RateLimit); nil otherwise.
type ResponseMeta = api.ResponseMeta

// RateLimit is read from the X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset headers of Laravel's throttle middleware when Partnero
// sends them (undocumented; ResponseMeta.RateLimit is nil when absent):
//
//   - Limit is the number of requests allowed in the window
//     (X-RateLimit-Limit).
//   - Remaining is how many are left (X-RateLimit-Remaining).
//   - Window is the window's length (always 0: Partnero does not send it).
//   - ResetIn is the time until the window resets (X-RateLimit-Reset, a Unix
//     time).
//
// Durations are clamped: a huge or negative header never wraps around or
// goes negative.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
