package bulkcheck_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// TestUpdateDryRunSendsNothing: UpdateCoupons with DryRun validates every
// request and sends none: a valid item yields no error and no response, an
// invalid one its *ValidationError; Progress counts the valid ones as
// Changed (would be).
func TestUpdateDryRunSendsNothing(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n, bad = 12, 5
			f := v.new(t, n)
			f.invalidate(bad)
			var log progressLog
			f.run(ctx(), &api.BulkOptions{Concurrency: 4, DryRun: true, Progress: log.record}, func(it item) bool {
				assert.False(t, it.Response, "item %d: nothing sent, no response", it.Index)
				if it.Index == bad {
					var ve *api.ValidationError
					assert.ErrorAs(t, it.Err, &ve)
					assert.ErrorIs(t, it.Err, api.ErrNotSent)
					return true
				}
				assert.NoError(t, it.Err, "item %d", it.Index)
				return true
			})
			last := log.check(t, n)
			assert.Equal(t, n-1, last.Changed, "the valid items would be applied")
			assert.Equal(t, 1, last.Failed)
			assert.Zero(t, f.srv.Requests(), "a dry run sends nothing")
			for i := range n {
				assert.False(t, f.applied(i), "coupon %d untouched", i)
			}
		})
	}
}

// revoker passes requests through until `after` of them have gone, then
// sends every later one with wrong credentials, so that the server
// answers as it does to a revoked key. It counts the requests that start
// after the first refusal came back.
type revoker struct {
	inner http.RoundTripper
	after int32

	n, afterRefusal atomic.Int32
	refused         atomic.Bool
}

func (rv *revoker) RoundTrip(r *http.Request) (*http.Response, error) {
	if rv.refused.Load() {
		rv.afterRefusal.Add(1)
	}
	if rv.n.Add(1) <= rv.after {
		return rv.inner.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	for _, h := range []string{"X-Auth-Token", "Auth-Key", "Authorization", "X-Vtex-Api-Appkey", "X-Vtex-Api-Apptoken"} {
		if r.Header.Get(h) != "" {
			r.Header.Set(h, "revoked")
		}
	}
	if r.Body != nil && r.Header.Get("Content-Type") == "application/x-www-form-urlencoded" {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		form, err := url.ParseQuery(string(b))
		if err != nil {
			return nil, err
		}
		form.Set("vendor_auth_code", "0000000000000000000000000000dead")
		body := []byte(form.Encode())
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	}
	resp, err := rv.inner.RoundTrip(r)
	rv.refused.Store(true)
	return resp, err
}

// revoking is an *http.Client whose credentials are revoked after `after`
// requests.
func revoking(t *testing.T, after int) (*http.Client, *revoker) {
	hc, _ := ownTransport(t)
	rv := &revoker{inner: hc.Transport, after: int32(after)}
	return &http.Client{Transport: rv}, rv
}

// refusedAuth reports whether err is a refusal of the credentials: 401
// (VTEX answers bad credentials with 403).
func refusedAuth(err error) bool {
	return errors.Is(err, api.ErrUnauthorized) || errors.Is(err, api.ErrForbidden)
}

// assertStoppedBy asserts that err is an item the 401 (or 403) stopped:
// not sent, wrapping the vendor's *APIError, matching its kind.
func assertStoppedBy(t *testing.T, err error, index int) {
	t.Helper()
	assert.ErrorIs(t, err, api.ErrNotSent, "item %d", index)
	assert.True(t, refusedAuth(err), "item %d: %v", index, err)
	var ae *api.APIError
	if assert.ErrorAs(t, err, &ae, "item %d unwraps to the 401 answer", index) {
		assert.True(t, refusedAuth(ae), "item %d", index)
	}
}

// authTally counts the outcomes of a call whose credentials were revoked.
type authTally struct{ ok, refused, notSent int }

// add counts one item's error, asserting that an item not sent was stopped
// by the refusal and, when strict, that every other failure is a refusal.
func (a *authTally) add(t *testing.T, err error, index int, strict bool) {
	t.Helper()
	switch {
	case err == nil:
		a.ok++
	case errors.Is(err, api.ErrNotSent):
		a.notSent++
		assertStoppedBy(t, err, index)
	default:
		a.refused++
		if strict {
			assert.True(t, refusedAuth(err), "item %d: %v", index, err)
		}
	}
}

func (a *authTally) log(t *testing.T, srv fixtureServer, rv *revoker) {
	t.Logf("%d applied, %d refused, %d not sent; %d requests, %d started after the first refusal",
		a.ok, a.refused, a.notSent, srv.Requests(), rv.afterRefusal.Load())
}

// TestUnauthorizedStopsUpdates: credentials revoked in the middle of an
// UpdateCoupons call stop it: after the first 401, at most the requests
// already in flight are sent, and every item not sent says why.
func TestUnauthorizedStopsUpdates(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n, conc, good = 200, 8, 20
			f := v.new(t, n)
			hc, rv := revoking(t, good)
			f.withHTTP(hc)
			var a authTally
			f.run(ctx(), &api.BulkOptions{Concurrency: conc}, func(it item) bool {
				a.add(t, it.Err, it.Index, true)
				return true
			})
			a.log(t, f.srv, rv)
			assert.Equal(t, n, a.ok+a.refused+a.notSent, "every item once")
			assert.Equal(t, good, a.ok)
			assert.LessOrEqual(t, int(rv.afterRefusal.Load()), conc, "at most the requests in flight after the first 401")
			assert.LessOrEqual(t, a.refused, conc+1)
			assert.Equal(t, a.ok+a.refused, f.srv.Requests(), "one request per item sent, none for the rest")
		})
	}
}

// TestUnauthorizedStopsModifies: the same for ModifyCoupons, whose reads
// meet the 401.
func TestUnauthorizedStopsModifies(t *testing.T) {
	for _, v := range modifyVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n, conc, good = 100, 4, 10
			f := v.new(t, n)
			hc, rv := revoking(t, good)
			f.withHTTP(hc)
			var a authTally
			f.run(ctx(), &api.BulkOptions{Concurrency: conc}, func(it modItem) bool {
				a.add(t, it.Err, it.Index, false) // the missing key fails with 404
				return true
			})
			a.log(t, f.srv, rv)
			assert.LessOrEqual(t, int(rv.afterRefusal.Load()), conc, "at most the requests in flight after the first 401")
			assert.GreaterOrEqual(t, a.notSent, n+1-good-2*conc)
		})
	}
}

// overlap is a RoundTripper that records, per request (method, URL and
// body), how many are in flight at once; each round trip takes a moment,
// so that requests that may overlap do.
type overlap struct {
	inner http.RoundTripper
	mu    sync.Mutex
	cur   map[string]int
	peak  map[string]int
}

func (o *overlap) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	k := r.Method + " " + r.URL.String() + " " + string(body)
	o.mu.Lock()
	o.cur[k]++
	o.peak[k] = max(o.peak[k], o.cur[k])
	o.mu.Unlock()
	time.Sleep(2 * time.Millisecond)
	resp, err := o.inner.RoundTrip(r)
	o.mu.Lock()
	o.cur[k]--
	o.mu.Unlock()
	return resp, err
}

// TestRepeatedKeysNeverInFlightTogether: UpdateCoupons may repeat a
// request for one coupon; its requests are never in flight at once.
func TestRepeatedKeysNeverInFlightTogether(t *testing.T) {
	for _, v := range updateVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			const n = 24
			f := v.new(t, n)
			for j := 1; j < 8; j++ {
				f.repeat(j, 0) // the first coupon eight times
			}
			f.repeat(12, 11)
			f.repeat(13, 11)
			hc, _ := ownTransport(t)
			o := &overlap{inner: hc.Transport, cur: map[string]int{}, peak: map[string]int{}}
			f.withHTTP(&http.Client{Transport: o})
			count := 0
			f.run(ctx(), &api.BulkOptions{Concurrency: 8}, func(it item) bool {
				count++
				assert.NoError(t, it.Err, "item %d", it.Index)
				return true
			})
			assert.Equal(t, n, count)
			assert.Equal(t, n, f.srv.Requests(), "every repeat is sent")
			for k, p := range o.peak {
				assert.Equal(t, 1, p, "%d requests in flight at once for %s", p, k)
			}
		})
	}
}

// TestPartneroRedemptionsInInputOrder: two redemptions of one coupon with
// two transaction keys are two requests, both applied, in input order.
func TestPartneroRedemptionsInInputOrder(t *testing.T) {
	srv := partnerotest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddCoupon(partnero.Coupon{UUIDCode: "uuid-a", Name: "a", Active: true})
	srv.AddCoupon(partnero.Coupon{UUIDCode: "uuid-b", Name: "b", Active: true})
	hc, _ := ownTransport(t)
	c := srv.Client(partnero.WithHTTPClient(hc), partnero.WithRetryPolicy(fastRetries))
	var reqs []*partnero.UpdateCouponRequest
	var want []string
	for i := range 16 {
		key := fmt.Sprintf("order-%02d", i)
		uuid := "uuid-a"
		if i%4 == 3 {
			uuid = "uuid-b"
		} else {
			want = append(want, key)
		}
		reqs = append(reqs, &partnero.UpdateCouponRequest{UUIDCode: uuid, Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr(key)})
	}
	for r := range c.UpdateCoupons(ctx(), reqs, &partnero.BulkOptions{Concurrency: 8}) {
		require.NoError(t, r.Err, "item %d", r.Index)
	}
	a, ok := srv.Coupon("uuid-a")
	require.True(t, ok)
	assert.Equal(t, len(want), a.TimesRedeemed, "every redemption applied")
	var got []string
	for _, r := range a.Redemptions {
		got = append(got, r.TransactionKey)
	}
	assert.Equal(t, want, got, "in input order")
}

// TestModifyRefusesRepeatedKeys: ModifyCoupons with one key four times
// modifies the coupon once and refuses each repeat with a
// *ValidationError, sending nothing for it.
func TestModifyRefusesRepeatedKeys(t *testing.T) {
	for _, v := range modifyVendors() {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			f := v.new(t, 4)
			f.pick(0, 0, 0, 0, 1)
			var log progressLog
			refused := 0
			f.run(ctx(), &api.BulkOptions{Concurrency: 4, Progress: log.record}, func(it modItem) bool {
				switch it.Index {
				case 0:
					assert.NoError(t, it.Err)
					assert.Equal(t, 1, it.Changes)
				case 4:
					assert.NoError(t, it.Err)
				default:
					refused++
					var ve *api.ValidationError
					assert.ErrorAs(t, it.Err, &ve, "item %d", it.Index)
					assert.ErrorIs(t, it.Err, api.ErrNotSent)
					assert.ErrorIs(t, it.Err, api.ErrInvalidRequest)
					assert.Contains(t, it.Err.Error(), v.name+": ")
					assert.Contains(t, it.Err.Error(), "repeats item 0's key")
					assert.False(t, it.Response)
				}
				return true
			})
			assert.Equal(t, 3, refused)
			last := log.check(t, 5)
			assert.Equal(t, 3, last.Failed)
			assert.True(t, f.changed(0))
			assert.Equal(t, 2+1, f.srv.Requests(), "two reads, one update: nothing for the repeats")
		})
	}
}

// boom is a panic value whose identity the tests check.
type boom struct{ where string }

// recovered runs f and returns what it panicked with.
func recovered(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// TestPanicsStopUpdates: a panic in Progress or in the caller's loop body
// reaches the caller with its original value; the call sends nothing
// afterwards and leaves no goroutine.
func TestPanicsStopUpdates(t *testing.T) {
	for _, v := range updateVendors() {
		for _, where := range []string{"progress", "body"} {
			t.Run(v.name+"/"+where, func(t *testing.T) {
				// Not parallel: it counts goroutines.
				const n, conc, at = 200, 8, 10
				f := v.new(t, n)
				base := stableGoroutines()
				value := &boom{where}
				opts := &api.BulkOptions{Concurrency: conc, Progress: func(p api.Progress) {
					if where == "progress" && p.Done == at {
						panic(value)
					}
				}}
				got := recovered(func() {
					k := 0
					f.run(ctx(), opts, func(it item) bool {
						if k++; where == "body" && k == at {
							panic(value)
						}
						return true
					})
				})
				assert.Same(t, value, got, "re-raised with its original value")
				sent := f.srv.Requests()
				assert.LessOrEqual(t, sent, at+2*conc+1, "no new request after the panic")
				f.closeIdle()
				assertNoGoroutineLeft(t, base)
				assert.Equal(t, sent, f.srv.Requests(), "nothing sent after the loop returned")
			})
		}
	}
}

// TestPanicInChangeReachesTheCaller: a panic in ModifyCoupons' change func
// runs on a worker; it is re-raised from the loop, in the caller's
// goroutine, with its original value; nothing is sent afterwards and no
// goroutine is left.
func TestPanicInChangeReachesTheCaller(t *testing.T) {
	for _, v := range modifyVendors() {
		t.Run(v.name, func(t *testing.T) {
			const n, conc, at = 100, 4, 5
			f := v.new(t, n)
			base := stableGoroutines()
			value := &boom{"change"}
			var calls atomic.Int32
			f.setChange(func(string) {
				if calls.Add(1) == at {
					panic(value)
				}
			})
			yielded := 0
			got := recovered(func() {
				f.run(ctx(), &api.BulkOptions{Concurrency: conc}, func(modItem) bool {
					yielded++
					return true
				})
			})
			assert.Same(t, value, got, "re-raised on the caller's goroutine with its original value")
			assert.Less(t, yielded, n)
			sent := f.srv.Requests()
			assert.LessOrEqual(t, sent, at+2*conc, "no new request after the panic")
			f.closeIdle()
			assertNoGoroutineLeft(t, base)
			assert.Equal(t, sent, f.srv.Requests(), "nothing sent after the loop returned")
		})
	}
}
