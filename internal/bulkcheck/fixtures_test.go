package bulkcheck_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
	"github.com/stretchr/testify/assert"
)

// fixtureServer is what the behaviour tests need of a vendor test server.
type fixtureServer interface {
	quotaServer
	FailNext(n, status int)
}

// item is one result of an UpdateCoupons call, in a vendor-neutral form.
type item struct {
	Index    int
	Key      string // the key of the request the result carries
	Same     bool   // the result carries the caller's own pointer, reqs[Index]
	Response bool   // Response != nil
	Err      error
}

// updateFixture is one vendor's test server seeded with n coupons, a client
// on its own http.Transport, and n update requests, one per coupon.
type updateFixture struct {
	srv fixtureServer
	n   int
	// key is the key of request i.
	key func(i int) string
	// run ranges over UpdateCoupons(ctx, reqs, opts); each is the loop
	// body, and returning false breaks out of the loop.
	run func(ctx context.Context, opts *api.BulkOptions, each func(item) bool)
	// applied reports whether coupon i holds request i's change.
	applied func(i int) bool
	// invalidate makes request i break a documented rule.
	invalidate func(i int)
	// closeIdle closes the client's idle connections, so that their
	// goroutines end.
	closeIdle func()
	// withHTTP rebuilds the client on hc.
	withHTTP func(hc *http.Client)
	// repeat makes request j the same pointer as request i: the same
	// coupon, the same change.
	repeat func(j, i int)
}

type updateVendor struct {
	name string
	new  func(t *testing.T, n int) *updateFixture
}

func updateVendors() []updateVendor {
	return []updateVendor{
		{"bigcommerce", bigcommerceUpdates},
		{"paddle", paddleUpdates},
		{"partnero", partneroUpdates},
		{"jframework", jframeworkUpdates},
		{"utmcoupon", utmcouponUpdates},
	}
}

// fastRetries keeps retry waits at the millisecond scale.
var fastRetries = api.RetryPolicy{MinWait: time.Millisecond, MaxWait: 50 * time.Millisecond}

// ownTransport is an *http.Client on a transport of its own (net/http's,
// so the transport's trace hooks fire), closed when the test ends.
func ownTransport(t testing.TB) (*http.Client, func()) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}, tr.CloseIdleConnections
}

// same reports whether p is reqs[i], guarding i.
func same[T any](reqs []*T, i int, p *T) bool { return i >= 0 && i < len(reqs) && reqs[i] == p }

func bigcommerceUpdates(t *testing.T, n int) *updateFixture {
	srv := bigcommercetest.NewServer()
	t.Cleanup(srv.Close)
	all := &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}
	reqs := make([]*bigcommerce.UpdateCouponRequest, n)
	for i := range reqs {
		code := fmt.Sprintf("C%d", i+1)
		srv.AddCoupon(bigcommerce.Coupon{ID: i + 1, Name: code, Type: bigcommerce.PercentageDiscount, Amount: "10.0000",
			Code: code, Enabled: true, AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
		reqs[i] = &bigcommerce.UpdateCouponRequest{ID: i + 1, Name: code, Type: bigcommerce.PercentageDiscount,
			Amount: "15.00", Code: code, AppliesTo: all}
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *bigcommerce.Client {
		return srv.Client(bigcommerce.WithHTTPClient(hc), bigcommerce.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &updateFixture{
		srv: srv, n: n, closeIdle: closeIdle,
		key:      func(i int) string { return strconv.Itoa(i + 1) },
		withHTTP: func(hc *http.Client) { c = newClient(hc) },
		repeat:   func(j, i int) { reqs[j] = reqs[i] },
		run: func(ctx context.Context, opts *api.BulkOptions, each func(item) bool) {
			for r := range c.UpdateCoupons(ctx, reqs, opts) {
				if !each(item{r.Index, strconv.Itoa(r.Request.ID), same(reqs, r.Index, r.Request), r.Response != nil, r.Err}) {
					return
				}
			}
		},
		applied: func(i int) bool {
			c, _ := srv.Coupon(i + 1)
			return c.Amount == "15.0000"
		},
		invalidate: func(i int) { reqs[i].AppliesTo = nil },
	}
}

func paddleUpdates(t *testing.T, n int) *updateFixture {
	srv := paddletest.NewServer()
	t.Cleanup(srv.Close)
	code := func(i int) string { return fmt.Sprintf("CODE-%05d", i+1) }
	reqs := make([]*paddle.UpdateCouponRequest, n)
	for i := range reqs {
		srv.AddCoupon(paddletest.Coupon{Code: code(i), AllowedUses: 10})
		reqs[i] = &paddle.UpdateCouponRequest{CouponCode: code(i), AllowedUses: paddle.Ptr(20)}
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *paddle.Client {
		return srv.Client(paddle.WithHTTPClient(hc), paddle.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &updateFixture{
		srv: srv, n: n, closeIdle: closeIdle, key: code,
		withHTTP: func(hc *http.Client) { c = newClient(hc) },
		repeat:   func(j, i int) { reqs[j] = reqs[i] },
		run: func(ctx context.Context, opts *api.BulkOptions, each func(item) bool) {
			for r := range c.UpdateCoupons(ctx, reqs, opts) {
				if !each(item{r.Index, r.Request.CouponCode, same(reqs, r.Index, r.Request), r.Response != nil, r.Err}) {
					return
				}
			}
		},
		applied: func(i int) bool {
			c, _ := srv.Coupon(code(i))
			return c.AllowedUses == 20
		},
		invalidate: func(i int) { reqs[i].AllowedUses = paddle.Ptr(-1) },
	}
}

func partneroUpdates(t *testing.T, n int) *updateFixture {
	srv := partnerotest.NewServer()
	t.Cleanup(srv.Close)
	uuid := func(i int) string { return fmt.Sprintf("uuid-%d", i+1) }
	reqs := make([]*partnero.UpdateCouponRequest, n)
	for i := range reqs {
		srv.AddCoupon(partnero.Coupon{UUIDCode: uuid(i), Name: "c", Active: true})
		reqs[i] = &partnero.UpdateCouponRequest{UUIDCode: uuid(i), Name: partnero.Ptr("renamed")}
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *partnero.Client {
		return srv.Client(partnero.WithHTTPClient(hc), partnero.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &updateFixture{
		srv: srv, n: n, closeIdle: closeIdle, key: uuid,
		withHTTP: func(hc *http.Client) { c = newClient(hc) },
		repeat:   func(j, i int) { reqs[j] = reqs[i] },
		run: func(ctx context.Context, opts *api.BulkOptions, each func(item) bool) {
			for r := range c.UpdateCoupons(ctx, reqs, opts) {
				if !each(item{r.Index, r.Request.UUIDCode, same(reqs, r.Index, r.Request), r.Response != nil, r.Err}) {
					return
				}
			}
		},
		applied: func(i int) bool {
			c, _ := srv.Coupon(uuid(i))
			return c.Name == "renamed"
		},
		invalidate: func(i int) { reqs[i].Name = partnero.Ptr(" ") },
	}
}

func jframeworkUpdates(t *testing.T, n int) *updateFixture {
	srv := jframeworktest.NewServer()
	t.Cleanup(srv.Close)
	id := func(i int) string { return strconv.Itoa(i + 1) }
	reqs := make([]*jframework.UpdateCouponRequest, n)
	for i := range reqs {
		code := fmt.Sprintf("C%d", i+1)
		srv.AddCoupon(jframework.Coupon{ID: id(i), Code: code, Name: code, Percentage: jframework.Ptr(10.0),
			StartDate: day, EndDate: day.AddDate(0, 1, 0), Status: jframework.StatusActive})
		reqs[i] = &jframework.UpdateCouponRequest{ID: id(i), Code: code, Name: code, Percentage: jframework.Ptr(20.0),
			StartDate: day, EndDate: day.AddDate(0, 1, 0), Status: jframework.StatusActive}
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *jframework.Client {
		return srv.Client(jframework.WithHTTPClient(hc), jframework.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &updateFixture{
		srv: srv, n: n, closeIdle: closeIdle, key: id,
		withHTTP: func(hc *http.Client) { c = newClient(hc) },
		repeat:   func(j, i int) { reqs[j] = reqs[i] },
		run: func(ctx context.Context, opts *api.BulkOptions, each func(item) bool) {
			for r := range c.UpdateCoupons(ctx, reqs, opts) {
				if !each(item{r.Index, r.Request.ID, same(reqs, r.Index, r.Request), r.Response != nil, r.Err}) {
					return
				}
			}
		},
		applied: func(i int) bool {
			c, _ := srv.Coupon(id(i))
			return c.Percentage != nil && *c.Percentage == 20
		},
		invalidate: func(i int) { reqs[i].EndDate = reqs[i].StartDate.AddDate(0, 0, -1) },
	}
}

func utmcouponUpdates(t *testing.T, n int) *updateFixture {
	srv := utmcoupontest.NewServer()
	t.Cleanup(srv.Close)
	code := func(i int) string { return fmt.Sprintf("C%d", i+1) }
	reqs := make([]*utmcoupon.UpdateCouponRequest, n)
	for i := range reqs {
		srv.AddCoupon(utmcoupon.Coupon{CouponCode: code(i), UtmSource: "newsletter"})
		reqs[i] = &utmcoupon.UpdateCouponRequest{CouponCode: code(i), UtmSource: "newsletter", MaxItemsPerClient: 2}
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *utmcoupon.Client {
		return srv.Client(utmcoupon.WithHTTPClient(hc), utmcoupon.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &updateFixture{
		srv: srv, n: n, closeIdle: closeIdle, key: code,
		withHTTP: func(hc *http.Client) { c = newClient(hc) },
		repeat:   func(j, i int) { reqs[j] = reqs[i] },
		run: func(ctx context.Context, opts *api.BulkOptions, each func(item) bool) {
			for r := range c.UpdateCoupons(ctx, reqs, opts) {
				if !each(item{r.Index, r.Request.CouponCode, same(reqs, r.Index, r.Request), r.Response != nil, r.Err}) {
					return
				}
			}
		},
		applied: func(i int) bool {
			c, _ := srv.Coupon(code(i))
			return c.MaxItemsPerClient == 2
		},
		invalidate: func(i int) { reqs[i].UtmSource = "" },
	}
}

// modItem is one result of a ModifyCoupons call, in a vendor-neutral form.
type modItem struct {
	Index    int
	Key      string
	Same     bool // Key is keys[Index]
	Changes  int  // len(Response.Changes)
	Response bool
	Err      error
}

// modifyFixture is a full-replace vendor's test server seeded with n
// coupons and a client. Its keys are the n coupons' and, last, one that
// matches no coupon. The change sets a new value on the even coupons
// (0-based) and the value they already hold on the odd ones (a no-op).
type modifyFixture struct {
	srv fixtureServer
	n   int
	run func(ctx context.Context, opts *api.BulkOptions, each func(modItem) bool)
	// changed reports whether coupon i holds the new value.
	changed func(i int) bool
	// closeIdle closes the client's idle connections.
	closeIdle func()
	// withHTTP rebuilds the client on hc.
	withHTTP func(hc *http.Client)
	// pick replaces the keys with those at the given positions, e.g.
	// {0, 0, 0, 0} for the first key four times.
	pick func(idx ...int)
	// setChange replaces the change func; nil keeps the fixture's.
	setChange func(change func(key string))
}

type modifyVendor struct {
	name string
	new  func(t *testing.T, n int) *modifyFixture
}

func modifyVendors() []modifyVendor {
	return []modifyVendor{
		{"bigcommerce", bigcommerceModifies},
		{"jframework", jframeworkModifies},
		{"utmcoupon", utmcouponModifies},
	}
}

func bigcommerceModifies(t *testing.T, n int) *modifyFixture {
	srv := bigcommercetest.NewServer()
	t.Cleanup(srv.Close)
	keys := make([]int, n+1)
	for i := range n {
		code := fmt.Sprintf("C%d", i+1)
		srv.AddCoupon(bigcommerce.Coupon{ID: i + 1, Name: code, Type: bigcommerce.PercentageDiscount, Amount: "10.0000",
			Code: code, Enabled: true, AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
		keys[i] = i + 1
	}
	keys[n] = 100000 // no such coupon
	change := func(r *bigcommerce.UpdateCouponRequest) error {
		r.Enabled = bigcommerce.Ptr((r.ID-1)%2 == 1) // odd: true, as it is
		return nil
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *bigcommerce.Client {
		return srv.Client(bigcommerce.WithHTTPClient(hc), bigcommerce.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &modifyFixture{
		srv: srv, n: n, closeIdle: closeIdle,
		withHTTP:  func(hc *http.Client) { c = newClient(hc) },
		pick:      picker(&keys),
		setChange: changer(&change, func(r *bigcommerce.UpdateCouponRequest) string { return strconv.Itoa(r.ID) }),
		run: func(ctx context.Context, opts *api.BulkOptions, each func(modItem) bool) {
			for r := range c.ModifyCoupons(ctx, keys, change, opts) {
				it := modItem{Index: r.Index, Key: strconv.Itoa(r.Key), Same: r.Index >= 0 && r.Index < len(keys) && keys[r.Index] == r.Key,
					Response: r.Response != nil, Err: r.Err}
				if r.Response != nil {
					it.Changes = len(r.Response.Changes)
				}
				if !each(it) {
					return
				}
			}
		},
		changed: func(i int) bool {
			c, _ := srv.Coupon(i + 1)
			return !c.Enabled
		},
	}
}

func jframeworkModifies(t *testing.T, n int) *modifyFixture {
	srv := jframeworktest.NewServer()
	t.Cleanup(srv.Close)
	keys := make([]string, n+1)
	for i := range n {
		code := fmt.Sprintf("C%d", i+1)
		keys[i] = strconv.Itoa(i + 1)
		srv.AddCoupon(jframework.Coupon{ID: keys[i], Code: code, Name: code, Percentage: jframework.Ptr(10.0),
			StartDate: day, EndDate: day.AddDate(0, 1, 0), Status: jframework.StatusActive})
	}
	keys[n] = "missing"
	change := func(r *jframework.UpdateCouponRequest) error {
		i, err := strconv.Atoi(r.ID)
		if err != nil {
			return err
		}
		if (i-1)%2 == 0 {
			r.Status = jframework.StatusInactive
		} else {
			r.Status = jframework.StatusActive // as it is
		}
		return nil
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *jframework.Client {
		return srv.Client(jframework.WithHTTPClient(hc), jframework.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &modifyFixture{
		srv: srv, n: n, closeIdle: closeIdle,
		withHTTP:  func(hc *http.Client) { c = newClient(hc) },
		pick:      picker(&keys),
		setChange: changer(&change, func(r *jframework.UpdateCouponRequest) string { return r.ID }),
		run: func(ctx context.Context, opts *api.BulkOptions, each func(modItem) bool) {
			for r := range c.ModifyCoupons(ctx, keys, change, opts) {
				it := modItem{Index: r.Index, Key: r.Key, Same: r.Index >= 0 && r.Index < len(keys) && keys[r.Index] == r.Key,
					Response: r.Response != nil, Err: r.Err}
				if r.Response != nil {
					it.Changes = len(r.Response.Changes)
				}
				if !each(it) {
					return
				}
			}
		},
		changed: func(i int) bool {
			c, _ := srv.Coupon(keys[i])
			return c.Status == jframework.StatusInactive
		},
	}
}

func utmcouponModifies(t *testing.T, n int) *modifyFixture {
	srv := utmcoupontest.NewServer()
	t.Cleanup(srv.Close)
	keys := make([]string, n+1)
	for i := range n {
		keys[i] = fmt.Sprintf("C%d", i+1)
		srv.AddCoupon(utmcoupon.Coupon{CouponCode: keys[i], UtmSource: "newsletter", UtmCampaign: "summer"})
	}
	keys[n] = "MISSING"
	change := func(r *utmcoupon.UpdateCouponRequest) error {
		i, err := strconv.Atoi(strings.TrimPrefix(r.CouponCode, "C"))
		if err != nil {
			return err
		}
		if (i-1)%2 == 0 {
			r.UtmCampaign = utmcoupon.Ptr("autumn")
		} else {
			r.UtmCampaign = utmcoupon.Ptr("summer") // as it is
		}
		return nil
	}
	hc, closeIdle := ownTransport(t)
	newClient := func(hc *http.Client) *utmcoupon.Client {
		return srv.Client(utmcoupon.WithHTTPClient(hc), utmcoupon.WithRetryPolicy(fastRetries))
	}
	c := newClient(hc)
	return &modifyFixture{
		srv: srv, n: n, closeIdle: closeIdle,
		withHTTP:  func(hc *http.Client) { c = newClient(hc) },
		pick:      picker(&keys),
		setChange: changer(&change, func(r *utmcoupon.UpdateCouponRequest) string { return r.CouponCode }),
		run: func(ctx context.Context, opts *api.BulkOptions, each func(modItem) bool) {
			for r := range c.ModifyCoupons(ctx, keys, change, opts) {
				it := modItem{Index: r.Index, Key: r.Key, Same: r.Index >= 0 && r.Index < len(keys) && keys[r.Index] == r.Key,
					Response: r.Response != nil, Err: r.Err}
				if r.Response != nil {
					it.Changes = len(r.Response.Changes)
				}
				if !each(it) {
					return
				}
			}
		},
		changed: func(i int) bool {
			c, _ := srv.Coupon(keys[i])
			return c.UtmCampaign == "autumn"
		},
	}
}

// picker is a modifyFixture's pick over *keys: it replaces them with
// those of the fixture's own keys at the given positions.
func picker[K any](keys *[]K) func(idx ...int) {
	all := *keys
	return func(idx ...int) {
		picked := make([]K, len(idx))
		for k, i := range idx {
			picked[k] = all[i]
		}
		*keys = picked
	}
}

// changer is a modifyFixture's setChange over *change: the new change
// calls f with the request's key and changes nothing.
func changer[R any](change *func(*R) error, key func(*R) string) func(f func(key string)) {
	return func(f func(string)) {
		*change = func(r *R) error {
			f(key(r))
			return nil
		}
	}
}

// stableGoroutines waits (up to a few seconds) until the number of
// goroutines stops changing, and returns it: the baseline a test compares
// with once its bulk call has returned.
func stableGoroutines() int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		m := runtime.NumGoroutine()
		if m == n {
			return n
		}
		n = m
	}
	return n
}

// assertNoGoroutineLeft waits (up to a few seconds, as goroutines of closed
// connections take a moment to end) for the number of goroutines to fall
// back to base, and fails with their stacks if it does not.
func assertNoGoroutineLeft(t testing.TB, base int) bool {
	t.Helper()
	var n int
	for deadline := time.Now().Add(5 * time.Second); ; {
		if n = runtime.NumGoroutine(); n <= base || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if n <= base {
		return true
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	return assert.LessOrEqual(t, n, base, "goroutines outlive the bulk call:\n%s", buf)
}

// cannedTransport answers every request at once, in memory, with a fixed
// success body: a fast, unlimited vendor with no sockets and no goroutines.
type cannedTransport struct {
	status int
	header http.Header
	body   []byte
}

func (c *cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{
		StatusCode:    c.status,
		Status:        strconv.Itoa(c.status) + " " + http.StatusText(c.status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        c.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       r,
	}, nil
}

// bigcommerceCanned is BigCommerce's answer to a coupon PUT.
func bigcommerceCanned() *cannedTransport {
	return &cannedTransport{
		status: http.StatusOK,
		header: http.Header{"Content-Type": {"application/json"}},
		body: []byte(`{"id":1,"name":"C1","type":"percentage_discount","amount":"15.0000","min_purchase":"0.0000",` +
			`"expires":"","enabled":true,"code":"C1","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,` +
			`"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,` +
			`"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`),
	}
}

// cannedClient is a bigcommerce client whose every request is answered by
// cannedTransport.
func cannedClient(t testing.TB) *bigcommerce.Client {
	c, err := bigcommerce.NewClient("store", "token", bigcommerce.WithBaseURL("https://api.example.test"),
		bigcommerce.WithHTTPClient(&http.Client{Transport: bigcommerceCanned()}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bigcommerceRequests is n distinct valid update requests (ids 1..n)
// sharing one AppliesTo.
func bigcommerceRequests(n int) []*bigcommerce.UpdateCouponRequest {
	all := &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}
	reqs := make([]*bigcommerce.UpdateCouponRequest, n)
	for i := range reqs {
		code := "C" + strconv.Itoa(i+1)
		reqs[i] = &bigcommerce.UpdateCouponRequest{ID: i + 1, Name: code, Type: bigcommerce.PercentageDiscount,
			Amount: "15.00", Code: code, AppliesTo: all}
	}
	return reqs
}
