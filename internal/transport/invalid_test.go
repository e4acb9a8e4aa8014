package transport

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

func TestInvalidNamesVendorAndOperation(t *testing.T) {
	c := newTestClient(t, "https://api.example.com/base", http.DefaultTransport)
	var ch api.Checker
	ch.Required("name", "")
	err := c.Invalid(&Request{Method: http.MethodPut, Path: "/coupons", PathParams: []string{"a b"}}, ch.Err())
	var ve *api.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "PUT /base/coupons/a%20b", ve.Operation)
	assert.EqualError(t, err, ve.Vendor+": invalid request for PUT /base/coupons/a%20b: name is required")
	assert.NotEmpty(t, ve.Vendor)

	err = c.Invalid(&Request{Method: http.MethodPost, Path: "/c", Key: Key{Field: "code", Value: "S\xff"}}, &api.ValidationError{})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `POST /base/c code "S\xff"`, ve.Operation)

	err = c.Invalid(nil, &api.ValidationError{Fields: []api.FieldError{{Field: "request", Problem: "is required"}}})
	assert.EqualError(t, err, ve.Vendor+": invalid request: request is required")

	other := errors.New("not a validation error")
	assert.Same(t, other, c.Invalid(&Request{}, other))
}
