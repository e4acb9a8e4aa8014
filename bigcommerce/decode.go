package bigcommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/internal/wire"
)

// Coupons are decoded leniently wherever they are read (UpdateCoupon's
// answer, GetCoupon, ListCoupons), because BigCommerce's v2 API is a PHP
// back end whose own OpenAPI examples disagree with its schema:
//
//   - restricted_to is {}, [] or null for "no restriction", and its
//     countries may be a single string ("AU"), meaning a one-element list;
//     states and zips may be [] for none, and a single string per country;
//   - applies_to is null (promotion coupons), [] or {} for none;
//   - amount and min_purchase are decimal strings, but numbers are accepted
//     (kept as written);
//   - shipping_methods is null (none set: kept nil), [] (kept as an empty
//     non-nil slice, so the two stay distinct on the way back) or a list;
//   - ids and counters are numbers, but numeric strings are accepted;
//   - expires is "" (or null) for no expiry.

// couponJSON is a coupon as BigCommerce sends it. Field order is the
// documented wire order.
type couponJSON struct {
	ID                 wire.Int     `json:"id"`
	Name               wire.String  `json:"name"`
	Type               wire.String  `json:"type"`
	Amount             wire.String  `json:"amount"`
	MinPurchase        wire.String  `json:"min_purchase"`
	Expires            wire.String  `json:"expires"`
	Enabled            wire.Bool    `json:"enabled"`
	Code               wire.String  `json:"code"`
	AppliesTo          appliesTo    `json:"applies_to"`
	NumUses            wire.Int     `json:"num_uses"`
	MaxUses            wire.Int     `json:"max_uses"`
	MaxUsesPerCustomer wire.Int     `json:"max_uses_per_customer"`
	RestrictedTo       restrictedTo `json:"restricted_to"`
	ShippingMethods    flexStrings  `json:"shipping_methods"`
	DateCreated        wire.String  `json:"date_created"`
}

// decode decodes one coupon object.
func (c *Coupon) decode(b []byte) error {
	var w couponJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	return w.coupon(c)
}

// decodeCoupons decodes a bare JSON array of coupons, the body of
// GET /v2/coupons. An empty body, null, [] and {} are no coupons.
func decodeCoupons(b []byte) ([]Coupon, error) {
	if wire.IsEmpty(b) {
		return nil, nil
	}
	if s := bytes.TrimSpace(b); s[0] != '[' {
		return nil, fmt.Errorf("expected a JSON array of coupons, got %.20s", s)
	}
	var ws []couponJSON
	if err := json.Unmarshal(b, &ws); err != nil {
		return nil, err
	}
	out := make([]Coupon, len(ws))
	for i := range ws {
		if err := ws[i].coupon(&out[i]); err != nil {
			return nil, fmt.Errorf("coupon %d of %d: %w", i+1, len(ws), err)
		}
	}
	return out, nil
}

// decodePage decodes one ListCoupons page, a bare JSON array like
// decodeCoupons', one coupon at a time, and at most max of them: a page
// holding more than the limit asked for is cut off at limit+1 coupons
// (the pager then refuses it), so it costs O(limit) memory however large
// the body is.
func decodePage(b []byte, max int) ([]Coupon, error) {
	if wire.IsEmpty(b) {
		return nil, nil
	}
	if s := bytes.TrimSpace(b); s[0] != '[' {
		return nil, fmt.Errorf("expected a JSON array of coupons, got %.20s", s)
	}
	out := make([]Coupon, 0, max)
	err := wire.DecodeArray(b, max, "", func(i int, w *couponJSON) error {
		out = append(out, Coupon{})
		return w.coupon(&out[i])
	})
	return out, err
}

// coupon converts w into c.
func (w *couponJSON) coupon(c *Coupon) error {
	if w.ID.V == 0 {
		return errors.New("coupon has no id")
	}
	*c = Coupon{
		ID: w.ID.V, Name: string(w.Name), Type: CouponType(w.Type), Amount: string(w.Amount),
		MinPurchase: string(w.MinPurchase), Enabled: bool(w.Enabled), Code: string(w.Code),
		AppliesTo: w.AppliesTo.v, NumUses: w.NumUses.V, MaxUses: w.MaxUses.V,
		MaxUsesPerCustomer: w.MaxUsesPerCustomer.V, RestrictedTo: w.RestrictedTo.v,
		ShippingMethods: []string(w.ShippingMethods),
	}
	if w.Expires != "" {
		t, err := parseDate(string(w.Expires))
		if err != nil {
			return fmt.Errorf("expires: %w", err)
		}
		if !t.IsZero() { // the zero instant is how UpdateRequest says "no expiry"
			c.Expires = &t
		}
	}
	if w.DateCreated != "" {
		t, err := parseDate(string(w.DateCreated))
		if err != nil {
			return fmt.Errorf("date_created: %w", err)
		}
		c.DateCreated = t
	}
	return nil
}

// flexStrings is a list of strings that also accepts a single string (a
// one-element list; "" is an empty list) and {} (PHP's empty array). null
// stays nil and [] stays an empty non-nil slice. Numbers inside (zip codes)
// are kept as written.
type flexStrings []string

func (l *flexStrings) UnmarshalJSON(b []byte) error {
	s := bytes.TrimSpace(b)
	switch {
	case string(s) == "null":
		*l = nil
	case wire.IsEmpty(s) || string(s) == `""`:
		*l = []string{}
	case s[0] == '[':
		var items []wire.String
		if err := json.Unmarshal(s, &items); err != nil {
			return err
		}
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = string(it)
		}
		*l = out
	default:
		var one wire.String
		if err := one.UnmarshalJSON(s); err != nil {
			return fmt.Errorf("expected a list of strings, got %.20s", s)
		}
		*l = []string{string(one)}
	}
	return nil
}

// flexStringMap is a map of lists (restricted_to.states and .zips, keyed
// by country) that also accepts [] and null for none and a single string
// per key.
type flexStringMap map[string][]string

func (m *flexStringMap) UnmarshalJSON(b []byte) error {
	var raw map[string]flexStrings
	ok, err := wire.UnmarshalObject(b, &raw)
	if err != nil {
		return err
	}
	*m = nil
	if !ok {
		return nil
	}
	out := make(map[string][]string, len(raw))
	for k, v := range raw {
		if len(v) > 0 {
			out[k] = v
		}
	}
	if len(out) > 0 {
		*m = out
	}
	return nil
}

// restrictedTo decodes restricted_to: {}, [] and null (and an object whose
// lists are all empty) are nil, no restriction.
type restrictedTo struct{ v *RestrictedTo }

func (r *restrictedTo) UnmarshalJSON(b []byte) error {
	r.v = nil
	if wire.IsEmpty(b) {
		return nil // before w is declared: the common case allocates nothing
	}
	var w struct {
		Countries flexStrings   `json:"countries"`
		States    flexStringMap `json:"states"`
		Zips      flexStringMap `json:"zips"`
	}
	ok, err := wire.UnmarshalObject(b, &w)
	if err != nil || !ok {
		return err
	}
	if len(w.Countries) == 0 && len(w.States) == 0 && len(w.Zips) == 0 {
		return nil
	}
	r.v = &RestrictedTo{States: w.States, Zips: w.Zips}
	if len(w.Countries) > 0 {
		r.v.Countries = w.Countries
	}
	return nil
}

// appliesTo decodes applies_to: null (promotion coupons), [] and {} are
// nil; ids may be numeric strings, or a single id.
type appliesTo struct{ v *AppliesTo }

func (a *appliesTo) UnmarshalJSON(b []byte) error {
	a.v = nil
	if wire.IsEmpty(b) {
		return nil
	}
	// The documented shape decodes in one pass; only another one takes
	// the lenient path below.
	var doc AppliesTo
	if json.Unmarshal(b, &doc) == nil {
		a.v = &doc
		return nil
	}
	var w struct {
		Entity wire.String `json:"entity"`
		IDs    flexInts    `json:"ids"`
	}
	ok, err := wire.UnmarshalObject(b, &w)
	if err != nil || !ok {
		return err
	}
	a.v = &AppliesTo{Entity: string(w.Entity), IDs: w.IDs}
	return nil
}

// flexInts is a list of ids (numbers or numeric strings) that also
// accepts a single id.
type flexInts []int

func (l *flexInts) UnmarshalJSON(b []byte) error {
	s := bytes.TrimSpace(b)
	switch {
	case string(s) == "null":
		*l = nil
	case len(s) > 0 && s[0] == '[':
		var items []wire.Int
		if err := json.Unmarshal(s, &items); err != nil {
			return err
		}
		out := make([]int, len(items))
		for i, it := range items {
			out[i] = it.V
		}
		*l = out
	default:
		var one wire.Int
		if err := one.UnmarshalJSON(s); err != nil || !one.Set {
			return fmt.Errorf("expected a list of ids, got %.20s", s)
		}
		*l = []int{one.V}
	}
	return nil
}
