package transport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

var fast = api.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

func newTestClient(t *testing.T, base string, rt http.RoundTripper) *Client {
	t.Helper()
	s := NewSettings(base)
	if rt != nil {
		require.NoError(t, s.SetHTTPClient(&http.Client{Transport: rt}))
	}
	require.NoError(t, s.SetRetryPolicy(fast))
	c, err := New(Vendor{Name: "test", Header: http.Header{"X-Key": {"s3cret"}}, Secrets: []string{"s3cret"}}, s)
	require.NoError(t, err)
	return c
}

func TestURLEscapesPathParams(t *testing.T) {
	c := newTestClient(t, "https://h.example/api/", nil)
	for param, want := range map[string]string{
		"a/../b": "https://h.example/api/v1/coupons/a%2F..%2Fb",
		"x?y#z":  "https://h.example/api/v1/coupons/x%3Fy%23z",
		"..":     "https://h.example/api/v1/coupons/..",
		"plain":  "https://h.example/api/v1/coupons/plain",
		"sp ace": "https://h.example/api/v1/coupons/sp%20ace",
	} {
		u := c.url(&Request{Path: "/v1/coupons", PathParams: []string{param}})
		assert.Equal(t, want, u.String(), param)
		assert.Empty(t, u.RawQuery, param)
	}
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name        string
		header      http.Header
		rateLimited bool
		want        time.Duration
	}{
		{"none", h(), true, 0},
		{"retry-after seconds", h("Retry-After", "7"), false, 7 * time.Second},
		{"retry-after date", h("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"), false, 30 * time.Second},
		{"retry-after past date", h("Retry-After", "Wed, 31 Dec 2025 00:00:30 GMT"), false, 0},
		{"retry-after garbage", h("Retry-After", "soon"), false, 0},
		{"retry-after NaN", h("Retry-After", "NaN"), false, 0},
		{"x-retry-after", h("X-Retry-After", "2"), false, 2 * time.Second},
		{"reset ms only when limited", h("X-Rate-Limit-Time-Reset-Ms", "1500"), false, 0},
		{"reset ms", h("X-Rate-Limit-Time-Reset-Ms", "1500"), true, 1500 * time.Millisecond},
		{"longest wins", h("X-Retry-After", "1", "X-Rate-Limit-Time-Reset-Ms", "2500"), true, 2500 * time.Millisecond},
		{"epoch reset", h("X-RateLimit-Reset", "1767225612"), true, 12 * time.Second},
		{"delta reset", h("X-RateLimit-Reset", "4"), true, 4 * time.Second},
		{"ietf reset", h("RateLimit-Reset", "9"), true, 9 * time.Second},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, serverWait(tt.header, tt.rateLimited, now), tt.name)
	}
}

func TestBackoffIsFullJitterCappedByMaxWait(t *testing.T) {
	c := newTestClient(t, "https://h.example", nil)
	c.retry = api.RetryPolicy{MaxRetries: 10, MinWait: 100 * time.Millisecond, MaxWait: time.Second}
	var uppers []int64
	c.jitter = func(n int64) int64 { uppers = append(uppers, n); return n - 1 }
	st := &call{c: c}
	var waits []time.Duration
	for i := 1; i <= 6; i++ {
		st.attempts = i
		waits = append(waits, st.backoffWait())
	}
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}, waits)
	c.jitter = func(int64) int64 { return 0 }
	st.attempts = 60 // no overflow
	assert.Equal(t, time.Duration(0), st.backoffWait())
}

// nonIdempotent retries: only rate limits and dial failures.
func TestNonIdempotentRetrySafety(t *testing.T) {
	tests := []struct {
		name      string
		responder httpmock.Responder
		idem      bool
		calls     int
	}{
		{"503 idempotent", httpmock.NewStringResponder(503, "busy"), true, 4},
		{"503 not idempotent", httpmock.NewStringResponder(503, "busy"), false, 1},
		{"429 not idempotent", httpmock.NewStringResponder(429, "slow down"), false, 4},
		{"lost mid-request idempotent", httpmock.NewErrorResponder(io.ErrUnexpectedEOF), true, 4},
		{"lost mid-request not idempotent", httpmock.NewErrorResponder(io.ErrUnexpectedEOF), false, 1},
		{"dial failure not idempotent", httpmock.NewErrorResponder(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}), false, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("POST", "https://h.example/x", tt.responder)
			c := newTestClient(t, "https://h.example", mt)
			_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Body: []byte("b"), Idempotent: tt.idem})
			require.Error(t, err)
			assert.Equal(t, tt.calls, mt.GetTotalCallCount())
		})
	}
}

func TestRetryRateLimitDecidedByVendorInside200(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var n atomic.Int32
	mt.RegisterResponder("POST", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			return httpmock.NewStringResponse(200, "limited"), nil
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	c := newTestClient(t, "https://h.example", mt)
	var got string
	meta, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Decode: func(_ int, b []byte) error {
		if string(b) == "limited" {
			e := &api.APIError{Code: "189"}
			api.SetKind(e, api.ErrRateLimited)
			return e
		}
		got = string(b)
		return nil
	}})
	require.NoError(t, err)
	assert.Equal(t, "ok", got)
	assert.Equal(t, 2, meta.Attempts)
}

func TestBodyLimit(t *testing.T) {
	for _, tt := range []struct {
		name          string
		contentLength int64
		size          int64
		tooLarge      bool
	}{
		{"unknown length over", -1, MaxSuccessBody + 10, true},
		{"declared length over", MaxSuccessBody + 10, MaxSuccessBody + 10, true},
		{"unknown length at limit", -1, MaxSuccessBody, false},
		{"declared length at limit", MaxSuccessBody, MaxSuccessBody, false},
		{"zero length that is not", 0, 100, false},
		{"unknown length small", -1, 3000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, ContentLength: tt.contentLength,
					Body: io.NopCloser(io.LimitReader(zeros{}, tt.size)), Header: http.Header{}}, nil
			})
			c := newTestClient(t, "https://h.example", mt)
			var got int
			_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true,
				Decode: func(_ int, b []byte) error { got = len(b); return nil }})
			if !tt.tooLarge {
				require.NoError(t, err)
				assert.Equal(t, int(tt.size), got)
				return
			}
			var ae *api.APIError
			require.ErrorAs(t, err, &ae)
			assert.Contains(t, ae.Message, "exceeds the 10485760 byte limit")
			assert.Zero(t, got, "not decoded")
			assert.Empty(t, ae.Body)
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestErrorBodyIsCappedAndRedacted(t *testing.T) {
	mt := httpmock.NewMockTransport()
	big := make([]byte, 200<<10)
	for i := range big {
		big[i] = 'a'
	}
	copy(big, "s3cret")
	mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewBytesResponder(400, big))
	c := newTestClient(t, "https://h.example", mt)
	_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x"})
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.LessOrEqual(t, len(ae.Body), api.MaxErrorBody+len("[REDACTED]"))
	assert.NotContains(t, string(ae.Body), "s3cret")
	assert.NotContains(t, ae.Error(), "s3cret")
	assert.ErrorIs(t, err, api.ErrInvalidRequest)
}

// A dial failure is retried even for a non-idempotent request, over a real
// socket: the listener is closed, so the dial is refused.
func TestDialFailureRealSocket(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	c := newTestClient(t, "http://"+addr, nil)
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/x"})
	require.Error(t, err)
	assert.True(t, isDialError(err))
	assert.Contains(t, err.Error(), "(after 4 attempts)")
}

// A connection dropped after the request was written is not retried for a
// non-idempotent request: the server may have acted on it.
func TestDroppedConnectionNotRetriedWhenNotIdempotent(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() {
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err == nil {
					io.Copy(io.Discard, req.Body)
				}
				conn.Close()
			}()
		}
	}()
	c := newTestClient(t, "http://"+ln.Addr().String(), nil)
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Body: []byte("rename")})
	require.Error(t, err)
	assert.Equal(t, int32(1), accepted.Load())
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/x", Body: []byte("plain"), Idempotent: true})
	require.Error(t, err)
	assert.Equal(t, int32(1+4), accepted.Load())
}

func TestRedactsEscapedSecretsAndRequestIDs(t *testing.T) {
	s := NewSettings("https://h.example")
	mt := httpmock.NewMockTransport()
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	secret := `k<e>y&"1"`
	c, err := New(Vendor{Name: "test", Secrets: []string{secret}}, s)
	require.NoError(t, err)
	mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(400, `{"echo":"k\u003ce\u003ey\u0026\"1\""}`)
		r.Header.Set("X-Request-Id", "id-"+secret)
		return r, nil
	})
	_, err = c.Do(context.Background(), &Request{Method: "PUT", Path: "/x"})
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "id-[REDACTED]", ae.RequestID)
	assert.Equal(t, `{"echo":"[REDACTED]"}`, string(ae.Body))
}

func TestPrintingNeverShowsSecrets(t *testing.T) {
	c := newTestClient(t, "https://h.example", nil)
	holder := struct{ t *Client }{c} // as a vendor client holds it
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, holder), "s3cret", verb)
		assert.NotContains(t, fmt.Sprintf(verb, &holder), "s3cret", verb)
	}
}

func TestFieldErrorKeysAreRedacted(t *testing.T) {
	s := NewSettings("https://h.example")
	mt := httpmock.NewMockTransport()
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	c, err := New(Vendor{Name: "test", Secrets: []string{"s3cret"}, DecodeError: func(int, http.Header, []byte) *api.APIError {
		return &api.APIError{FieldErrors: map[string][]string{"Bearer s3cret": {"echo s3cret"}, "name": {"bad"}}}
	}}, s)
	require.NoError(t, err)
	mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(422, `{}`))
	_, err = c.Do(context.Background(), &Request{Method: "PUT", Path: "/x"})
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, map[string][]string{"Bearer [REDACTED]": {"echo [REDACTED]"}, "name": {"bad"}}, ae.FieldErrors)
}

func TestResponseHeadersAreRedacted(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c := newTestClient(t, "https://h.example", mt)
	mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(200, `{}`)
		r.Header.Set("X-Echo", "key=s3cret")
		r.Header.Set("X-Plain", "fine")
		return r, nil
	})
	meta, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Decode: func(int, []byte) error { return nil }})
	require.NoError(t, err)
	assert.Equal(t, "key=[REDACTED]", meta.Header.Get("X-Echo"))
	assert.Equal(t, "fine", meta.Header.Get("X-Plain"))
}

// A caller's RoundTripper that edits a request's headers changes neither
// the client's template nor the next request's headers.
func TestRequestHeaderNeverWritesIntoTheTemplate(t *testing.T) {
	var seen []http.Header
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Clone())
		r.Header.Add("X-Key", "second")
		r.Header.Set("Accept", "text/plain")
		r.Header.Del("User-Agent")
		return httpmock.NewStringResponse(200, "{}"), nil
	})
	c := newTestClient(t, "https://h.example", rt)
	before := c.header.Clone()
	for range 2 {
		_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x"})
		require.NoError(t, err)
	}
	assert.Equal(t, before, c.header, "the template is unchanged")
	require.Len(t, seen, 2)
	assert.Equal(t, before, seen[0])
	assert.Equal(t, before, seen[1], "the second request has the template's headers")
	assert.Equal(t, []string{"s3cret"}, seen[1].Values("X-Key"))
}
