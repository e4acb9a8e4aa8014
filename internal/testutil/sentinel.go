package testutil

import (
	"errors"
	"testing"

	"github.com/couponkit/couponkit/internal/api"
)

// Sentinels are the shared error sentinels every vendor package re-exports.
var Sentinels = []error{api.ErrInvalidRequest, api.ErrUnauthorized, api.ErrForbidden,
	api.ErrNotFound, api.ErrConflict, api.ErrRateLimited, api.ErrServer}

// OnlySentinel asserts that err matches want and no other sentinel; a nil
// want asserts that err matches none.
func OnlySentinel(t testing.TB, err error, want error) {
	t.Helper()
	for _, s := range Sentinels {
		if got := errors.Is(err, s); got != (s == want) {
			t.Errorf("errors.Is(%v, %v) = %v; the error must map to exactly %v", err, s, got, want)
		}
	}
}
