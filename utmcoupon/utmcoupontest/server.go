// Package utmcoupontest runs an in-memory emulation of VTEX's Promotions &
// Taxes coupon upsert (POST /api/rnb/pvt/coupon) and its reads (GET
// /api/rnb/pvt/coupon/{couponCode} and GET /api/rnb/pvt/coupon) on a
// loopback server, so that code using package utmcoupon can be tested
// without a VTEX account, the way net/http/httptest serves net/http.
//
// The server behaves as VTEX documents it:
//
//   - Credentials: a request without X-VTEX-API-AppKey or
//     X-VTEX-API-AppToken answers 401 with a text/plain body; a wrong key or
//     token answers 403 with RFC 7807 problem JSON (VTEX answers 403 when
//     the credentials lack the permission). The account name is not checked:
//     the server is reached through its URL, not {account}.vtexcommercestable.com.br.
//   - The upsert is keyed by couponCode: an unknown code is created (201),
//     a known one is replaced as a whole (200), so fields a request leaves
//     out (utmCampaign, isArchived, maxUsage) fall back to their defaults.
//     Both answers carry the stored coupon with lastModifiedUtc written with
//     seven fraction digits, as .NET does; null utmCampaign and maxUsage are
//     left out of the answer, as in VTEX's documented example.
//   - Reads serve the state upserts and AddCoupon leave: GET one answers
//     the bare coupon object (404 in RFC 7807 JSON for an unknown code; the
//     code is one escaped path segment, so "a%2Fb" reads the coupon "a/b"),
//     GET all one bare array of every coupon ordered by code, without
//     paging ([] when there is none). groupingKey appears only on coupons
//     seeded with a GroupingKey; it is read-only, so upserts keep it and a
//     groupingKey in an upsert body is ignored. A utmCampaign sent as ""
//     is stored and answered as "", apart from null (left out).
//   - Field rules answer 400 with ASP.NET's RFC 7807 validation body
//     ({"title":"One or more validation errors occurred.","errors":{...}}),
//     keyed by wire field name: utmSource, couponCode, maxItemsPerClient and
//     expirationIntervalPerUse are required; the numbers must be
//     non-negative integers; expirationIntervalPerUse must be a .NET
//     TimeSpan ("14.00:00:00", hours 00-23) that is not negative. Malformed
//     JSON answers 400 with the error under "$"; a body that is not
//     application/json answers 415; another method answers 405 with Allow
//     (GET, POST on the collection, GET on one coupon), another path 404
//     (text/plain).
//   - Rate limits (SetRateLimit) answer 429 text/plain with Retry-After and
//     Ratelimit-Limit, Ratelimit-Remaining and Ratelimit-Reset in whole
//     seconds (rounded up); the Ratelimit-* headers are on every answer while
//     a limit is set.
//   - FailNext failures answer in the same formats: 401 text/plain, 429 as
//     a rate limit, 5xx text/plain, any other status RFC 7807 JSON.
package utmcoupontest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/internal/testserver"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/internal/timespan"
)

// Default credentials of a new Server.
const (
	DefaultAccount  = "couponkit"
	DefaultAppKey   = "vtexappkey-couponkit-TESTKEY"
	DefaultAppToken = "UTMCOUPONTEST-APP-TOKEN-not-a-secret"
)

// CouponPath is the path the server answers.
const CouponPath = "/api/rnb/pvt/coupon"

// lastModifiedLayout is how .NET writes a UTC DateTime: seven fraction digits.
const lastModifiedLayout = "2006-01-02T15:04:05.0000000Z"

const maxBody = 1 << 20

// Server is a running emulation of VTEX's coupon upsert. Its methods are
// safe for concurrent use.
type Server struct {
	// URL is the server's base URL (http://127.0.0.1:port), to pass to
	// utmcoupon.WithBaseURL.
	URL string
	// Account is the account name to pass to utmcoupon.NewClient; the
	// server does not check it.
	Account string
	// AppKey and AppToken are the only credentials the server accepts.
	// They are copied when the server starts: changing these fields
	// afterwards changes nothing.
	AppKey, AppToken string

	base     testserver.Base
	srv      *httptest.Server
	appKey   string
	appToken string
	traceN   atomic.Uint64
	now      func() time.Time

	mu      sync.Mutex
	coupons map[string]utmcoupon.Coupon
	// emptyCampaign holds the codes whose utmCampaign is the empty string
	// "" rather than null: VTEX stores the two apart.
	emptyCampaign map[string]bool
}

// NewServer starts a server on loopback with the Default* credentials and
// no coupons. Close it when done.
func NewServer() *Server {
	s := &Server{
		Account:  DefaultAccount,
		AppKey:   DefaultAppKey,
		AppToken: DefaultAppToken,
		appKey:   DefaultAppKey,
		appToken: DefaultAppToken,
		now:      time.Now,
		coupons:  make(map[string]utmcoupon.Coupon),

		emptyCampaign: make(map[string]bool),
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down, waiting for requests in flight.
func (s *Server) Close() { s.srv.Close() }

// Client returns a utmcoupon.Client wired to the server with its
// credentials: utmcoupon.NewClient(s.Account, s.AppKey, s.AppToken,
// utmcoupon.WithBaseURL(s.URL), opts...). Like a Must helper it panics when
// an option is invalid.
func (s *Server) Client(opts ...utmcoupon.Option) *utmcoupon.Client {
	all := append([]utmcoupon.Option{utmcoupon.WithBaseURL(s.URL)}, opts...)
	c, err := utmcoupon.NewClient(s.Account, s.AppKey, s.AppToken, all...)
	if err != nil {
		panic("utmcoupontest: Client: " + err.Error())
	}
	return c
}

// AddCoupon stores c under c.CouponCode as is, replacing any coupon with
// that code; a zero LastModifiedUTC is set to now. Set GroupingKey to seed
// a coupon created in a batch: reads return it and upserts keep it. A
// UtmCampaign of "" is stored as null, unless c was read from VTEX (or
// this server) with "" (c.UpdateRequest().UtmCampaign points to "").
func (s *Server) AddCoupon(c utmcoupon.Coupon) {
	if c.LastModifiedUTC.IsZero() {
		c.LastModifiedUTC = s.stamp()
	}
	empty := c.UtmCampaign == "" && c.UpdateRequest().UtmCampaign != nil
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coupons[c.CouponCode] = clone(c)
	s.setEmptyCampaign(c.CouponCode, empty)
}

// setEmptyCampaign records whether code's campaign is "" rather than null.
// s.mu must be held.
func (s *Server) setEmptyCampaign(code string, empty bool) {
	if empty {
		s.emptyCampaign[code] = true
	} else {
		delete(s.emptyCampaign, code)
	}
}

// Coupon returns the coupon stored under couponCode, as the last upsert or
// AddCoupon left it. Its UtmCampaign is "" both for null and for the
// empty string; GetCoupon and ListCoupons tell the two apart.
func (s *Server) Coupon(couponCode string) (utmcoupon.Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[couponCode]
	return clone(c), ok
}

// SetRateLimit allows limit requests per window, answering 429 with VTEX's
// rate-limit headers beyond it; 0 turns limiting off.
func (s *Server) SetRateLimit(limit int, window time.Duration) { s.base.SetRateLimit(limit, window) }

// FailNext makes the next n requests answer status in VTEX's error format.
func (s *Server) FailNext(n, status int) { s.base.FailNext(n, status) }

// Requests returns the number of requests received so far, failed ones
// included.
func (s *Server) Requests() int { return s.base.Requests() }

// RateLimited returns how many rate-limit answers the server has sent (over
// the SetRateLimit quota, or injected with FailNext), so a test can assert
// that its traffic never tripped the limit.
func (s *Server) RateLimited() int { return s.base.RateLimited() }

// Windows returns how many rate-limit windows SetRateLimit's limiter has
// opened (a window opens with the first request after the last one ended):
// requests / (Windows() * limit) is the share of the quota a client used.
func (s *Server) Windows() int { return s.base.Windows() }

func clone(c utmcoupon.Coupon) utmcoupon.Coupon {
	if c.MaxUsage != nil {
		c.MaxUsage = utmcoupon.Ptr(*c.MaxUsage)
	}
	return c
}

// stamp is the current time at .NET's resolution, in UTC.
func (s *Server) stamp() time.Time { return s.now().UTC().Truncate(timespan.Tick) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	adm := s.base.Admit()
	if adm.Limiting {
		setRateLimitHeaders(w.Header(), adm)
	}
	switch {
	case adm.FailStatus != 0:
		s.fail(w, adm.FailStatus)
		return
	case adm.Limited:
		tooManyRequests(w, adm.ResetIn, adm.Window)
		return
	}
	rt, ok := s.route(w, r)
	if !ok {
		return
	}
	key, token := r.Header.Get("X-VTEX-API-AppKey"), r.Header.Get("X-VTEX-API-AppToken")
	if key == "" || token == "" {
		plain(w, http.StatusUnauthorized, "Unauthorized: X-VTEX-API-AppKey and X-VTEX-API-AppToken are required")
		return
	}
	if key != s.appKey || token != s.appToken {
		s.problem(w, http.StatusForbidden, "Forbidden",
			"The credentials are not valid or their role lacks the Promotions and Taxes permission.", nil)
		return
	}
	if rt.read {
		s.serveRead(w, rt)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.problem(w, http.StatusUnsupportedMediaType, "Unsupported Media Type", "", nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.problem(w, http.StatusRequestEntityTooLarge, "Payload Too Large", "", nil)
		return
	}
	c, emptyCampaign, fieldErrs := parseCoupon(body)
	if len(fieldErrs) > 0 {
		s.problem(w, http.StatusBadRequest, "One or more validation errors occurred.", "", fieldErrs)
		return
	}
	c.LastModifiedUTC = s.stamp()
	s.mu.Lock()
	old, existed := s.coupons[c.CouponCode]
	c.GroupingKey = old.GroupingKey // read-only: set by batch creation, kept by updates
	s.coupons[c.CouponCode] = clone(c)
	s.setEmptyCampaign(c.CouponCode, emptyCampaign)
	s.mu.Unlock()
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	}
	writeJSON(w, status, "application/json; charset=utf-8", couponOut(c, emptyCampaign))
}

// couponJSON is a coupon as VTEX answers it: null utmCampaign and maxUsage
// left out, groupingKey only on coupons created in a batch.
type couponJSON struct {
	LastModifiedUTC          string  `json:"lastModifiedUtc"`
	UtmSource                string  `json:"utmSource"`
	UtmCampaign              *string `json:"utmCampaign,omitempty"`
	CouponCode               string  `json:"couponCode"`
	IsArchived               bool    `json:"isArchived"`
	MaxItemsPerClient        int     `json:"maxItemsPerClient"`
	ExpirationIntervalPerUse string  `json:"expirationIntervalPerUse"`
	MaxUsage                 *int    `json:"maxUsage,omitempty"`
	GroupingKey              string  `json:"groupingKey,omitempty"`
}

// couponOut is c as VTEX answers it; emptyCampaign writes a utmCampaign of
// "" as "" rather than leaving it out as null.
func couponOut(c utmcoupon.Coupon, emptyCampaign bool) couponJSON {
	out := couponJSON{
		LastModifiedUTC:          c.LastModifiedUTC.UTC().Format(lastModifiedLayout),
		UtmSource:                c.UtmSource,
		CouponCode:               c.CouponCode,
		IsArchived:               c.IsArchived,
		MaxItemsPerClient:        c.MaxItemsPerClient,
		ExpirationIntervalPerUse: timespan.Format(c.ExpirationIntervalPerUse),
		MaxUsage:                 c.MaxUsage,
		GroupingKey:              c.GroupingKey,
	}
	if c.UtmCampaign != "" || emptyCampaign {
		out.UtmCampaign = &c.UtmCampaign
	}
	return out
}

// parseCoupon reads a request body the way the ASP.NET endpoint binds it,
// returning the coupon (and whether its utmCampaign was the empty string,
// not null) or the field errors, keyed by wire name. A groupingKey in the
// body is ignored: it is read-only.
func parseCoupon(body []byte) (utmcoupon.Coupon, bool, map[string][]string) {
	var c utmcoupon.Coupon
	errs := map[string][]string{}
	add := func(field, msg string) { errs[field] = append(errs[field], msg) }

	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil || fields == nil || dec.More() {
		msg := "The request body is not a valid JSON object."
		if err != nil {
			msg = "The request body is not valid JSON: " + err.Error()
		}
		add("$", msg)
		return c, false, errs
	}
	str := func(name string, required bool) (string, bool) {
		raw, ok := fields[name]
		if !ok || isNull(raw) {
			if required {
				add(name, "The "+title(name)+" field is required.")
			}
			return "", false
		}
		var v string
		if json.Unmarshal(raw, &v) != nil {
			add(name, "The JSON value could not be converted to System.String. Path: $."+name)
			return "", false
		}
		if required && v == "" {
			add(name, "The "+title(name)+" field is required.")
			return "", false
		}
		return v, true
	}
	num := func(name string, required bool) (*int, bool) {
		raw, ok := fields[name]
		if !ok || isNull(raw) {
			if required {
				add(name, "The "+title(name)+" field is required.")
			}
			return nil, false
		}
		// json.Number would also take a numeric string ("1"); .NET does not.
		var n json.Number
		if t := bytes.TrimSpace(raw); t[0] == '"' || json.Unmarshal(t, &n) != nil {
			add(name, "The JSON value could not be converted to System.Int32. Path: $."+name)
			return nil, false
		}
		i, err := strconv.ParseInt(string(n), 10, 32)
		if err != nil {
			add(name, "The JSON value could not be converted to System.Int32. Path: $."+name)
			return nil, false
		}
		if i < 0 {
			add(name, fmt.Sprintf("The field %s must be between 0 and %d.", title(name), math.MaxInt32))
			return nil, false
		}
		v := int(i)
		return &v, true
	}

	c.UtmSource, _ = str("utmSource", true)
	c.CouponCode, _ = str("couponCode", true)
	campaign, campaignSet := str("utmCampaign", false)
	c.UtmCampaign = campaign
	if raw, ok := fields["isArchived"]; ok {
		if json.Unmarshal(raw, &c.IsArchived) != nil || isNull(raw) {
			add("isArchived", "The JSON value could not be converted to System.Boolean. Path: $.isArchived")
		}
	}
	if n, ok := num("maxItemsPerClient", true); ok {
		c.MaxItemsPerClient = *n
	}
	c.MaxUsage, _ = num("maxUsage", false)
	if ts, ok := str("expirationIntervalPerUse", true); ok {
		d, err := timespan.Parse(ts)
		switch {
		case err != nil:
			add("expirationIntervalPerUse", "The JSON value could not be converted to System.TimeSpan. Path: $.expirationIntervalPerUse")
		case d < 0:
			add("expirationIntervalPerUse", "The field ExpirationIntervalPerUse must not be negative.")
		default:
			c.ExpirationIntervalPerUse = d
		}
	}
	if len(errs) > 0 {
		return utmcoupon.Coupon{}, false, errs
	}
	return c, campaignSet && campaign == "", nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// title is the .NET property name of a wire field: "utmSource" → "UtmSource".
func title(name string) string {
	if name == "" || name[0] < 'a' || name[0] > 'z' {
		return name
	}
	return string(name[0]-'a'+'A') + name[1:]
}

// fail answers an injected failure in VTEX's format for that status.
func (s *Server) fail(w http.ResponseWriter, status int) {
	switch {
	case status == http.StatusTooManyRequests:
		tooManyRequests(w, 0, 0)
	case status == http.StatusUnauthorized, status >= 500:
		plain(w, status, http.StatusText(status))
	default:
		s.problem(w, status, http.StatusText(status), "", nil)
	}
}

func tooManyRequests(w http.ResponseWriter, resetIn, window time.Duration) {
	w.Header().Set("Retry-After", testserver.Seconds(resetIn, window))
	plain(w, http.StatusTooManyRequests, "Too Many Requests")
}

func setRateLimitHeaders(h http.Header, a testserver.Admission) {
	h.Set("Ratelimit-Limit", strconv.Itoa(a.Limit))
	h.Set("Ratelimit-Remaining", strconv.Itoa(a.Remaining))
	h.Set("Ratelimit-Reset", testserver.Seconds(a.ResetIn, a.Window))
}

func plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg)
}

// problemJSON is ASP.NET's RFC 7807 ProblemDetails / ValidationProblemDetails.
type problemJSON struct {
	Type    string              `json:"type"`
	Title   string              `json:"title"`
	Status  int                 `json:"status"`
	Detail  string              `json:"detail,omitempty"`
	TraceID string              `json:"traceId"`
	Errors  map[string][]string `json:"errors,omitempty"`
}

func (s *Server) problem(w http.ResponseWriter, status int, title, detail string, errs map[string][]string) {
	n := s.traceN.Add(1)
	writeJSON(w, status, "application/problem+json; charset=utf-8", problemJSON{
		Type:    "https://tools.ietf.org/html/rfc9110#section-15." + problemSection(status),
		Title:   title,
		Status:  status,
		Detail:  detail,
		TraceID: fmt.Sprintf("00-%032x-%016x-00", n, n),
		Errors:  errs,
	})
}

// problemSection is the RFC 9110 section of a 4xx status, as ASP.NET links it.
func problemSection(status int) string {
	if status >= 400 && status <= 417 {
		return "5." + strconv.Itoa(status-399)
	}
	return "5"
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(errors.New("utmcoupontest: encoding answer: " + err.Error()))
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(b)
}
