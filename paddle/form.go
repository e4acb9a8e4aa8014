package paddle

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/google/go-querystring/query"
)

// dateLayout is Paddle's expires format: a date, read as 00:00:00 UTC.
const dateLayout = "2006-01-02"

// credentialsForm is the part of every body that never changes. It is
// encoded once, at NewClient, by go-querystring like the rest.
type credentialsForm struct {
	VendorID       int    `url:"vendor_id"`
	VendorAuthCode string `url:"vendor_auth_code"`
}

// encodeCredentials returns the encoded vendor_auth_code and vendor_id
// pair that ends every body.
func encodeCredentials(vendorID int, authCode string) (string, error) {
	v, err := query.Values(credentialsForm{VendorID: vendorID, VendorAuthCode: authCode})
	if err != nil {
		return "", err
	}
	return v.Encode(), nil
}

// form is the rest of the update_coupon body, encoded by go-querystring
// from its url tags. Pointer fields are sent when non-nil, so a pointer to
// "" sends the field blank: that is how RemoveProducts and RemoveExpiry
// reach Paddle.
type form struct {
	CouponCode    string `url:"coupon_code,omitempty"`
	Group         string `url:"group,omitempty"`
	NewCouponCode string `url:"new_coupon_code,omitempty"`
	NewGroup      string `url:"new_group,omitempty"`
	// ProductIDs and RemoveProducts share the wire name; validation lets
	// at most one of them be set.
	ProductIDs     []int   `url:"product_ids,comma,omitempty"`
	RemoveProducts *string `url:"product_ids,omitempty"`
	Expires        *string `url:"expires,omitempty"`
	AllowedUses    *int    `url:"allowed_uses,omitempty"`
	Currency       string  `url:"currency,omitempty"`
	DiscountAmount *string `url:"discount_amount,omitempty"`
	Recurring      *bool   `url:"recurring,int,omitempty"`

	// expires and discountAmount hold the values Expires and
	// DiscountAmount point to (go-querystring skips unexported fields).
	expires, discountAmount string
}

// blank is the value that makes Paddle remove products or an expiry.
var blank = ""

// newForm maps a validated request to its form.
func newForm(r *UpdateCouponRequest) *form {
	f := &form{
		CouponCode: r.CouponCode, Group: r.Group, NewCouponCode: r.NewCouponCode, NewGroup: r.NewGroup,
		ProductIDs: r.ProductIDs, AllowedUses: r.AllowedUses, Currency: r.Currency, Recurring: r.Recurring,
	}
	if r.RemoveProducts {
		f.RemoveProducts = &blank
	}
	switch {
	case r.RemoveExpiry:
		f.Expires = &blank
	case r.Expires != nil:
		f.expires = formatDate(*r.Expires)
		f.Expires = &f.expires
	}
	if r.DiscountAmount != nil {
		f.discountAmount = formatAmount(*r.DiscountAmount)
		f.DiscountAmount = &f.discountAmount
	}
	return f
}

// encode returns the form followed by the encoded credentials as an
// application/x-www-form-urlencoded body with its keys sorted, so that every
// attempt sends the same bytes: every update field sorts before "vendor_",
// so appending the credentials gives exactly what encoding all the fields
// at once would.
func (f *form) encode(credentials string) ([]byte, error) {
	v, err := query.Values(f)
	if err != nil {
		return nil, err
	}
	return []byte(v.Encode() + "&" + credentials), nil
}

// formatDate is the UTC date part of t as YYYY-MM-DD: Paddle expires a
// coupon at 00:00:00 UTC on that date, so a local time late in the day
// belongs to the next UTC date.
func formatDate(t time.Time) string {
	return t.UTC().Format(dateLayout)
}

// parseDate reads a YYYY-MM-DD date as 00:00:00 UTC, the instant Paddle
// expires a coupon.
func parseDate(s string) (time.Time, error) {
	if len(s) != len(dateLayout) {
		return time.Time{}, fmt.Errorf("not a YYYY-MM-DD date: %q", s)
	}
	return time.Parse(dateLayout, s)
}

// formatAmount writes v in plain decimal notation with no exponent and no
// trailing zeros (10 → "10", 12.5 → "12.5"), which Paddle's number fields
// read exactly.
func formatAmount(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// validAmount reports whether v is a positive finite amount.
func validAmount(v float64) bool {
	return v > 0 && !math.IsInf(v, 1)
}
