// Package paddletest runs an in-memory Paddle Classic update_coupon and
// list_coupons endpoint on a loopback HTTP server, the way net/http/httptest serves
// net/http, so that code using package paddle can be tested without a
// Paddle account.
//
// The server behaves as Paddle Classic documents: it reads the
// form-encoded body, checks vendor_id and vendor_auth_code, enforces the
// documented field rules, keeps coupons across calls and applies updates the
// way Paddle does (a blank product_ids removes every product, a blank
// expires removes the expiry, a group update changes every coupon of the
// group, a rename re-keys the coupon). list_coupons (ListCouponsPath)
// answers the coupons of a product from that same state, in Paddle's shape
// (see ListCouponsPath). Every failure is Paddle's envelope
// {"success":false,"error":{"code":N,"message":"..."}} inside an HTTP 200,
// with Paddle's codes:
//
//	101 wrong method or path          116 required arguments missing
//	102 missing or malformed credentials
//	107 credentials that are not the server's
//	108 a product id that is not a positive integer, or (list_coupons) an unknown product
//	109 currency other than USD, GBP, EUR
//	120 internal error (FailNext with status 200)
//	128, 129 discount_amount out of range for a percentage or flat coupon
//	130 allowed_uses not a number     131 coupon code shorter than 5 or longer than 300
//	132 new_coupon_code already used  133 expires not YYYY-MM-DD
//	135 no coupon with that code or group
//	136 allowed_uses below the uses so far
//	137 allowed_uses below 0          138 expires not in the future
//	157 other invalid field values (group lengths, recurring, new_coupon_code with group)
//	189 rate limit reached (SetRateLimit), with a Retry-After header
//
// Paddle documents no rate-limit headers; Retry-After (whole seconds) is
// the only one the server adds.
package paddletest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/internal/testserver"
	"github.com/couponkit/couponkit/paddle"
)

// Path is the endpoint the server answers, as on vendors.paddle.com/api.
const Path = "/2.1/product/update_coupon"

// Discount types of a Coupon.
const (
	// Percentage coupons take a discount_amount in (0, 100].
	Percentage = "percentage"
	// Flat coupons take a money discount_amount of at least 0.01, and an
	// update of it must name the currency.
	Flat = "flat"
)

// Coupon is a coupon as the server stores it. Paddle's update answers no
// coupon, so this is the server's own view, read back with Server.Coupon.
// It differs from paddle.Coupon, what list_coupons answers: it has the
// Group and ProductIDs that list_coupons does not return, and its
// DiscountAmount is a percentage (10) where list_coupons writes a
// fraction (0.1).
type Coupon struct {
	// Code identifies the coupon (the key of AddCoupon and Coupon).
	Code string
	// Description is the coupon's dashboard note, answered by
	// list_coupons; updates do not change it.
	Description string
	// Group is the coupon's group; "" for none.
	Group string
	// ProductIDs are the products the coupon applies to; nil for none.
	ProductIDs []int
	// Expires is 00:00:00 UTC of the expiry date; nil: never expires.
	Expires *time.Time
	// AllowedUses is how many times the coupon can be used.
	AllowedUses int
	// TimesUsed is how many times it was used; AllowedUses may not go
	// below it.
	TimesUsed int
	// Currency is the currency of a flat DiscountAmount.
	Currency string
	// DiscountType is Percentage or Flat; "" means Percentage.
	DiscountType string
	// DiscountAmount is a percentage or a money amount, per DiscountType.
	DiscountAmount float64
	// Recurring says whether the discount applies to recurring payments.
	Recurring bool
}

// clone returns a deep copy, so callers never share state with the server.
func (c Coupon) clone() Coupon {
	if c.ProductIDs != nil {
		c.ProductIDs = append([]int(nil), c.ProductIDs...)
	}
	if c.Expires != nil {
		e := *c.Expires
		c.Expires = &e
	}
	return c
}

// Server is an in-memory Paddle Classic. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to paddle.WithBaseURL (no trailing /api:
	// the server answers Path directly under it).
	URL string
	// VendorID and AuthCode are the credentials the server accepts. They
	// are fixed at NewServer: changing these fields changes nothing.
	VendorID int
	AuthCode string

	srv      *httptest.Server
	base     testserver.Base
	vendorID string // the accepted credentials, as they appear in the form
	authCode string

	mu      sync.Mutex
	coupons map[string]Coupon
	// products are the product ids the server knows (list_coupons answers
	// 108 for others): those named by AddProduct, AddCoupon or an update.
	products map[int]bool
}

// NewServer starts a server on a loopback port with vendor ID 123456 and a
// fresh random auth code. Call Close when done.
func NewServer() *Server {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("paddletest: reading random auth code: " + err.Error())
	}
	s := &Server{VendorID: 123456, AuthCode: hex.EncodeToString(b[:]), coupons: make(map[string]Coupon)}
	s.vendorID, s.authCode = strconv.Itoa(s.VendorID), s.AuthCode
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and blocks until its requests have ended.
func (s *Server) Close() { s.srv.Close() }

// Client returns a *paddle.Client wired to the server with its credentials:
// paddle.WithBaseURL(s.URL) first, then opts. Like a Must helper it panics
// if the options are invalid (the panic never quotes the credentials).
func (s *Server) Client(opts ...paddle.Option) *paddle.Client {
	c, err := paddle.NewClient(s.VendorID, s.AuthCode, append([]paddle.Option{paddle.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		panic("paddletest: " + err.Error())
	}
	return c
}

// AddCoupon stores a copy of c keyed by c.Code, replacing any coupon with
// that code. Its ProductIDs become known products (see AddProduct).
func (s *Server) AddCoupon(c Coupon) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coupons[c.Code] = c.clone()
	s.knowProducts(c.ProductIDs)
}

// Coupon returns a copy of the coupon with that code, after the updates so
// far; false if there is none (a rename moves a coupon to its new code).
func (s *Server) Coupon(code string) (Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[code]
	return c.clone(), ok
}

// SetRateLimit allows limit requests per window; later requests in the
// window get Paddle's 189 "Rate limit reached" in an HTTP 200, with a
// Retry-After header. A limit of 0 turns limiting off.
func (s *Server) SetRateLimit(limit int, window time.Duration) { s.base.SetRateLimit(limit, window) }

// FailNext makes the next n requests fail. A status of 200 answers Paddle's
// 120 "internal error" envelope in an HTTP 200, the way Paddle reports it;
// any other status is answered with that HTTP status and a Paddle-style
// body (code 189 for 429, 120 otherwise). The coupons are not touched.
func (s *Server) FailNext(n, status int) { s.base.FailNext(n, status) }

// Requests returns the number of requests received so far.
func (s *Server) Requests() int { return s.base.Requests() }

// RateLimited returns how many rate-limit answers the server has sent (over
// the SetRateLimit quota, or injected with FailNext), so a test can assert
// that its traffic never tripped the limit.
func (s *Server) RateLimited() int { return s.base.RateLimited() }

// Windows returns how many rate-limit windows SetRateLimit's limiter has
// opened (a window opens with the first request after the last one ended):
// requests / (Windows() * limit) is the share of the quota a client used.
func (s *Server) Windows() int { return s.base.Windows() }

// Paddle's error codes and messages.
const (
	codeBadMethod      = 101
	codeBadAPIKey      = 102
	codeNoPermission   = 107
	codeProduct        = 108
	codeCurrency       = 109
	codeMissing        = 116
	codeInternal       = 120
	codePercentage     = 128
	codeFlatAmount     = 129
	codeAllowedUsesNaN = 130
	codeCouponCode     = 131
	codeCodeUsed       = 132
	codeExpiryFormat   = 133
	codeNotFound       = 135
	codeBelowTimesUsed = 136
	codeAllowedUsesNeg = 137
	codeExpiryPast     = 138
	codeInvalid        = 157
	codeRateLimited    = 189
	msgBadMethod       = "Bad method call"
	msgBadAPIKey       = "Bad api key"
	msgNoPermission    = "You don't have permission to access this resource"
	msgProduct         = "Unable to find requested product"
	msgCurrency        = "Provided currency is not valid"
	msgMissing         = "One or more required arguments are missing"
	msgInternal        = "Request failed due to internal error"
	msgPercentage      = "The given percentage is not valid. The percentage must be a number less than 100."
	msgFlatAmount      = "The given amount is not a valid flat amount. The amount must be a number equal to or greater than 0.01."
	msgAllowedUsesNaN  = "The allowed uses must be a number."
	msgCouponCode      = "The given coupon code is invalid. The code must have at least 5 characters."
	msgCodeUsed        = "The given coupon code has already been used for the product."
	msgExpiryFormat    = "The given coupon expiration date is invalid. The expected date format is YYYY-MM-DD."
	msgNotFound        = "Unable to find requested coupon"
	msgBelowTimesUsed  = "The allowed uses cannot be less than the number of times the coupon has been used."
	msgAllowedUsesNeg  = "The allowed uses must be 0 or greater."
	msgExpiryPast      = "The coupon expiration date must be in the future."
	msgRateLimited     = "Rate limit reached for this type of request. Please try again later."
	maxBody            = 1 << 20
	formContentType    = "application/x-www-form-urlencoded"
	jsonContentType    = "application/json"
)

var (
	hexRE  = regexp.MustCompile(`^[0-9a-f]+$`)
	dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// failure is one Paddle error answer.
type failure struct {
	code    int
	message string
}

func fail(code int, message string) *failure { return &failure{code, message} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(status)
	w.Write(b)
}

func writeFailure(w http.ResponseWriter, status int, f *failure) {
	type errorObj struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	writeJSON(w, status, struct {
		Success bool     `json:"success"`
		Error   errorObj `json:"error"`
	}{false, errorObj{f.code, f.message}})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	adm := s.base.Admit()
	// Read the whole body first, so that every answer leaves the
	// connection reusable.
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	switch {
	case adm.FailStatus == http.StatusOK:
		writeFailure(w, http.StatusOK, fail(codeInternal, msgInternal))
		return
	case adm.FailStatus == http.StatusTooManyRequests:
		writeFailure(w, adm.FailStatus, fail(codeRateLimited, msgRateLimited))
		return
	case adm.FailStatus != 0:
		writeFailure(w, adm.FailStatus, fail(codeInternal, msgInternal))
		return
	case adm.Limited:
		w.Header().Set("Retry-After", testserver.Seconds(adm.ResetIn, adm.Window))
		writeFailure(w, http.StatusOK, fail(codeRateLimited, msgRateLimited))
		return
	case readErr != nil:
		writeFailure(w, http.StatusRequestEntityTooLarge, fail(codeMissing, "Request body too large"))
		return
	case r.Method != http.MethodPost || (r.URL.Path != Path && r.URL.Path != ListCouponsPath):
		writeFailure(w, http.StatusOK, fail(codeBadMethod, msgBadMethod))
		return
	}
	// Like PHP's $_POST: a body that is not a well-formed form has no fields.
	form := url.Values{}
	if ct := r.Header.Get("Content-Type"); ct == formContentType || strings.HasPrefix(ct, formContentType+";") {
		if v, err := url.ParseQuery(string(body)); err == nil {
			form = v
		}
	}
	if r.URL.Path == ListCouponsPath {
		s.serveList(w, form)
		return
	}
	n, f := s.update(form)
	if f != nil {
		writeFailure(w, http.StatusOK, f)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	w.Write([]byte(`{"success":true,"response":{"updated":` + strconv.Itoa(n) + `}}`))
}

// update is the endpoint's logic: credentials, field rules, then the change,
// applied to every selected coupon or to none.
func (s *Server) update(form url.Values) (int, *failure) {
	if f := s.authenticate(form); f != nil {
		return 0, f
	}
	ch, f := parseChange(form)
	if f != nil {
		return 0, f
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	if ch.couponCode != "" {
		if _, ok := s.coupons[ch.couponCode]; ok {
			keys = []string{ch.couponCode}
		}
	} else {
		for k, c := range s.coupons {
			if c.Group == ch.group {
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return 0, fail(codeNotFound, msgNotFound)
	}
	if ch.newCode != nil && *ch.newCode != ch.couponCode {
		if _, taken := s.coupons[*ch.newCode]; taken {
			return 0, fail(codeCodeUsed, msgCodeUsed)
		}
	}
	for _, k := range keys {
		if f := ch.check(s.coupons[k]); f != nil {
			return 0, f
		}
	}
	for _, k := range keys {
		c := ch.apply(s.coupons[k])
		delete(s.coupons, k)
		s.coupons[c.Code] = c
	}
	if ch.productIDs != nil {
		s.knowProducts(*ch.productIDs)
	}
	return len(keys), nil
}

// authenticate checks the form's vendor_id and vendor_auth_code: 102 when
// malformed or missing, 107 when they are not the server's.
func (s *Server) authenticate(form url.Values) *failure {
	vid, code := form.Get("vendor_id"), form.Get("vendor_auth_code")
	if id, err := strconv.Atoi(vid); err != nil || id < 1 || !hexRE.MatchString(code) {
		return fail(codeBadAPIKey, msgBadAPIKey)
	}
	if vid != s.vendorID || code != s.authCode {
		return fail(codeNoPermission, msgNoPermission)
	}
	return nil
}

// change is a parsed, syntactically valid update; nil fields were not sent.
type change struct {
	couponCode, group string
	newCode, newGroup *string
	productIDs        *[]int // pointer to nil: remove every product
	expires           **time.Time
	allowedUses       *int
	currency          *string
	discountAmount    *float64
	recurring         *bool
}

func field(form url.Values, name string) (string, bool) {
	v, ok := form[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func runes(s string) int { return utf8.RuneCountInString(s) }

func parseChange(form url.Values) (*change, *failure) {
	ch := &change{couponCode: form.Get("coupon_code"), group: form.Get("group")}
	switch {
	case ch.couponCode == "" && ch.group == "":
		return nil, fail(codeMissing, msgMissing)
	case ch.couponCode != "" && ch.group != "":
		return nil, fail(codeMissing, "You must specify either coupon_code or group, but not both.")
	case ch.couponCode != "" && (runes(ch.couponCode) < 5 || runes(ch.couponCode) > 300):
		return nil, fail(codeCouponCode, msgCouponCode)
	case runes(ch.group) > 50:
		return nil, fail(codeInvalid, "The given group is invalid. It must have at most 50 characters.")
	}
	if v, ok := field(form, "new_coupon_code"); ok {
		switch {
		case ch.group != "":
			return nil, fail(codeInvalid, "A new coupon code cannot be given when updating a group.")
		case runes(v) < 5 || runes(v) > 300:
			return nil, fail(codeCouponCode, msgCouponCode)
		}
		ch.newCode = &v
	}
	if v, ok := field(form, "new_group"); ok {
		if runes(v) < 1 || runes(v) > 50 {
			return nil, fail(codeInvalid, "The given new group is invalid. It must have 1 to 50 characters.")
		}
		ch.newGroup = &v
	}
	if v, ok := field(form, "product_ids"); ok {
		var ids []int
		if v != "" {
			for _, p := range strings.Split(v, ",") {
				id, err := strconv.Atoi(strings.TrimSpace(p))
				if err != nil || id < 1 {
					return nil, fail(codeProduct, msgProduct)
				}
				ids = append(ids, id)
			}
		}
		ch.productIDs = &ids
	}
	if v, ok := field(form, "expires"); ok {
		var exp *time.Time
		if v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil || !dateRE.MatchString(v) {
				return nil, fail(codeExpiryFormat, msgExpiryFormat)
			}
			if !t.After(time.Now()) {
				return nil, fail(codeExpiryPast, msgExpiryPast)
			}
			exp = &t
		}
		ch.expires = &exp
	}
	if v, ok := field(form, "allowed_uses"); ok {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			return nil, fail(codeAllowedUsesNaN, msgAllowedUsesNaN)
		case n < 0:
			return nil, fail(codeAllowedUsesNeg, msgAllowedUsesNeg)
		}
		ch.allowedUses = &n
	}
	if v, ok := field(form, "currency"); ok {
		if v != paddle.USD && v != paddle.GBP && v != paddle.EUR {
			return nil, fail(codeCurrency, msgCurrency)
		}
		ch.currency = &v
	}
	if v, ok := field(form, "discount_amount"); ok {
		a, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(a, 0) || math.IsNaN(a) {
			return nil, fail(codeInvalid, "The given discount amount is not a number.")
		}
		ch.discountAmount = &a
	}
	if v, ok := field(form, "recurring"); ok {
		if v != "0" && v != "1" {
			return nil, fail(codeInvalid, "The recurring value must be 0 or 1.")
		}
		r := v == "1"
		ch.recurring = &r
	}
	return ch, nil
}

// check applies the rules that depend on the coupon being updated.
func (ch *change) check(c Coupon) *failure {
	if ch.allowedUses != nil && *ch.allowedUses < c.TimesUsed {
		return fail(codeBelowTimesUsed, msgBelowTimesUsed)
	}
	if a := ch.discountAmount; a != nil {
		if c.DiscountType == Flat {
			if *a < 0.01 {
				return fail(codeFlatAmount, msgFlatAmount)
			}
			if ch.currency == nil {
				return fail(codeMissing, msgMissing)
			}
		} else if *a <= 0 || *a > 100 {
			return fail(codePercentage, msgPercentage)
		}
	}
	return nil
}

// apply returns c changed the way Paddle changes it.
func (ch *change) apply(c Coupon) Coupon {
	c = c.clone()
	if ch.newCode != nil {
		c.Code = *ch.newCode
	}
	if ch.newGroup != nil {
		c.Group = *ch.newGroup
	}
	if ch.productIDs != nil {
		c.ProductIDs = append([]int(nil), *ch.productIDs...)
		if len(c.ProductIDs) == 0 {
			c.ProductIDs = nil
		}
	}
	if ch.expires != nil {
		c.Expires = nil
		if e := *ch.expires; e != nil {
			t := *e
			c.Expires = &t
		}
	}
	if ch.allowedUses != nil {
		c.AllowedUses = *ch.allowedUses
	}
	if ch.currency != nil {
		c.Currency = *ch.currency
	}
	if ch.discountAmount != nil {
		c.DiscountAmount = *ch.discountAmount
	}
	if ch.recurring != nil {
		c.Recurring = *ch.recurring
	}
	return c
}
