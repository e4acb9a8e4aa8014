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

// APIError is every error Partnero answered with: Message is Laravel's
// "message" and FieldErrors its "errors" object, keyed by wire field name.
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

// RateLimit is read from the X-RateLimit-Limit / X-RateLimit-Remaining /
// X-RateLimit-Reset headers of Laravel's throttle middleware when Partnero
// sends them (undocumented; nil when absent). Window is always 0.
type RateLimit = api.RateLimit

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
