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

// APIError is every error BigCommerce answered with; its Message joins the
// messages of BigCommerce's error array.
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

// RateLimit is BigCommerce's per-store window from the X-Rate-Limit-* headers.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
