package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// fault is one misbehaviour of the network or the vendor.
type fault struct {
	name string
	// start returns the base URL of a server misbehaving this way, and a
	// function reporting how many requests it received.
	start func(t *testing.T, v vendor) (base string, requests func() int)
	// timeout is the per-attempt timeout (0: none beyond ctx).
	timeout time.Duration
	ctx     time.Duration
	// check judges the idempotent call's outcome.
	check func(t *testing.T, meta api.ResponseMeta, err error)
	// acted reports whether the server may have acted on a request, so a
	// non-idempotent one must be sent at most once.
	acted bool
	// early says the call must return before ctx's deadline, not at it.
	early bool
	// notSent says the idempotent call's error matches ErrNotSent: no
	// attempt can have been acted on.
	notSent bool
}

func isAPIError(status int, kind error) func(t *testing.T, meta api.ResponseMeta, err error) {
	return func(t *testing.T, _ api.ResponseMeta, err error) {
		var ae *api.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, status, ae.StatusCode)
		if kind != nil {
			assert.ErrorIs(t, err, kind)
		}
		assert.NotEmpty(t, ae.Message)
		assert.True(t, utf8.ValidString(ae.Error()), "error text is valid UTF-8")
	}
}

func httpFault(h func(v vendor, w http.ResponseWriter, r *http.Request, n int)) func(t *testing.T, v vendor) (string, func() int) {
	return func(t *testing.T, v vendor) (string, func() int) {
		s := newCounted(t, func(w http.ResponseWriter, r *http.Request, n int) { h(v, w, r, n) })
		return s.URL, func() int { return int(s.n.Load()) }
	}
}

func rawFault(h func(conn net.Conn, n int)) func(t *testing.T, v vendor) (string, func() int) {
	return func(t *testing.T, v vendor) (string, func() int) {
		s := newRaw(t, h)
		return s.base, func() int { return int(s.n.Load()) }
	}
}

func html(status int) func(v vendor, w http.ResponseWriter, r *http.Request, n int) {
	return func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>\n",
			status, http.StatusText(status), status, http.StatusText(status))
	}
}

func faults() []fault {
	return []fault{
		{
			name: "connection refused",
			start: func(t *testing.T, _ vendor) (string, func() int) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				addr := ln.Addr().String()
				ln.Close()
				return "http://" + addr, func() int { return 0 }
			},
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				var op *net.OpError
				require.ErrorAs(t, err, &op)
				assert.Equal(t, "dial", op.Op)
				assert.Contains(t, err.Error(), "(after 3 attempts)")
			},
			notSent: true,
		},
		{
			name:  "reset before any byte",
			start: rawFault(func(conn net.Conn, _ int) { reset(conn) }),
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				require.Error(t, err)
				var ae *api.APIError
				assert.False(t, errors.As(err, &ae), "no response arrived")
			},
			acted: true,
		},
		{
			name: "reset mid-body",
			start: rawFault(func(conn net.Conn, _ int) {
				io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":42,\"na")
				time.Sleep(10 * time.Millisecond)
				reset(conn)
			}),
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				require.Error(t, err)
				var ae *api.APIError
				assert.False(t, errors.As(err, &ae))
			},
			acted: true,
		},
		{
			name: "headers then silence, retry succeeds",
			start: func(t *testing.T, v vendor) (string, func() int) {
				release := make(chan struct{})
				s := newCounted(t, func(w http.ResponseWriter, r *http.Request, n int) {
					if n == 1 {
						w.WriteHeader(200)
						w.(http.Flusher).Flush()
						select {
						case <-r.Context().Done():
						case <-release:
						}
						return
					}
					v.success(w)
				})
				t.Cleanup(func() { close(release) })
				return s.URL, func() int { return int(s.n.Load()) }
			},
			timeout: 100 * time.Millisecond,
			check: func(t *testing.T, meta api.ResponseMeta, err error) {
				require.NoError(t, err)
				assert.Equal(t, 2, meta.Attempts)
			},
			acted: true,
		},
		{
			name: "silent until the deadline",
			start: func(t *testing.T, v vendor) (string, func() int) {
				release := make(chan struct{})
				s := newCounted(t, func(w http.ResponseWriter, r *http.Request, n int) {
					select {
					case <-r.Context().Done():
					case <-release:
					}
				})
				t.Cleanup(func() { close(release) })
				return s.URL, func() int { return int(s.n.Load()) }
			},
			ctx: 100 * time.Millisecond,
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				require.ErrorIs(t, err, context.DeadlineExceeded)
			},
			acted: true,
		},
		{
			name: "body trickles past the deadline",
			start: httpFault(func(_ vendor, w http.ResponseWriter, r *http.Request, _ int) {
				w.WriteHeader(200)
				for i := 0; i < 50; i++ {
					if _, err := w.Write([]byte(" ")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
					select {
					case <-r.Context().Done():
						return
					case <-time.After(100 * time.Millisecond):
					}
				}
			}),
			ctx: 350 * time.Millisecond,
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				require.ErrorIs(t, err, context.DeadlineExceeded)
			},
			acted: true,
		},
		{name: "truncated JSON", start: httpFault(func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {
			w.Write([]byte(`{"id":42,"name":"$5 o`))
		}), check: isAPIError(200, nil)},
		{name: "502 proxy page", start: httpFault(html(502)), check: isAPIError(502, api.ErrServer), acted: true},
		{name: "503 proxy page", start: httpFault(html(503)), check: isAPIError(503, api.ErrServer), acted: true},
		{name: "504 proxy page", start: httpFault(html(504)), check: isAPIError(504, api.ErrServer), acted: true},
		{name: "empty 200", start: httpFault(func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {}), check: isAPIError(200, nil)},
		{name: "invalid UTF-8", start: httpFault(func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {
			w.WriteHeader(400)
			w.Write([]byte("\xff\xfe bad \xc3\x28 request"))
		}), check: isAPIError(400, api.ErrInvalidRequest)},
		{
			name: "gigantic body",
			start: httpFault(func(_ vendor, w http.ResponseWriter, r *http.Request, _ int) {
				w.WriteHeader(200)
				chunk := []byte(strings.Repeat(" ", 64<<10))
				for i := 0; i < (1<<30)/len(chunk); i++ { // 1 GiB, streamed, never materialised
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}),
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				var ae *api.APIError
				require.ErrorAs(t, err, &ae)
				assert.Contains(t, ae.Message, "exceeds the 10485760 byte limit")
			},
		},
		{
			name: "429 storm beyond the retry budget",
			start: httpFault(func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(429)
			}),
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				var ae *api.APIError
				require.ErrorAs(t, err, &ae)
				assert.ErrorIs(t, err, api.ErrRateLimited)
				assert.Equal(t, 3, ae.Attempts)
			},
			notSent: true, // refused every time
		},
		{
			name: "Retry-After of one hour with a 2 s ctx",
			start: httpFault(func(_ vendor, w http.ResponseWriter, _ *http.Request, _ int) {
				w.Header().Set("Retry-After", "3600")
				w.WriteHeader(429)
			}),
			ctx:   2 * time.Second,
			early: true,
			check: func(t *testing.T, _ api.ResponseMeta, err error) {
				var ae *api.APIError
				require.ErrorAs(t, err, &ae)
				assert.ErrorIs(t, err, api.ErrRateLimited)
				assert.NotErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, time.Hour, ae.RetryAfter)
				assert.Equal(t, 1, ae.Attempts, "answered at once instead of sleeping into the deadline")
			},
			notSent: true,
		},
	}
}

func TestFaults(t *testing.T) {
	for _, v := range vendors {
		for _, f := range faults() {
			t.Run(v.name+"/"+f.name, func(t *testing.T) {
				hc, tr := freshHTTP(f.timeout)
				goroutines := runtime.NumGoroutine()
				t.Cleanup(func() { noLeak(t, goroutines, tr) }) // runs last, after the servers close
				base, _ := f.start(t, v)
				policy := fast
				policy.MaxWait = time.Minute // server waits are not capped by the test
				if f.name != "Retry-After of one hour with a 2 s ctx" {
					policy.MaxWait = fast.MaxWait
				}
				sub, err := v.newClient(config{base: base, policy: policy, hc: hc})
				require.NoError(t, err)
				ctxTimeout := f.ctx
				if ctxTimeout == 0 {
					ctxTimeout = 10 * time.Second
				}
				ctx, cancel := context.WithTimeout(context.Background(), ctxTimeout)
				defer cancel()
				start := time.Now()
				meta, err := sub.update(ctx)
				assert.LessOrEqual(t, time.Since(start), ctxTimeout+500*time.Millisecond, "returned within its deadline")
				f.check(t, meta, err)
				if f.early {
					assert.NoError(t, ctx.Err(), "returned before the deadline instead of sleeping into it")
				}
				if err != nil {
					assert.Equal(t, f.notSent, errors.Is(err, api.ErrNotSent), "ErrNotSent: %v", err)
					assert.NotErrorIs(t, err, api.ErrOutcomeUnknown, "an idempotent request is safe to repeat")
					assert.True(t, strings.HasPrefix(err.Error(), v.name+": "), "errors name their vendor: %v", err)
					for _, secret := range v.secrets {
						assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), secret)
					}
				}

				if sub.nonIdempotent != nil && f.acted {
					// A fresh server with the same fault: its first request is
					// the non-idempotent one.
					base2, requests2 := f.start(t, v)
					sub2, err := v.newClient(config{base: base2, policy: policy, hc: hc})
					require.NoError(t, err)
					ctx2, cancel2 := context.WithTimeout(context.Background(), ctxTimeout)
					defer cancel2()
					_, err = sub2.nonIdempotent(ctx2)
					require.Error(t, err, "the fault hits the non-idempotent request")
					assert.Equal(t, 1, requests2(), "a non-idempotent request the server may have acted on is sent once")
					assert.ErrorIs(t, err, api.ErrOutcomeUnknown, "it may have been applied: %v", err)
					assert.NotErrorIs(t, err, api.ErrNotSent)
					assert.Contains(t, err.Error(), api.NotRetriedUnsafe)
				}
			})
		}
	}
}

func TestWrongTypesInSuccessBodies(t *testing.T) {
	for _, v := range vendors {
		for _, body := range v.wrongTypes {
			t.Run(v.name+"/"+body, func(t *testing.T) {
				s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
					w.Header().Set("Content-Type", "application/json")
					w.Write([]byte(body))
				})
				sub, err := v.newClient(config{base: s.URL, policy: fast})
				require.NoError(t, err)
				_, err = sub.update(context.Background())
				var ae *api.APIError
				require.ErrorAs(t, err, &ae, "a wrong type gives an APIError")
				assert.Equal(t, 200, ae.StatusCode)
			})
		}
	}
}
