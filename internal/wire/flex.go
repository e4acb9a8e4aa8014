package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Bool is a bool that also accepts what PHP back ends (Partnero's Laravel,
// Paddle Classic) send for one: 0 and 1, as numbers or strings, "true" and
// "false" as strings, and null or "" (false).
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bool) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "true", "1", `"1"`, `"true"`:
		*b = true
	case "false", "0", `"0"`, `"false"`, `""`, "null":
		*b = false
	default:
		return fmt.Errorf("expected a boolean, got %.20s", data)
	}
	return nil
}

// Int is a nullable integer that also accepts a numeric string ("11") and
// a whole float (11.0), as PHP back ends send them. Set is false for null
// and "".
type Int struct {
	V   int
	Set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *Int) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*o = Int{}
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		s, ok := plainString(data)
		if !ok {
			if err := json.Unmarshal(data, &s); err != nil {
				return err
			}
		}
		if s == "" {
			*o = Int{}
			return nil
		}
		return o.parse(s, data)
	}
	return o.parse(string(data), data)
}

// parse reads s, the number data holds, as an integer.
func (o *Int) parse(s string, data []byte) error {
	if n, err := strconv.Atoi(s); err == nil {
		*o = Int{V: n, Set: true}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return fmt.Errorf("expected an integer, got %.20s", data)
	}
	*o = Int{V: int(f), Set: true}
	return nil
}

// Ptr returns a pointer to a copy of the value, or nil when it was null.
func (o Int) Ptr() *int {
	if !o.Set {
		return nil
	}
	v := o.V
	return &v
}
