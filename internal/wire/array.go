package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Array decodes a JSON array one element at a time, so that a caller holds
// one decoded element at a time instead of the whole array: a 10 MiB answer
// of a million tiny elements costs the 10 MiB, not a million decoded
// structs, and a page can be cut off after the elements a caller asked for
// without decoding the rest.
type Array[W any] struct {
	dec *json.Decoder
	n   int
	w   W
}

// NewArray starts decoding data, which must be a JSON array (leading and
// trailing space allowed).
func NewArray[W any](data []byte) (*Array[W], error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fmt.Errorf("expected a JSON array, got %.20s", bytes.TrimSpace(data))
	}
	return &Array[W]{dec: dec}, nil
}

// Next decodes the next element and returns it, or nil at the end of the
// array. The element is reused by the next call: copy out what is kept.
// An element that does not decode is an error naming its index ("[3]: ...");
// so is anything but space after the array's end (the index it would have).
func (a *Array[W]) Next() (*W, error) {
	if !a.dec.More() {
		if _, err := a.dec.Token(); err != nil { // the closing ']'
			return nil, fmt.Errorf("[%d]: %w", a.n, cutShort(err))
		}
		if _, err := a.dec.Token(); err != io.EOF {
			return nil, fmt.Errorf("[%d]: data after the end of the array", a.n)
		}
		return nil, nil
	}
	var zero W
	a.w = zero
	if err := a.dec.Decode(&a.w); err != nil {
		return nil, fmt.Errorf("[%d]: %w", a.n, cutShort(err))
	}
	a.n++
	return &a.w, nil
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

// DecodeArray decodes data, a JSON array, one element at a time, calling f
// with each element and its index, and stops at the first error. When
// max >= 0 it stops after max elements without reading the rest of data:
// a caller bounding a page to limit items passes limit+1 and learns that
// the page is too large after limit+1 elements, whatever the page's size.
// Empty data and null are an empty array. Errors name path: an element's
// (its decoding's or f's) as path[i] ("data[3]: coupon has no id"), any
// other as path ("data: expected a JSON array, got ...").
func DecodeArray[W any](data []byte, max int, path string, f func(i int, w *W) error) error {
	if s := bytes.TrimSpace(data); len(s) == 0 || string(s) == "null" {
		return nil
	}
	a, err := NewArray[W](data)
	if err != nil {
		if path == "" {
			return err
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	for i := 0; max < 0 || i < max; i++ {
		w, err := a.Next()
		if err == nil && w != nil {
			err = f(i, w)
			if err != nil {
				err = fmt.Errorf("[%d]: %w", i, err)
			}
		}
		if err != nil {
			return fmt.Errorf("%s%w", path, err)
		}
		if w == nil {
			return nil
		}
	}
	return nil
}
