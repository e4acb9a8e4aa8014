package utmcoupon_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
)

// benchChange is the change ModifyCoupon makes in the benchmarks: one
// field, so one POST follows the read.
func benchChange(r *utmcoupon.UpdateCouponRequest) error {
	r.MaxUsage = utmcoupon.Ptr(750)
	return nil
}

// benchServer answers GET one and the upsert with benchResponse, as
// BenchmarkUpdateCoupon's server does.
func benchServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(benchResponse))
	}))
}

func BenchmarkGetCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	c, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetCoupon(ctx, "SUMMER15"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModifyCoupon compares ModifyCoupon with the same read and full
// upsert done by hand (GetCoupon, UpdateRequest, UpdateCoupon): the
// difference is what computing Changes costs. The loopback pair includes
// the server's work, as BenchmarkUpdateCoupon does; the client-only pair
// answers through httpmock, so its ns/op is the client's CPU time.
func BenchmarkModifyCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	loopback, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithBaseURL(srv.URL))
	require.NoError(b, err)
	clientOnly := mockedBenchClient(b)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		client *utmcoupon.Client
	}{{"loopback", loopback}, {"client-only", clientOnly}} {
		b.Run(c.name+"/ModifyCoupon", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				resp, err := c.client.ModifyCoupon(ctx, "SUMMER15", benchChange)
				if err != nil || len(resp.Changes) != 1 {
					b.Fatal(err, resp)
				}
			}
		})
		b.Run(c.name+"/GetCoupon+UpdateCoupon", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := getThenUpdate(ctx, c.client); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// mockedBenchClient answers GET and POST with benchResponse through
// httpmock, from a body encoded once.
func mockedBenchClient(tb testing.TB) *utmcoupon.Client {
	tb.Helper()
	mt := httpmock.NewMockTransport()
	body := []byte(benchResponse)
	respond := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	}
	mt.RegisterResponder(http.MethodGet, couponURL+"/SUMMER15", respond)
	mt.RegisterResponder(http.MethodPost, couponURL, respond)
	c, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

func getThenUpdate(ctx context.Context, c *utmcoupon.Client) error {
	got, err := c.GetCoupon(ctx, "SUMMER15")
	if err != nil {
		return err
	}
	req := got.Coupon.UpdateRequest()
	_ = benchChange(req)
	_, err = c.UpdateCoupon(ctx, req)
	return err
}

// TestModifyCostsNoMoreThanGetPlusUpdate holds BenchmarkModifyCoupon's
// claim for allocations, which (unlike time) are stable enough to test:
// over the same loopback server as BenchmarkGetCoupon and
// BenchmarkUpdateCoupon, ModifyCoupon allocates at most 10% more than
// GetCoupon + UpdateCoupon by hand. (The client's own share of the
// difference, logged for the client-only pair, is the second encoding of
// the unchanged request and the field diff.)
func TestModifyCostsNoMoreThanGetPlusUpdate(t *testing.T) {
	if testing.Short() || testutil.RaceEnabled {
		t.Skip("allocation counting (the race detector changes it)")
	}
	srv := benchServer()
	defer srv.Close()
	loopback, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	counts := func(c *utmcoupon.Client) (modify, byHand float64) {
		modify = testing.AllocsPerRun(200, func() {
			if _, err := c.ModifyCoupon(ctx, "SUMMER15", benchChange); err != nil {
				t.Fatal(err)
			}
		})
		byHand = testing.AllocsPerRun(200, func() {
			if err := getThenUpdate(ctx, c); err != nil {
				t.Fatal(err)
			}
		})
		return modify, byHand
	}
	modify, byHand := counts(loopback)
	t.Logf("loopback allocs per call: ModifyCoupon %.0f, GetCoupon+UpdateCoupon %.0f", modify, byHand)
	assert.LessOrEqual(t, modify, byHand*1.10)
	modify, byHand = counts(mockedBenchClient(t))
	t.Logf("client-only allocs per call: ModifyCoupon %.0f, GetCoupon+UpdateCoupon %.0f (+%.0f)", modify, byHand, modify-byHand)
}

// listBody is VTEX's list answer with n coupons.
func listBody(n int) []byte {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"newsletter","utmCampaign":"summer",`+
			`"couponCode":"SUMMER%06d","isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"14.00:00:00","maxUsage":%d}`, i, i)
	}
	b.WriteByte(']')
	return []byte(b.String())
}

// listClient serves a list of n coupons through httpmock (no sockets, so
// the figures are the client's).
func listClient(tb testing.TB, n int) *utmcoupon.Client {
	tb.Helper()
	body := listBody(n)
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, couponURL, func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		return resp, nil
	})
	c, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

func benchmarkList(b *testing.B, n int) {
	c := listClient(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got := 0
		for coupon, err := range c.ListCoupons(ctx, nil) {
			if err != nil || coupon.ExpirationIntervalPerUse != 14*24*time.Hour {
				b.Fatal(err, coupon)
			}
			got++
		}
		if got != n {
			b.Fatalf("listed %d of %d", got, n)
		}
	}
}

// BenchmarkListCoupons1000 lists 1,000 coupons: VTEX sends them all in
// one answer (no paging), so the page is the whole list; bytes per coupon
// stay the same as the list grows (compare BenchmarkListCoupons5000).
func BenchmarkListCoupons1000(b *testing.B) { benchmarkList(b, 1000) }

// BenchmarkListCoupons5000 is BenchmarkListCoupons1000 with five times the
// coupons.
func BenchmarkListCoupons5000(b *testing.B) { benchmarkList(b, 5000) }

// TestListAllocationsGrowLinearly holds the benchmarks' claim: per coupon,
// a 5,000-coupon list allocates no more often and no more bytes than a
// 1,000-coupon list, +10% (the one answer is decoded once into slices made
// at their final size; nothing grows by doubling or is kept twice).
func TestListAllocationsGrowLinearly(t *testing.T) {
	if testing.Short() || testutil.RaceEnabled {
		t.Skip("allocation counting (the race detector changes it)")
	}
	perCoupon := func(n int) (allocs, bytes float64) {
		c := listClient(t, n)
		list := func() {
			for _, err := range c.ListCoupons(context.Background(), nil) {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		list() // warm up: one-time costs of the first call are not counted
		allocs = testing.AllocsPerRun(3, list)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		const runs = 3
		for range runs {
			list()
		}
		runtime.ReadMemStats(&after)
		return allocs / float64(n), float64(after.TotalAlloc-before.TotalAlloc) / runs / float64(n)
	}
	smallAllocs, smallBytes := perCoupon(1000)
	largeAllocs, largeBytes := perCoupon(5000)
	t.Logf("per coupon: 1,000 coupons %.2f allocs %.0f B, 5,000 coupons %.2f allocs %.0f B", smallAllocs, smallBytes, largeAllocs, largeBytes)
	assert.LessOrEqual(t, largeAllocs, smallAllocs*1.10)
	assert.LessOrEqual(t, largeBytes, smallBytes*1.10)
}

// BenchmarkModifyVsHand runs ModifyCoupon and GetCoupon + UpdateCoupon by
// hand in alternating rounds (testutil.VsHand) and reports the fastest
// round of each and their ratio, client-only (httpmock) and over loopback.
// Run it with -benchtime 1x.
func BenchmarkModifyVsHand(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	loopback, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	for name, c := range map[string]*utmcoupon.Client{"client-only": mockedBenchClient(b), "loopback": loopback} {
		b.Run(name, func(b *testing.B) {
			testutil.VsHand(b, func() error {
				_, err := c.ModifyCoupon(ctx, "SUMMER15", benchChange)
				return err
			}, func() error { return getThenUpdate(ctx, c) })
		})
	}
}
