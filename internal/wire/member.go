package wire

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Member returns the span of the value of the member name of s, a valid
// JSON object (the last one when the name repeats, as encoding/json
// reads it), or nil when s has no such member or is not an object. The
// span is a slice of s.
func Member(s []byte, name string) []byte {
	i := SkipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return nil
	}
	var found []byte
	i = SkipSpace(s, i+1)
	for i < len(s) && s[i] == '"' {
		end := StringEnd(s, i)
		key := s[i+1 : end-1]
		match := string(key) == name
		if !match && bytes.IndexByte(key, '\\') >= 0 {
			var unq string
			match = json.Unmarshal(s[i:end], &unq) == nil && unq == name
		}
		i = SkipSpace(s, end)
		i = SkipSpace(s, i+1) // ':'
		vend := ValueEnd(s, i)
		if match {
			found = s[i:vend]
		}
		i = SkipSpace(s, vend)
		if i < len(s) && s[i] == ',' {
			i = SkipSpace(s, i+1)
		}
	}
	return found
}

// Element returns the span of element i of s, a valid JSON array, or nil
// when s has fewer elements or is not an array. The span is a slice of s.
func Element(s []byte, i int) []byte {
	var found []byte
	_ = EachElement(s, func(n int, e []byte) error {
		if n == i {
			found = e
			return errStop
		}
		return nil
	})
	return found
}

var errStop = errors.New("stop")
