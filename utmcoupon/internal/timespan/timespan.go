// Package timespan converts time.Duration to and from the text of a .NET
// System.TimeSpan in its constant ("c") format, [-][d.]hh:mm:ss[.fffffff],
// which is how VTEX's Promotions & Taxes API writes expirationIntervalPerUse
// ("00:00:00", "1.12:00:00", "14.00:00:00", "00:00:01.5000000").
//
// It is shared by package utmcoupon and its test server utmcoupontest.
package timespan

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Tick is the resolution of a .NET TimeSpan: 100 nanoseconds. Format drops
// anything finer.
const Tick = 100 * time.Nanosecond

const (
	day        = 24 * time.Hour
	maxDays    = 8 // digits: .NET's TimeSpan.MaxValue has 10675199 days
	maxFracLen = 7 // digits: one tick
)

// Format writes d as .NET writes a TimeSpan with ToString() (the "c"
// format): an optional "-", the days and a "." only when there is at least
// one day, two-digit hours, minutes and seconds, and seven fraction digits
// only when d is not a whole number of seconds. Digits finer than a tick
// (100ns) are truncated toward zero. 0 is "00:00:00", 36h is "1.12:00:00",
// 14 days is "14.00:00:00", 1.5s is "00:00:01.5000000".
func Format(d time.Duration) string {
	b := make([]byte, 0, 26)
	// The magnitude as uint64 so that math.MinInt64 has one.
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	ticks := u / uint64(Tick)
	frac := ticks % uint64(time.Second/Tick)
	secs := ticks / uint64(time.Second/Tick)
	days := secs / 86400
	secs %= 86400
	if days > 0 {
		b = strconv.AppendUint(b, days, 10)
		b = append(b, '.')
	}
	b = append2(b, secs/3600)
	b = append(b, ':')
	b = append2(b, secs/60%60)
	b = append(b, ':')
	b = append2(b, secs%60)
	if frac > 0 {
		b = append(b, '.')
		s := strconv.FormatUint(frac, 10)
		for i := len(s); i < maxFracLen; i++ {
			b = append(b, '0')
		}
		b = append(b, s...)
	}
	return string(b)
}

func append2(b []byte, v uint64) []byte {
	return append(b, byte('0'+v/10), byte('0'+v%10))
}

// Parse reads a TimeSpan in the "c" format, every form .NET writes with
// it: an optional "-", optional days followed by ".", hours 00-23, minutes
// 00-59 and seconds 00-59 as two digits each, and an optional "." with 1 to
// 7 fraction digits. Anything else is an error, as are hours of 24 or more
// (.NET rejects "24:00:00"; a day is written "1.00:00:00"), minutes or
// seconds of 60 or more, and values beyond time.Duration's range (about 292
// years; .NET's own limit is larger).
func Parse(s string) (time.Duration, error) {
	d, err := parse(s)
	if err != nil {
		q := s
		if len(q) > 40 {
			q = q[:40] + "..."
		}
		return 0, fmt.Errorf("invalid TimeSpan %q: %w", q, err)
	}
	return d, nil
}

var (
	errSyntax = errors.New(`want [-][d.]hh:mm:ss[.fffffff]`)
	errRange  = errors.New("out of time.Duration's range")
)

func parse(s string) (time.Duration, error) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	// Days: the digits before the first '.', if it comes before the first ':'.
	var days uint64
	if i := indexDigitsEnd(s); i < len(s) && s[i] == '.' {
		if i == 0 || i > maxDays {
			return 0, errSyntax
		}
		days, _ = strconv.ParseUint(s[:i], 10, 64)
		s = s[i+1:]
	}
	// hh:mm:ss, two digits each.
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return 0, errSyntax
	}
	hh, ok1 := two(s[0:2])
	mm, ok2 := two(s[3:5])
	ss, ok3 := two(s[6:8])
	if !ok1 || !ok2 || !ok3 {
		return 0, errSyntax
	}
	switch {
	case hh > 23:
		return 0, errors.New("hours must be 00 to 23 (a day is written 1.00:00:00)")
	case mm > 59:
		return 0, errors.New("minutes must be 00 to 59")
	case ss > 59:
		return 0, errors.New("seconds must be 00 to 59")
	}
	s = s[8:]
	var frac uint64
	if len(s) > 0 {
		if s[0] != '.' {
			return 0, errSyntax
		}
		digits := s[1:]
		if len(digits) == 0 || len(digits) > maxFracLen || indexDigitsEnd(digits) != len(digits) {
			return 0, errSyntax
		}
		frac, _ = strconv.ParseUint(digits, 10, 64)
		for i := len(digits); i < maxFracLen; i++ {
			frac *= 10
		}
	}
	// The magnitude in nanoseconds, checked against int64's range.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if days > limit/uint64(day) {
		return 0, errRange
	}
	u := days*uint64(day) + (hh*3600+mm*60+ss)*uint64(time.Second) // fits: < 1 day added to <= limit
	fracNS := frac * uint64(Tick)
	if u > limit || fracNS > limit-u {
		return 0, errRange
	}
	u += fracNS
	if neg {
		return time.Duration(-u), nil
	}
	return time.Duration(u), nil
}

// indexDigitsEnd returns the index of the first non-digit of s (len(s) when
// all are digits).
func indexDigitsEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return len(s)
}

func two(s string) (uint64, bool) {
	if s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' {
		return 0, false
	}
	return uint64(s[0]-'0')*10 + uint64(s[1]-'0'), true
}
