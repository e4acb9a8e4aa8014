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

// APIError is every error JFramework answered with. Code is the first
// error item's code (e.g. "CouponNotFound"), RequestID its correlationId,
// and Message joins the items' messages (or details). StatusCode stays 200
// when JFramework reported the error inside an HTTP 200.
type APIError = api.APIError

// ValidationError lists every rule a request broke; nothing was sent.
type ValidationError = api.ValidationError

// FieldError is one broken rule, named by its wire field.
type FieldError = api.FieldError

// RetryPolicy says how often and how long the client retries.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call.
type ResponseMeta = api.ResponseMeta

// RateLimit is JFramework's window from the X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (Unix seconds) headers;
// Window is always 0 because JFramework does not send it.
type RateLimit = api.RateLimit

// FieldChange is one PUT body field that ModifyCoupon changed: Field is
// the wire name ("percentage", "endDate"), Old and New the wire values as
// compact JSON text (`10`, `"2025-07-23T13:56:00.4346201+07:00"`, `null`),
// "" when the field is absent from that body.
type FieldChange = api.FieldChange

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
