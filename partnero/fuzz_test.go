package partnero

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seedBody is the 200 answer from Partnero's update-coupon page.
const seedBody = `{"data":{"name":"PARTNERO25_UPDATED","uuid_code":"coupon_123","active":true,
"coupon_discount_type":"percent","coupon_discount_amount":25,"coupon_duration_type":"months",
"coupon_duration_value":11,"redemption_specific_date_status":false,"redemption_specific_date_value":null,
"redemption_times_status":true,"redemption_times_value":24,"metadata":[],
"additional_info":{"redemptions":[{"redeemed_at":"2025-05-07T17:53:32.000000Z","transaction_key":"order_4561"}]},
"times_redeemed":4,"created_at":"2025-05-07T17:43:26.000000Z","updated_at":"2025-05-07T17:53:32.000000Z",
"deleted_at":null},"status":1,"message":"Coupon updated in the app successfully.",
"synchronization_enabled":false,"synchronization_successful":false,"synchronization_message":""}`

func FuzzDecodeResponse(f *testing.F) {
	f.Add(seedBody)
	f.Add(strings.Replace(seedBody, `"metadata":[]`, `"metadata":{"a":{"b":[1,"2",null]}}`, 1))
	f.Add(strings.Replace(seedBody, `"metadata":[]`, `"metadata":["x",2]`, 1))
	f.Add(strings.Replace(seedBody, `"additional_info":{`, `"additional_info":[],"x":{`, 1))
	f.Add(strings.Replace(seedBody, `"coupon_discount_amount":25`, `"coupon_discount_amount":"12.50"`, 1))
	f.Add(strings.Replace(seedBody, `"deleted_at":null`, `"deleted_at":"2025-06-01 00:00:00"`, 1))
	f.Add(strings.Replace(seedBody, `"active":true`, `"active":"1"`, 1))
	f.Add(`{"data":null}`)
	f.Add(`{"data":[]}`)
	f.Add(`{"data":{"uuid_code":"x","times_redeemed":1e400}}`)
	f.Add(`{"data":{"uuid_code":"x","coupon_duration_value":"9999999999999999999999"}}`)
	f.Add(``)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		var out UpdateCouponResponse
		if err := out.decode([]byte(body)); err != nil {
			return
		}
		if out.Coupon.UUIDCode == "" {
			t.Fatal("decoded a coupon without uuid_code")
		}
		if out.Coupon.Metadata == nil {
			t.Fatal("nil Metadata")
		}
		// Decoding is deterministic.
		var again UpdateCouponResponse
		if err := again.decode([]byte(body)); err != nil || !reflect.DeepEqual(out, again) {
			t.Fatalf("second decode differs: %v", err)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	f.Add(422, `{"message":"The given data was invalid.","errors":{"uuid_code":["The uuid code field is required."]}}`)
	f.Add(422, `{ "errors": { "sync.provider": ["stripe is not connected for this program."] } }`)
	f.Add(422, `{"message":"x","errors":{"a":"one","b":[1],"c":null}}`)
	f.Add(401, `{"message":"Unauthenticated."}`)
	f.Add(404, `{"message":"Coupon not found."}`)
	f.Add(429, `{"message":"Too Many Attempts."}`)
	f.Add(500, `{"message":"Server Error"}`)
	f.Add(502, "<html>\n<body>Bad Gateway</body></html>")
	f.Add(503, ``)
	f.Add(500, `{"message":`)
	f.Add(422, `{"errors":[]}`)
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := decodeError(status, nil, []byte(body))
		if e == nil {
			t.Fatal("nil APIError")
		}
		if e.Message == "" && len(e.FieldErrors) == 0 && len(strings.TrimSpace(body)) > 0 && !strings.HasPrefix(strings.TrimSpace(body), "{") {
			t.Fatal("a non-JSON body must give a snippet")
		}
		if len(e.FieldErrors) > 0 && e.Message == "" {
			t.Fatal("field errors without a message")
		}
	})
}

func FuzzTimestamp(f *testing.F) {
	f.Add(int64(1746639806), int64(0), "2025-05-07T17:43:26.000000Z")
	f.Add(int64(1746640412), int64(654321000), "2025-05-07 17:53:32")
	f.Add(int64(0), int64(999999999), "2025-12-31")
	f.Add(int64(-62135596800), int64(1), "2025-05-07T17:43:26.1234567+07:00")
	f.Fuzz(func(t *testing.T, sec, nsec int64, s string) {
		// Arbitrary text: no panic, and a parsed time formats back to
		// something that parses to the same instant.
		if got, err := parseTime(s); err == nil && got.Year() >= 0 && got.Year() <= 9999 {
			back, err := parseTime(got.UTC().Format(timeLayout))
			if err != nil || !back.Equal(got.Truncate(time.Microsecond)) {
				t.Fatalf("%q: %v -> %v (%v)", s, got, back, err)
			}
		}
		// Encode -> decode round trip of the wire format.
		tm := time.Unix(sec%253402300800, nsec%1e9).UTC().Truncate(time.Microsecond)
		if tm.Year() < 0 || tm.Year() > 9999 {
			return
		}
		enc := tm.Format(timeLayout)
		dec, err := parseTime(enc)
		if err != nil || !dec.Equal(tm) {
			t.Fatalf("%v -> %q -> %v (%v)", tm, enc, dec, err)
		}
	})
}

func FuzzRequestRoundTrip(f *testing.F) {
	f.Add("coupon_123", "PARTNERO25", "order_4561", "stripe", `{"source":"spring","n":2,"nested":{"a":[1,null]}}`, true)
	f.Add("c", "", "", "", `{}`, false)
	f.Add("ü\u2028<>&", "name\x00", "k\"", "paddle", `{"":null}`, true)
	f.Fuzz(func(t *testing.T, uuid, name, key, provider, metadata string, redeem bool) {
		var meta map[string]any
		if json.Unmarshal([]byte(metadata), &meta) != nil {
			meta = nil
		}
		req := &UpdateCouponRequest{UUIDCode: uuid, Metadata: meta, Redeem: &redeem}
		if name != "" {
			req.Name = &name
		}
		if key != "" {
			req.TransactionKey = &key
		}
		if provider != "" {
			req.Sync = &Sync{Provider: SyncProvider(provider)}
		}
		if req.validate() != nil {
			return
		}
		b, err := json.Marshal(req.wire())
		if err != nil {
			t.Fatal(err)
		}
		var back couponBody
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		// Validation refuses every string encoding/json would rewrite, so a
		// valid request's body decodes back to it exactly.
		want := req.wire()
		if !reflect.DeepEqual(want, &back) {
			t.Fatalf("round trip: %+v != %+v", want, &back)
		}
		// The metadata codec reads back what was sent.
		if meta != nil {
			raw, _ := json.Marshal(meta)
			got, err := decodeMetadata(raw)
			if err != nil || !reflect.DeepEqual(got, meta) {
				t.Fatalf("metadata %s: %v (%v)", raw, got, err)
			}
		}
	})
}

func FuzzLenientScalars(f *testing.F) {
	for _, s := range []string{`true`, `1`, `"1"`, `0`, `null`, `"yes"`, `11`, `"11"`, `11.0`, `11.5`, `1e400`, `""`, `-3`, `{}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b flexBool
		_ = b.UnmarshalJSON([]byte(s))
		var o optInt
		if err := o.UnmarshalJSON([]byte(s)); err == nil && o.Set {
			// A decoded integer encodes to a JSON number that decodes back.
			var again optInt
			if err := again.UnmarshalJSON([]byte(strings.TrimSpace(jsonInt(o.V)))); err != nil || again != o {
				t.Fatalf("%q: %v != %v (%v)", s, again, o, err)
			}
		}
	})
}

func jsonInt(v int) string {
	b, _ := json.Marshal(v)
	return string(b)
}
