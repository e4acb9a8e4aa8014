// Package bigcommercetest runs an in-memory BigCommerce v2 coupon API on a
// loopback httptest.Server, so code that updates coupons can be tested
// without a real store, the way net/http/httptest serves net/http.
//
// The server behaves as BigCommerce documents: it checks X-Auth-Token and the
// store hash, serves PUT /stores/{hash}/v2/coupons/{id} with a JSON body and
// the documented read GET /stores/{hash}/v2/coupons (filters id, code, name,
// type, min_id, max_id; page and limit; a bare JSON array, 204 No Content
// when nothing matches) from the same state the PUTs change. It enforces
// the field rules (required fields, lengths, the code's character set, the
// type enum, unique name and code, read-only fields), answers BigCommerce's
// error arrays, keeps coupon state across calls and
// applies a PUT as BigCommerce does: fields sent replace, fields omitted
// keep their value, except applies_to, which is CLEARED when omitted.
// SetRateLimit makes it answer 429 with BigCommerce's X-Rate-Limit-* and
// X-Retry-After headers and no body, and FailNext fails the next requests;
// both apply to reads and updates alike.
package bigcommercetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testserver"
)

// Credentials a new Server accepts.
const (
	DefaultStoreHash   = "teststore"
	DefaultAccessToken = "bigcommercetest-access-token"
)

// Server is a running fake BigCommerce store. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to bigcommerce.WithBaseURL.
	URL string
	// StoreHash and AccessToken are the credentials the server accepts;
	// change them before the first request to test a mismatch.
	StoreHash, AccessToken string

	srv     *httptest.Server
	base    testserver.Base
	mu      sync.Mutex
	coupons map[int]bigcommerce.Coupon
}

// NewServer starts a server with no coupons; Close it when done.
func NewServer() *Server {
	s := &Server{StoreHash: DefaultStoreHash, AccessToken: DefaultAccessToken, coupons: map[int]bigcommerce.Coupon{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and blocks until its requests have finished.
func (s *Server) Close() { s.srv.Close() }

// Client returns a *bigcommerce.Client wired to the server with its
// credentials; opts are applied after the base URL. It panics if an option
// is invalid, like a Must helper: it is meant for tests.
func (s *Server) Client(opts ...bigcommerce.Option) *bigcommerce.Client {
	c, err := bigcommerce.NewClient(s.StoreHash, s.AccessToken, append([]bigcommerce.Option{bigcommerce.WithBaseURL(s.URL)}, opts...)...)
	if err != nil {
		panic("bigcommercetest: " + err.Error())
	}
	return c
}

// AddCoupon seeds a coupon, keyed by its ID (which must be > 0). A zero
// DateCreated becomes the current time.
func (s *Server) AddCoupon(c bigcommerce.Coupon) {
	if c.ID <= 0 {
		panic("bigcommercetest: AddCoupon needs an ID > 0")
	}
	if c.DateCreated.IsZero() {
		c.DateCreated = time.Now().UTC().Truncate(time.Second)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coupons[c.ID] = c
}

// DeleteCoupon removes the coupon id, as if deleted in the store (for
// example while a listing runs); it reports whether there was one.
func (s *Server) DeleteCoupon(id int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.coupons[id]
	delete(s.coupons, id)
	return ok
}

// Coupon returns the coupon's current state.
func (s *Server) Coupon(id int) (bigcommerce.Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[id]
	return c, ok
}

// SetRateLimit allows limit requests per window (BigCommerce: 150 per 30 s
// on Standard plans); over it, requests get 429 with rate-limit headers and
// no body. 0 turns limiting off.
func (s *Server) SetRateLimit(limit int, window time.Duration) { s.base.SetRateLimit(limit, window) }

// FailNext makes the next n requests answer status with a BigCommerce error
// array, before anything else is checked.
func (s *Server) FailNext(n int, status int) { s.base.FailNext(n, status) }

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

var (
	pathRE    = regexp.MustCompile(`^/stores/([^/]+)/v2/coupons/([^/]+)$`)
	listRE    = regexp.MustCompile(`^/stores/([^/]+)/v2/coupons/?$`)
	decimalRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	codeRE    = regexp.MustCompile(`^[A-Za-z0-9_ -]+$`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	a := s.base.Admit()
	if a.Limiting {
		h := w.Header()
		h.Set("X-Rate-Limit-Requests-Quota", strconv.Itoa(a.Limit))
		h.Set("X-Rate-Limit-Requests-Left", strconv.Itoa(a.Remaining))
		h.Set("X-Rate-Limit-Time-Window-Ms", strconv.FormatInt(a.Window.Milliseconds(), 10))
		h.Set("X-Rate-Limit-Time-Reset-Ms", strconv.FormatInt(a.ResetIn.Milliseconds(), 10))
	}
	switch {
	case a.FailStatus != 0:
		writeError(w, a.FailStatus, http.StatusText(a.FailStatus))
		return
	case a.Limited:
		w.Header().Set("X-Retry-After", testserver.Seconds(a.ResetIn, a.Window))
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	if r.Header.Get("X-Auth-Token") != s.AccessToken {
		writeError(w, http.StatusUnauthorized, "You are not authorized.")
		return
	}
	if m := listRE.FindStringSubmatch(r.URL.EscapedPath()); m != nil && m[1] == s.StoreHash {
		s.serveList(w, r)
		return
	}
	m := pathRE.FindStringSubmatch(r.URL.EscapedPath())
	id, err := 0, error(nil)
	if m != nil {
		id, err = strconv.Atoi(m[2])
	}
	if m == nil || m[1] != s.StoreHash || err != nil {
		writeError(w, http.StatusNotFound, "The requested resource was not found.")
		return
	}
	if r.Method != http.MethodPut {
		// BigCommerce documents no GET on /coupons/{id}; reads go through
		// the collection, GET /v2/coupons?id={id}.
		w.Header().Set("Allow", http.MethodPut)
		writeError(w, http.StatusMethodNotAllowed, "The requested method is not supported.")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "The request payload must be application/json.")
		return
	}
	var body map[string]json.RawMessage
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "The request payload could not be parsed.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[id]
	if !ok {
		writeError(w, http.StatusNotFound, "The requested resource was not found.")
		return
	}
	if status, msg, reason := s.apply(&c, body); status != 0 {
		writeErrorDetails(w, status, msg, reason)
		return
	}
	s.coupons[id] = c
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(wireCoupon(c))
}

// apply updates c from a PUT body as BigCommerce does; on a broken rule it
// returns the status, message and invalid_reason to answer with.
func (s *Server) apply(c *bigcommerce.Coupon, body map[string]json.RawMessage) (int, string, string) {
	for _, ro := range []string{"id", "num_uses", "date_created"} {
		if _, ok := body[ro]; ok {
			return 400, fmt.Sprintf("The field '%s' cannot be written to.", ro), "read-only field"
		}
	}
	var in struct {
		Name               *string                   `json:"name"`
		Type               *bigcommerce.CouponType   `json:"type"`
		Amount             *string                   `json:"amount"`
		Code               *string                   `json:"code"`
		AppliesTo          *bigcommerce.AppliesTo    `json:"applies_to"`
		MinPurchase        *string                   `json:"min_purchase"`
		Expires            *string                   `json:"expires"`
		Enabled            *bool                     `json:"enabled"`
		MaxUses            *int                      `json:"max_uses"`
		MaxUsesPerCustomer *int                      `json:"max_uses_per_customer"`
		RestrictedTo       *bigcommerce.RestrictedTo `json:"restricted_to"`
		ShippingMethods    *[]string                 `json:"shipping_methods"`
	}
	raw, _ := json.Marshal(body)
	if err := json.Unmarshal(raw, &in); err != nil {
		return 400, "The request payload is invalid.", err.Error()
	}
	for field, v := range map[string]*string{"name": in.Name, "amount": in.Amount, "code": in.Code} {
		if v == nil || *v == "" {
			return 400, fmt.Sprintf("The field '%s' is required.", field), "missing"
		}
	}
	if in.Type == nil {
		return 400, "The field 'type' is required.", "missing"
	}
	switch {
	case utf8.RuneCountInString(*in.Name) > 100:
		return 400, "The field 'name' is invalid.", "must be at most 100 characters"
	case utf8.RuneCountInString(*in.Code) > 50 || !codeRE.MatchString(*in.Code):
		return 400, "The field 'code' is invalid.", "only letters, numbers, white space, underscores and hyphens, at most 50"
	case !decimalRE.MatchString(*in.Amount):
		return 400, "The field 'amount' is invalid.", "must be a decimal"
	case in.MinPurchase != nil && !decimalRE.MatchString(*in.MinPurchase):
		return 400, "The field 'min_purchase' is invalid.", "must be a decimal"
	}
	switch *in.Type {
	case bigcommerce.PerItemDiscount, bigcommerce.PercentageDiscount, bigcommerce.PerTotalDiscount,
		bigcommerce.ShippingDiscount, bigcommerce.FreeShipping, bigcommerce.Promotion:
	default:
		return 400, "The field 'type' is invalid.", "unknown coupon type"
	}
	if in.AppliesTo != nil && (in.AppliesTo.Entity != bigcommerce.EntityProducts && in.AppliesTo.Entity != bigcommerce.EntityCategories || len(in.AppliesTo.IDs) == 0) {
		return 400, "The field 'applies_to' is invalid.", "entity must be products or categories, with ids"
	}
	var expires *time.Time
	if in.Expires != nil && *in.Expires != "" {
		t, err := time.Parse(time.RFC1123Z, *in.Expires)
		if err != nil {
			return 400, "The field 'expires' is invalid.", "must be an RFC 2822 date"
		}
		expires = &t
	}
	for id, other := range s.coupons {
		if id == c.ID {
			continue
		}
		if other.Name == *in.Name {
			return 409, "The field 'name' must be unique.", "duplicate"
		}
		if strings.EqualFold(other.Code, *in.Code) {
			return 409, "The field 'code' must be unique.", "duplicate"
		}
	}
	c.Name, c.Type, c.Amount, c.Code = *in.Name, *in.Type, fourDecimals(*in.Amount), *in.Code
	c.AppliesTo = in.AppliesTo // omitted: cleared, as BigCommerce does
	if in.MinPurchase != nil {
		c.MinPurchase = fourDecimals(*in.MinPurchase)
	}
	if in.Expires != nil {
		c.Expires = expires
	}
	if in.Enabled != nil {
		c.Enabled = *in.Enabled
	}
	if in.MaxUses != nil {
		c.MaxUses = *in.MaxUses
	}
	if in.MaxUsesPerCustomer != nil {
		c.MaxUsesPerCustomer = *in.MaxUsesPerCustomer
	}
	if in.RestrictedTo != nil {
		c.RestrictedTo = in.RestrictedTo
		if rt := in.RestrictedTo; len(rt.Countries) == 0 && len(rt.States) == 0 && len(rt.Zips) == 0 {
			c.RestrictedTo = nil // {} means no restriction
		}
	}
	if in.ShippingMethods != nil {
		c.ShippingMethods = *in.ShippingMethods
	}
	return 0, "", ""
}

// fourDecimals writes a decimal the way BigCommerce echoes it: "5" → "5.0000".
func fourDecimals(s string) string {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return strconv.FormatFloat(f, 'f', 4, 64)
}

type couponJSON struct {
	ID                 int                    `json:"id"`
	Name               string                 `json:"name"`
	Type               bigcommerce.CouponType `json:"type"`
	Amount             string                 `json:"amount"`
	MinPurchase        string                 `json:"min_purchase"`
	Expires            string                 `json:"expires"`
	Enabled            bool                   `json:"enabled"`
	Code               string                 `json:"code"`
	AppliesTo          *bigcommerce.AppliesTo `json:"applies_to"`
	NumUses            int                    `json:"num_uses"`
	MaxUses            int                    `json:"max_uses"`
	MaxUsesPerCustomer int                    `json:"max_uses_per_customer"`
	RestrictedTo       any                    `json:"restricted_to"`
	ShippingMethods    []string               `json:"shipping_methods"`
	DateCreated        string                 `json:"date_created"`
}

func wireCoupon(c bigcommerce.Coupon) couponJSON {
	out := couponJSON{
		ID: c.ID, Name: c.Name, Type: c.Type, Amount: c.Amount, MinPurchase: c.MinPurchase, Enabled: c.Enabled,
		Code: c.Code, AppliesTo: c.AppliesTo, NumUses: c.NumUses, MaxUses: c.MaxUses,
		MaxUsesPerCustomer: c.MaxUsesPerCustomer, ShippingMethods: c.ShippingMethods,
		DateCreated: c.DateCreated.Format(time.RFC1123Z), RestrictedTo: []any{},
	}
	if out.MinPurchase == "" {
		out.MinPurchase = "0.0000"
	}
	if c.Expires != nil {
		out.Expires = c.Expires.Format(time.RFC1123Z)
	}
	if c.RestrictedTo != nil {
		out.RestrictedTo = c.RestrictedTo
	}
	return out
}

func writeError(w http.ResponseWriter, status int, msg string) { writeErrorDetails(w, status, msg, "") }

func writeErrorDetails(w http.ResponseWriter, status int, msg, reason string) {
	item := map[string]any{"status": status, "message": msg}
	if reason != "" {
		item["details"] = map[string]string{"invalid_reason": reason}
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode([]any{item})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
