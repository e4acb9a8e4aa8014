package partnero

import (
	"encoding/json"
	"testing"

	"github.com/couponkit/couponkit/internal/wire"
)

// FuzzDecodePage: any listing answer decodes to a page or an error, never
// a panic; every coupon has a uuid_code and never-nil metadata.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"data":[{"uuid_code":"coupon_123","metadata":[],"additional_info":[]}],"links":{},"meta":{"current_page":1,"last_page":3},"status":1}`,
		`{"data":[{"uuid_code":"a","metadata":{"k":"v"},"additional_info":{"redemptions":[{"redeemed_at":"2025-05-07T17:53:32.000000Z"}]}}]}`,
		`{"data":[],"meta":{"current_page":"2","last_page":"1"}}`,
		`{"data":{},"meta":{"current_page":1,"last_page":9}}`,
		`{"data":null}`,
		`{"data":"x"}`,
		`{"data":[{"name":"no uuid"}]}`,
		`{"data":[{"uuid_code":"a"}],"meta":{"current_page":5}}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s), 2, 1)
	}
	f.Fuzz(func(t *testing.T, b []byte, limit, page int) {
		p, err := decodePage(b, limit, page)
		if err != nil {
			return
		}
		// The one-pass decoding agrees with the general path.
		var items []Coupon
		if meta, ok := decodeFast(b, -1, &items); ok {
			var slow pageJSON
			if err := json.Unmarshal(b, &slow); err != nil {
				t.Fatalf("%q: fast path accepted, json.Unmarshal: %v", b, err)
			}
			var again []Coupon
			if !wire.IsEmpty(slow.Data) {
				if err := wire.DecodeArray(slow.Data, -1, "data", adder(&again)); err != nil {
					t.Fatalf("%q: fast path accepted, general path: %v", b, err)
				}
			}
			if len(items) != len(again) || (meta == nil) != (slow.Meta == nil) || meta != nil && *meta != *slow.Meta {
				t.Fatalf("%q: fast %d items %+v, general %d items %+v", b, len(items), meta, len(again), slow.Meta)
			}
		}
		for _, c := range p.Items {
			if c.UUIDCode == "" {
				t.Fatalf("a coupon without uuid_code from %q", b)
			}
			if c.Metadata == nil {
				t.Fatalf("nil metadata from %q", b)
			}
		}
	})
}
