package paddle

import "github.com/couponkit/couponkit/internal/api"

// Errors returned by UpdateCoupon, shared by every couponkit package: test
// them with errors.Is. Paddle reports most failures inside an HTTP 200; the
// sentinel then comes from Paddle's error code.
var (
	// ErrInvalidRequest: Paddle rejected the input (116 missing arguments,
	// 127-134 and 136-167 coupon field problems, any unlisted code, or an
	// HTTP 400/422); a *ValidationError found before sending matches it too.
	ErrInvalidRequest = api.ErrInvalidRequest
	// ErrUnauthorized: 102 bad api key or 111 invalid token (or HTTP 401).
	ErrUnauthorized = api.ErrUnauthorized
	// ErrForbidden: 107, the vendor_id and vendor_auth_code pair has no
	// permission for this resource (or HTTP 403).
	ErrForbidden = api.ErrForbidden
	// ErrNotFound: 135 no coupon with that code or group, or 108 an
	// unknown product id (or HTTP 404).
	ErrNotFound = api.ErrNotFound
	// ErrConflict: HTTP 409. Paddle reports a duplicate coupon code with
	// code 132, which is ErrInvalidRequest.
	ErrConflict = api.ErrConflict
	// ErrRateLimited: 189 "Rate limit reached" (or HTTP 429) once retries
	// are spent or the wait would outlast ctx.
	ErrRateLimited = api.ErrRateLimited
	// ErrServer: 120 internal error (or HTTP 5xx) once retries are spent,
	// or at once for a rename or group move, which is never repeated then.
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
	// ErrOutcomeUnknown: a rename (NewCouponCode) or group move (NewGroup)
	// was sent and no answer came back, or Paddle answered 120 or a 5xx.
	// Paddle may or may not have applied it and it was not retried: look
	// the coupon up before sending it again.
	ErrOutcomeUnknown = api.ErrOutcomeUnknown
)

// APIError is every error Paddle answered with, once retries are spent:
// errors.As(err, &apiErr) works on anything UpdateCoupon returns after a
// response arrived, and errors.Is with the sentinels above tells its kind.
// Its fields:
//
//   - Vendor is "paddle" and Operation names the call, e.g.
//     `POST /api/2.1/product/update_coupon coupon_code "SUMMER15"`
//     (credentials redacted).
//   - StatusCode is the HTTP status of the last attempt: 200 for the
//     failures Paddle reports inside an HTTP 200
//     ({"success":false,"error":{...}}), which is most of them.
//   - Code is Paddle's numeric error code as a string, e.g. "135" (coupon
//     not found) or "189" (rate limit); empty for a failure outside the
//     envelope (a proxy's 502).
//   - Message is Paddle's error message.
//   - FieldErrors is nil: Paddle does not name fields.
//   - RequestID is empty: Paddle sends no request id.
//   - RetryAfter is how long Paddle asked to wait (Retry-After, when an HTTP
//     429 carries it; Paddle's code 189 comes without one), 0 when it did
//     not ask.
//   - Attempts is the number of HTTP attempts made, retries included.
//   - Body is the raw response body, at most 64 KiB, credentials redacted.
//
// Error() reads like `paddle: POST /api/2.1/product/update_coupon
// coupon_code "SUMMER15": 200 135: Unable to find requested coupon` and
// never contains a credential.
type APIError = api.APIError

// ValidationError is what UpdateCoupon returns before sending (nothing was
// sent) when the request breaks a rule Paddle documents (a required field, a
// length, an enum, mutually exclusive fields) or holds a string that is not
// valid UTF-8 (which would reach Paddle rewritten). It lists every broken
// rule at once. It matches ErrInvalidRequest and ErrNotSent with errors.Is.
// Fields:
//
//   - Vendor is "paddle" and Operation names the request that was not sent,
//     as APIError.Operation does, e.g.
//     `POST /api/2.1/product/update_coupon coupon_code "SUMMER15"`; empty
//     for a nil request.
//   - Fields lists each broken rule as a FieldError, in check order.
//
// Error() reads `paddle: invalid request for POST
// /api/2.1/product/update_coupon coupon_code "SUMMER15": currency must be
// one of "USD", "GBP", "EUR"`.
type ValidationError = api.ValidationError

// FieldError is one broken rule of a request: Field is its wire name, the
// form field name Paddle uses (e.g. "coupon_code", "new_group", "expires"),
// Problem says what is wrong (e.g. "is required", "must be valid UTF-8").
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
//     asks for (Retry-After) is never shortened: when it is longer than
//     MaxWait, or would end after the context's deadline, the call returns
//     at once with ErrRateLimited (or ErrServer) and APIError.RetryAfter set
//     to what the server asked, instead of retrying early into a certain
//     second refusal.
//
// What is retried: code 189 and HTTP 429 always (Paddle did not act); code
// 120, 5xx other than 501 and transport errors only for a request without
// NewCouponCode or NewGroup: a rename or group move is retried only after a
// rate limit or a connection that was never made.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call
// (UpdateCouponResponse.Meta):
//
//   - StatusCode is the HTTP status of the final attempt: 200, as Paddle
//     answers every call.
//   - Header is that response's header, with any echoed credential redacted.
//   - RequestID is the vendor's request id from the response headers; Paddle
//     sends none, so it is empty.
//   - Attempts is the number of HTTP attempts made, 1 when no retry
//     happened.
//   - RateLimit is nil: Paddle sends no rate-limit headers (its limit shows
//     as error 189).
type ResponseMeta = api.ResponseMeta

// RateLimit is the shared rate-limit description. Paddle documents no
// rate-limit headers, so ResponseMeta.RateLimit is always nil for Paddle;
// its limit shows as error code 189 (ErrRateLimited). The fields, for the
// other vendors:
//
//   - Limit is the number of requests allowed in the window (the quota).
//   - Remaining is how many are left (requests left).
//   - Window is the window's length (0 when the vendor does not say).
//   - ResetIn is the time until the window resets (time until more requests
//     are allowed).
//
// Durations are clamped: a huge or negative header never wraps around or
// goes negative.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
