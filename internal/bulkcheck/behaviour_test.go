package bulkcheck_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressLog records Progress calls. It is deliberately unsynchronized:
// Progress must be called from the goroutine ranging over the results, so
// the race detector flags a call from anywhere else, and TryLock catches
// two calls at once even without it.
type progressLog struct {
	calls      []api.Progress
	mu         sync.Mutex
	concurrent bool
}

func (l *progressLog) record(p api.Progress) {
	if !l.mu.TryLock() {
		l.concurrent = true
		return
	}
	defer l.mu.Unlock()
	runtime.Gosched() // widen the window for a concurrent call
	l.calls = append(l.calls, p)
}

// check asserts the sequence of a finished call of total items: one call
// per item, Done counting up by one, the tally adding up, the last with
// Done == Total.
func (l *progressLog) check(t *testing.T, total int) api.Progress {
	t.Helper()
	assert.False(t, l.concurrent, "Progress called concurrently")
	require.Len(t, l.calls, total, "one Progress call per item")
	var elapsed time.Duration
	for k, p := range l.calls {
		assert.Equal(t, total, p.Total)
		assert.Equal(t, k+1, p.Done, "call %d", k)
		assert.Equal(t, p.Done, p.Changed+p.Unchanged+p.Failed, "call %d: Done = Changed + Unchanged + Failed", k)
		assert.GreaterOrEqual(t, p.Elapsed, elapsed, "Elapsed never goes back")
		elapsed = p.Elapsed
	}
	last := l.calls[total-1]
	assert.Equal(t, last.Total, last.Done, "the last call has Done == Total")
	return last
}

// TestEveryItemOnce: every item is yielded exactly once with its own
// Index, the caller's Request pointer and its key; Progress follows every
// item, never concurrently, from the loop's goroutine.
func TestEveryItemOnce(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n = 60
			f := v.new(t, n)
			// A quota far above the traffic, so that the vendors with
			// headers send them.
			f.srv.SetRateLimit(1_000_000, 10*time.Second)
			var log progressLog
			seen := make([]int, n)
			yielded := 0
			f.run(ctx(), &api.BulkOptions{Concurrency: 8, Progress: log.record}, func(it item) bool {
				yielded++
				require.True(t, it.Index >= 0 && it.Index < n, "index %d", it.Index)
				seen[it.Index]++
				assert.True(t, it.Same, "item %d carries the caller's request", it.Index)
				assert.Equal(t, f.key(it.Index), it.Key)
				assert.NoError(t, it.Err)
				assert.True(t, it.Response, "a response with no error")
				// Progress has followed every finished item (this one
				// included, or about to be).
				assert.Contains(t, []int{yielded - 1, yielded}, len(log.calls))
				return true
			})
			for i, c := range seen {
				assert.Equal(t, 1, c, "item %d yielded %d times", i, c)
				assert.True(t, f.applied(i), "coupon %d updated", i)
			}
			last := log.check(t, n)
			assert.Equal(t, n, last.Changed)
			assert.Zero(t, last.Unchanged+last.Failed)
			if v.name == "paddle" {
				assert.Nil(t, last.RateLimit, "Paddle sends no rate-limit headers")
			} else if assert.NotNil(t, last.RateLimit, "the vendor's latest window") {
				assert.Equal(t, 1_000_000, last.RateLimit.Limit)
			}
			assert.Equal(t, n, f.srv.Requests(), "one request per item")
			assert.Zero(t, f.srv.RateLimited())
		})
	}
}

// TestModifyTally: ModifyCoupons counts a coupon whose change leaves it as
// it is as Unchanged and sends it no update; a key matching no coupon
// fails alone.
func TestModifyTally(t *testing.T) {
	for _, v := range modifyVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n = 30
			f := v.new(t, n)
			var log progressLog
			seen := make([]int, n+1)
			f.run(ctx(), &api.BulkOptions{Concurrency: 8, Progress: log.record}, func(it modItem) bool {
				require.True(t, it.Index >= 0 && it.Index <= n, "index %d", it.Index)
				seen[it.Index]++
				assert.True(t, it.Same, "item %d carries its key", it.Index)
				switch {
				case it.Index == n:
					assert.ErrorIs(t, it.Err, api.ErrNotFound)
					assert.False(t, it.Response)
				case it.Index%2 == 0:
					assert.NoError(t, it.Err)
					assert.Equal(t, 1, it.Changes, "item %d: one field changed", it.Index)
				default:
					assert.NoError(t, it.Err)
					assert.True(t, it.Response)
					assert.Zero(t, it.Changes, "item %d: nothing to change", it.Index)
				}
				return true
			})
			for i, c := range seen {
				assert.Equal(t, 1, c, "item %d yielded %d times", i, c)
			}
			last := log.check(t, n+1)
			assert.Equal(t, (n+1)/2, last.Changed)
			assert.Equal(t, n/2, last.Unchanged)
			assert.Equal(t, 1, last.Failed)
			for i := range n {
				assert.Equal(t, i%2 == 0, f.changed(i), "coupon %d", i)
			}
			// One read per key, one update per changed coupon, none for
			// the unchanged ones or the missing key.
			assert.Equal(t, (n+1)+(n+1)/2, f.srv.Requests())
		})
	}
}

// TestModifyDryRun: a dry run reads every coupon and reports the changes
// (and Progress counts them as Changed) but sends no update.
func TestModifyDryRun(t *testing.T) {
	for _, v := range modifyVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n = 20
			f := v.new(t, n)
			var log progressLog
			changes := 0
			f.run(ctx(), &api.BulkOptions{Concurrency: 4, DryRun: true, Progress: log.record}, func(it modItem) bool {
				changes += it.Changes
				if it.Index < n {
					assert.NoError(t, it.Err)
					assert.Equal(t, (it.Index+1)%2, it.Changes, "item %d", it.Index)
				}
				return true
			})
			last := log.check(t, n+1)
			assert.Equal(t, n/2, last.Changed, "Changed counts what would change")
			assert.Equal(t, n/2, last.Unchanged)
			assert.Equal(t, 1, last.Failed)
			assert.Equal(t, n/2, changes)
			for i := range n {
				assert.False(t, f.changed(i), "coupon %d untouched", i)
			}
			assert.Equal(t, n+1, f.srv.Requests(), "reads only: no update sent")
		})
	}
}

// TestBreakStopsAtOnce: breaking out of the loop after the first result
// stops new requests at once; once the loop has returned nothing more is
// sent and no goroutine of the call is left.
func TestBreakStopsAtOnce(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			// Not parallel: it counts goroutines.
			const n, conc = 300, 8
			f := v.new(t, n)
			base := stableGoroutines()
			results := 0
			f.run(ctx(), &api.BulkOptions{Concurrency: conc}, func(it item) bool {
				results++
				assert.NoError(t, it.Err)
				return false
			})
			sent := f.srv.Requests()
			assert.Equal(t, 1, results)
			// At most: the one yielded, a full results buffer and one per
			// worker blocked handing over its result or in flight.
			assert.LessOrEqual(t, sent, 2*conc+1, "no new request after the break")
			f.closeIdle()
			assertNoGoroutineLeft(t, base)
			assert.Equal(t, sent, f.srv.Requests(), "nothing sent after the loop returned")
		})
	}
}

// TestCancelMidRun: cancelling ctx in the middle of a call yields every
// unfinished item, exactly once, with an error matching ctx.Err() (and
// ErrNotSent when it was never sent); nothing is sent afterwards and no
// goroutine is left.
func TestCancelMidRun(t *testing.T) {
	type tc struct {
		name string
		f    func(t *testing.T) *updateFixture
		opts *api.BulkOptions
	}
	var cases []tc
	for _, v := range updateVendors() {
		cases = append(cases, tc{v.name, func(t *testing.T) *updateFixture { return v.new(t, 200) }, &api.BulkOptions{Concurrency: 4}})
	}
	// Requests held by the pacer when ctx ends: BigCommerce spreading 10
	// requests over each 500ms window, Paddle at a 20/s ceiling.
	cases = append(cases,
		tc{"bigcommerce paced", func(t *testing.T) *updateFixture {
			f := bigcommerceUpdates(t, 60)
			f.srv.SetRateLimit(10, 500*time.Millisecond)
			return f
		}, &api.BulkOptions{Concurrency: 4}},
		tc{"paddle paced", func(t *testing.T) *updateFixture { return paddleUpdates(t, 60) },
			&api.BulkOptions{Concurrency: 4, RequestsPerSecond: 20}},
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.f(t)
			base := stableGoroutines()
			ctx, cancel := context.WithCancel(ctx())
			defer cancel()
			seen := make([]int, f.n)
			var ok, notSent, sentFailed []int
			var atCancel int
			f.run(ctx, c.opts, func(it item) bool {
				require.True(t, it.Index >= 0 && it.Index < f.n, "index %d", it.Index)
				seen[it.Index]++
				assert.True(t, it.Same)
				switch {
				case it.Err == nil:
					ok = append(ok, it.Index)
				default:
					assert.ErrorIs(t, it.Err, context.Canceled, "item %d", it.Index)
					assert.False(t, it.Response)
					if errors.Is(it.Err, api.ErrNotSent) {
						notSent = append(notSent, it.Index)
						// It names the vendor, the operation and the coupon.
						assert.Regexp(t, `^`+strings.Fields(c.name)[0]+`: (PUT|POST) /\S*( \w+ ")?`+regexp.QuoteMeta(f.key(it.Index))+`"?: `,
							it.Err.Error(), "item %d", it.Index)
					} else {
						// In flight when ctx ended: written, then
						// abandoned.
						sentFailed = append(sentFailed, it.Index)
					}
				}
				if len(ok) == 3 && atCancel == 0 {
					atCancel = f.srv.Requests()
					cancel()
				}
				return true
			})
			for i, n := range seen {
				assert.Equal(t, 1, n, "item %d yielded %d times", i, n)
			}
			assert.GreaterOrEqual(t, len(notSent), f.n/2, "most items never sent")
			f.closeIdle()
			assertNoGoroutineLeft(t, base)
			// Once no goroutine of the call is left, the server has seen
			// every request it will see. (A request abandoned in flight
			// may reach the server's handler after the loop returned: its
			// bytes were written before.) Each is an item reported sent,
			// one request each (nothing failed, so nothing was retried);
			// none is an item reported not sent.
			got := f.srv.Requests()
			t.Logf("%d requests when cancelled, %d in all; %d ok, %d abandoned in flight, %d not sent of %d",
				atCancel, got, len(ok), len(sentFailed), len(notSent), f.n)
			assert.GreaterOrEqual(t, got, len(ok))
			assert.LessOrEqual(t, got, len(ok)+len(sentFailed), "a request the server got belongs to no item reported sent")
			for _, i := range ok {
				assert.True(t, f.applied(i), "item %d succeeded: applied", i)
			}
			for _, i := range notSent {
				assert.False(t, f.applied(i), "item %d not sent: not applied", i)
			}
		})
	}
}

// TestInvalidRequestFailsAlone: a request breaking a documented rule fails
// alone, with ErrNotSent and ErrInvalidRequest, and is not sent.
func TestInvalidRequestFailsAlone(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n, bad = 10, 3
			f := v.new(t, n)
			f.invalidate(bad)
			var log progressLog
			f.run(ctx(), &api.BulkOptions{Concurrency: 4, Progress: log.record}, func(it item) bool {
				if it.Index != bad {
					assert.NoError(t, it.Err, "item %d", it.Index)
					return true
				}
				assert.ErrorIs(t, it.Err, api.ErrNotSent)
				assert.ErrorIs(t, it.Err, api.ErrInvalidRequest)
				var ve *api.ValidationError
				assert.ErrorAs(t, it.Err, &ve)
				assert.False(t, it.Response)
				return true
			})
			last := log.check(t, n)
			assert.Equal(t, n-1, last.Changed)
			assert.Equal(t, 1, last.Failed)
			for i := range n {
				assert.Equal(t, i != bad, f.applied(i), "coupon %d", i)
			}
			assert.Equal(t, n-1, f.srv.Requests(), "the invalid request was not sent")
		})
	}
}

// hangUp is a server that reads each request whole, then closes the
// connection without answering: the request was sent, no answer came.
func hangUp(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var got atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		io.Copy(io.Discard, r.Body)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

// TestNotSafeToRepeat: a request that is not safe to repeat (a Paddle
// rename, a Partnero redemption without transaction key) that met a 5xx or
// a dropped connection is sent once and ends with ErrOutcomeUnknown; the
// same failure of a request that is safe to repeat is retried.
func TestNotSafeToRepeat(t *testing.T) {
	type vendor struct {
		name string
		// update sends n requests (unsafe: renames or redemptions
		// without key; safe otherwise) through UpdateCoupons to baseURL
		// with the credential cred and returns the results' errors.
		update func(t *testing.T, baseURL, cred string, unsafe bool, n int) []error
		// server is the vendor's test server with n coupons for update,
		// its URL and the credential it accepts.
		server func(n int) (fixtureServer, string, string)
	}
	vendors := []vendor{
		{"paddle", func(t *testing.T, baseURL, cred string, unsafe bool, n int) []error {
			c, err := paddle.NewClient(123456, cred,
				paddle.WithBaseURL(baseURL), paddle.WithRetryPolicy(fastRetries))
			require.NoError(t, err)
			reqs := make([]*paddle.UpdateCouponRequest, n)
			for i := range reqs {
				reqs[i] = &paddle.UpdateCouponRequest{CouponCode: paddleCode(i), AllowedUses: paddle.Ptr(20)}
				if unsafe {
					reqs[i] = &paddle.UpdateCouponRequest{CouponCode: paddleCode(i), NewCouponCode: paddleCode(i) + "-NEW"}
				}
			}
			return collect(c.UpdateCoupons(ctx(), reqs, &paddle.BulkOptions{Concurrency: 4}),
				func(r paddle.UpdateResult) error { return r.Err })
		}, func(n int) (fixtureServer, string, string) {
			srv := paddletest.NewServer()
			for i := range n {
				srv.AddCoupon(paddletest.Coupon{Code: paddleCode(i)})
			}
			return srv, srv.URL, srv.AuthCode
		}},
		{"partnero", func(t *testing.T, baseURL, cred string, unsafe bool, n int) []error {
			c, err := partnero.NewClient(cred, partnero.WithBaseURL(baseURL), partnero.WithRetryPolicy(fastRetries))
			require.NoError(t, err)
			reqs := make([]*partnero.UpdateCouponRequest, n)
			for i := range reqs {
				reqs[i] = &partnero.UpdateCouponRequest{UUIDCode: partneroUUID(i), Redeem: partnero.Ptr(true)}
				if !unsafe {
					reqs[i].TransactionKey = partnero.Ptr("order-" + partneroUUID(i))
				}
			}
			return collect(c.UpdateCoupons(ctx(), reqs, &partnero.BulkOptions{Concurrency: 4}),
				func(r partnero.UpdateResult) error { return r.Err })
		}, func(n int) (fixtureServer, string, string) {
			srv := partnerotest.NewServer()
			for i := range n {
				srv.AddCoupon(partnero.Coupon{UUIDCode: partneroUUID(i), Name: "c", Active: true})
			}
			return srv, srv.URL, srv.APIKey
		}},
	}
	for _, v := range vendors {
		t.Run(v.name+"/5xx", func(t *testing.T) {
			t.Parallel()
			const n = 5
			srv, url, cred := v.server(n)
			defer srv.Close()
			srv.FailNext(1, http.StatusInternalServerError)
			errs := v.update(t, url, cred, true, n)
			require.Len(t, errs, 1, "one item met the 500")
			assert.ErrorIs(t, errs[0], api.ErrOutcomeUnknown)
			assert.ErrorIs(t, errs[0], api.ErrServer)
			assert.NotErrorIs(t, errs[0], api.ErrNotSent)
			assert.Equal(t, n, srv.Requests(), "the failed request was not retried")
		})
		t.Run(v.name+"/hang up", func(t *testing.T) {
			t.Parallel()
			srv, got := hangUp(t)
			errs := v.update(t, srv.URL, "0123456789abcdef", true, 1)
			require.Len(t, errs, 1)
			assert.ErrorIs(t, errs[0], api.ErrOutcomeUnknown)
			assert.NotErrorIs(t, errs[0], api.ErrNotSent)
			assert.Equal(t, int32(1), got.Load(), "sent once, never retried")
		})
		t.Run(v.name+"/hang up, safe to repeat", func(t *testing.T) {
			t.Parallel()
			srv, got := hangUp(t)
			errs := v.update(t, srv.URL, "0123456789abcdef", false, 1)
			require.Len(t, errs, 1)
			assert.NotErrorIs(t, errs[0], api.ErrOutcomeUnknown)
			assert.NotErrorIs(t, errs[0], api.ErrNotSent, "it was sent")
			assert.Equal(t, int32(1+api.DefaultMaxRetries), got.Load(), "retried")
		})
	}
}

func paddleCode(i int) string   { return "CODE-" + string(rune('A'+i)) + "-2030" }
func partneroUUID(i int) string { return "uuid-" + string(rune('a'+i)) }
