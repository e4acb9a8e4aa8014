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

// APIError is every error VTEX answered with. For an RFC 7807 body its
// Message is the title (and detail), FieldErrors holds the "errors" map and
// RequestID the traceId; for a text/plain body Message is the text.
type APIError = api.APIError

// ValidationError lists every rule a request broke; nothing was sent.
type ValidationError = api.ValidationError

// FieldError is one broken rule, named by its wire field (e.g. "couponCode").
type FieldError = api.FieldError

// RetryPolicy says how often and how long the client retries.
type RetryPolicy = api.RetryPolicy

// NoRetries as RetryPolicy.MaxRetries turns retries off (one attempt only);
// a zero MaxRetries means the default, 3.
const NoRetries = api.NoRetries

// ResponseMeta describes the HTTP exchange behind a successful call.
type ResponseMeta = api.ResponseMeta

// RateLimit is VTEX's window from the Ratelimit-Limit, Ratelimit-Remaining
// and Ratelimit-Reset (seconds) headers. Window is always 0: VTEX does not
// send it.
type RateLimit = api.RateLimit

// FieldChange is one wire field a ModifyCoupon changed: Field is the wire
// name ("maxUsage", "expirationIntervalPerUse"), Old and New its values in
// the POST body as compact JSON text (`"14.00:00:00"`, `null`, `500`).
type FieldChange = api.FieldChange

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }
