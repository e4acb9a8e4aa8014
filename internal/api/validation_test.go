package api

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidationErrorNamesVendorAndOperation(t *testing.T) {
	fields := []FieldError{{Field: "name", Problem: "is required"}, {Field: "code", Problem: "must be valid UTF-8"}}
	e := &ValidationError{Vendor: "bigcommerce", Operation: "PUT /stores/abc/v2/coupons/7", Fields: fields}
	assert.Equal(t, "bigcommerce: invalid request for PUT /stores/abc/v2/coupons/7: name is required; code must be valid UTF-8", e.Error())
	e = &ValidationError{Vendor: "paddle", Fields: fields[:1]}
	assert.Equal(t, "paddle: invalid request: name is required", e.Error(), "no operation (a nil request)")
	e = &ValidationError{Fields: fields[:1]}
	assert.Equal(t, "couponkit: invalid request: name is required", e.Error(), "the zero Vendor")

	wrapped := fmt.Errorf("outer: %w", e)
	assert.ErrorIs(t, wrapped, ErrInvalidRequest)
	assert.ErrorIs(t, wrapped, ErrNotSent)
	for _, s := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrRateLimited, ErrServer, ErrOutcomeUnknown} {
		assert.False(t, errors.Is(wrapped, s), "%v", s)
	}
}
