package conformance_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// TestCredentialsNeverLeak drives every error path with a debug logger and
// a server that echoes the request (headers and body) back in its answers.
func TestCredentialsNeverLeak(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			var logs testutil.SyncBuffer
			logger := testutil.DebugLogger(&logs)
			echo := func(w http.ResponseWriter, r *http.Request, status int) {
				var b strings.Builder
				for k, vv := range r.Header {
					fmt.Fprintf(&b, "%s=%s ", k, strings.Join(vv, ","))
				}
				b.WriteString(r.URL.String())
				w.Header().Set("X-Echo", b.String())
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"message":%q,"error":{"code":999,"message":%q},"errors":[{"code":"X","message":%q}]}`, b.String(), b.String(), b.String())
			}
			statuses := []int{200, 400, 401, 403, 404, 409, 422, 429, 500, 503}
			for _, status := range statuses {
				s := newCounted(t, func(w http.ResponseWriter, r *http.Request, _ int) { echo(w, r, status) })
				sub, err := v.newClient(config{base: s.URL, policy: fast, logger: logger})
				require.NoError(t, err)
				calls := []call{sub.update}
				if sub.nonIdempotent != nil {
					calls = append(calls, sub.nonIdempotent)
				}
				for _, c := range calls {
					meta, err := c(context.Background())
					require.Error(t, err, "status %d: the echo is never a valid answer", status)
					for _, secret := range v.secrets {
						for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
							assert.NotContains(t, fmt.Sprintf(verb, err), secret, "status %d, %s of the error", status, verb)
						}
						var ae *api.APIError
						if assert.ErrorAs(t, err, &ae) {
							assert.NotContains(t, string(ae.Body), secret)
						}
						assert.NotContains(t, fmt.Sprintf("%+v", meta), secret)
					}
				}
			}
			// Printing the client itself, with any verb.
			sub, err := v.newClient(config{base: "http://127.0.0.1:1", policy: fast, logger: logger})
			require.NoError(t, err)
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
				for _, secret := range v.secrets {
					assert.NotContains(t, fmt.Sprintf(verb, sub.client), secret, "%s of the client", verb)
				}
			}
			// A transport error.
			_, err = sub.update(context.Background())
			require.Error(t, err)
			for _, secret := range v.secrets {
				assert.NotContains(t, err.Error(), secret)
			}
			require.NotEmpty(t, logs.String())
			for _, secret := range v.secrets {
				assert.NotContains(t, logs.String(), secret, "log lines")
			}
		})
	}
}

// TestRedirectsKeepCredentialsHome: a redirect to another host is not
// followed, so that host never sees the credentials.
func TestRedirectsKeepCredentialsHome(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			var leaked atomic.Value
			evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var body bytes.Buffer
				body.ReadFrom(r.Body)
				for _, h := range v.credHeaders {
					if r.Header.Get(h) != "" {
						leaked.Store(h)
					}
				}
				for _, s := range v.secrets {
					if strings.Contains(body.String(), s) || strings.Contains(r.URL.String(), s) {
						leaked.Store("body or URL")
					}
				}
				v.success(w)
			}))
			defer evil.Close()
			for _, code := range []int{301, 302, 303, 307, 308} {
				home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, evil.URL+r.URL.Path, code)
				}))
				sub, err := v.newClient(config{base: home.URL, policy: fast})
				require.NoError(t, err)
				_, err = sub.update(context.Background())
				var ae *api.APIError
				require.ErrorAs(t, err, &ae, "status %d", code)
				assert.Equal(t, code, ae.StatusCode)
				if sub.nonIdempotent != nil {
					_, err = sub.nonIdempotent(context.Background())
					require.Error(t, err)
				}
				home.Close()
			}
			assert.Nil(t, leaked.Load(), "credentials reached another host")
		})
	}
}

// TestConcurrentCallsUnderFaults: 64 goroutines x 200 updates through one
// client against a server answering 429 and 503 at random (x 50 under the
// race detector, which slows each call tenfold: the same interleavings
// are checked, on fewer calls, and the suite stays within its time).
func TestConcurrentCallsUnderFaults(t *testing.T) {
	const workers = 64
	perWorker := 200
	if testutil.RaceEnabled {
		perWorker = 50
	}
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				switch n % 7 {
				case 3:
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(429)
				case 5:
					w.WriteHeader(503)
				default:
					v.success(w)
				}
			})
			sub, err := v.newClient(config{base: s.URL, policy: api.RetryPolicy{MaxRetries: 1, MinWait: time.Microsecond, MaxWait: time.Millisecond}})
			require.NoError(t, err)
			var ok, typed, attempts atomic.Int64
			var wg sync.WaitGroup
			for i := 0; i < workers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < perWorker; j++ {
						meta, err := sub.update(context.Background())
						if err == nil {
							ok.Add(1)
							attempts.Add(int64(meta.Attempts))
							continue
						}
						if ae, isAPI := err.(*api.APIError); isAPI && (ae.Is(api.ErrRateLimited) || ae.Is(api.ErrServer)) {
							typed.Add(1)
							attempts.Add(int64(ae.Attempts))
						}
					}
				}()
			}
			wg.Wait()
			assert.Equal(t, int64(workers*perWorker), ok.Load()+typed.Load(), "every call ends in success or a typed error")
			assert.Equal(t, int64(s.n.Load()), attempts.Load(), "attempts add up to the requests the server saw")
			assert.Greater(t, ok.Load(), int64(0))
		})
	}
}

// TestSameHostRedirectIsFollowed: a 307/308 within the vendor's host is
// followed with the credentials and the very same body.
func TestSameHostRedirectIsFollowed(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			var bodies []string
			var mu sync.Mutex
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				var body bytes.Buffer
				body.ReadFrom(r.Body)
				mu.Lock()
				bodies = append(bodies, body.String())
				mu.Unlock()
				if rest, ok := strings.CutPrefix(r.URL.Path, "/old"); ok {
					code := http.StatusTemporaryRedirect
					if len(bodies)%4 == 3 {
						code = http.StatusPermanentRedirect
					}
					http.Redirect(w, r, rest, code)
					return
				}
				for _, h := range v.credHeaders {
					if r.Header.Get(h) == "" {
						w.WriteHeader(401)
						return
					}
				}
				v.success(w)
			}))
			defer s.Close()
			sub, err := v.newClient(config{base: s.URL + "/old", policy: fast})
			require.NoError(t, err)
			for i := 0; i < 2; i++ {
				_, err = sub.update(context.Background())
				require.NoError(t, err)
			}
			require.Len(t, bodies, 4)
			assert.NotEmpty(t, bodies[0])
			assert.Equal(t, bodies[0], bodies[1], "the redirected request carries the same body")
		})
	}
}

// TestCancelledContextSendsNothing: a context cancelled before the call
// returns its error without a request.
func TestCancelledContextSendsNothing(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) { v.success(w) })
			sub, err := v.newClient(config{base: s.URL, policy: fast})
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			calls := []call{sub.update}
			if sub.nonIdempotent != nil {
				calls = append(calls, sub.nonIdempotent)
			}
			for _, c := range calls {
				_, err = c(ctx)
				require.ErrorIs(t, err, context.Canceled)
				assert.ErrorIs(t, err, api.ErrNotSent)
				assert.True(t, strings.HasPrefix(err.Error(), v.name+": "), err.Error())
			}
			assert.Zero(t, s.n.Load(), "nothing was sent")
		})
	}
}
