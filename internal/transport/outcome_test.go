package transport

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

func TestSetProductRejectsWhatNetHTTPRefuses(t *testing.T) {
	for _, bad := range []string{"", "promo\x00", "a\x01b", "x\x1f", "line\nbreak", "cr\r", "del\x7f"} {
		s := NewSettings("https://h.example")
		assert.Error(t, s.SetProduct(bad), "%q", bad)
	}
	for _, good := range []string{"promo/1.0", "tab\tok", "caf\u00e9/2", "a (b; c)"} {
		s := NewSettings("https://h.example")
		assert.NoError(t, s.SetProduct(good), "%q", good)
	}
}

// rtFunc is a RoundTripper made of a function.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A local error that cannot change between attempts is returned at once.
func TestLocalErrorsAreNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name     string
		err      error
		attempts int
	}{
		{"invalid header value", errors.New(`net/http: invalid header field value for "User-Agent"`), 1},
		{"invalid method", errors.New(`net/http: invalid method "P T"`), 1},
		{"unsupported scheme", errors.New(`unsupported protocol scheme "ftp"`), 1},
		{"connection lost mid-request", io.ErrUnexpectedEOF, 4},
		{"reset by peer", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, 4},
		{"timeout", &net.OpError{Op: "read", Net: "tcp", Err: timeoutErr{}}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int32
			c := newTestClient(t, "https://h.example", rtFunc(func(*http.Request) (*http.Response, error) {
				n.Add(1)
				return nil, tt.err
			}))
			_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true})
			require.Error(t, err)
			assert.Equal(t, tt.attempts, int(n.Load()))
			assert.ErrorIs(t, err, tt.err)
			assert.True(t, strings.HasPrefix(err.Error(), "test: PUT /x"), err.Error())
			if tt.attempts == 1 {
				assert.ErrorIs(t, err, api.ErrNotSent, "a local refusal sent nothing")
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// The real thing: net/http refuses a header value before connecting, and
// the server never sees a request.
func TestHeaderNetHTTPRefusesIsNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
	defer srv.Close()
	s := NewSettings(srv.URL)
	require.NoError(t, s.SetRetryPolicy(fast))
	var logs testutil.SyncBuffer
	require.NoError(t, s.SetLogger(testutil.DebugLogger(&logs)))
	c, err := New(Vendor{Name: "test", Header: http.Header{"X-Key": {"bad\x00value"}}}, s)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid header field value")
	assert.ErrorIs(t, err, api.ErrNotSent)
	assert.Zero(t, n.Load())
	assert.Equal(t, 1, strings.Count(logs.String(), "http attempt"), "one attempt")
}

func outcomeClient(t *testing.T, base string, hc *http.Client) *Client {
	t.Helper()
	s := NewSettings(base)
	if hc != nil {
		require.NoError(t, s.SetHTTPClient(hc))
	}
	require.NoError(t, s.SetRetryPolicy(fast))
	c, err := New(Vendor{Name: "test"}, s)
	require.NoError(t, err)
	return c
}

func TestOutcomes(t *testing.T) {
	put := func(idem bool) *Request {
		return &Request{Method: "PUT", Path: "/x", Body: []byte("b"), Idempotent: idem, Decode: func(int, []byte) error { return nil }}
	}

	t.Run("ctx done before sending", func(t *testing.T) {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
		defer srv.Close()
		c := outcomeClient(t, srv.URL, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Do(ctx, put(false))
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, api.ErrNotSent)
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.True(t, strings.HasPrefix(err.Error(), "test: PUT /x: "), err.Error())
		assert.Zero(t, n.Load())
	})

	t.Run("every attempt failed to connect", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		ln.Close()
		c := outcomeClient(t, "http://"+addr, nil)
		for _, idem := range []bool{true, false} {
			_, err = c.Do(context.Background(), put(idem))
			assert.ErrorIs(t, err, api.ErrNotSent)
			assert.NotErrorIs(t, err, api.ErrOutcomeUnknown)
			assert.Contains(t, err.Error(), "(after 4 attempts)")
		}
	})

	t.Run("ctx ends while waiting for a pooled connection", func(t *testing.T) {
		release := make(chan struct{})
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			<-release
		}))
		defer srv.Close()
		defer close(release)
		tr := &http.Transport{MaxConnsPerHost: 1}
		defer tr.CloseIdleConnections()
		c := outcomeClient(t, srv.URL, &http.Client{Transport: tr})
		go c.Do(context.Background(), put(true)) // holds the only connection
		require.Eventually(t, func() bool { return n.Load() == 1 }, 5*time.Second, time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := c.Do(ctx, put(false))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, api.ErrNotSent, "it never got a connection")
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.Equal(t, int32(1), n.Load())
	})

	t.Run("rate limited then cancelled while waiting", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "0.05")
			w.WriteHeader(429)
		}))
		defer srv.Close()
		c := outcomeClient(t, srv.URL, nil)
		c.retry.MaxWait = time.Minute
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(10*time.Millisecond, cancel)
		_, err := c.Do(ctx, put(false))
		assert.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, api.ErrNotSent, "a 429 is a refusal: nothing was acted on")
	})

	t.Run("connection lost after the request was written", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer ln.Close()
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					if req, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
						io.Copy(io.Discard, req.Body)
					}
					conn.Close()
				}()
			}
		}()
		c := outcomeClient(t, "http://"+ln.Addr().String(), nil)
		_, err = c.Do(context.Background(), put(false))
		require.Error(t, err)
		assert.ErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, api.ErrNotSent)
		assert.Contains(t, err.Error(), api.NotRetriedUnsafe)
		var ue interface{ Unwrap() error }
		require.ErrorAs(t, err, &ue, "the cause is kept")
		_, err = c.Do(context.Background(), put(true))
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown, "safe to repeat")
		assert.NotErrorIs(t, err, api.ErrNotSent)
	})

	t.Run("silent until the deadline after the request was written", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		c := outcomeClient(t, srv.URL, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Do(ctx, put(false))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, api.ErrNotSent)
	})

	t.Run("5xx", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(503, "busy"))
		c := outcomeClient(t, "https://h.example", &http.Client{Transport: mt})
		_, err := c.Do(context.Background(), put(false))
		testutil.OnlySentinel(t, err, api.ErrServer)
		assert.ErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, api.ErrNotSent)
		assert.Equal(t, "test: PUT /x: 503: busy ("+api.NotRetriedUnsafe+")", err.Error())

		_, err = c.Do(context.Background(), put(true))
		testutil.OnlySentinel(t, err, api.ErrServer)
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown, "an idempotent request was retried")
		assert.NotContains(t, err.Error(), "not safe")

		mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(501, "no"))
		_, err = c.Do(context.Background(), put(false))
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown, "501: the server does not do this at all")
	})

	t.Run("rate limited until the retries were spent", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(429, "slow down"))
		c := outcomeClient(t, "https://h.example", &http.Client{Transport: mt})
		_, err := c.Do(context.Background(), put(false))
		testutil.OnlySentinel(t, err, api.ErrRateLimited)
		assert.ErrorIs(t, err, api.ErrNotSent, "refused every time: nothing was acted on")
		assert.Equal(t, 4, mt.GetTotalCallCount())
	})

	t.Run("4xx", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(404, "gone"))
		c := outcomeClient(t, "https://h.example", &http.Client{Transport: mt})
		_, err := c.Do(context.Background(), put(false))
		testutil.OnlySentinel(t, err, api.ErrNotFound)
		assert.NotErrorIs(t, err, api.ErrOutcomeUnknown)
		assert.NotErrorIs(t, err, api.ErrNotSent)
	})
}
