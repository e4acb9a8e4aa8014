package utmcoupon

import (
	"time"

	"github.com/couponkit/couponkit/utmcoupon/internal/timespan"
)

// ParseTimeSpan reads the text VTEX writes for expirationIntervalPerUse, a
// .NET TimeSpan in its constant format [-][d.]hh:mm:ss[.fffffff]
// ("00:00:00", "1.12:00:00", "14.00:00:00", "00:00:01.5000000"), exactly
// as this package decodes it from VTEX's answers. It refuses everything
// else, notably hours of 24 or more (.NET writes a day as "1.00:00:00", not
// "24:00:00"), minutes or seconds of 60 or more, more than 7 fraction
// digits, and values beyond time.Duration's range (about 292 years).
func ParseTimeSpan(s string) (time.Duration, error) {
	return timespan.Parse(s)
}

// FormatTimeSpan writes d as VTEX expects expirationIntervalPerUse and as
// this package sends it: .NET's TimeSpan.ToString() ("c" format), with
// the days and a "." only from one day up, and seven fraction digits only
// when d is not a whole number of seconds: 0 is "00:00:00", 36h is
// "1.12:00:00", 1.5s is "00:00:01.5000000". Digits finer than a .NET tick
// (100ns) are dropped; ParseTimeSpan reads the result back to d.
func FormatTimeSpan(d time.Duration) string {
	return timespan.Format(d)
}
