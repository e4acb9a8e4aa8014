// Package wire holds JSON codecs that more than one vendor needs: lenient
// decoders for the shapes PHP back ends send (an empty object written as
// [], numbers written as strings).
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// IsEmpty reports whether a JSON value means "nothing": absent, null, [] or
// {} (PHP encodes an empty associative array as []).
func IsEmpty(data []byte) bool {
	s := bytes.TrimSpace(data)
	if len(s) == 0 || string(s) == "null" {
		return true
	}
	if len(s) >= 2 && (s[0] == '[' && s[len(s)-1] == ']' || s[0] == '{' && s[len(s)-1] == '}') {
		return len(bytes.TrimSpace(s[1:len(s)-1])) == 0
	}
	return false
}

// UnmarshalObject decodes a JSON object into v, treating null, [] and {} as
// empty: it reports false and leaves v alone. Any other non-object (a
// non-empty array, a string) is an error.
func UnmarshalObject(data []byte, v any) (bool, error) {
	if IsEmpty(data) {
		return false, nil
	}
	if s := bytes.TrimSpace(data); s[0] != '{' {
		return false, fmt.Errorf("expected a JSON object, got %.20s", s)
	}
	return true, json.Unmarshal(data, v)
}

// String is a string that also accepts a JSON number (kept as written) and
// null (empty): BigCommerce writes decimals as strings, other APIs do not.
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case string(data) == "null":
		*s = ""
	case len(data) > 0 && data[0] == '"':
		if v, ok := plainString(data); ok {
			*s = String(v)
			return nil
		}
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = String(v)
	default:
		var n json.Number
		if err := json.Unmarshal(data, &n); err != nil {
			return fmt.Errorf("expected a string or number, got %.20s", data)
		}
		*s = String(n)
	}
	return nil
}

// plainString returns the value of the JSON string literal data when it
// needs no unquoting: a quote at each end, and between them valid UTF-8
// without quotes, backslashes or control characters, which
// json.Unmarshal copies unchanged. Else it reports false.
func plainString(data []byte) (string, bool) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return "", false
	}
	in := data[1 : len(data)-1]
	for _, c := range in {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

// Float is a float64 that also accepts a numeric string ("25.00", as
// Laravel's decimal casts send) and null (zero).
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*f = 0
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("expected a number, got %q", s)
		}
		*f = Float(v)
		return nil
	}
	var v float64
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("expected a number, got %.20s", data)
	}
	*f = Float(v)
	return nil
}
