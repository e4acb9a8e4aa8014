// Package modify is the one read-modify-write behind every vendor's
// ModifyCoupon, and the wire-level field diff that reports what it changed.
// It names no vendor: a vendor package describes its read, its request
// builder, its wire encoding and its update with an Ops value.
package modify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/wire"
)

// field is one key of a JSON object with its raw value. name is the key
// unescaped; it is a slice of the body itself unless the key holds escapes,
// so that splitting a body allocates nothing per field.
type field struct {
	name  []byte
	key   []byte // the key as written, quotes and escapes included
	value json.RawMessage
}

// Diff compares two JSON object bodies and returns the fields whose wire
// values differ, in the order of after's keys, then the keys only before
// has. Nested objects are compared field by field with dotted names; arrays
// and scalars are compared whole as compact JSON text. A field absent from a
// body has the value "" there.
func Diff(before, after []byte) ([]api.FieldChange, error) {
	if !json.Valid(before) {
		return nil, errors.New("diff: before: not valid JSON")
	}
	if !json.Valid(after) {
		return nil, errors.New("diff: after: not valid JSON")
	}
	return diff(before, after)
}

// diff is Diff for bodies known to be valid JSON, such as encoding/json's
// output: Do diffs the bodies its Encode wrote, and json.Valid was a tenth
// of a ModifyCoupon's client time.
func diff(before, after []byte) ([]api.FieldChange, error) {
	// One allocation holds both bodies' fields (append moves a body that
	// has more than 16 to its own).
	buf := make([]field, 0, 32)
	b, err := object(before, buf[0:0:16])
	if err != nil {
		return nil, fmt.Errorf("diff: before: %w", err)
	}
	a, err := object(after, buf[16:16:32])
	if err != nil {
		return nil, fmt.Errorf("diff: after: %w", err)
	}
	var out []api.FieldChange
	if err := diffFields("", b, a, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func diffFields(prefix string, before, after []field, out *[]api.FieldChange) error {
	find := func(fs []field, name []byte) (json.RawMessage, bool) {
		for _, f := range fs {
			if bytes.Equal(f.name, name) {
				return f.value, true
			}
		}
		return nil, false
	}
	for _, f := range after {
		old, ok := find(before, f.name)
		if err := diffValue(prefix, f.name, old, ok, f.value, true, out); err != nil {
			return err
		}
	}
	for _, f := range before {
		if _, ok := find(after, f.name); !ok {
			if err := diffValue(prefix, f.name, f.value, true, nil, false, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// diffValue compares the field prefix+key; when both sides are objects it
// recurses. The dotted name is built only for a change or a nested object.
func diffValue(prefix string, key []byte, old json.RawMessage, hasOld bool, new json.RawMessage, hasNew bool, out *[]api.FieldChange) error {
	if hasOld && hasNew && bytes.Equal(old, new) {
		return nil // the same text: nothing to compare inside
	}
	if hasOld && hasNew && isObject(old) && isObject(new) {
		o, err := object(old, nil)
		if err != nil {
			return err
		}
		n, err := object(new, nil)
		if err != nil {
			return err
		}
		return diffFields(prefix+string(key)+".", o, n, out)
	}
	var os, ns string
	if hasOld {
		s, err := compact(old)
		if err != nil {
			return err
		}
		os = s
	}
	if hasNew {
		s, err := compact(new)
		if err != nil {
			return err
		}
		ns = s
	}
	if os != ns || hasOld != hasNew {
		*out = append(*out, api.FieldChange{Field: prefix + string(key), Old: os, New: ns})
	}
	return nil
}

func isObject(v json.RawMessage) bool {
	v = bytes.TrimSpace(v)
	return len(v) > 0 && v[0] == '{'
}

// compact returns v as compact JSON text. Bodies encoded by encoding/json
// hold no whitespace outside strings, so a value without any whitespace
// byte is returned as it is, in one allocation.
func compact(v json.RawMessage) (string, error) {
	if !bytes.ContainsAny(v, " \t\r\n") {
		return string(v), nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// object splits a JSON object into its fields in order, without decoding
// the values: each value is the span of data it occupies. A duplicate key
// keeps its last value, as encoding/json does. data must be valid JSON
// (Diff checks it; Do's bodies are encoding/json's output), so the scan
// only has to find the spans. The fields are appended to fs (usually empty,
// with room to spare).
func object(data []byte, fs []field) ([]field, error) {
	s := data
	i := wire.SkipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil, errors.New("not a JSON object")
	}
	i = wire.SkipSpace(s, i+1)
	for i < len(s) && s[i] != '}' {
		end := wire.StringEnd(s, i)
		key := s[i:end]
		name := s[i+1 : end-1]
		if bytes.IndexByte(name, '\\') >= 0 {
			var unq string
			if err := json.Unmarshal(s[i:end], &unq); err != nil {
				return nil, err
			}
			name = []byte(unq)
		}
		i = wire.SkipSpace(s, end)
		i = wire.SkipSpace(s, i+1) // ':'
		vend := wire.ValueEnd(s, i)
		v := json.RawMessage(s[i:vend])
		replaced := false
		for k := range fs {
			if bytes.Equal(fs[k].name, name) {
				fs[k].value, replaced = v, true
			}
		}
		if !replaced {
			fs = append(fs, field{name: name, key: key, value: v})
		}
		i = wire.SkipSpace(s, vend)
		if i < len(s) && s[i] == ',' {
			i = wire.SkipSpace(s, i+1)
		}
	}
	return fs, nil
}
