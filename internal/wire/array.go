package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Streaming decoding: a JSON array is decoded one element at a time, so that
// a caller holds one decoded element at a time instead of the whole array
// (a 10 MiB answer of a million tiny elements costs the 10 MiB, not a
// million decoded structs), and a page can be cut off after the elements a
// caller asked for without decoding the rest. Object and Elements walk an
// envelope around such an array in the same single pass.

// ErrCutOff is returned by Elements when it stopped after the max elements
// asked for: the decoder is left inside the array, so whatever walks the
// enclosing value stops too (Object returns it as is), and the caller has
// its max elements.
var ErrCutOff = errors.New("wire: array cut off after the elements asked for")

// DecodeArray decodes data, a JSON array, one element at a time, calling f
// with each element (decoded into a zeroed W that the next element reuses:
// copy out what is kept) and its index, and stops at the first error. When
// max >= 0 it stops after max elements without reading the rest of data:
// a caller bounding a page to limit items passes limit+1 and learns that
// the page is too large after limit+1 elements, whatever the page's size.
// Empty data and null are an empty array. Errors name path: an element's
// (its decoding's or f's) as path[i] ("data[3]: coupon has no id"), any
// other as path ("data: expected a JSON array, got ...").
func DecodeArray[W any](data []byte, max int, path string, f func(i int, w *W) error) error {
	s := bytes.TrimSpace(data)
	if len(s) == 0 || string(s) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if err == nil {
			err = fmt.Errorf("expected a JSON array, got %.20s", s)
		}
		if path == "" {
			return err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	n, err := elements(dec, max, path, f)
	if err != nil || n == max {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s[%d]: data after the end of the array", path, n)
	}
	return nil
}

// Elements is DecodeArray for the array at dec's position, inside a value
// Object walks: null, [] and {} (PHP's empty array) are no elements, any
// other non-array an error naming path. After max elements it returns
// ErrCutOff.
func Elements[W any](dec *json.Decoder, max int, path string, f func(i int, w *W) error) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%s: %w", path, cutShort(err))
	}
	switch tok {
	case nil:
		return nil
	case json.Delim('{'):
		if !dec.More() {
			_, err := dec.Token()
			return err
		}
		return fmt.Errorf("%s: expected a JSON array, got an object", path)
	case json.Delim('['):
		n, err := elements(dec, max, path, f)
		if err == nil && n == max {
			return ErrCutOff
		}
		return err
	}
	return fmt.Errorf("%s: expected a JSON array, got %v", path, tok)
}

// elements decodes the elements of the array whose '[' dec has read, and
// its ']' unless it stops after max; it returns how many it decoded.
func elements[W any](dec *json.Decoder, max int, path string, f func(i int, w *W) error) (int, error) {
	var w, zero W
	n := 0
	for ; max < 0 || n < max; n++ {
		if !dec.More() {
			if _, err := dec.Token(); err != nil { // the closing ']'
				return n, fmt.Errorf("%s[%d]: %w", path, n, cutShort(err))
			}
			return n, nil
		}
		w = zero
		err := dec.Decode(&w)
		if err == nil {
			err = f(n, &w)
		}
		if err != nil {
			return n, fmt.Errorf("%s[%d]: %w", path, n, cutShort(err))
		}
	}
	return n, nil
}

// Object walks the JSON object at dec's position, calling f with each key;
// f must consume the key's value (with dec.Decode, Object, Elements or
// Skip). null, [] and {} are an object without keys (PHP writes an empty
// object as []). f's errors (ErrCutOff included) are returned as is.
func Object(dec *json.Decoder, f func(key string) error) error {
	tok, err := dec.Token()
	if err != nil {
		return cutShort(err)
	}
	switch tok {
	case nil:
		return nil
	case json.Delim('['):
		if dec.More() {
			return errors.New("expected a JSON object, got an array")
		}
		_, err := dec.Token()
		return err
	case json.Delim('{'):
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				return cutShort(err)
			}
			if err := f(key.(string)); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return cutShort(err)
	}
	return fmt.Errorf("expected a JSON object, got %v", tok)
}

// Key reports whether a key Object passed names field, compared as
// encoding/json matches keys to struct fields (ignoring case).
func Key(key, field string) bool { return strings.EqualFold(key, field) }

// Skip consumes the value at dec's position.
func Skip(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}

// End reports whether dec has nothing but space left.
func End(dec *json.Decoder) bool {
	_, err := dec.Token()
	return err == io.EOF
}

// errCutShort is what json.Unmarshal says of a value cut short; a Decoder
// says io.EOF.
var errCutShort = errors.New("unexpected end of JSON input")

func cutShort(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errCutShort
	}
	return err
}
