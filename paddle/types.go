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

// APIError is every error Paddle answered with. For Paddle's HTTP 200
// failures StatusCode is 200, Code is Paddle's numeric code as a string
// ("135") and Message its message.
type APIError = api.APIError

// ValidationError lists every rule a request broke; nothing was sent.
type ValidationError = api.ValidationError

// FieldError is one broken rule, named by its form field (e.g. "coupon_code").
type FieldError = api.FieldError

// RetryPolicy says how often and how long the client retries.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call.
type ResponseMeta = api.ResponseMeta

// RateLimit is the shared rate-limit description. Paddle documents no
// rate-limit headers, so ResponseMeta.RateLimit is nil for Paddle.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
