package utmcoupon_test

import (
	"fmt"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
)

// ParseTimeSpan and FormatTimeSpan convert between time.Duration and the
// .NET TimeSpan text VTEX uses for expirationIntervalPerUse.
func ExampleParseTimeSpan() {
	for _, s := range []string{"00:00:00", "1.12:00:00", "14.00:00:00", "00:00:01.5000000", "24:00:00"} {
		d, err := utmcoupon.ParseTimeSpan(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, "=", d, "=", utmcoupon.FormatTimeSpan(d))
	}
	fmt.Println(utmcoupon.FormatTimeSpan(7 * 24 * time.Hour))
	// Output:
	// 00:00:00 = 0s = 00:00:00
	// 1.12:00:00 = 36h0m0s = 1.12:00:00
	// 14.00:00:00 = 336h0m0s = 14.00:00:00
	// 00:00:01.5000000 = 1.5s = 00:00:01.5000000
	// invalid TimeSpan "24:00:00": hours must be 00 to 23 (a day is written 1.00:00:00)
	// 7.00:00:00
}
