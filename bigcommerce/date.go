package bigcommerce

import (
	"fmt"
	"time"
)

// rfc2822 is the date layout BigCommerce's v2 API reads and writes.
const rfc2822 = "Mon, 02 Jan 2006 15:04:05 -0700"

// formatDate formats t as RFC 2822 ("Tue, 13 Mar 2018 16:18:59 +0000"), the
// only date format the v2 API accepts; the zero time formats as "", which
// BigCommerce reads as "no expiry".
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(rfc2822)
}

// parseDate parses an RFC 2822 date as BigCommerce writes it, also accepting
// a zone name ("GMT") and a missing day of the week, as RFC 2822 allows.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{rfc2822, time.RFC1123, "02 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an RFC 2822 date: %q", s)
}
