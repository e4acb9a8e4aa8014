package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// call is the state of one Do: what the last attempt produced and what the
// next wait is. go-retryablehttp drives the loop; checkRetry decides.
type call struct {
	c   *Client
	r   *Request
	ctx context.Context
	rc  *retryablehttp.Client // bound to this call's checkRetry and backoff

	attempts int
	waiting  bool          // a retry was scheduled and its wait has not ended in a new attempt
	wait     time.Duration // the scheduled wait, returned by backoff
	meta     api.ResponseMeta
	apiErr   *api.APIError // the last attempt's server error
	netErr   error         // the last attempt's transport error
	trace    *attemptTrace // the hooks of the attempt in flight
	// acted is true once an attempt may have been acted on: an answer other
	// than a rate limit, or a request written with no answer.
	acted   bool
	ticket  pace.Ticket // the pacer's admission of the attempt in flight
	paceErr error       // the pacer refused a bulk call's retry: not sent
}

// checkRetry is go-retryablehttp's CheckRetry: it reads and classifies the
// attempt's response, then decides whether and how long to wait.
func (st *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st.attempts++
	st.waiting, st.wait = false, 0
	st.apiErr, st.netErr = nil, nil
	status := 0
	if err == nil {
		status = resp.StatusCode
		err = st.handle(resp)
	}
	var retry bool
	var serverWait time.Duration
	switch {
	case err != nil:
		st.netErr = err
		// The trace hooks say whether the attempt got a connection (if not,
		// an error of no network kind is the same on every attempt) and
		// wrote its request (if not, the server never saw it).
		conn, wrote := st.trace.conn.Swap(false), st.trace.wrote.Swap(false)
		wrote = wrote || !st.c.traced    // only net/http's silence is proof
		local := !conn && permanent(err) // the same on every attempt
		notSent := local || !wrote || isDialError(err)
		st.acted = st.acted || !notSent
		retry = ctx.Err() == nil && !local && (notSent || (st.r.Idempotent && transient(err)))
	case st.apiErr != nil:
		kind := api.Kind(st.apiErr)
		serverWait = st.apiErr.RetryAfter
		st.acted = st.acted || kind != api.ErrRateLimited
		retry = kind == api.ErrRateLimited ||
			(kind == api.ErrServer && status != http.StatusNotImplemented && st.r.Idempotent)
	default:
		st.acted = true
	}
	if retry && st.attempts > retries(st.c.retry) {
		retry = false
	}
	if retry {
		// A server-requested wait is never shortened: one longer than
		// MaxWait means no retry (an early one would meet a certain second
		// refusal), and the error carries it in RetryAfter.
		wait := serverWait
		if wait <= 0 {
			wait = st.backoffWait()
		}
		if wait > st.c.retry.MaxWait {
			retry = false
		} else if dl, ok := ctx.Deadline(); ok && st.c.now().Add(wait).After(dl) {
			retry = false // the wait would outlast ctx: answer now, not with a certain timeout
		} else {
			st.waiting, st.wait = true, wait
		}
	}
	st.paced(err)
	st.log(status, err)
	return retry, nil
}

// backoff is go-retryablehttp's Backoff: the wait checkRetry chose.
func (st *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return st.wait
}

// backoffWait is exponential backoff with full jitter: a random wait up to
// MinWait doubled per attempt, capped by MaxWait.
func (st *call) backoffWait() time.Duration {
	p := st.c.retry
	upper := p.MaxWait
	if shift := st.attempts - 1; shift < 32 && p.MinWait<<shift < p.MaxWait && p.MinWait<<shift > 0 {
		upper = p.MinWait << shift
	}
	return time.Duration(st.c.jitter(int64(upper) + 1))
}

// handle reads the body within its bound, closes it, and turns the response
// into metadata and either a decoded success or an APIError. It returns an
// error only when the body could not be read (the connection broke).
func (st *call) handle(resp *http.Response) error {
	status := resp.StatusCode
	limit := int64(maxErrorBody)
	if status >= 200 && status <= 299 {
		limit = MaxSuccessBody
	}
	body, tooLarge, err := readBounded(resp, limit)
	if err != nil {
		return err
	}
	st.meta = api.ResponseMeta{
		StatusCode: status,
		Header:     st.c.redactHeader(resp.Header),
		RequestID:  st.c.Redact(st.requestID(resp.Header)),
		RateLimit:  st.c.vendor.RateLimit.parse(resp.Header, st.c.now()),
	}
	var e *api.APIError
	switch {
	case tooLarge:
		e = &api.APIError{Message: fmt.Sprintf("response body exceeds the %d byte limit", limit)}
		api.SetKind(e, api.KindForStatus(status))
	case status >= 200 && status <= 299:
		if st.r.Decode != nil {
			if derr := st.r.Decode(status, body); derr != nil {
				if rbody := st.c.redactBytes(body); len(rbody) != len(body) || !bytes.Equal(rbody, body) {
					// The body echoed a credential: decode the redacted
					// body again so that nothing taken from it (a vendor
					// error's message, cut short) keeps part of one.
					if derr2 := st.r.Decode(status, rbody); derr2 != nil {
						derr = derr2
					} else {
						derr = errors.New("(details withheld: the body held a credential)")
					}
					body = rbody
				}
				e = decodeFailure(derr)
			}
		}
	case status >= 300 && status <= 399:
		e = &api.APIError{Message: st.c.redirectMessage(resp)}
	default:
		// Everything taken from the body or the headers is redacted
		// before anything cuts it short.
		body = st.c.redactBytes(body)
		if st.c.vendor.DecodeError != nil {
			e = st.c.vendor.DecodeError(status, st.meta.Header, body)
		}
		if e == nil {
			e = &api.APIError{Message: Snippet(body)}
		}
		if api.Kind(e) == nil {
			api.SetKind(e, api.KindForStatus(status))
		}
	}
	if e != nil {
		st.complete(e, resp, body)
	}
	st.apiErr = e
	return nil
}

// redirectMessage says why a redirect answer was not followed, with its
// Location resolved and redacted.
func (c *Client) redirectMessage(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "redirect without a Location not followed"
	}
	why := "not followed"
	if u, err := resp.Request.URL.Parse(loc); err == nil {
		switch {
		case u.Scheme != resp.Request.URL.Scheme || u.Host != resp.Request.URL.Host:
			why = "not followed: credentials are never sent to another host"
		case resp.Request.Method != http.MethodGet && resp.Request.Method != http.MethodHead:
			why = "not followed: net/http would replay the " + resp.Request.Method + " as a GET without its body"
		}
	}
	return "redirect to " + strconv.Quote(Snippet([]byte(c.Redact(loc)))) + " " + why
}

// decodeFailure is the APIError for a 2xx body that Decode refused: the
// vendor's own when it found one inside the body, else one saying the body
// is not what the API documents. (It is apart from handle so that only a
// failure pays for errors.As's escaping target.)
func decodeFailure(err error) *api.APIError {
	var e *api.APIError
	if errors.As(err, &e) {
		return e
	}
	return &api.APIError{Message: "response body is not what the API documents: " + err.Error()}
}

// complete fills what every APIError carries and redacts credentials.
func (st *call) complete(e *api.APIError, resp *http.Response, body []byte) {
	c := st.c
	e.Vendor = c.vendor.Name
	e.Operation = c.operation(st.r)
	e.StatusCode = resp.StatusCode
	if e.RequestID == "" {
		e.RequestID = st.meta.RequestID
	}
	e.RequestID = c.Redact(e.RequestID)
	e.RetryAfter = serverWait(resp.Header, api.Kind(e) == api.ErrRateLimited, c.now())
	e.Code = c.Redact(e.Code)
	e.Message = c.Redact(e.Message)
	if len(e.FieldErrors) > 0 {
		fields := make(map[string][]string, len(e.FieldErrors))
		for k, msgs := range e.FieldErrors {
			for i, m := range msgs {
				msgs[i] = c.Redact(m)
			}
			fields[c.Redact(k)] = append(fields[c.Redact(k)], msgs...)
		}
		e.FieldErrors = fields
	}
	// Redact first, then cut: a credential straddling the cap must not
	// keep its first characters.
	body = c.redactBytes(body)
	e.Body = append([]byte(nil), body[:min(len(body), api.MaxErrorBody)]...)
}

// readBounded reads at most limit bytes of the body and closes it. A body
// that ends within the limit is read to EOF so the connection is reused; a
// larger one is abandoned (its connection closed) instead of drained, and a
// Content-Length over the limit is refused without reading. Bodies of
// unknown length are read in chunks, so an oversized one never holds more
// than about limit bytes.
func readBounded(resp *http.Response, limit int64) (body []byte, tooLarge bool, err error) {
	defer func() {
		resp.Body.Close()
		resp.Body = http.NoBody
	}()
	if n := resp.ContentLength; n > limit {
		return nil, true, nil
	} else if n > 0 {
		body = make([]byte, n)
		if _, err := io.ReadFull(resp.Body, body); err != nil {
			return nil, false, err
		}
		return body, false, nil
	}
	var parts [][]byte
	var total int64
	size := 4 << 10
	if resp.ContentLength == 0 {
		size = 512 // most likely empty, but read to EOF in case it is not
	}
	for {
		p := make([]byte, size)
		n, err := io.ReadFull(resp.Body, p)
		total += int64(n)
		if total > limit {
			return nil, true, nil
		}
		parts = append(parts, p[:n])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, false, err
		}
		size = 64 << 10
	}
	if len(parts) == 1 {
		return parts[0], false, nil
	}
	return bytes.Join(parts, nil), false, nil
}

// redactHeader returns h, or a copy with every credential redacted when a
// server echoed one into a header (a scan, no copy, in the usual case).
func (c *Client) redactHeader(h http.Header) http.Header {
	for _, vv := range h {
		for _, v := range vv {
			if c.holdsSecret(v) {
				out := h.Clone()
				for k, vv := range out {
					for i, v := range vv {
						out[k][i] = c.Redact(v)
					}
				}
				return out
			}
		}
	}
	return h
}

func (st *call) requestID(h http.Header) string {
	for _, name := range st.c.vendor.RequestIDHeaders {
		if v := h.Get(name); v != "" {
			return v
		}
	}
	return ""
}

// finish turns the state after the last attempt into the result.
func (st *call) finish(doErr error) (api.ResponseMeta, error) {
	st.meta.Attempts = st.attempts
	switch {
	case st.paceErr != nil && st.apiErr != nil && !isContextErr(st.paceErr):
		// A bulk call stopped while this retry waited for its turn: the
		// last answer stands.
		st.apiErr.Attempts = st.attempts
		return api.ResponseMeta{}, st.apiErr
	case st.waiting && doErr != nil:
		// ctx ended while waiting to retry.
		return api.ResponseMeta{}, st.c.fail(st.r, st.attempts, fmt.Errorf("gave up waiting to retry: %w", doErr), st.outcome())
	case st.netErr != nil:
		return api.ResponseMeta{}, st.c.fail(st.r, st.attempts, st.netErr, st.outcome())
	case st.apiErr != nil:
		st.apiErr.Attempts = st.attempts
		switch {
		case !st.acted: // every answer was a rate limit
			api.SetOutcome(st.apiErr, api.ErrNotSent)
		case api.Kind(st.apiErr) == api.ErrServer && st.apiErr.StatusCode != http.StatusNotImplemented && !st.r.Idempotent:
			api.SetOutcome(st.apiErr, api.ErrOutcomeUnknown)
		}
		return api.ResponseMeta{}, st.apiErr
	case doErr != nil:
		return api.ResponseMeta{}, st.c.fail(st.r, st.attempts, doErr, st.outcome())
	}
	return st.meta, nil
}

// outcome is what a call that got no final answer means for the vendor's
// state: api.ErrNotSent when no attempt can have been acted on,
// api.ErrOutcomeUnknown when a request that is not safe to repeat may
// have been, else nil.
func (st *call) outcome() error {
	switch {
	case !st.acted:
		return api.ErrNotSent
	case !st.r.Idempotent:
		return api.ErrOutcomeUnknown
	}
	return nil
}

// log writes one debug line per attempt, and nothing without a logger.
func (st *call) log(status int, err error) {
	l := st.c.logger
	if l == nil || !l.Enabled(st.ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("vendor", st.c.vendor.Name),
		slog.String("method", st.r.Method),
		slog.String("host", st.c.base.Host),
		slog.String("path", st.c.Redact(st.c.pathQuery(st.r))),
		slog.Int("status", status),
		slog.Int("attempt", st.attempts),
		slog.Duration("wait", st.wait),
		slog.Bool("retry", st.waiting),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", st.c.Redact(err.Error())))
	} else if st.apiErr != nil {
		attrs = append(attrs, slog.String("error", st.apiErr.Error()))
	}
	l.LogAttrs(st.ctx, slog.LevelDebug, "couponkit: http attempt", attrs...)
}

var errTooManyRedirects = errors.New("stopped after 10 redirects")

// isDialError reports a failure to connect: the request was never written,
// so even a non-idempotent request is safe to retry.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// permanent reports an error that cannot change between attempts, given
// that the attempt got no connection: one that is neither a network error,
// an I/O error nor a context error. net/http returns such errors before
// dialling for a request it refuses to send (an invalid header value or
// method, an unsupported scheme); a certificate error is one too.
func permanent(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // *url.Error is a net.Error whatever it wraps
	}
	var ne net.Error
	var errno syscall.Errno
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &ne), errors.As(err, &errno):
		return false
	}
	return true
}

// transient reports a transport error worth retrying for an idempotent
// request: anything but certificate problems and redirect loops.
func transient(err error) bool {
	var certErr *tls.CertificateVerificationError
	var authErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &certErr), errors.As(err, &authErr), errors.As(err, &hostErr),
		errors.As(err, &invalidErr), errors.Is(err, errTooManyRedirects):
		return false
	}
	return true
}

// Snippet is a short, single-line excerpt of a body for an error message,
// e.g. an HTML page a proxy answered with.
func Snippet(body []byte) string {
	const max = 200
	s := bytes.TrimSpace(body)
	if len(s) == 0 {
		return "(empty body)"
	}
	cut := len(s) > max
	if cut {
		s = s[:max]
	}
	out := make([]byte, 0, len(s)+3)
	for _, b := range s {
		if b == '\n' || b == '\r' || b == '\t' {
			b = ' '
		}
		out = append(out, b)
	}
	if cut {
		out = append(out, "..."...)
	}
	return string(bytes.ToValidUTF8(out, []byte("?")))
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
