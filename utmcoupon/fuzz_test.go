package utmcoupon

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/utmcoupon/internal/timespan"
)

// FuzzDecodeCoupon feeds the success decoder arbitrary bodies: it must never
// panic, and a decoded coupon always has its code and a UTC time.
func FuzzDecodeCoupon(f *testing.F) {
	for _, s := range []string{
		`{"lastModifiedUtc":"2020-01-08T20:06:06.37289Z","utmSource":"cupom3","couponCode":"ctest-01e0ueos8zq95rt","isArchived":true,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`,
		`{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"s","utmCampaign":"c","couponCode":"c","isArchived":false,"maxItemsPerClient":2,"expirationIntervalPerUse":"14.00:00:00","maxUsage":10}`,
		`{"lastModifiedUtc":"2021-11-10T14:24:39.368369Z","utmCampaign":null,"couponCode":"c","expirationIntervalPerUse":"-1.12:00:00.5","maxUsage":null}`,
		`{"couponCode":"c","expirationIntervalPerUse":"25:00:00"}`,
		`{"couponCode":"c","lastModifiedUtc":"2021-11-10T14:24:39"}`,
		`{"couponCode":1}`, `null`, `[]`, `{}`, ``, `{"couponCode":"c","maxUsage":-1e400}`,
		`{"lastModifiedUtc":"2022-04-20T20:07:03.5066878Z","utmSource":"fb","utmCampaign":"rewards","couponCode":"r-1","isArchived":false,"maxItemsPerClient":0,"expirationIntervalPerUse":"00:00:00","maxUsage":3,"groupingKey":"rewardsprogram"}`,
		`{"couponCode":"c","utmCampaign":"","isArchived":"true","maxItemsPerClient":"10","maxUsage":"","groupingKey":12130984756}`,
		`{"couponCode":"c","isArchived":null,"maxItemsPerClient":null,"expirationIntervalPerUse":"1.02:03:04.5","lastModifiedUtc":""}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var c Coupon
		if err := c.decode(body); err != nil {
			return
		}
		if c.CouponCode == "" {
			t.Fatal("decoded a coupon without a code")
		}
		if !c.LastModifiedUTC.IsZero() && c.LastModifiedUTC.Location() != time.UTC {
			t.Fatalf("LastModifiedUTC not in UTC: %v", c.LastModifiedUTC)
		}
	})
}

// FuzzDecodeError feeds the error decoder arbitrary bodies: it never panics
// and always returns an error with a message.
func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`{"type":"https://tools.ietf.org/html/rfc7231#section-6.5.1","title":"One or more validation errors occurred.","status":400,"traceId":"00-ab-01","errors":{"utmSource":["The UtmSource field is required."]}}`,
		`{"type":"about:blank","title":"Forbidden","status":403,"detail":"Missing permission"}`,
		`{"title":"x","errors":{"a":"b","c":1,"d":null,"e":[1,2]}}`,
		`{"error":{"code":"1","message":"Invalid coupon","exception":null}}`,
		`{"error":"plain"}`, `{"Message":"The request is invalid."}`,
		"Unauthorized", "<html><body>502 Bad Gateway</body></html>", ``, `{`, `{"title":`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := decodeError(400, http.Header{}, body)
		if e == nil {
			t.Fatal("nil error")
		}
		if e.Message == "" {
			t.Fatalf("no message for %q", body)
		}
	})
}

// FuzzTimeSpan checks the TimeSpan codec both ways: any string either fails
// to parse or parses to a duration whose text parses back to it; any
// duration formats to text that parses back to it, truncated to a tick
// (exactly, for whole seconds, the only durations a request sends).
func FuzzTimeSpan(f *testing.F) {
	for _, s := range []string{"00:00:00", "1.12:00:00", "14.00:00:00", "-1.12:00:00", "00:00:01.5000000",
		"00:00:00.1", "23:59:59.9999999", "24:00:00", "00:60:00", "106751.23:47:16.8547758", "garbage", ""} {
		f.Add(s, int64(0))
	}
	for _, d := range []time.Duration{0, time.Second, 36 * time.Hour, 14 * 24 * time.Hour, -time.Hour, 1500 * time.Millisecond, 1<<63 - 1, -1 << 63, 123456789} {
		f.Add("", int64(d))
	}
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if d, err := timespan.Parse(s); err == nil {
			back, err := timespan.Parse(timespan.Format(d))
			if err != nil || back != d {
				t.Fatalf("%q → %v → %q → %v, %v", s, d, timespan.Format(d), back, err)
			}
		} else if !strings.HasPrefix(err.Error(), "invalid TimeSpan ") || !utf8.ValidString(err.Error()) {
			t.Fatalf("unhelpful error for %q: %q", s, err.Error())
		}
		d := time.Duration(n)
		text := timespan.Format(d)
		back, err := timespan.Parse(text)
		if err != nil {
			t.Fatalf("%d formats to %q which does not parse: %v", n, text, err)
		}
		if want := d - d%timespan.Tick; back != want {
			t.Fatalf("%d → %q → %d, want %d", n, text, back, want)
		}
		whole := d - d%time.Second
		if back, err := timespan.Parse(timespan.Format(whole)); err != nil || back != whole {
			t.Fatalf("whole seconds %d do not round-trip exactly: %d, %v", whole, back, err)
		}
		if strings.Contains(text, ".") && d%time.Second == 0 && d > -24*time.Hour && d < 24*time.Hour {
			t.Fatalf("%d has no day or fraction but formats as %q", n, text)
		}
	})
}
