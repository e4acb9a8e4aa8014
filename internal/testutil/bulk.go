package testutil

import (
	"iter"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// ModifyAll ranges over a ModifyCoupons sequence, fails t on any item's
// error, and returns each item's Changes (taken by changes from the
// vendor's response), in completion order.
func ModifyAll[K, R any](t testing.TB, seq iter.Seq[api.ModifyResult[K, R]], changes func(*R) []api.FieldChange) [][]api.FieldChange {
	t.Helper()
	var out [][]api.FieldChange
	for r := range seq {
		require.NoError(t, r.Err, "key %v", r.Key)
		out = append(out, changes(r.Response))
	}
	return out
}
