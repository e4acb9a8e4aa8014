package testutil

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

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

// Rule is the rule of API.md section 5 ("What ModifyCoupon sends") for
// one vendor, applied to parsed documents by PrescribedBody: an oracle
// for tests, written apart from internal/modify.
type Rule struct {
	// ReadOnly fields are left out.
	ReadOnly []string
	// Keep, when not nil, lists the only fields sent as read (a partial
	// write); nil sends every field read (a full replace).
	Keep []string
	// NoNull leaves out every null, at any depth.
	NoNull bool
}

// PrescribedBody returns the body a modify must send for read (a parsed
// JSON object) when the change set the fields of changed to those values
// (a nil value: the field left out).
func PrescribedBody(rule Rule, read map[string]any, changed map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range read {
		if contains(rule.ReadOnly, k) || (rule.Keep != nil && !contains(rule.Keep, k)) {
			continue
		}
		out[k] = v
	}
	for k, v := range changed {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	if rule.NoNull {
		return dropNulls(out).(map[string]any)
	}
	return out
}

func contains(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			if e != nil {
				out[k] = dropNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		for _, e := range v {
			if e != nil {
				out = append(out, dropNulls(e))
			}
		}
		return out
	}
	return v
}

// WithExtra returns obj, a JSON object's text, with one more member key:
// val appended, for fuzzing reads that carry fields the SDK does not
// model. It reports false, and returns obj, when val is not one valid JSON
// value or key is not valid UTF-8 or equals (ignoring case, as
// encoding/json matches names) a key obj already has or one of reserved
// (the names the vendor's decoder reads).
func WithExtra(obj, key string, val []byte, reserved ...string) (string, bool) {
	if !utf8.ValidString(key) || !json.Valid(val) {
		return obj, false
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(obj), &fields) != nil {
		return obj, false
	}
	for k := range fields {
		reserved = append(reserved, k)
	}
	for _, k := range reserved {
		if strings.EqualFold(k, key) {
			return obj, false
		}
	}
	k, _ := json.Marshal(key)
	i := strings.LastIndexByte(obj, '}')
	sep := ","
	if len(fields) == 0 {
		sep = ""
	}
	return obj[:i] + sep + string(k) + ":" + string(val) + obj[i:], true
}
