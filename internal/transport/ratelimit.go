package transport

import (
	"net/http"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// RateLimitHeaders names a vendor's rate-limit headers and their units.
type RateLimitHeaders struct {
	Limit, Remaining, Window, Reset string
	// WindowUnit and ResetUnit are the units of the Window and Reset
	// values, e.g. time.Millisecond or time.Second.
	WindowUnit, ResetUnit time.Duration
	// ResetEpoch says Reset is a Unix time in seconds, not a delta.
	ResetEpoch bool
}

// parse reads the rate-limit headers; nil when the response has none.
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
	if w, ok := headerInt(h, r.Window); ok {
		rl.Window = time.Duration(w) * r.WindowUnit
	}
	if v, ok := headerInt(h, r.Reset); ok {
		if r.ResetEpoch {
			rl.ResetIn = max(0, time.Unix(int64(v), 0).Sub(now))
		} else {
			rl.ResetIn = time.Duration(v) * r.ResetUnit
		}
	}
	return rl
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

// serverWait is how long the server asked us to wait: the longest of
// Retry-After (seconds or HTTP-date) and X-Retry-After, and, on a rate-limit
// answer, of the reset headers X-Rate-Limit-Time-Reset-Ms, X-RateLimit-Reset
// (a Unix time when it looks like one, else seconds) and RateLimit-Reset.
func serverWait(h http.Header, rateLimited bool, now time.Time) time.Duration {
	var w time.Duration
	if v := h.Get("Retry-After"); v != "" {
		if d, ok := seconds(v); ok {
			w = max(w, d)
		} else if t, err := http.ParseTime(v); err == nil {
			w = max(w, t.Sub(now))
		}
	}
	if d, ok := seconds(h.Get("X-Retry-After")); ok {
		w = max(w, d)
	}
	if !rateLimited {
		return w
	}
	if v := h.Get("X-Rate-Limit-Time-Reset-Ms"); v != "" {
		if ms, err := strconv.ParseInt(v, 10, 64); err == nil && ms > 0 {
			w = max(w, time.Duration(ms)*time.Millisecond)
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 1e9 {
			w = max(w, time.Unix(n, 0).Sub(now))
		} else if d, ok := seconds(v); ok {
			w = max(w, d)
		}
	}
	if d, ok := seconds(h.Get("RateLimit-Reset")); ok {
		w = max(w, d)
	}
	return w
}

// seconds parses a non-negative number of seconds, fractions allowed.
func seconds(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f != f || f < 0 || f > 1e7 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}
