package testutil

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// ParseJSON parses one JSON document with numbers kept as their text
// (json.Number), so that 5.0000 and 5 stay apart; it fails t on anything
// else, trailing data included.
func ParseJSON(t testing.TB, doc string) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader([]byte(doc)))
	d.UseNumber()
	var v any
	require.NoError(t, d.Decode(&v), "not JSON: %s", doc)
	_, err := d.Token()
	require.ErrorIs(t, err, io.EOF, "trailing data after the JSON document: %s", doc)
	return v
}

// SameJSON asserts that got is the JSON document want: the same values
// (strings stay strings, numbers keep their text, null stays null, absent
// stays absent), in any key order and spacing.
func SameJSON(t testing.TB, want, got string) {
	t.Helper()
	require.Equal(t, ParseJSON(t, want), ParseJSON(t, got), "want %s\n got %s", want, got)
}
