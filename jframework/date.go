package jframework

import (
	"fmt"
	"time"
)

// localLayout is a .NET DateTime without an offset ("Kind Unspecified"),
// which some JFramework builds write; it is read as UTC.
const localLayout = "2006-01-02T15:04:05.999999999"

// formatDate formats t as RFC 3339 with as many fractional digits as
// needed ("2025-06-24T12:17:56.535Z", "2025-06-23T13:56:00+07:00"), keeping
// t's offset.
func formatDate(t time.Time) string {
	return t.Format(time.RFC3339Nano)
}

// parseDate parses a JFramework date: RFC 3339 with any number of
// fractional digits (JFramework writes seven) and an offset, which is kept
// ("2025-06-23T13:56:00.4346197+07:00"). A date without an offset is read
// as UTC; "" is the zero time.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(localLayout, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("not an RFC 3339 date: %q", s)
}
