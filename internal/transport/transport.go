package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// Body size limits.
const (
	// MaxSuccessBody is the most of a 2xx body that is read; a larger one
	// is an error, never an out-of-memory.
	MaxSuccessBody = 10 << 20
	// maxErrorBody is the most of an error body read for decoding.
	maxErrorBody = 1 << 20
	// DefaultTimeout is the per-attempt timeout when the caller supplies no
	// http.Client.
	DefaultTimeout = 30 * time.Second
	// connsPerHost bounds the default transport's connections to one host,
	// idle and active: enough for concurrent use (net/http's default keeps
	// only 2 idle and churns the rest under load), few enough not to flood a
	// rate-limited vendor. More concurrent calls wait for a free connection.
	connsPerHost = 32
)

// Vendor describes what is truly a vendor's: its name, credentials, error
// body and headers. Everything else is the transport's.
type Vendor struct {
	// Name prefixes errors and log lines, e.g. "bigcommerce".
	Name string
	// Header holds headers sent on every request: credentials and
	// Content-Type. It is copied at New.
	Header http.Header
	// Secrets are redacted from every error, log line and APIError.Body.
	Secrets []string
	// DecodeError turns a non-2xx body into an APIError. It fills Code,
	// Message, FieldErrors and RequestID as the vendor gives them, and may
	// set a kind with api.SetKind; the transport fills the rest and, when no
	// kind was set, derives one from the status. Nil: the body becomes the
	// message.
	DecodeError func(status int, header http.Header, body []byte) *api.APIError
	// RateLimit names the vendor's rate-limit headers for ResponseMeta.
	RateLimit RateLimitHeaders
	// RequestIDHeaders are tried in order for ResponseMeta.RequestID.
	RequestIDHeaders []string
}

// Request is one API call.
type Request struct {
	Method string
	// Path is appended to the base URL's path as is: vendor constants only.
	Path string
	// PathParams are appended as path segments, each escaped with
	// url.PathEscape so that a value such as "../x" cannot change the route.
	PathParams []string
	// Query is encoded into the URL's query string with url.Values.Encode
	// (sorted by name, so deterministic); nil or empty sends none. It must
	// never carry a credential: a query that holds one is left out of error
	// strings and log lines.
	Query url.Values
	// Key names the coupon a body-keyed request addresses (the URL does not),
	// for error strings and log lines, e.g. coupon_code "SUMMER15". The zero
	// value names none.
	Key Key
	// Body is sent byte-identical on every attempt.
	Body []byte
	// Idempotent marks a request the server may safely see twice. A
	// non-idempotent one (the zero value, the safe default) is retried only
	// when the server certainly did not act on it: rate-limit answers and
	// dial failures.
	Idempotent bool
	// Decode decodes a 2xx body. It returns an *api.APIError when the body
	// is really a vendor error (errors inside an HTTP 200), and any other
	// error when the body is not what the vendor documents.
	Decode func(status int, body []byte) error
}

// Key is the wire field and value that select the coupon a request
// addresses when its path does not, e.g. Paddle's coupon_code or group.
type Key struct {
	Field, Value string
}

// KeyOf returns the first of the field/value pairs whose value is not
// empty, e.g. KeyOf("coupon_code", req.CouponCode, "group", req.Group); the
// zero Key when every value is empty.
func KeyOf(pairs ...string) Key {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			return Key{Field: pairs[i], Value: pairs[i+1]}
		}
	}
	return Key{}
}

// String is the field and the quoted value, e.g. coupon_code "SUMMER15";
// empty for the zero Key.
func (k Key) String() string {
	if k.Field == "" && k.Value == "" {
		return ""
	}
	return k.Field + " " + strconv.Quote(k.Value)
}

// Client performs requests for one vendor client. It is immutable after New
// and safe for concurrent use. Its state sits behind a pointer so that
// printing a vendor client with any fmt verb (even a wrong one, which prints
// nested values) shows an address, never the credentials.
type Client struct {
	*client
}

type client struct {
	vendor Vendor
	base   *url.URL
	// basePath and baseRawPath are base's path and its escaped form.
	basePath, baseRawPath string

	hc       *http.Client
	retry    api.RetryPolicy // with defaults; MaxRetries may be NoRetries
	logger   *slog.Logger
	header   http.Header
	redactor *strings.Replacer
	secrets  []string // what redactor replaces

	// now and jitter are replaced in tests.
	now    func() time.Time
	jitter func(n int64) int64

	// traced is true when the transport is net/http's, so that the silence
	// of the client trace hooks proves that an attempt wrote nothing.
	traced bool

	// pacer paces every request of this client (see pacing.go).
	pacer *pace.Pacer
}

// New builds a Client from a vendor description and settings.
func New(v Vendor, s Settings) (*Client, error) {
	s.Vendor = v.Name
	base, err := parseBaseURL(s.BaseURL)
	if err != nil {
		return nil, errors.New(s.prefix("WithBaseURL") + err.Error())
	}
	if err := s.checkCleartext(base); err != nil {
		return nil, err
	}
	ua := "couponkit-go/" + Version
	if s.Product != "" {
		ua = s.Product + " " + ua
	}
	h := make(http.Header, len(v.Header)+2)
	for k, vv := range v.Header {
		h[k] = append([]string(nil), vv...)
	}
	h.Set("Accept", "application/json")
	h.Set("User-Agent", ua)
	if len(v.RequestIDHeaders) == 0 {
		v.RequestIDHeaders = []string{"X-Request-Id", "X-Correlation-Id", "Request-Id"}
	}
	forms := secretForms(v.Secrets)
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, "[REDACTED]")
	}
	c := &Client{&client{
		vendor:      v,
		base:        base,
		basePath:    base.Path,
		baseRawPath: base.EscapedPath(),
		hc:          httpClient(s.HTTPClient),
		traced:      tracedTransport(s.HTTPClient),
		retry:       withDefaults(s.Retry),
		logger:      s.Logger,
		header:      h,
		redactor:    strings.NewReplacer(pairs...),
		secrets:     forms,
		now:         time.Now,
		jitter:      rand.Int64N,
		pacer:       pace.New(v.RateLimit.resolution()),
	}}
	return c, nil
}

// secretForms returns every form in which a server may echo one of the
// secrets: as sent; escaped inside a JSON string (with and without HTML
// escaping, and with PHP's escaped slashes); URL-encoded as in a query or
// form and as in a path; and inside a Go-quoted string. It is computed once
// at New. The forms are unique and longest first, so that the replacer,
// which tries patterns in order, never leaves the tail of a longer form.
func secretForms(secrets []string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		add(s)
		if q, err := json.Marshal(s); err == nil {
			add(string(q[1 : len(q)-1]))
			add(strings.ReplaceAll(string(q[1:len(q)-1]), "/", `\/`))
		}
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(s) == nil {
			q := strings.TrimSpace(b.String())
			add(q[1 : len(q)-1])
			add(strings.ReplaceAll(q[1:len(q)-1], "/", `\/`))
		}
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		q := strconv.Quote(s)
		add(q[1 : len(q)-1])
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// httpClient builds the client the transport uses: the caller's Transport and
// Timeout (the caller's client itself is never mutated), or a pooled default
// (at most 32 connections per host, all kept idle between calls) with a 30 s
// per-attempt timeout; redirects never leave the host. The transport is
// wrapped in keepIdle, so that no call closes the pool's idle connections.
func httpClient(user *http.Client) *http.Client {
	if user != nil {
		rt := user.Transport
		if rt == nil {
			rt = http.DefaultTransport
		}
		return &http.Client{Transport: &keepIdle{rt: rt, timeout: user.Timeout}, CheckRedirect: sameHostRedirects}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0 // no global cap; per host below
	t.MaxIdleConnsPerHost = connsPerHost
	t.MaxConnsPerHost = connsPerHost
	return &http.Client{Transport: &keepIdle{rt: t, timeout: DefaultTimeout}, CheckRedirect: sameHostRedirects}
}

// tracedTransport reports whether the client's transport is net/http's,
// which fires the client trace hooks.
func tracedTransport(user *http.Client) bool {
	if user == nil || user.Transport == nil {
		return true
	}
	_, ok := user.Transport.(*http.Transport)
	return ok
}

// sameHostRedirects follows a redirect only to the same scheme and host,
// and only when net/http keeps the method (and so the body): a 307 or 308,
// or a 301/302/303 to a GET. net/http would forward custom credential
// headers (X-Auth-Token, Auth-Key) and a 307's body (Paddle's auth code) to
// any host, and replays a PUT or POST answered with 301/302/303 as a GET
// without its body, whose 200 would pass for a successful update. Instead
// the redirect is returned as the response and becomes an APIError.
func sameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	first := via[0]
	if req.URL.Scheme != first.URL.Scheme || req.URL.Host != first.URL.Host || req.Method != first.Method {
		return http.ErrUseLastResponse
	}
	return nil
}

// Redact replaces every credential in s. It allocates only when s holds one.
func (c *Client) Redact(s string) string {
	if !c.holdsSecret(s) {
		return s
	}
	return c.redactor.Replace(s)
}

// holdsSecret reports whether s contains a credential, in any redacted form.
func (c *Client) holdsSecret(s string) bool {
	for _, secret := range c.secrets {
		if strings.Contains(s, secret) {
			return true
		}
	}
	return false
}

// redactBytes is b with every credential redacted: b itself when it holds
// none (a scan, no copy).
func (c *Client) redactBytes(b []byte) []byte {
	for _, secret := range c.secrets {
		if bytes.Contains(b, []byte(secret)) {
			return []byte(c.redactor.Replace(string(b)))
		}
	}
	return b
}

// Do sends r with retries and returns the metadata of the final response.
// Errors are *api.APIError once a response arrived, *api.ValidationError
// never (vendors validate first), and wrapped transport or context errors
// otherwise. A nil ctx is an error (ErrNilContext, nothing sent), as is a
// request of a bulk call whose Gate has stopped; a dry run's request
// returns an error IsDryRun reports, sending nothing.
func (c *Client) Do(ctx context.Context, r *Request) (api.ResponseMeta, error) {
	if err := c.admit(ctx, r); err != nil {
		return api.ResponseMeta{}, err
	}
	if err := ctx.Err(); err != nil {
		return api.ResponseMeta{}, c.fail(r, 0, err, api.ErrNotSent)
	}
	// The attempt trace tells checkRetry whether a connection was made
	// and the request written. Its hooks fire whenever the request reaches
	// a net/http Transport, even through the caller's own RoundTripper.
	tr := newAttemptTrace()
	tctx := httptrace.WithClientTrace(ctx, &tr.trace)
	// An empty URL parses to an empty *url.URL, which setURL fills in
	// place: no URL string is built and parsed per call.
	hreq, err := http.NewRequestWithContext(tctx, r.Method, "", nil)
	if err != nil {
		return api.ResponseMeta{}, c.errorf(r, 0, err)
	}
	c.setURL(hreq.URL, r)
	hreq.Host = hreq.URL.Host
	hreq.Header = c.header.Clone()
	rreq, err := retryablehttp.FromRequest(hreq)
	if err != nil {
		return api.ResponseMeta{}, c.errorf(r, 0, err)
	}
	if r.Body != nil {
		if err := rreq.SetBody(r.Body); err != nil {
			return api.ResponseMeta{}, c.errorf(r, 0, err)
		}
	}

	ticket, err := c.pacer.Acquire(ctx, bulkOf(ctx), c.retry.MaxWait)
	if err != nil {
		if g := gateOf(ctx); g != nil && g.Stopped() != nil {
			return api.ResponseMeta{}, c.NotSent(r, g.Stopped()) // the bulk call stopped while this one waited
		}
		return api.ResponseMeta{}, c.errorf(r, 0, err)
	}
	st := c.newCall(ctx, r)
	st.trace = tr
	st.ticket = ticket
	resp, doErr := st.rc.Do(rreq)
	if resp != nil && resp.Body != nil {
		resp.Body.Close() // already read and replaced by checkRetry
	}
	return st.finish(doErr)
}

// newCall returns the state of one call of r, with its go-retryablehttp
// client bound to its checkRetry, backoff and prepareRetry.
func (c *Client) newCall(ctx context.Context, r *Request) *call {
	st := &call{c: c, r: r, ctx: ctx}
	st.rc = &retryablehttp.Client{
		HTTPClient: c.hc,
		// Our CheckRetry stops at MaxRetries itself, so the library's own
		// give-up path (which closes idle connections) is never taken.
		RetryMax:     retries(c.retry) + 1,
		RetryWaitMin: c.retry.MinWait,
		RetryWaitMax: c.retry.MaxWait,
		CheckRetry:   st.checkRetry,
		Backoff:      st.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: st.prepareRetry,
	}
	return st
}

// attemptTrace records, through net/http's client trace hooks, whether an
// attempt got a connection and wrote its request.
type attemptTrace struct {
	trace       httptrace.ClientTrace
	conn, wrote atomic.Bool
}

func newAttemptTrace() *attemptTrace {
	t := &attemptTrace{}
	t.trace.GotConn = func(httptrace.GotConnInfo) { t.conn.Store(true) }
	t.trace.WroteHeaders = func() { t.wrote.Store(true) }
	return t
}

func (c *Client) url(r *Request) *url.URL {
	u := new(url.URL)
	c.setURL(u, r)
	return u
}

// setURL sets *u to the base URL with r's path, its escaped path
// parameters and its query.
func (c *Client) setURL(u *url.URL, r *Request) {
	*u = *c.base
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	path, raw := c.basePath+r.Path, c.baseRawPath+r.Path
	for _, p := range r.PathParams {
		path += "/" + p
		raw += "/" + url.PathEscape(p)
	}
	u.Path, u.RawPath = path, raw
	if u.EscapedPath() != raw { // raw is not a valid encoding of path
		u.RawPath = ""
	}
}

// errorf wraps a transport or context error with the vendor, method, path
// and attempt count, redacting credentials from its text while keeping it
// unwrappable for errors.Is.
func (c *Client) errorf(r *Request, attempts int, err error) error {
	return c.fail(r, attempts, err, nil)
}

// fail is errorf for an error that also matches outcome: api.ErrNotSent
// or api.ErrOutcomeUnknown (whose text then says why it was not retried);
// nil for neither.
func (c *Client) fail(r *Request, attempts int, err error, outcome error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its text repeats the URL
	}
	msg := c.vendor.Name + ": " + c.operation(r)
	if attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", attempts)
	}
	msg += ": " + err.Error()
	if outcome == api.ErrOutcomeUnknown {
		msg += " (" + api.NotRetriedUnsafe + ")"
	}
	return &wrapped{msg: c.Redact(msg), err: err, outcome: outcome}
}

// operation names a request in error strings: its method, path and query
// (left out if it holds a credential), and its Key, e.g.
// `PUT /stores/abc/v2/coupons/7` or
// `POST /api/2.0/product/update_coupon coupon_code "SUMMER15"`. Credentials
// are redacted.
func (c *Client) operation(r *Request) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte(' ')
	b.WriteString(c.pathQuery(r))
	if k := r.Key.String(); k != "" {
		b.WriteByte(' ')
		b.WriteString(k)
	}
	return c.Redact(b.String())
}

// pathQuery is r's escaped path and its query, which is left out if it
// holds a credential (it never should).
func (c *Client) pathQuery(r *Request) string {
	p := c.path(r)
	if len(r.Query) > 0 {
		if q := r.Query.Encode(); !c.holdsSecret(q) {
			p += "?" + q
		}
	}
	return p
}

// path is r's escaped path, without the query.
func (c *Client) path(r *Request) string {
	var b strings.Builder
	b.WriteString(c.base.Path)
	b.WriteString(r.Path)
	for _, p := range r.PathParams {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

// wrapped is an error with a redacted message that still unwraps to its
// cause, so errors.Is(err, context.DeadlineExceeded) works, and that may
// match an outcome sentinel besides.
type wrapped struct {
	msg     string
	err     error
	outcome error
}

// Is reports whether target is the error's outcome: api.ErrNotSent or
// api.ErrOutcomeUnknown.
func (w *wrapped) Is(target error) bool { return target != nil && target == w.outcome }

// Error returns the redacted message.
func (w *wrapped) Error() string { return w.msg }

// Unwrap returns the cause, for errors.Is and errors.As.
func (w *wrapped) Unwrap() error { return w.err }
