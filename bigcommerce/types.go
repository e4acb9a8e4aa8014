package bigcommerce

import "github.com/couponkit/couponkit/internal/api"

// Errors returned by UpdateCoupon, shared by every couponkit package: test
// them with errors.Is.
var (
	// ErrInvalidRequest: the server rejected the input (400, 422); a
	// *ValidationError found before sending matches it too.
	ErrInvalidRequest = api.ErrInvalidRequest
	// ErrUnauthorized: 401, a bad or missing X-Auth-Token.
	ErrUnauthorized = api.ErrUnauthorized
	// ErrForbidden: 403, the token lacks the store_v2_marketing scope.
	ErrForbidden = api.ErrForbidden
	// ErrNotFound: 404, no coupon with that id.
	ErrNotFound = api.ErrNotFound
	// ErrConflict: 409, the name or code is already used by another coupon.
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
	// no answer came back, or got a 5xx. Every BigCommerce coupon update is
	// a PUT, safe to repeat, so UpdateCoupon does not return it.
	ErrOutcomeUnknown = api.ErrOutcomeUnknown
)

// APIError is every error BigCommerce answered with, once retries are spent:
// errors.As(err, &apiErr) works on anything UpdateCoupon returns after a
// response arrived, and errors.Is with the sentinels above tells its kind.
// Its fields:
//
//   - Vendor is "bigcommerce" and Operation names the call, e.g.
//     "PUT /stores/abc123/v2/coupons/42" (credentials redacted).
//   - StatusCode is the HTTP status of the last attempt.
//   - Code is empty: BigCommerce's error array has no code.
//   - Message is the "message" of every item of BigCommerce's error array,
//     joined with "; ", with any "details" (such as invalid_reason).
//   - FieldErrors is nil: BigCommerce does not name fields.
//   - RequestID is empty: BigCommerce sends no request id.
//   - RetryAfter is how long BigCommerce asked to wait (the longer of
//     X-Retry-After in seconds and, on a 429, X-Rate-Limit-Time-Reset-Ms;
//     Retry-After too), 0 when it did not ask.
//   - Attempts is the number of HTTP attempts made, retries included.
//   - Body is the raw response body, at most 64 KiB, credentials redacted.
//
// Error() reads like "bigcommerce: PUT /stores/abc123/v2/coupons/42: 404:
// The requested resource was not found." and never contains a credential.
type APIError = api.APIError

// ValidationError is what UpdateCoupon returns before sending (nothing was
// sent) when the request breaks a rule BigCommerce documents (a required
// field, a length, an enum, mutually exclusive fields) or holds a string
// that is not valid UTF-8 (which would reach BigCommerce rewritten). It
// lists every broken rule at once. It matches ErrInvalidRequest and
// ErrNotSent with errors.Is. Fields:
//
//   - Vendor is "bigcommerce" and Operation names the request that was not
//     sent, as APIError.Operation does, e.g.
//     "PUT /stores/abc123/v2/coupons/42"; empty for a nil request.
//   - Fields lists each broken rule as a FieldError, in check order.
//
// Error() reads "bigcommerce: invalid request for PUT
// /stores/abc123/v2/coupons/42: name is required; applies_to is required
// (BigCommerce clears it when a PUT omits it)".
type ValidationError = api.ValidationError

// FieldError is one broken rule of a request: Field is its wire name, the
// JSON field name BigCommerce uses (e.g. "applies_to", "code",
// "restricted_to.states"), Problem says what is wrong (e.g. "is required",
// "must be valid UTF-8").
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
//     asks for (X-Retry-After, and on a 429 X-Rate-Limit-Time-Reset-Ms, the
//     longer) is never shortened: when it is longer than MaxWait, or would
//     end after the context's deadline, the call returns at once with
//     ErrRateLimited (or ErrServer) and APIError.RetryAfter set to what the
//     server asked, instead of retrying early into a certain second refusal.
//
// What is retried: 429s, transport errors and 5xx other than 501. A coupon
// PUT is idempotent, so every failure of those kinds is retried.
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
//     BigCommerce sends none, so it is empty.
//   - Attempts is the number of HTTP attempts made, 1 when no retry
//     happened.
//   - RateLimit is BigCommerce's per-store window from the X-Rate-Limit-*
//     headers (see RateLimit); nil when they are absent.
type ResponseMeta = api.ResponseMeta

// RateLimit is BigCommerce's per-store window (shared by every app of the
// store: 150 requests per 30s on Standard and Plus, 450 on Pro), read from
// its headers into ResponseMeta.RateLimit:
//
//   - Limit is the number of requests allowed in the window
//     (X-Rate-Limit-Requests-Quota).
//   - Remaining is how many are left (X-Rate-Limit-Requests-Left).
//   - Window is the window's length (X-Rate-Limit-Time-Window-Ms).
//   - ResetIn is the time until the window resets
//     (X-Rate-Limit-Time-Reset-Ms).
//
// Durations are clamped: a huge or negative header never wraps around or
// goes negative.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
