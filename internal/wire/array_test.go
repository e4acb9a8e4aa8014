package wire

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type elem struct {
	ID int `json:"id"`
}

func decodeIDs(data string, max int) ([]int, error) {
	var got []int
	err := DecodeArray([]byte(data), max, "data", func(i int, w *elem) error {
		if w.ID < 0 {
			return errors.New("negative id")
		}
		got = append(got, w.ID)
		return nil
	})
	return got, err
}

func TestDecodeArray(t *testing.T) {
	got, err := decodeIDs(` [ {"id":1}, {"id":2} ,{}] `, -1)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 0}, got, "each element decoded into a zeroed W")

	for _, empty := range []string{``, ` `, `null`, `[]`, ` [ ] `} {
		got, err := decodeIDs(empty, -1)
		assert.NoError(t, err, empty)
		assert.Empty(t, got, empty)
	}
}

// TestDecodeArrayStopsAfterMax: the rest of the array is never read, so a
// page larger than asked costs max elements, and what follows them (even
// garbage or a cut-off body) is not an error.
func TestDecodeArrayStopsAfterMax(t *testing.T) {
	got, err := decodeIDs(`[{"id":1},{"id":2},{"id":3},{"id":`, 2)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, got)
	got, err = decodeIDs(`[{"id":1}]`, 2)
	require.NoError(t, err)
	assert.Equal(t, []int{1}, got)
	got, err = decodeIDs(`[{"id":1}]`, 0)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestDecodeArrayErrorsNameThePath(t *testing.T) {
	for body, want := range map[string]string{
		`{"id":1}`:                 `data: expected a JSON array, got {"id":1}`,
		`"x"`:                      `data: expected a JSON array, got "x"`,
		`[{"id":1},{"id":"x"}]`:    `data[1]: json: cannot unmarshal string into Go struct field elem.id of type int`,
		`[{"id":1},{"id":-1}]`:     `data[1]: negative id`,
		`[{"id":1}`:                `data[1]: unexpected end of JSON input`,
		`[{"id":1},`:               `data[1]: unexpected end of JSON input`,
		`[{"id":1},{"id":`:         `data[1]: unexpected end of JSON input`,
		`[{"id":1}] {"more":true}`: `data[1]: data after the end of the array`,
		`[{"id":1}]]`:              `data[1]: data after the end of the array`,
		`<html>`:                   `data: invalid character '<' looking for beginning of value`,
	} {
		_, err := decodeIDs(body, -1)
		assert.EqualError(t, err, want, body)
	}
	err := DecodeArray([]byte(`{}`), -1, "", func(int, *elem) error { return nil })
	assert.EqualError(t, err, "expected a JSON array, got {}", "no path: the message alone")
}

// FuzzDecodeArray: DecodeArray agrees with encoding/json on every input:
// it accepts exactly the arrays json.Unmarshal accepts, with the same
// elements, and never panics.
func FuzzDecodeArray(f *testing.F) {
	for _, s := range []string{`[]`, `[1,"a",{"b":[2]},null]`, `[1`, `[1]x`, `{}`, `null`, ``, ` [ {"id":1} ] `, `["\u00e9\\"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got []string
		err := DecodeArray(b, -1, "", func(_ int, w *json.RawMessage) error {
			got = append(got, string(*w))
			return nil
		})
		var want []json.RawMessage
		werr := json.Unmarshal(b, &want)
		if IsEmpty(b) && len(want) == 0 {
			return // null, {} and empty input: DecodeArray's callers decide
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: DecodeArray %v, json.Unmarshal %v", b, err, werr)
		}
		if err == nil {
			require.Len(t, got, len(want))
			for i := range want {
				var a, b any
				require.NoError(t, json.Unmarshal(want[i], &a))
				require.NoError(t, json.Unmarshal([]byte(got[i]), &b))
				require.Equal(t, a, b)
			}
		}
	})
}

// walk decodes an envelope {"data":{"items":[...],"total":N}} in one pass
// with Object and Elements, keeping at most max ids.
func walk(body string, max int) (ids []int, total int, err error) {
	dec := json.NewDecoder(strings.NewReader(body))
	err = Object(dec, func(key string) error {
		if !Key(key, "data") {
			return Skip(dec)
		}
		return Object(dec, func(key string) error {
			switch {
			case Key(key, "items"):
				return Elements(dec, max, "data.items", func(_ int, w *elem) error { ids = append(ids, w.ID); return nil })
			case Key(key, "total"):
				return dec.Decode(&total)
			}
			return Skip(dec)
		})
	})
	if err == nil && !End(dec) {
		err = errors.New("data after the end")
	}
	return ids, total, err
}

func TestObjectAndElements(t *testing.T) {
	ids, total, err := walk(`{"status":[1,{"x":2}],"Data":{"TOTAL":3,"items":[{"id":1},{"id":2},{"id":3}],"links":{}}}`, -1)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, ids, "keys matched ignoring case, as encoding/json does")
	assert.Equal(t, 3, total)

	for _, body := range []string{`null`, `{}`, `[]`, `{"data":null}`, `{"data":[]}`, `{"data":{"items":null}}`, `{"data":{"items":{}}}`, `{"data":{"items":[]}}`} {
		ids, _, err := walk(body, -1)
		assert.NoError(t, err, body)
		assert.Empty(t, ids, body)
	}

	// Cut off after max: the rest is never read.
	ids, total, err = walk(`{"data":{"items":[{"id":1},{"id":2},{"id":3},garbage`, 2)
	assert.Equal(t, ErrCutOff, err)
	assert.Equal(t, []int{1, 2}, ids)
	assert.Zero(t, total)

	for body, want := range map[string]string{
		`{"data":{"items":{"id":1}}}`:              "data.items: expected a JSON array, got an object",
		`{"data":{"items":"x"}}`:                   "data.items: expected a JSON array, got x",
		`{"data":{"items":[{"id":1},{"id":"x"}]}}`: "data.items[1]: json: cannot unmarshal string",
		`{"data":{"items":[{"id":1}`:               "data.items[1]: unexpected end of JSON input",
		`{"data":[1]}`:                             "expected a JSON object, got an array",
		`{"data":"x"}`:                             "expected a JSON object, got x",
		`{"data":{}} {}`:                           "data after the end",
		`{"data":{}`:                               "unexpected end of JSON input",
	} {
		_, _, err := walk(body, -1)
		if assert.Error(t, err, body) {
			assert.Contains(t, err.Error(), want, body)
		}
	}
}
