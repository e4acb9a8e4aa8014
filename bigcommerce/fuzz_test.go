package bigcommerce

import (
	"net/http"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzDate(f *testing.F) {
	for _, s := range []string{"Tue, 13 Mar 2018 16:18:59 +0000", "Wed, 31 Dec 2025 23:59:59 -0500", "13 Mar 2018 16:18:59 +0000",
		"Tue, 13 Mar 2018 16:18:59 GMT", "", "Mon, 2 Jan 2006 15:04:05 -0700", "garbage"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parsed, err := parseDate(s)
		if err != nil {
			return
		}
		// What parses formats back to a date that parses to the same instant.
		again, err := parseDate(formatDate(parsed))
		if err != nil {
			if parsed.IsZero() {
				return
			}
			t.Fatalf("%q: formatted %q does not parse: %v", s, formatDate(parsed), err)
		}
		if !again.Equal(parsed) {
			t.Fatalf("%q: round trip %v != %v", s, again, parsed)
		}
	})
}

func FuzzDateRoundTrip(f *testing.F) {
	f.Add(int64(1520957939), 0)
	f.Add(int64(1893456000), -5*3600)
	f.Add(int64(-62135596800), 3600)
	f.Fuzz(func(t *testing.T, sec int64, offset int) {
		if sec < -62135596800 || sec > 253402300799 || offset < -86399 || offset > 86399 {
			return
		}
		tm := time.Unix(sec, 0).In(time.FixedZone("", offset/60*60))
		if tm.Year() < 1 || tm.Year() > 9999 || tm.IsZero() { // the zero time means "no expiry"
			return
		}
		got, err := parseDate(formatDate(tm))
		if err != nil || !got.Equal(tm) {
			t.Fatalf("%v: %v %v", tm, got, err)
		}
	})
}

func FuzzDecodeCoupon(f *testing.F) {
	for _, s := range []string{
		`{"id":1,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000","expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`,
		`{"id":2,"restricted_to":{"countries":["AU"],"states":{"AU":["NSW"]}},"amount":5}`,
		`{"id":3,"restricted_to":{}}`, `{"id":4,"restricted_to":null,"expires":"Wed, 31 Dec 2025 00:00:00 +0000"}`,
		`[]`, `null`, `{"id":"1"}`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Coupon
		if err := c.decode(b); err == nil && c.ID == 0 {
			t.Fatal("decoded a coupon without an id")
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range []string{
		`[{"status":404,"message":"The requested resource was not found."}]`,
		`[{"status":422,"message":"bad","details":{"invalid_reason":"x","n":1}}]`,
		`{"status":400,"title":"Bad Request"}`, `<html>502</html>`, ``, `[`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e := decodeError(400, http.Header{}, b)
		if e == nil {
			t.Fatal("nil error")
		}
		if len(b) > 0 && utf8.Valid(b) && !utf8.ValidString(e.Message) {
			t.Fatalf("message became invalid UTF-8: %q", e.Message)
		}
	})
}
