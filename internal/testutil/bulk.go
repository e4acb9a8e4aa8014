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

// ModifyCase is one case of a vendor's faithful-modify test: a change of
// one field, the exact body the rule of API.md section 5 prescribes, and
// the Changes it reports.
type ModifyCase[R any] struct {
	Name    string
	Change  func(*R)
	Body    string
	Changes []api.FieldChange
}

// Modifier is a vendor client answering a canned read, for RunModifyCases.
type Modifier[R any] struct {
	// One runs ModifyCoupon and returns its Changes.
	One func(change func(*R) error) ([]api.FieldChange, error)
	// Bulk runs ModifyCoupons on the one key (ModifyAll) and returns each
	// item's Changes.
	Bulk func(change func(*R) error, dryRun bool) [][]api.FieldChange
	// Sent returns the bodies of the writes sent so far.
	Sent func() []string
}

// RunModifyCases runs each case, on a fresh Modifier, through ModifyCoupon
// and through ModifyCoupons (a dry run, which must send nothing, then for
// real), checking the Changes and that the one body sent each way is the
// case's Body as JSON (SameJSON: numbers kept as text).
func RunModifyCases[R any](t *testing.T, cases []ModifyCase[R], newModifier func(t *testing.T) Modifier[R]) {
	for _, tc := range cases {
		change := func(r *R) error { tc.Change(r); return nil }
		t.Run(tc.Name+"/ModifyCoupon", func(t *testing.T) {
			m := newModifier(t)
			changes, err := m.One(change)
			require.NoError(t, err)
			require.Equal(t, tc.Changes, changes)
			require.Len(t, m.Sent(), 1, "one write")
			SameJSON(t, tc.Body, m.Sent()[0])
		})
		t.Run(tc.Name+"/ModifyCoupons", func(t *testing.T) {
			m := newModifier(t)
			require.Equal(t, [][]api.FieldChange{tc.Changes}, m.Bulk(change, true))
			require.Empty(t, m.Sent(), "a dry run sends no update")
			require.Equal(t, [][]api.FieldChange{tc.Changes}, m.Bulk(change, false))
			require.Len(t, m.Sent(), 1, "one write")
			SameJSON(t, tc.Body, m.Sent()[0])
		})
	}
}
