package bigcommerce_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

// readServer answers GET /v2/coupons with the documented coupon in an
// array and a PUT with the coupon, from bodies encoded once.
func readServer() *httptest.Server {
	list, one := []byte("["+vendorCoupon+"]"), []byte(vendorCoupon)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			w.Write(list)
			return
		}
		w.Write(one)
	}))
}

func BenchmarkGetCoupon(b *testing.B) {
	srv := readServer()
	defer srv.Close()
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetCoupon(ctx, 42); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModifyCoupon compares ModifyCoupon with the same read and
// full update done by hand (GetCoupon, UpdateRequest, UpdateCoupon): the
// difference is what computing Changes costs.
func BenchmarkModifyCoupon(b *testing.B) {
	srv := readServer()
	defer srv.Close()
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	change := func(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "7.50"; return nil }
	b.Run("ModifyCoupon", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			resp, err := c.ModifyCoupon(ctx, 42, change)
			if err != nil || len(resp.Changes) != 1 {
				b.Fatal(err, resp)
			}
		}
	})
	b.Run("GetCoupon+UpdateCoupon", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			got, err := c.GetCoupon(ctx, 42)
			if err != nil {
				b.Fatal(err)
			}
			req := got.Coupon.UpdateRequest()
			_ = change(req)
			if _, err := c.UpdateCoupon(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// pagedMock serves n coupons (ids 1..n), perPage a page by min_id, from
// page bodies encoded once, through httpmock (no sockets, so the figures are the client's).
func pagedMock(tb testing.TB, n, perPage int) *bigcommerce.Client {
	tb.Helper()
	var pages [][]byte
	for first := 1; first <= n; first += perPage {
		pages = append(pages, []byte(page(first, min(perPage, n-first+1))))
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, listURL, func(r *http.Request) (*http.Response, error) {
		// Pages are cursors: min_id is 1 + the last id of the page before.
		minID, _ := strconv.Atoi(r.URL.Query().Get("min_id"))
		p := max(minID-1, 0)/perPage + 1
		if p > len(pages) {
			return httpmock.NewBytesResponse(http.StatusNoContent, nil), nil
		}
		resp := httpmock.NewBytesResponse(200, pages[p-1])
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

func benchmarkList(b *testing.B, n int) {
	c := pagedMock(b, n, bigcommerce.MaxPerPage)
	ctx := context.Background()
	opts := &bigcommerce.ListCouponsOptions{PerPage: bigcommerce.MaxPerPage}
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got := 0
		for _, err := range c.ListCoupons(ctx, opts) {
			if err != nil {
				b.Fatal(err)
			}
			got++
		}
		if got != n {
			b.Fatalf("listed %d of %d", got, n)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	per := float64(b.N) * float64(n)
	b.ReportMetric(float64(m1.TotalAlloc-m0.TotalAlloc)/per, "B/coupon")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/per, "allocs/coupon")
}

// BenchmarkListCoupons1000 and BenchmarkListCoupons5000 list 4 and 20 pages
// of 250: B/coupon and allocs/coupon stay the same, so listing costs per
// coupon, not per coupon already listed.
func BenchmarkListCoupons1000(b *testing.B) { benchmarkList(b, 1000) }
func BenchmarkListCoupons5000(b *testing.B) { benchmarkList(b, 5000) }

// BenchmarkListCoupons100000 lists 400 pages of 250 by min_id cursor:
// B/coupon and allocs/coupon stay those of 1,000 coupons, because the
// pager keeps the keys of two pages, never the listing's.
func BenchmarkListCoupons100000(b *testing.B) { benchmarkList(b, 100000) }

// TestListCouponsMemoryIsPerPage: walking 40 pages keeps the live heap at
// about one page; pages already iterated are garbage.
func TestListCouponsMemoryIsPerPage(t *testing.T) {
	const perPage, pages = 250, 40
	c := pagedMock(t, perPage*pages, perPage)
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var early, late uint64
	n := 0
	for _, err := range c.ListCoupons(context.Background(), &bigcommerce.ListCouponsOptions{PerPage: perPage}) {
		require.NoError(t, err)
		n++
		switch n {
		case perPage + 1:
			early = heap()
		case perPage*(pages-1) + 1:
			late = heap()
		}
	}
	require.Equal(t, perPage*pages, n)
	// 38 more pages of 250 decoded coupons would be megabytes; allow a
	// small fraction of one page's worth of slack.
	grown := int64(late) - int64(early)
	assert.Less(t, grown, int64(256<<10), "live heap grew by %d bytes over 38 pages", grown)
}

// TestModifyCostsNoMoreThanGetPlusUpdate holds ModifyCoupon to at most 10%
// more allocations than the same read and update done by hand (counted
// through httpmock, without sockets, so the figures are the client's).
func TestModifyCostsNoMoreThanGetPlusUpdate(t *testing.T) {
	if testing.Short() || testutil.RaceEnabled {
		t.Skip("allocation counting (the race detector changes the counts)")
	}
	c := mockedClient(t)
	ctx := context.Background()
	modify := testing.AllocsPerRun(200, func() {
		if resp, err := c.ModifyCoupon(ctx, 42, benchChange); err != nil || len(resp.Changes) != 1 {
			t.Fatal(err, resp)
		}
	})
	byHand := testing.AllocsPerRun(200, func() {
		if err := getThenUpdate(ctx, c); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocs per call: ModifyCoupon %.0f, GetCoupon+UpdateCoupon %.0f", modify, byHand)
	assert.LessOrEqual(t, modify, byHand*1.10)
}

// benchChange is the change ModifyCoupon makes in the allocation test and
// BenchmarkModifyVsHand: one field, so one PUT follows the read.
func benchChange(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "7.50"; return nil }

// mockedClient answers the read and the PUT of vendorCoupon through
// httpmock, from bodies encoded once (no sockets: the client's figures).
func mockedClient(tb testing.TB) *bigcommerce.Client {
	tb.Helper()
	mt := httpmock.NewMockTransport()
	list, one := []byte("["+vendorCoupon+"]"), []byte(vendorCoupon)
	mt.RegisterResponder(http.MethodGet, listURL, func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(200, list), nil
	})
	mt.RegisterResponder(http.MethodPut, couponURL, func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(200, one), nil
	})
	c, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

// getThenUpdate is ModifyCoupon done by hand: GetCoupon, UpdateRequest,
// benchChange, UpdateCoupon.
func getThenUpdate(ctx context.Context, c *bigcommerce.Client) error {
	got, err := c.GetCoupon(ctx, 42)
	if err != nil {
		return err
	}
	req := got.Coupon.UpdateRequest()
	_ = benchChange(req)
	_, err = c.UpdateCoupon(ctx, req)
	return err
}

// BenchmarkModifyVsHand runs ModifyCoupon and GetCoupon + UpdateCoupon by
// hand in alternating rounds (testutil.VsHand) and reports the fastest
// round of each and their ratio, client-only (httpmock) and over loopback.
// Run it with -benchtime 1x.
func BenchmarkModifyVsHand(b *testing.B) {
	srv := readServer()
	defer srv.Close()
	loopback, err := bigcommerce.NewClient(storeHash, token, bigcommerce.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	for name, c := range map[string]*bigcommerce.Client{"client-only": mockedClient(b), "loopback": loopback} {
		b.Run(name, func(b *testing.B) {
			testutil.VsHand(b, func() error {
				_, err := c.ModifyCoupon(ctx, 42, benchChange)
				return err
			}, func() error { return getThenUpdate(ctx, c) })
		})
	}
}
