package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Checker collects every broken rule of a request so that one
// ValidationError can list them all. The zero value is ready to use.
type Checker struct {
	fields []FieldError
}

// Fail records that field has problem.
func (c *Checker) Fail(field, problem string) {
	c.fields = append(c.fields, FieldError{Field: field, Problem: problem})
}

// Check records problem for field unless ok.
func (c *Checker) Check(ok bool, field, problem string) {
	if !ok {
		c.Fail(field, problem)
	}
}

// Required records "is required" when v is empty.
func (c *Checker) Required(field, v string) bool {
	if v == "" {
		c.Fail(field, "is required")
		return false
	}
	return true
}

// Length checks that v has between min and max characters (runes). A max of
// 0 means no upper bound.
func (c *Checker) Length(field, v string, min, max int) {
	n := utf8.RuneCountInString(v)
	switch {
	case n < min:
		c.Fail(field, "must be at least "+strconv.Itoa(min)+" characters")
	case max > 0 && n > max:
		c.Fail(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
}

// NonNegative records "must not be negative" when p is set and below zero.
func (c *Checker) NonNegative(field string, p *int) {
	if p != nil && *p < 0 {
		c.Fail(field, "must not be negative")
	}
}

// OneOf checks that v is one of allowed.
func (c *Checker) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	msg := "must be one of "
	for i, a := range allowed {
		if i > 0 {
			msg += ", "
		}
		msg += strconv.Quote(a)
	}
	c.Fail(field, msg)
}

// Every string a request sends passes through one of the methods below
// (Text, Texts, TextMap, JSONText, PathSegment) before any other rule is
// applied to it. Invalid UTF-8 would otherwise be sent as U+FFFD
// (encoding/json) or as bytes the server reads as U+FFFD: another code,
// another coupon, stored or addressed without any error.

// problemUTF8 is the problem of a string that is not valid UTF-8.
const problemUTF8 = "must be valid UTF-8"

// Text checks that v is valid UTF-8 and reports whether it is, so that the
// caller applies its other rules only to a valid string.
func (c *Checker) Text(field, v string) bool {
	if !utf8.ValidString(v) {
		c.Fail(field, problemUTF8)
		return false
	}
	return true
}

// Texts checks that every string in vs is valid UTF-8, recording at most one
// problem for field.
func (c *Checker) Texts(field string, vs []string) bool {
	for _, v := range vs {
		if !utf8.ValidString(v) {
			c.Fail(field, problemUTF8)
			return false
		}
	}
	return true
}

// TextMap checks that every key and every value of m is valid UTF-8,
// recording at most one problem for field.
func (c *Checker) TextMap(field string, m map[string][]string) bool {
	for k, vs := range m {
		if !utf8.ValidString(k) {
			c.Fail(field, "keys "+problemUTF8)
			return false
		}
		if !c.Texts(field, vs) {
			return false
		}
	}
	return true
}

// JSONText checks that every string inside v, a value encoding/json will
// encode (map keys included), is valid UTF-8, recording at most one problem
// for field. The usual shapes (string, []any, map[string]any, []string,
// map[string]string and scalars) are walked directly; any other value is
// encoded once and its JSON searched for the \ufffd escape, which
// encoding/json writes only in place of invalid UTF-8 (a valid U+FFFD is
// written as itself). A value that does not encode at all is left for the
// encoding to report.
func (c *Checker) JSONText(field string, v any) bool {
	if !jsonText(v) {
		c.Fail(field, "keys and strings "+problemUTF8)
		return false
	}
	return true
}

func jsonText(v any) bool {
	switch v := v.(type) {
	case nil, bool, float64, float32, int, int64, int32, int16, int8, uint, uint64, uint32, uint16, uint8:
		return true
	case string:
		return utf8.ValidString(v)
	case json.Number:
		return utf8.ValidString(string(v))
	case []string:
		for _, s := range v {
			if !utf8.ValidString(s) {
				return false
			}
		}
		return true
	case map[string]string:
		for k, s := range v {
			if !utf8.ValidString(k) || !utf8.ValidString(s) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range v {
			if !jsonText(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for k, e := range v {
			if !utf8.ValidString(k) || !jsonText(e) {
				return false
			}
		}
		return true
	}
	b, err := json.Marshal(v)
	return err != nil || !bytes.Contains(b, []byte(`\ufffd`))
}

// PathSegment checks a string sent as a path segment: valid UTF-8, free of
// control characters (C0, DEL and C1), and not "." or ".." (which a server
// or proxy may resolve even when escaped). It reports whether v passed.
func (c *Checker) PathSegment(field, v string) bool {
	switch {
	case !c.Text(field, v):
		return false
	case hasControl(v):
		c.Fail(field, "must not contain control characters")
		return false
	case v == "." || v == "..":
		c.Fail(field, `must not be "." or ".."`)
		return false
	}
	return true
}

// hasControl reports whether s holds a control character.
func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// Date checks that t falls in the years 0001 to 9999 as it will be sent:
// the four-digit years of RFC 3339, RFC 2822 and YYYY-MM-DD, so that no
// vendor receives a malformed date. Pass t in the location it is formatted
// in (t.UTC() for a vendor that receives UTC dates). It reports whether t
// passed; it does not check for the zero time.
func (c *Checker) Date(field string, t time.Time) bool {
	if y := t.Year(); y < 1 || y > 9999 {
		c.Fail(field, "must be a date in the years 0001 to 9999")
		return false
	}
	return true
}

// Err returns nil when no rule was broken, else a *ValidationError.
func (c *Checker) Err() error {
	if len(c.fields) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.fields}
}
