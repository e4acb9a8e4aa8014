package partnero

import (
	"fmt"
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

// flexBool is a bool that also accepts what PHP back ends send for one: 0
// and 1 (as numbers or strings) and null (false).
type flexBool = wire.Bool

// optInt is a nullable integer that also accepts a numeric string ("11")
// and a whole float (11.0).
type optInt = wire.Int
