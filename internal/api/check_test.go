package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

type jsonLabel struct {
	Text string `json:"text"`
}

func TestCheckerText(t *testing.T) {
	var c Checker
	assert.True(t, c.Text("a", "héllo \uFFFD"))
	assert.False(t, c.Text("b", "SUMMER\xff15"))
	assert.True(t, c.Texts("c", []string{"x", "ü"}))
	assert.False(t, c.Texts("d", []string{"x", "\xc3", "\xfe"}))
	assert.True(t, c.TextMap("e", map[string][]string{"US": {"CA"}}))
	assert.False(t, c.TextMap("f", map[string][]string{"U\xffS": {"CA"}}))
	assert.False(t, c.TextMap("g", map[string][]string{"US": {"C\xffA"}}))
	assert.Equal(t, []FieldError{
		{Field: "b", Problem: "must be valid UTF-8"},
		{Field: "d", Problem: "must be valid UTF-8"},
		{Field: "f", Problem: "keys must be valid UTF-8"},
		{Field: "g", Problem: "must be valid UTF-8"},
	}, c.fields)
}

func TestCheckerJSONText(t *testing.T) {
	valid := []any{nil, "ü\uFFFD", 1, 2.5, true, json.Number("3"), []any{"a", 1.0, nil, map[string]any{"k": []any{"v"}}},
		map[string]any{"\uFFFD": "x"}, []string{"a"}, map[string]string{"k": "v"}, jsonLabel{Text: "\uFFFD"},
		&jsonLabel{Text: "t"}, json.RawMessage(`{"a":"b"}`), map[string]int{"k": 1}, make(chan int)}
	for _, v := range valid {
		var c Checker
		assert.True(t, c.JSONText("metadata", v), "%#v", v)
		assert.NoError(t, c.Err())
	}
	invalid := []any{"\xff", json.Number("1\xff"), []any{"a", []any{"b\xff"}}, map[string]any{"k\xff": 1},
		map[string]any{"k": map[string]any{"n": "\xfe"}}, []string{"\xff"}, map[string]string{"\xff": "v"},
		map[string]string{"k": "\xff"}, jsonLabel{Text: "\xff"}, map[string]jsonLabel{"k": {Text: "\xff"}},
		map[string]int{"\xff": 1}, []any{jsonLabel{Text: "a\xffb"}}}
	for _, v := range invalid {
		var c Checker
		assert.False(t, c.JSONText("metadata", v), "%#v", v)
		assert.Equal(t, []FieldError{{Field: "metadata", Problem: "keys and strings must be valid UTF-8"}}, c.fields, "%#v", v)
	}
}

func TestCheckerPathSegment(t *testing.T) {
	for _, v := range []string{"sApKpllz4sAplsmzha", "a/../b", "x?y#z", "ü", "...", "a b", "%2e"} {
		var c Checker
		assert.True(t, c.PathSegment("id", v), "%q", v)
	}
	for v, problem := range map[string]string{
		"\xff": "must be valid UTF-8", "a\x00": "must not contain control characters", "\n": "must not contain control characters",
		"\x7f": "must not contain control characters", "a\u0085": "must not contain control characters",
		".": `must not be "." or ".."`, "..": `must not be "." or ".."`,
	} {
		var c Checker
		assert.False(t, c.PathSegment("id", v), "%q", v)
		assert.Equal(t, []FieldError{{Field: "id", Problem: problem}}, c.fields, "%q", v)
	}
}

func TestCheckerDate(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 11, 29, 0, 0, 0, 0, time.FixedZone("", 7*3600)),
	} {
		var c Checker
		assert.True(t, c.Date("expires", tm), "%v", tm)
	}
	for _, tm := range []time.Time{
		time.Date(12026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		var c Checker
		assert.False(t, c.Date("expires", tm), "%v", tm)
		assert.Equal(t, []FieldError{{Field: "expires", Problem: "must be a date in the years 0001 to 9999"}}, c.fields)
	}
}
