package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAPIErrorError(t *testing.T) {
	e := &APIError{Vendor: "paddle", StatusCode: 200, Code: "135", Message: "Unable to find requested coupon"}
	assert.Equal(t, "paddle: 200 135: Unable to find requested coupon", e.Error())
	e = &APIError{Vendor: "jframework", StatusCode: 429, RequestID: "c-1", Attempts: 4}
	assert.Equal(t, "jframework: 429: (no message) (request id c-1) after 4 attempts", e.Error())
}

func TestAPIErrorIsExactlyOneSentinel(t *testing.T) {
	all := []error{ErrInvalidRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer}
	for _, kind := range all {
		e := &APIError{}
		SetKind(e, kind)
		wrapped := fmt.Errorf("outer: %w", e)
		for _, s := range all {
			assert.Equal(t, s == kind, errors.Is(wrapped, s), "%v vs %v", kind, s)
		}
	}
	assert.False(t, errors.Is(&APIError{}, ErrServer), "no kind: no sentinel")
}

func TestKindForStatus(t *testing.T) {
	want := map[int]error{400: ErrInvalidRequest, 422: ErrInvalidRequest, 401: ErrUnauthorized, 403: ErrForbidden,
		404: ErrNotFound, 409: ErrConflict, 429: ErrRateLimited, 500: ErrServer, 503: ErrServer, 501: ErrServer,
		405: nil, 200: nil, 307: nil}
	for status, kind := range want {
		assert.Equal(t, kind, KindForStatus(status), status)
	}
}

func TestChecker(t *testing.T) {
	var c Checker
	assert.NoError(t, c.Err())
	c.Required("a", "")
	c.Length("b", "héllo", 1, 4)
	c.Length("c", "", 1, 0)
	c.OneOf("d", "x", "USD", "EUR")
	c.NonNegative("e", Ptr(-1))
	c.NonNegative("f", nil)
	err := c.Err()
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.Equal(t, `couponkit: invalid request: a is required; b must be at most 4 characters; c must be at least 1 characters; d must be one of "USD", "EUR"; e must not be negative`, err.Error())
}
