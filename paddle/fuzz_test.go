package paddle

// Fuzz targets for Paddle's decoders and codecs. Their seeds run as normal
// tests under go test; run one with e.g. go test -fuzz FuzzDecodeResponse.

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/wire"
	"github.com/google/go-querystring/query"
)

var responseSeeds = []string{
	`{"success":true,"response":{"updated":2}}`,
	`{"success":true,"response":{"updated":"3"}}`,
	`{"success":true,"response":[]}`,
	`{"success":true,"response":null}`,
	`{"success":true}`,
	`{"success":false,"error":{"code":135,"message":"Unable to find requested coupon"}}`,
	`{"success":false,"error":{"code":"189","message":"Rate limit reached for this type of request. Please try again later."}}`,
	`{"success":false,"error":{"code":107,"message":"You don't have permission to access this resource"}}`,
	`{"success":false,"error":{"code":null}}`,
	`{"success":false,"error":[]}`,
	`{"success":false}`,
	`{"success":"true"}`,
	`{"response":{"updated":1e400}}`,
	`{"success":true,"response":{"updated":1.5}}`,
	`<html><body>502 Bad Gateway</body></html>`,
	``,
	`null`,
	"{\"success\":false,\"error\":{\"code\":116,\"message\":\"\xff\xfe\"}}",
}

func FuzzDecodeResponse(f *testing.F) {
	for _, s := range responseSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := decodeResponse(body)
		if err != nil {
			var ae *api.APIError
			if errors.As(err, &ae) && api.Kind(ae) == nil {
				t.Fatalf("APIError without a kind for %q", body)
			}
			return
		}
		if n < 0 {
			t.Fatalf("negative count %d for %q", n, body)
		}
		// Encode the count the way Paddle does and decode it again.
		again, err := decodeResponse([]byte(`{"success":true,"response":{"updated":` + strconv.Itoa(n) + `}}`))
		if err != nil || again != n {
			t.Fatalf("round trip of %d gave %d, %v", n, again, err)
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	for _, s := range responseSeeds {
		f.Add(502, []byte(s))
	}
	f.Add(405, []byte(`{"success":false,"error":{"code":101,"message":"Bad method call"}}`))
	f.Add(503, []byte("<html>\n<h1>503</h1>\n</html>"))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		ae := decodeError(status, http.Header{}, body)
		if ae == nil {
			t.Fatalf("nil APIError for %q", body)
		}
		if ae.Code == "" && ae.Message == "" {
			t.Fatalf("neither code nor message for %q", body)
		}
		if api.Kind(ae) != nil && api.KindForStatus(status) != nil {
			t.Fatalf("kind set although status %d decides", status)
		}
	})
}

func FuzzKindForCode(f *testing.F) {
	for _, c := range []string{"102", "107", "108", "111", "116", "120", "135", "189", "", "abc"} {
		f.Add(c)
	}
	sentinels := []error{api.ErrInvalidRequest, api.ErrUnauthorized, api.ErrForbidden, api.ErrNotFound,
		api.ErrConflict, api.ErrRateLimited, api.ErrServer}
	f.Fuzz(func(t *testing.T, code string) {
		e := (&errorJSON{Code: wire.String(code), Message: "m"}).apiError()
		if e.Code != code {
			t.Fatalf("code %q became %q", code, e.Code)
		}
		matched := 0
		for _, s := range sentinels {
			if errors.Is(e, s) {
				matched++
			}
		}
		if matched != 1 {
			t.Fatalf("code %q matches %d sentinels", code, matched)
		}
	})
}

func FuzzDate(f *testing.F) {
	f.Add(int64(1798675200), 0)          // 2027-01-01 00:00 UTC
	f.Add(int64(1798761599), -5*3600)    // late in a UTC-5 day
	f.Add(int64(-62135596800), 14*3600)  // year 1
	f.Add(int64(253402300799), -12*3600) // 9999-12-31 23:59:59 UTC
	f.Fuzz(func(t *testing.T, unix int64, offset int) {
		if unix < -62135596800 || unix > 253402300799 || offset < -14*3600 || offset > 14*3600 {
			return
		}
		in := time.Unix(unix, 0).In(time.FixedZone("", offset))
		s := formatDate(in)
		d, err := parseDate(s)
		if err != nil {
			t.Fatalf("formatDate(%v) = %q does not parse: %v", in, s, err)
		}
		y, m, dd := in.UTC().Date()
		if d != time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) {
			t.Fatalf("%v → %q → %v: not the UTC date", in, s, d)
		}
		if formatDate(d) != s {
			t.Fatalf("%q does not round-trip", s)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-01-01", "2027-1-1", "2027-02-30", "27-01-01", "2027-01-01T00:00:00Z", "", "+002-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if err != nil {
			return
		}
		if got := formatDate(d); got != s {
			t.Fatalf("parseDate(%q) formats back as %q", s, got)
		}
	})
}

func FuzzFormatAmount(f *testing.F) {
	for _, v := range []float64{10, 12.5, 0.01, 10.1, 1e21, 1e-7, 1.0 / 3, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if !validAmount(v) {
			return
		}
		s := formatAmount(v)
		if strings.ContainsAny(s, "eE+-") {
			t.Fatalf("formatAmount(%v) = %q has an exponent or sign", v, s)
		}
		if strings.Contains(s, ".") && strings.HasSuffix(s, "0") {
			t.Fatalf("formatAmount(%v) = %q has trailing zeros", v, s)
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != v {
			t.Fatalf("formatAmount(%v) = %q reads back as %v, %v", v, s, back, err)
		}
	})
}

// FuzzForm encodes random valid requests and decodes the body the way
// Paddle does, checking every field survives the trip.
func FuzzForm(f *testing.F) {
	f.Add("SUMMER2026", "", "SUMMER2027", "", "499531,1234", false, int64(1798675200), false, 5, "EUR", 12.5, 1)
	f.Add("", "summer & co", "", "autumn=ok", "", true, int64(0), true, 0, "", 0.0, 2)
	f.Add("código ünïcode", "", "", "", "7", false, int64(-1), false, -1, "USD", 1e21, 0)
	f.Fuzz(func(t *testing.T, code, group, newCode, newGroup, ids string, removeProducts bool, expUnix int64,
		removeExpiry bool, uses int, currency string, amount float64, recurring int) {
		req := &UpdateCouponRequest{CouponCode: code, Group: group, NewCouponCode: newCode, NewGroup: newGroup,
			RemoveProducts: removeProducts, RemoveExpiry: removeExpiry, Currency: currency}
		for _, p := range strings.Split(ids, ",") {
			if id, err := strconv.Atoi(p); err == nil {
				req.ProductIDs = append(req.ProductIDs, id)
			}
		}
		if expUnix > 0 && expUnix < 253402300799 {
			req.Expires = Ptr(time.Unix(expUnix, 0))
		}
		if uses >= 0 {
			req.AllowedUses = &uses
		}
		if amount != 0 {
			req.DiscountAmount = &amount
		}
		if recurring == 0 || recurring == 1 {
			req.Recurring = Ptr(recurring == 1)
		}
		if req.validate() != nil {
			return
		}
		creds, err := encodeCredentials(4321, "abc123")
		if err != nil {
			t.Fatal(err)
		}
		f := newForm(req)
		body, err := f.encode(creds)
		if err != nil {
			t.Fatal(err)
		}
		// The same bytes as go-querystring encoding every field at once.
		all, err := query.Values(struct {
			credentialsForm
			form
		}{credentialsForm{VendorID: 4321, VendorAuthCode: "abc123"}, *f})
		if err != nil || all.Encode() != string(body) {
			t.Fatalf("body %q, encoding all fields at once gives %q (%v)", body, all.Encode(), err)
		}
		v, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatalf("body %q does not parse: %v", body, err)
		}
		check := func(name string, sent bool, want string) {
			t.Helper()
			got, ok := v[name]
			if ok != sent || (sent && (len(got) != 1 || got[0] != want)) {
				t.Fatalf("%s: got %q (present %v), want %q (present %v) in %q", name, got, ok, want, sent, body)
			}
		}
		check("vendor_id", true, "4321")
		check("vendor_auth_code", true, "abc123")
		check("coupon_code", code != "", code)
		check("group", group != "", group)
		check("new_coupon_code", newCode != "", newCode)
		check("new_group", newGroup != "", newGroup)
		check("currency", currency != "", currency)
		if req.RemoveProducts {
			check("product_ids", true, "")
		} else if len(req.ProductIDs) > 0 {
			var back []int
			for _, p := range strings.Split(v.Get("product_ids"), ",") {
				id, err := strconv.Atoi(p)
				if err != nil {
					t.Fatalf("product_ids %q: %v", v.Get("product_ids"), err)
				}
				back = append(back, id)
			}
			if len(back) != len(req.ProductIDs) {
				t.Fatalf("product_ids %v read back as %v", req.ProductIDs, back)
			}
			for i := range back {
				if back[i] != req.ProductIDs[i] {
					t.Fatalf("product_ids %v read back as %v", req.ProductIDs, back)
				}
			}
		} else {
			check("product_ids", false, "")
		}
		switch {
		case req.RemoveExpiry:
			check("expires", true, "")
		case req.Expires != nil:
			d, err := parseDate(v.Get("expires"))
			if err != nil || formatDate(d) != formatDate(*req.Expires) {
				t.Fatalf("expires %q for %v: %v", v.Get("expires"), req.Expires, err)
			}
		default:
			check("expires", false, "")
		}
		if req.AllowedUses != nil {
			check("allowed_uses", true, strconv.Itoa(*req.AllowedUses))
		}
		if req.DiscountAmount != nil {
			back, err := strconv.ParseFloat(v.Get("discount_amount"), 64)
			if err != nil || back != *req.DiscountAmount {
				t.Fatalf("discount_amount %q for %v", v.Get("discount_amount"), *req.DiscountAmount)
			}
		}
		if req.Recurring != nil {
			check("recurring", true, map[bool]string{true: "1", false: "0"}[*req.Recurring])
		}
	})
}
