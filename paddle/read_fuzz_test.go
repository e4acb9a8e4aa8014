package paddle

import (
	"context"
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/testutil"
)

var listSeeds = []string{
	`{"success":true,"response":[{"id":4227,"coupon":"56604810a6990","description":"56604810a6dcd","discount_type":"percentage",` +
		`"discount_amount":0.5,"discount_currency":"USD","allowed_uses":3,"times_used":2,"is_recurring":true,` +
		`"expires":"2020-12-03 00:00:00","product_id":"16970"}]}`,
	`{"success":true,"response":[{"coupon":"SUMMER","discount_type":"flat","discount_amount":"12.50","discount_currency":null,` +
		`"allowed_uses":"100","times_used":"0","is_recurring":"1","expires":""}]}`,
	`{"success":true,"response":[{"coupon":"X1234","discount_type":"percentage","discount_amount":"0.0333","expires":false}]}`,
	`{"success":true,"response":[{"coupon":"X1234","expires":"0000-00-00 00:00:00"}]}`,
	`{"success":true,"response":[]}`,
	`{"success":true,"response":{}}`,
	`{"success":true,"response":"x"}`,
	`{"success":false,"error":{"code":108,"message":"Unable to find requested product"}}`,
	`{"success":true,"response":[{"coupon":"","discount_amount":1}]}`,
	`{"success":true,"response":[{"coupon":"X1234","discount_type":"percentage","discount_amount":1e308}]}`,
	`[]`,
	``,
}

// FuzzDecodeCoupons: any list_coupons body decodes (checked, then decoded
// again as ListCoupons does) to coupons or an error,
// never a panic; Paddle's own errors are APIErrors with a sentinel kind;
// every coupon has a code and a UTC expiry.
func FuzzDecodeCoupons(f *testing.F) {
	for _, s := range listSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, err := testutil.Collect(pager.Unpaged(context.Background(), "paddle",
			func(context.Context) (pager.Checked[Coupon], error) { return decodeCoupons(b) }))
		if err != nil {
			var ae *api.APIError
			if errors.As(err, &ae) && api.Kind(ae) == nil {
				t.Fatalf("Paddle's error without a kind: %v", err)
			}
			return
		}
		for _, c := range cs {
			if c.Code == "" {
				t.Fatalf("a coupon without a code: %+v", c)
			}
			if c.Expires != nil && (c.Expires.Location().String() != "UTC") {
				t.Fatalf("expires not in UTC: %v", c.Expires)
			}
		}
	})
}

// FuzzPercent: percent is 100 times the fraction, exact for every decimal
// text Paddle may write (the test server's fraction) and within rounding
// otherwise.
func FuzzPercent(f *testing.F) {
	for _, v := range []float64{0.15, 0.5, 1, 0.0333, 1e-5, 0.125, 0.3333, 1e300, 5e-324, -0.2, 0} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		p := percent(v)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return
		}
		want := v * 100
		if math.IsInf(want, 0) {
			if !math.IsInf(p, 0) {
				t.Fatalf("percent(%v) = %v, want ±Inf", v, p)
			}
			return
		}
		if d := math.Abs(p - want); d > 4*math.Abs(want)*1e-16 && d > 1e-300 {
			t.Fatalf("percent(%v) = %v, want about %v", v, p, want)
		}
		// The decimal text of the result is the fraction's text with the
		// point moved: reading "x" as a fraction gives back x as a percent.
		s := strconv.FormatFloat(p, 'e', -1, 64)
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != p {
			t.Fatalf("%v does not round trip through %q", p, s)
		}
	})
}

func TestPercentIsExactInDecimal(t *testing.T) {
	for in, want := range map[float64]float64{0.15: 15, 0.0333: 3.33, 0.5: 50, 1: 100, 0.125: 12.5, 0.3333: 33.33, 0.07: 7, 0.29: 29, 0.57: 57} {
		if got := percent(in); got != want {
			t.Errorf("percent(%v) = %v (%v*100 = %v), want %v", in, got, in, in*100, want)
		}
	}
}
