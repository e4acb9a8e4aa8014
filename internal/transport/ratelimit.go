package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// RateLimitHeaders names a vendor's rate-limit headers and their units.
type RateLimitHeaders struct {
	Limit, Remaining, Window, Reset string
	// WindowUnit and ResetUnit are the units of the Window and Reset
	// values, e.g. time.Millisecond; zero means time.Second.
	WindowUnit, ResetUnit time.Duration
	// ResetEpoch says Reset is a Unix time in seconds, not a delta.
	ResetEpoch bool
}

// parse reads the rate-limit headers; nil when the response has none.
// Window and ResetIn are clamped to [0, maxServerWait]: a huge or negative
// header never wraps or goes negative.
func (r RateLimitHeaders) parse(h http.Header, now time.Time) *api.RateLimit {
	if r.Limit == "" && r.Remaining == "" {
		return nil
	}
	limit, okL := headerInt(h, r.Limit)
	remaining, okR := headerInt(h, r.Remaining)
	if !okL && !okR {
		return nil
	}
	rl := &api.RateLimit{Limit: limit, Remaining: remaining}
	if d, ok := units(h, r.Window, r.WindowUnit); ok {
		rl.Window = d
	}
	if r.ResetEpoch {
		if d, ok := untilEpoch(h.Get(r.Reset), serverNow(h, now)); ok {
			rl.ResetIn = d
		}
	} else if d, ok := units(h, r.Reset, r.ResetUnit); ok {
		rl.ResetIn = d
	}
	return rl
}

// serverNow is the server's clock when it answered, to read an absolute
// reset (a Unix time) against: the answer's Date header when it differs
// from our clock by more than its one-second resolution and the answer's
// travel explain (a skewed server clock: an hour fast, its reset would
// otherwise read as an hour away), else our own, finer clock.
func serverNow(h http.Header, now time.Time) time.Time {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return now
	}
	if skew := date.Sub(now); skew > time.Second || skew < -2*time.Second {
		return date
	}
	return now
}

// maxServerWait bounds every duration read from a header, about a century:
// larger values, and values too large for a time.Duration, clamp to it
// instead of wrapping around or being dropped.
const maxServerWait = 100 * 365 * 24 * time.Hour

// scaled is n units clamped to [0, maxServerWait], without overflow.
func scaled(n int64, unit time.Duration) time.Duration {
	if unit <= 0 {
		unit = time.Second
	}
	switch {
	case n <= 0:
		return 0
	case n >= int64(maxServerWait/unit):
		return maxServerWait
	}
	return time.Duration(n) * unit
}

// untilEpoch is the time from now to v, a Unix time in seconds, whole or
// with a decimal fraction (test servers send milliseconds), clamped to
// [0, maxServerWait].
func untilEpoch(v string, now time.Time) (time.Duration, bool) {
	whole, frac, hasFrac := strings.Cut(v, ".")
	n, ok := parseInt(whole)
	if !ok || (hasFrac && (frac == "" || strings.Trim(frac, "0123456789") != "")) {
		return 0, false
	}
	if n <= now.Unix()-1 {
		return 0, true
	}
	if n-now.Unix() >= int64(maxServerWait/time.Second) {
		return maxServerWait, true
	}
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	return min(maxServerWait, max(0, time.Unix(n, ns).Sub(now))), true
}

func headerInt(h http.Header, name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	v := h.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// units reads header name as a number of units, whole or decimal (test
// servers send "0.020" seconds for a short window), clamped to
// [0, maxServerWait].
func units(h http.Header, name string, unit time.Duration) (time.Duration, bool) {
	if name == "" {
		return 0, false
	}
	v := h.Get(name)
	if n, ok := parseInt(v); ok {
		return scaled(n, unit), true
	}
	if unit <= 0 {
		unit = time.Second
	}
	f, ok := decimal(v)
	switch {
	case !ok:
		return 0, false
	case f*float64(unit) >= float64(maxServerWait):
		return maxServerWait, true
	}
	return time.Duration(f * float64(unit)), true
}

// parseInt parses a decimal integer; a value out of the int64 range
// saturates at its bound instead of being refused.
func parseInt(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return n, true // ParseInt returns the bound
		}
		return 0, false
	}
	return n, true
}

// serverWait is how long the server asked us to wait: the longest of
// Retry-After (seconds or HTTP-date) and X-Retry-After, and, on a rate-limit
// answer, of the reset headers X-Rate-Limit-Time-Reset-Ms, X-RateLimit-Reset
// (a Unix time when it looks like one, else seconds) and RateLimit-Reset.
// Every value is clamped to [0, maxServerWait].
func serverWait(h http.Header, rateLimited bool, now time.Time) time.Duration {
	var w time.Duration
	if v := h.Get("Retry-After"); v != "" {
		if d, ok := seconds(v); ok {
			w = max(w, d)
		} else if t, err := http.ParseTime(v); err == nil {
			w = max(w, min(maxServerWait, t.Sub(now))) // Sub saturates
		}
	}
	if d, ok := seconds(h.Get("X-Retry-After")); ok {
		w = max(w, d)
	}
	if !rateLimited {
		return w
	}
	if ms, ok := parseInt(h.Get("X-Rate-Limit-Time-Reset-Ms")); ok {
		w = max(w, scaled(ms, time.Millisecond))
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		// ParseFloat gives 0 for garbage and +Inf beyond its range.
		if f, _ := strconv.ParseFloat(v, 64); f > 1e9 {
			if d, ok := untilEpoch(v, serverNow(h, now)); ok {
				w = max(w, d)
			} else {
				w = maxServerWait // a Unix time such as 1e300
			}
		} else if d, ok := seconds(v); ok {
			w = max(w, d)
		}
	}
	if d, ok := seconds(h.Get("RateLimit-Reset")); ok {
		w = max(w, d)
	}
	return w
}

// seconds parses a number of seconds, fractions allowed, clamped to
// [0, maxServerWait]: a huge value is a long wait, not an absent one.
func seconds(v string) (time.Duration, bool) {
	f, ok := decimal(v)
	switch {
	case !ok:
		return 0, false
	case f >= maxServerWait.Seconds():
		return maxServerWait, true
	}
	return time.Duration(f * float64(time.Second)), true
}

// decimal parses a non-negative number: a negative one is 0, one beyond
// float64's range +Inf; NaN and garbage are refused.
func decimal(v string) (float64, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
		// f is ±Inf, or a value too small to represent (about 0).
	}
	if f != f { // NaN
		return 0, false
	}
	return max(0, f), true
}
