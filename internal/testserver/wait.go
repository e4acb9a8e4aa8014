package testserver

import (
	"strconv"
	"time"
)

// Seconds formats a wait d for a header that carries seconds (Retry-After,
// X-Retry-After, RateLimit-Reset). With a window of a second or more it is
// whole seconds rounded up, at least 1, as the vendors send it. With a
// shorter window (a test's; 0 for none) it keeps millisecond precision, at
// least 0.001, e.g. "0.020": couponkit never shortens a wait the server asks
// for, so a test with a 20 ms window would otherwise wait a whole second or,
// with a small MaxWait, not retry at all.
func Seconds(d, window time.Duration) string {
	if window >= time.Second {
		return strconv.FormatInt(max(1, int64((d+time.Second-1)/time.Second)), 10)
	}
	ms := max(1, (d+time.Millisecond-1)/time.Millisecond)
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}

// Epoch formats the instant t for a header that carries a Unix time in
// seconds (X-RateLimit-Reset). With a window of a second or more it is the
// next whole second at or after t, as the vendors send it; with a shorter
// window (a test's; 0 for none) it keeps millisecond precision, e.g.
// "1767225612.020", for the reason Seconds gives.
func Epoch(t time.Time, window time.Duration) string {
	if window >= time.Second {
		epoch := t.Unix()
		if !t.Equal(time.Unix(epoch, 0)) {
			epoch++
		}
		return strconv.FormatInt(epoch, 10)
	}
	ms := (t.UnixNano() + int64(time.Millisecond) - 1) / int64(time.Millisecond)
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}
