// Package jframeworktest runs an in-memory JFramework Protocol API for
// tests, the way net/http/httptest serves net/http: point a jframework
// client at Server.URL (or use Server.Client) and your code updates coupons
// without touching a real brand.
//
// The server behaves as JFramework documents: it checks the Brand-URL and
// Auth-Key headers (401 otherwise), answers GET and PUT
// /api/v1/coupons/{id} and GET /api/v1/coupons (the list: filters name,
// code, keywords and status, pages pageSize and pageNumber from 0, data
// {items, totalItems, pageNumber, pageSize}), all from the same state,
// enforces the field rules (400 with one error item per broken field),
// answers 404 CouponNotFound for unknown ids and 409 when the code is
// another coupon's, and wraps every answer in JFramework's envelope
// {"success","statusCode","message","data","errors"}. An update replaces the
// coupon the way JFramework's PUT does: optional fields not sent become null
// (percentage, quantity, description, tags) or false (autoApplyToPrice,
// testMode); a status not sent is kept. Dates are echoed with seven
// fractional digits in the coupon's offset (that of the StartDate it was
// added with), and modifiedDate is set on every update. SetRateLimit
// answers 429 RateLimitExceeded with X-RateLimit-Limit, -Remaining and
// -Reset (Unix seconds) headers.
package jframeworktest

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/internal/testserver"
	"github.com/couponkit/couponkit/jframework"
)

// The credentials a new Server accepts.
const (
	DefaultBrandURL = "https://brand.example.com"
	DefaultAuthKey  = "jframeworktest-auth-key"
)

// dateLayout is how JFramework writes dates: seven fractional digits and
// an offset, e.g. 2025-06-23T13:56:00.4346197+07:00.
const dateLayout = "2006-01-02T15:04:05.0000000-07:00"

// tick is .NET's time resolution; stored dates are truncated to it.
const tick = 100 * time.Nanosecond

const couponsPrefix = "/api/v1/coupons/"

// Server is an in-memory JFramework on a loopback httptest server. It is
// safe for concurrent use.
type Server struct {
	// URL is the base URL to pass to jframework.WithBaseURL.
	URL string
	// BrandURL and AuthKey are the Brand-URL and Auth-Key headers the
	// server accepts (DefaultBrandURL and DefaultAuthKey). Change them only
	// before the first request.
	BrandURL, AuthKey string

	srv           *httptest.Server
	base          testserver.Base
	correlationID atomic.Int64

	mu      sync.Mutex
	coupons map[string]jframework.Coupon
}

// NewServer starts a server with no coupons; seed it with AddCoupon and
// stop it with Close.
func NewServer() *Server {
	s := &Server{BrandURL: DefaultBrandURL, AuthKey: DefaultAuthKey, coupons: map[string]jframework.Coupon{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and blocks until its requests are done.
func (s *Server) Close() { s.srv.Close() }

// Client returns a jframework.Client wired to this server with its
// credentials: WithBaseURL(s.URL) comes first, then opts. Like a Must
// helper, it panics if the options are invalid.
func (s *Server) Client(opts ...jframework.Option) *jframework.Client {
	opts = append([]jframework.Option{jframework.WithBaseURL(s.URL)}, opts...)
	c, err := jframework.NewClient(s.BrandURL, s.AuthKey, opts...)
	if err != nil {
		panic("jframeworktest: " + err.Error())
	}
	return c
}

// AddCoupon stores c under c.ID, replacing any coupon with that id. The
// offset of c.StartDate becomes the coupon's offset: the server writes the
// coupon's dates in it after an update (UTC when StartDate is zero). Dates
// are stored truncated to .NET's 100 ns ticks, as JFramework stores them.
// An empty Description or Tags is served as null.
func (s *Server) AddCoupon(c jframework.Coupon) {
	c.StartDate, c.EndDate, c.ModifiedDate = c.StartDate.Truncate(tick), c.EndDate.Truncate(tick), c.ModifiedDate.Truncate(tick)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.coupons[c.ID] = clone(c)
}

// Coupon returns the current state of the coupon with that id.
func (s *Server) Coupon(id string) (jframework.Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[id]
	return clone(c), ok
}

// SetRateLimit allows limit requests per window; later requests in the
// window get JFramework's 429 RateLimitExceeded answer. 0 turns it off.
func (s *Server) SetRateLimit(limit int, window time.Duration) { s.base.SetRateLimit(limit, window) }

// FailNext makes the next n requests answer status in JFramework's error
// envelope (a 429 with RateLimitExceeded and a reset within a second).
func (s *Server) FailNext(n, status int) { s.base.FailNext(n, status) }

// Requests returns the number of requests received so far, failed and
// rejected ones included.
func (s *Server) Requests() int { return s.base.Requests() }

// RateLimited returns how many rate-limit answers the server has sent (over
// the SetRateLimit quota, or injected with FailNext), so a test can assert
// that its traffic never tripped the limit.
func (s *Server) RateLimited() int { return s.base.RateLimited() }

// Windows returns how many rate-limit windows SetRateLimit's limiter has
// opened (a window opens with the first request after the last one ended):
// requests / (Windows() * limit) is the share of the quota a client used.
func (s *Server) Windows() int { return s.base.Windows() }

func clone(c jframework.Coupon) jframework.Coupon {
	if c.Percentage != nil {
		p := *c.Percentage
		c.Percentage = &p
	}
	if c.Quantity != nil {
		q := *c.Quantity
		c.Quantity = &q
	}
	return c
}

// errorItem is one element of JFramework's errors array.
type errorItem struct {
	Code          string `json:"code"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
}

// envelope is JFramework's answer wrapper.
type envelope struct {
	Success    bool        `json:"success"`
	StatusCode int         `json:"statusCode"`
	Message    string      `json:"message"`
	Data       any         `json:"data"` // *couponJSON, *listJSON or nil
	Errors     []errorItem `json:"errors"`
}

// couponJSON is a coupon as JFramework writes it.
type couponJSON struct {
	ID               string   `json:"id"`
	Code             string   `json:"code"`
	Name             string   `json:"name"`
	Description      *string  `json:"description"`
	Tags             *string  `json:"tags"`
	Percentage       *float64 `json:"percentage"`
	Quantity         *int     `json:"quantity"`
	StartDate        *string  `json:"startDate"`
	EndDate          *string  `json:"endDate"`
	AutoApplyToPrice bool     `json:"autoApplyToPrice"`
	Status           string   `json:"status"`
	TestMode         bool     `json:"testMode"`
	ModifiedDate     *string  `json:"modifiedDate"`
}

// updateBody is the PUT body; pointers tell absent from zero.
type updateBody struct {
	Name             *string  `json:"name"`
	Code             *string  `json:"code"`
	Percentage       *float64 `json:"percentage"`
	Quantity         *int     `json:"quantity"`
	StartDate        *string  `json:"startDate"`
	EndDate          *string  `json:"endDate"`
	AutoApplyToPrice *bool    `json:"autoApplyToPrice"`
	Description      *string  `json:"description"`
	Tags             *string  `json:"tags"`
	Status           *string  `json:"status"`
	TestMode         *bool    `json:"testMode"`
}

// failure is an error answer: its status and items (code, message).
type failure struct {
	status int
	items  [][2]string
	header http.Header
}

func fail(status int, code, message string) *failure {
	return &failure{status: status, items: [][2]string{{code, message}}}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	a := s.base.Admit()
	if a.Limiting {
		setRateLimitHeaders(w.Header(), a.Limit, a.Remaining, time.Now().Add(a.ResetIn), a.Window)
	}
	var f *failure
	switch {
	case a.FailStatus != 0:
		f = injected(a.FailStatus)
	case a.Limited:
		f = fail(http.StatusTooManyRequests, "RateLimitExceeded", "Too many requests. Please try again later.")
	default:
		var data any
		data, f = s.handle(r)
		if f == nil {
			s.write(w, http.StatusOK, &envelope{Success: true, StatusCode: 200, Message: "The request was successful.", Data: data, Errors: []errorItem{}})
			return
		}
	}
	for k, v := range f.header {
		w.Header()[k] = v
	}
	env := &envelope{StatusCode: f.status, Message: "The request failed."}
	id := fmt.Sprintf("jft-%08d", s.correlationID.Add(1))
	for _, it := range f.items {
		env.Errors = append(env.Errors, errorItem{Code: it[0], Message: it[1], CorrelationID: id})
	}
	s.write(w, f.status, env)
}

// injected is the answer FailNext asked for, in JFramework's format.
func injected(status int) *failure {
	code := map[int]string{
		400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "CouponNotFound",
		405: "MethodNotAllowed", 409: "DuplicateCouponCode", 429: "RateLimitExceeded",
	}[status]
	if code == "" {
		code = "InternalServerError"
	}
	f := fail(status, code, "Injected failure: "+http.StatusText(status)+".")
	if status == http.StatusTooManyRequests {
		f.header = http.Header{}
		setRateLimitHeaders(f.header, 60, 0, time.Now(), 0)
	}
	return f
}

// setRateLimitHeaders writes JFramework's rate-limit headers; the reset is
// the Unix second at or after reset, and always in the future. With a
// window below a second (a test's) it keeps milliseconds: see
// testserver.Epoch.
func setRateLimitHeaders(h http.Header, limit, remaining int, reset time.Time, window time.Duration) {
	if now := time.Now(); !reset.After(now) {
		reset = now.Add(time.Nanosecond)
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", testserver.Epoch(reset, window))
}

func (s *Server) write(w http.ResponseWriter, status int, env *envelope) {
	b, err := json.Marshal(env)
	if err != nil {
		panic("jframeworktest: " + err.Error()) // cannot happen: plain types
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// update handles a PUT of the coupon id once routed and authenticated:
// body, rules, state.
func (s *Server) update(r *http.Request, id string) (couponJSON, *failure) {
	var body updateBody
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err != nil {
		return couponJSON{}, fail(http.StatusBadRequest, "InvalidRequestBody", "The request body is not valid JSON: "+err.Error())
	}
	start, end, f := body.check()
	if f != nil {
		return couponJSON{}, f
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.coupons[id]
	if !ok {
		return couponJSON{}, fail(http.StatusNotFound, "CouponNotFound", "The coupon "+strconv.Quote(id)+" was not found.")
	}
	for otherID, other := range s.coupons {
		if otherID != id && strings.EqualFold(other.Code, *body.Code) {
			return couponJSON{}, fail(http.StatusConflict, "DuplicateCouponCode", "A coupon with the code "+strconv.Quote(*body.Code)+" already exists.")
		}
	}
	loc := c.StartDate.Location()
	if c.StartDate.IsZero() {
		loc = time.UTC
	}
	c.Name, c.Code = *body.Name, *body.Code
	c.Percentage, c.Quantity = body.Percentage, body.Quantity
	c.Description, c.Tags = deref(body.Description), deref(body.Tags)
	c.StartDate, c.EndDate = start.In(loc).Truncate(tick), end.In(loc).Truncate(tick)
	c.AutoApplyToPrice = body.AutoApplyToPrice != nil && *body.AutoApplyToPrice
	c.TestMode = body.TestMode != nil && *body.TestMode
	if body.Status != nil {
		c.Status = jframework.Status(*body.Status)
	}
	c.ModifiedDate = time.Now().In(loc).Truncate(tick)
	s.coupons[id] = c
	return toJSON(c), nil
}

// check enforces JFramework's field rules, one error item per broken rule.
func (b *updateBody) check() (start, end time.Time, f *failure) {
	var items [][2]string
	bad := func(msg string) { items = append(items, [2]string{"ValidationError", msg}) }
	if b.Name == nil || *b.Name == "" {
		bad("'Name' must not be empty.")
	}
	if b.Code == nil || *b.Code == "" {
		bad("'Code' must not be empty.")
	}
	if b.Percentage != nil && (math.IsNaN(*b.Percentage) || *b.Percentage < 0 || *b.Percentage > 100) {
		bad("'Percentage' must be between 0 and 100.")
	}
	if b.Quantity != nil && (*b.Quantity < 0 || *b.Quantity > math.MaxInt32) {
		bad("'Quantity' must be between 0 and 2147483647.")
	}
	start, okStart := date(b.StartDate, "Start Date", bad)
	end, okEnd := date(b.EndDate, "End Date", bad)
	if okStart && okEnd && end.Before(start) {
		bad("'End Date' must be greater than or equal to 'Start Date'.")
	}
	if b.Status != nil {
		switch jframework.Status(*b.Status) {
		case jframework.StatusActive, jframework.StatusInactive, jframework.StatusExpired, jframework.StatusDeleted:
		default:
			bad("'Status' has a range of values which does not include '" + *b.Status + "'.")
		}
	}
	if len(items) > 0 {
		return start, end, &failure{status: http.StatusBadRequest, items: items}
	}
	return start, end, nil
}

func date(v *string, name string, bad func(string)) (time.Time, bool) {
	if v == nil || *v == "" {
		bad("'" + name + "' must not be empty.")
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, *v)
	if err != nil {
		bad("'" + name + "' is not a valid date-time.")
		return time.Time{}, false
	}
	return t, true
}

// toJSON writes c as JFramework does. An empty description or tags is
// written as null: the server does not tell "" from null.
func toJSON(c jframework.Coupon) couponJSON {
	return couponJSON{
		ID: c.ID, Code: c.Code, Name: c.Name, Description: nullIfEmpty(c.Description), Tags: nullIfEmpty(c.Tags),
		Percentage: c.Percentage, Quantity: c.Quantity,
		StartDate: dateOrNull(c.StartDate), EndDate: dateOrNull(c.EndDate),
		AutoApplyToPrice: c.AutoApplyToPrice, Status: string(c.Status), TestMode: c.TestMode,
		ModifiedDate: dateOrNull(c.ModifiedDate),
	}
}

// dateOrNull writes t as JFramework does, and the zero time (a seeded
// coupon without that date) as null.
func dateOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(dateLayout)
	return &s
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
