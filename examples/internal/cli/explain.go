package cli

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// Hints are the vendor's words for what went wrong, one for each sentinel
// an UpdateCoupon error can match. Explain puts the first that matches in
// front of the error.
type Hints struct {
	// Unauthorized is the hint for ErrUnauthorized.
	Unauthorized string
	// Forbidden is the hint for ErrForbidden.
	Forbidden string
	// NotFound is the hint for ErrNotFound.
	NotFound string
	// Conflict is the hint for ErrConflict.
	Conflict string
	// Server is the hint for ErrServer.
	Server string
	// InvalidRequest is the hint for ErrInvalidRequest.
	InvalidRequest string
	// Detail formats what an *api.APIError adds to the hint, starting with
	// " (HTTP". Nil means StatusDetail.
	Detail func(*api.APIError) string
}

// RateLimited is the hint for ErrRateLimited, the same for every vendor.
const RateLimited = "rate limited, and the retries are spent: try again later"

// Explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As. A
// *api.ValidationError lists its fields; otherwise the message is the hint
// for the first matching sentinel (or the --timeout when the deadline
// passed), the APIError's details, and err itself.
func Explain(err error, timeout time.Duration, h Hints) error {
	var ve *api.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		b.WriteString("invalid request")
		if ve.Operation != "" {
			b.WriteString(" for " + ve.Operation)
		}
		b.WriteString(", nothing was sent:")
		for _, f := range ve.Fields {
			fmt.Fprintf(&b, "\n  %s %s", f.Field, f.Problem)
		}
		return &explained{b.String(), err}
	}
	var hint string
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		hint = fmt.Sprintf("no answer within --timeout %v", timeout)
	case errors.Is(err, api.ErrUnauthorized):
		hint = h.Unauthorized
	case errors.Is(err, api.ErrForbidden):
		hint = h.Forbidden
	case errors.Is(err, api.ErrNotFound):
		hint = h.NotFound
	case errors.Is(err, api.ErrConflict):
		hint = h.Conflict
	case errors.Is(err, api.ErrRateLimited):
		hint = RateLimited
	case errors.Is(err, api.ErrServer):
		hint = h.Server
	case errors.Is(err, api.ErrInvalidRequest):
		hint = h.InvalidRequest
	default:
		hint = "the update failed"
	}
	var apiErr *api.APIError
	if errors.As(err, &apiErr) {
		detail := h.Detail
		if detail == nil {
			detail = StatusDetail
		}
		hint += detail(apiErr)
	}
	return &explained{hint + ":\n  " + err.Error(), err}
}

// StatusDetail is the default Hints.Detail: " (HTTP <status>, <n>
// attempt(s))", then one line for each field error, in field order.
func StatusDetail(e *api.APIError) string {
	return fmt.Sprintf(" (HTTP %d, %d attempt(s))", e.StatusCode, e.Attempts) + FieldErrors(e)
}

// FieldErrors writes the per-field messages of e as lines
// "\n  <field>: <messages>", sorted by field; "" when there are none.
func FieldErrors(e *api.APIError) string {
	fields := make([]string, 0, len(e.FieldErrors))
	for f := range e.FieldErrors {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	for _, f := range fields {
		b.WriteString("\n  " + f + ": " + strings.Join(e.FieldErrors[f], " "))
	}
	return b.String()
}

// explained is an error with a friendlier message that still unwraps to the
// error UpdateCoupon returned.
type explained struct {
	msg string
	err error
}

// Error returns the friendly message.
func (e *explained) Error() string { return e.msg }

// Unwrap returns the original error.
func (e *explained) Unwrap() error { return e.err }
