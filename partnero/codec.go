package partnero

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/wire"
)

// timeLayout is how Partnero (Laravel) writes timestamps: UTC with six
// fractional digits, e.g. "2025-05-07T17:43:26.000000Z".
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// parseTime reads a Partnero timestamp: RFC 3339 with any number of
// fractional digits (Laravel's "2025-05-07T17:43:26.000000Z"), or the
// older Laravel forms "2025-05-07 17:43:26" and "2025-05-07" (UTC).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{time.DateTime, "2006-01-02 15:04:05.999999", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a timestamp: %q", s)
}

// optTime parses a nullable timestamp: "" (or null) is nil.
func optTime(field string, s wire.String) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseTime(string(s))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return &t, nil
}

// flexBool is a bool that also accepts what PHP back ends send for one:
// 0 and 1 (as numbers or strings) and null (false).
type flexBool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *flexBool) UnmarshalJSON(data []byte) error {
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

// optInt is a nullable integer that also accepts a numeric string ("11")
// and a whole float (11.0).
type optInt struct {
	v   int
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *optInt) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if string(data) == "null" {
		*o = optInt{}
		return nil
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		if s == "" {
			*o = optInt{}
			return nil
		}
		return o.parse(s, data)
	}
	return o.parse(string(data), data)
}

// parse reads s, the number data holds, as an integer.
func (o *optInt) parse(s string, data []byte) error {
	if n, err := strconv.Atoi(s); err == nil {
		*o = optInt{v: n, set: true}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return fmt.Errorf("expected an integer, got %.20s", data)
	}
	*o = optInt{v: int(f), set: true}
	return nil
}

func (o optInt) ptr() *int {
	if !o.set {
		return nil
	}
	v := o.v
	return &v
}
