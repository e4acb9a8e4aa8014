package paddletest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ListCouponsPath is Paddle Classic's list-coupons endpoint (API 2.0),
// which the server answers as Paddle documents it: a POST form with
// vendor_id, vendor_auth_code and product_id, answered with
//
//	{"success":true,"response":[{"coupon":"SUMMER2026","description":"",
//	  "discount_type":"percentage","discount_amount":0.15,"discount_currency":null,
//	  "allowed_uses":100,"times_used":0,"is_recurring":false,
//	  "expires":"2030-06-30 00:00:00","product_id":"499531"}]}
//
// listing every coupon whose ProductIDs contain product_id, sorted by code,
// as the coupons are after the updates so far. Paddle's quirks are kept: a
// percentage is written as a fraction (15% as 0.15), expires as a
// date-time at midnight (null for none), discount_currency null when the
// coupon has no Currency, product_id as a string. A missing product_id is
// 116; one that is not a positive integer, or a product the server does
// not know (see AddProduct), is 108 "Unable to find requested product". A
// known product without coupons answers an empty list. There is no paging:
// the whole list is one answer.
const ListCouponsPath = "/2.0/product/list_coupons"

// AddProduct makes product ids known to the server, so that list_coupons
// answers them (with an empty list when no coupon names them) instead of
// 108. Product ids named by AddCoupon or by an update's product_ids are
// known already.
func (s *Server) AddProduct(ids ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.knowProducts(ids)
}

// knowProducts records ids as known products; s.mu is held.
func (s *Server) knowProducts(ids []int) {
	if len(ids) == 0 {
		return
	}
	if s.products == nil {
		s.products = map[int]bool{}
	}
	for _, id := range ids {
		s.products[id] = true
	}
}

// listedCoupon is one coupon of a list_coupons answer, fields in Paddle's
// order.
type listedCoupon struct {
	Coupon           string      `json:"coupon"`
	Description      string      `json:"description"`
	DiscountType     string      `json:"discount_type"`
	DiscountAmount   json.Number `json:"discount_amount"`
	DiscountCurrency *string     `json:"discount_currency"`
	AllowedUses      int         `json:"allowed_uses"`
	TimesUsed        int         `json:"times_used"`
	IsRecurring      bool        `json:"is_recurring"`
	Expires          *string     `json:"expires"`
	ProductID        string      `json:"product_id"`
}

// serveList answers list_coupons for an authenticated form.
func (s *Server) serveList(w http.ResponseWriter, form url.Values) {
	list, f := s.list(form)
	if f != nil {
		writeFailure(w, http.StatusOK, f)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Success  bool           `json:"success"`
		Response []listedCoupon `json:"response"`
	}{true, list})
}

// list is the endpoint's logic: credentials, product_id, then the coupons.
func (s *Server) list(form url.Values) ([]listedCoupon, *failure) {
	if f := s.authenticate(form); f != nil {
		return nil, f
	}
	raw, ok := field(form, "product_id")
	if !ok || raw == "" {
		return nil, fail(codeMissing, msgMissing)
	}
	id, err := strconv.Atoi(raw)
	if err != nil || id < 1 {
		return nil, fail(codeProduct, msgProduct)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.products[id] {
		return nil, fail(codeProduct, msgProduct)
	}
	list := []listedCoupon{} // [] for none, never null
	for _, c := range s.coupons {
		if slices.Contains(c.ProductIDs, id) {
			list = append(list, encodeListed(c, id))
		}
	}
	slices.SortFunc(list, func(a, b listedCoupon) int { return strings.Compare(a.Coupon, b.Coupon) })
	return list, nil
}

// encodeListed writes c as list_coupons does.
func encodeListed(c Coupon, productID int) listedCoupon {
	l := listedCoupon{
		Coupon: c.Code, Description: c.Description, DiscountType: c.DiscountType,
		DiscountAmount: json.Number(strconv.FormatFloat(c.DiscountAmount, 'f', -1, 64)),
		AllowedUses:    c.AllowedUses, TimesUsed: c.TimesUsed, IsRecurring: c.Recurring,
		ProductID: strconv.Itoa(productID),
	}
	if l.DiscountType == "" {
		l.DiscountType = Percentage
	}
	if l.DiscountType == Percentage {
		l.DiscountAmount = json.Number(fraction(c.DiscountAmount))
	}
	if c.Currency != "" {
		cur := c.Currency
		l.DiscountCurrency = &cur
	}
	if c.Expires != nil {
		e := c.Expires.UTC().Format("2006-01-02 15:04:05")
		l.Expires = &e
	}
	return l
}

// fraction writes a percentage as Paddle's list does, exactly in decimal:
// 15 as "0.15" (the exponent of its shortest text lowered by 2).
func fraction(percent float64) string {
	s := strconv.FormatFloat(percent, 'e', -1, 64)
	i := strings.LastIndexByte(s, 'e')
	exp, _ := strconv.Atoi(s[i+1:])
	f, _ := strconv.ParseFloat(s[:i]+"e"+strconv.Itoa(exp-2), 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}
