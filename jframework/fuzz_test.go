package jframework

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// Seeds: JFramework's documented bodies and variants of them.
var fuzzBodies = []string{
	`{"success":true,"statusCode":200,"message":"The request was successful.","data":{"id":"sApKpllz4sAplsmzha",
"code":"COUPON1","name":"Coupon 1","description":"This is a coupon","tags":"tag1, tag2","percentage":10,"quantity":100,
"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00","autoApplyToPrice":true,
"status":"Active","testMode":false,"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"},"errors":[]}`,
	`{"success":true,"data":{"id":"x","percentage":null,"quantity":null,"description":null,"tags":null,"startDate":null}}`,
	`{"success":false,"statusCode":404,"message":"The request failed.","data":null,"errors":[{"code":"CouponNotFound","message":"The coupon was not found.","correlationId":"0HNDK6T8U1AF0:00000002"}]}`,
	`{"success":false,"statusCode":429,"errors":[{"code":"RateLimitExceeded","details":"Too many requests."}]}`,
	`{"success":false,"statusCode":400,"errors":[{"code":"A","details":{"field":"name"}},{"message":"b"}]}`,
	`{"success":false,"message":"Something failed."}`,
	`{"success":true,"data":[]}`,
	`{"success":"yes"}`,
	`<html><body>502 Bad Gateway</body></html>`,
	``,
	`null`,
	`{}`,
}

func FuzzDecodeResponse(f *testing.F) {
	for _, b := range fuzzBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var out UpdateCouponResponse
		err := out.decode(body)
		if err == nil {
			if out.Coupon.ID == "" {
				t.Fatalf("success without a coupon id: %q", body)
			}
			return
		}
		if e, ok := err.(*api.APIError); ok && e.Code == codeRateLimited && api.Kind(e) != api.ErrRateLimited {
			t.Fatalf("RateLimitExceeded is not ErrRateLimited: %q", body)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, b := range fuzzBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := decodeError(500, nil, body)
		if e == nil {
			t.Fatal("nil APIError")
		}
		if (e.Code == codeRateLimited) != (api.Kind(e) == api.ErrRateLimited) {
			t.Fatalf("kind %v for code %q", api.Kind(e), e.Code)
		}
		if e.Message == "" && e.Code == "" {
			t.Fatalf("no message and no code for %q", body)
		}
	})
}

// FuzzDate round-trips dates through the wire codec: parse(format(t)) is t
// with its offset, and a parsed JFramework date formats back to an
// equivalent date.
func FuzzDate(f *testing.F) {
	f.Add(int64(1750661760), int64(434619700), int32(7*60), "2025-06-23T13:56:00.4346197+07:00")
	f.Add(int64(0), int64(0), int32(0), "2025-06-24T12:17:56.535Z")
	f.Add(int64(-62135596800), int64(1), int32(-12*60), "2025-06-23T13:56:00.4346197")
	f.Add(int64(253402300799), int64(999999999), int32(14*60), "")
	f.Fuzz(func(t *testing.T, sec, nsec int64, offMin int32, s string) {
		offMin %= 24 * 60
		in := time.Unix(sec, nsec%1e9).In(time.FixedZone("", int(offMin)*60))
		if y := in.Year(); y >= 0 && y <= 9999 {
			w := formatDate(in)
			got, err := parseDate(w)
			if err != nil {
				t.Fatalf("parse(format(%v)) = %q: %v", in, w, err)
			}
			_, offIn := in.Zone()
			_, offGot := got.Zone()
			if !got.Equal(in) || offGot != offIn {
				t.Fatalf("round trip %v -> %q -> %v", in, w, got)
			}
		}
		parsed, err := parseDate(s)
		if err != nil || parsed.IsZero() {
			return
		}
		again, err := parseDate(formatDate(parsed))
		if err != nil || !again.Equal(parsed) {
			t.Fatalf("%q -> %v -> %q: %v, %v", s, parsed, formatDate(parsed), again, err)
		}
	})
}

// FuzzRequestBody checks that every valid request encodes to JSON whose
// strings decode back to the request's strings, byte for byte, and whose
// dates decode back to the request's instants and offsets.
func FuzzRequestBody(f *testing.F) {
	f.Add("sApKpllz4sAplsmzha", "Coupon 1", "COUPON1", 10.0, 100, int64(1750661760), int64(2592000), "Active", "tags")
	f.Add("a/../b", "ü \"quoted\"", "X", 0.0, 0, int64(0), int64(0), "", "")
	f.Add("id", "n", "SUMMER\xff15", 1.0, 1, int64(0), int64(1), "", "\xfe")
	f.Fuzz(func(t *testing.T, id, name, code string, pct float64, qty int, start, length int64, status, tags string) {
		r := &UpdateCouponRequest{
			ID: id, Name: name, Code: code, Percentage: &pct, Quantity: &qty,
			StartDate: time.Unix(start, 0).UTC(), EndDate: time.Unix(start+length, 0).In(time.FixedZone("", 7*3600)),
			Status: Status(status), Tags: &tags,
		}
		if r.validate() != nil {
			return
		}
		b, err := json.Marshal(r.wire())
		if err != nil {
			t.Fatalf("valid request does not encode: %v", err)
		}
		var back struct {
			Name, Code, StartDate, EndDate, Tags string
		}
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		s, err1 := parseDate(back.StartDate)
		e, err2 := parseDate(back.EndDate)
		if err1 != nil || err2 != nil || !s.Equal(r.StartDate) || !e.Equal(r.EndDate) {
			t.Fatalf("dates %q %q do not round-trip", back.StartDate, back.EndDate)
		}
		// Validation refuses every string encoding/json would rewrite.
		if back.Name != name || back.Code != code || back.Tags != tags {
			t.Fatalf("strings do not round-trip: %q", b)
		}
	})
}
