package modify

import (
	"bytes"
	"errors"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/wire"
)

// Write describes how a vendor's update treats the wire document, so that
// Do can send what it read except what the change changed (API.md section
// 5, "What ModifyCoupon sends"). Field names are top-level wire names.
type Write struct {
	// ReadOnly are the fields the vendor sets itself (an id, a
	// modification date): never sent back.
	ReadOnly []string
	// Required are the fields the vendor requires on every write. One
	// that is absent or null in the body Do would send (the read lacked
	// it and the change did not set it) is a *api.ValidationError naming
	// it, and nothing is sent. At most 64.
	Required []string
	// Keep, when not nil, makes the write partial: the vendor keeps every
	// field the body leaves out, so the body holds only these fields (as
	// read) and the changed ones. Nil means a full replace: the body is
	// the whole object as read, minus ReadOnly, with the changed fields
	// replaced, unknown fields included.
	Keep []string
	// NoNull leaves every JSON null out of the body, at any depth (an
	// object member or an array element whose value is null), for a
	// vendor that must never receive one; it treats a missing field as
	// empty.
	NoNull bool
}

// Merge returns the body of a write that sends read (the coupon's JSON
// object as the vendor sent it) back with the changes that turned the
// typed body unchanged into changed (both encoded by the vendor's typed
// encoding, unchanged from the request as read). A field whose typed
// value is the same in both goes back exactly as read (the same JSON text;
// absent stays absent, null stays null unless w.NoNull); a changed field
// takes its value in changed (absent there: left out). When a changed
// field is an object in all three bodies, it is merged the same way, field
// by field. Fields only in read (ones the SDK does not model) are kept,
// unless w.Keep says the write is partial. Order: read's fields in read's
// order, then changed fields read lacked, in changed's order.
//
// All three must be valid JSON objects (read decoded by the vendor's
// reader, the other two written by encoding/json).
func Merge(w *Write, read, unchanged, changed []byte) ([]byte, error) {
	var buf [48]field
	r, err := object(read, buf[0:0:16])
	if err != nil {
		return nil, errors.New("the coupon as read: " + err.Error())
	}
	u, err := object(unchanged, buf[16:16:32])
	if err != nil {
		return nil, err
	}
	c, err := object(changed, buf[32:32:48])
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(read)+len(changed)/2+16)
	var sent uint64 // bit i: w.Required[i] is in out, not null
	out = mergeFields(out, w, r, u, c, &sent)
	if err := w.checkRequired(sent); err != nil {
		return nil, err
	}
	return out, nil
}

// mergeFields appends the merged object of r, u and c to out. At the top
// level (sent not nil) it applies w's ReadOnly and Keep, which name
// top-level fields only, and marks in sent the required fields it wrote.
func mergeFields(out []byte, w *Write, r, u, c []field, sent *uint64) []byte {
	top := sent != nil
	out = append(out, '{')
	first := true
	member := func(key, name, v []byte) {
		if isNull(v) {
			if w.NoNull {
				return
			}
		} else if top {
			for i, req := range w.Required {
				if req == string(name) && i < 64 {
					*sent |= 1 << i
				}
			}
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = append(out, key...)
		out = append(out, ':')
		out = appendValue(out, v, w.NoNull)
	}
	for _, f := range r {
		if top && w.readOnly(f.name) {
			continue
		}
		uv, uok := find(u, f.name)
		cv, cok := find(c, f.name)
		if uok == cok && bytes.Equal(uv, cv) { // not changed: as read
			if !top || w.Keep == nil || contains(w.Keep, f.name) {
				member(f.key, f.name, f.value)
			}
			continue
		}
		if !cok {
			continue // the change left it out
		}
		if uok && isObject(f.value) && isObject(uv) && isObject(cv) {
			fr, err1 := object(f.value, nil)
			fu, err2 := object(uv, nil)
			fc, err3 := object(cv, nil)
			if err1 == nil && err2 == nil && err3 == nil {
				nested := mergeFields(nil, w, fr, fu, fc, nil)
				member(f.key, f.name, nested)
				continue
			}
		}
		member(f.key, f.name, cv)
	}
	for _, f := range c {
		if _, inRead := find(r, f.name); inRead || (top && w.readOnly(f.name)) {
			continue
		}
		if uv, uok := find(u, f.name); uok && bytes.Equal(uv, f.value) {
			continue // absent as read, not changed: stays absent
		}
		member(f.key, f.name, f.value)
	}
	return append(out, '}')
}

// checkRequired refuses a body that lacks a field the vendor requires, or
// holds it as null: sent marks those mergeFields wrote.
func (w *Write) checkRequired(sent uint64) error {
	if len(w.Required) == 0 {
		return nil
	}
	var c api.Checker
	for i, name := range w.Required {
		c.Check(sent&(1<<i) != 0, name, "is required on every write, and the coupon as read has none (absent or null): set it in change")
	}
	return c.Err()
}

func (w *Write) readOnly(name []byte) bool { return contains(w.ReadOnly, name) }

func contains(names []string, name []byte) bool {
	for _, s := range names {
		if s == string(name) {
			return true
		}
	}
	return false
}

func find(fs []field, name []byte) ([]byte, bool) {
	for _, f := range fs {
		if bytes.Equal(f.name, name) {
			return f.value, true
		}
	}
	return nil, false
}

func isNull(v []byte) bool { return string(bytes.TrimSpace(v)) == "null" }

// appendValue appends v, a valid JSON value, to out; with noNull every null
// member and element inside it is left out (v itself is not null).
func appendValue(out, v []byte, noNull bool) []byte {
	if !noNull || !bytes.Contains(v, []byte("null")) {
		return append(out, v...)
	}
	i := wire.SkipSpace(v, 0)
	if i >= len(v) || (v[i] != '{' && v[i] != '[') {
		return append(out, v...) // a string holding "null", a number
	}
	if v[i] == '{' {
		fs, err := object(v, nil)
		if err != nil {
			return append(out, v...)
		}
		return mergeFields(out, &Write{NoNull: true}, fs, nil, nil, nil)
	}
	out = append(out, '[')
	first := true
	_ = wire.EachElement(v, func(_ int, e []byte) error {
		if isNull(e) {
			return nil
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = appendValue(out, e, true)
		return nil
	})
	return append(out, ']')
}
