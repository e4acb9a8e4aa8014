package jframework_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
)

// benchChange is the change ModifyCoupon makes in the benchmarks: one
// field, so one PUT follows the read.
func benchChange(r *jframework.UpdateCouponRequest) error {
	r.Percentage = jframework.Ptr(15.0)
	return nil
}

func BenchmarkGetCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := c.GetCoupon(ctx, couponID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkModifyCoupon compares ModifyCoupon with the same read and full
// update done by hand (GetCoupon, UpdateRequest, UpdateCoupon): the
// difference is what computing Changes costs. The loopback pair includes
// the server's work, as BenchmarkUpdateCoupon does; the client-only pair
// answers through httpmock, so its ns/op is the client's CPU time, which
// varies less on a busy machine.
func BenchmarkModifyCoupon(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	loopback, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	require.NoError(b, err)
	clientOnly := mockedClient(b)
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		client *jframework.Client
	}{{"loopback", loopback}, {"client-only", clientOnly}} {
		b.Run(c.name+"/ModifyCoupon", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				resp, err := c.client.ModifyCoupon(ctx, couponID, benchChange)
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

// mockedClient answers GET and PUT of the documented coupon through
// httpmock, from a body encoded once.
func mockedClient(tb testing.TB) *jframework.Client {
	tb.Helper()
	mt := httpmock.NewMockTransport()
	body := []byte(vendorSuccess)
	respond := func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
	mt.RegisterResponder(http.MethodGet, couponURL, respond)
	mt.RegisterResponder(http.MethodPut, couponURL, respond)
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

func getThenUpdate(ctx context.Context, c *jframework.Client) error {
	got, err := c.GetCoupon(ctx, couponID)
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
// over the same loopback server as the benchmarks, ModifyCoupon allocates
// at most 10% more than GetCoupon + UpdateCoupon by hand. (The client's
// own share of the difference is the second encoding of the unchanged
// request and the field diff.)
func TestModifyCostsNoMoreThanGetPlusUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counting")
	}
	srv := benchServer()
	defer srv.Close()
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	require.NoError(t, err)
	ctx := context.Background()
	modify := testing.AllocsPerRun(300, func() {
		if _, err := c.ModifyCoupon(ctx, couponID, benchChange); err != nil {
			t.Fatal(err)
		}
	})
	byHand := testing.AllocsPerRun(300, func() {
		if err := getThenUpdate(ctx, c); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocs per call: ModifyCoupon %.0f, GetCoupon+UpdateCoupon %.0f", modify, byHand)
	assert.LessOrEqual(t, modify, byHand*1.10)
}

// listItem is one coupon of a list page, numbered i.
func listItem(i int) string {
	return fmt.Sprintf(`{"id":"c%06d","code":"CODE%06d","name":"Coupon %d","description":null,"tags":"a, b",`+
		`"percentage":10,"quantity":100,"startDate":"2025-06-23T13:56:00.4346197+07:00",`+
		`"endDate":"2025-07-23T13:56:00.4346201+07:00","autoApplyToPrice":true,"status":"Active","testMode":false,`+
		`"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"}`, i, i, i)
}

// pagedMock serves n coupons, size a page, from page bodies encoded once,
// through httpmock (no sockets, so the figures are the client's).
func pagedMock(tb testing.TB, n, size int) *jframework.Client {
	tb.Helper()
	var pages [][]byte
	for first := 0; first < n; first += size {
		items := make([]string, 0, size)
		for i := first; i < min(first+size, n); i++ {
			items = append(items, listItem(i))
		}
		pages = append(pages, []byte(fmt.Sprintf(`{"success":true,"statusCode":200,"message":"The request was successful.",`+
			`"data":{"items":[%s],"totalItems":%d,"pageNumber":%d,"pageSize":%d},"errors":[]}`,
			strings.Join(items, ","), n, len(pages), size)))
	}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, listURL, func(r *http.Request) (*http.Response, error) {
		p, err := strconv.Atoi(r.URL.Query().Get("pageNumber"))
		if err != nil || p < 0 || p >= len(pages) {
			return httpmock.NewStringResponse(500, "asked past the end"), nil
		}
		resp := httpmock.NewBytesResponse(200, pages[p])
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(tb, err)
	return c
}

func benchmarkList(b *testing.B, n int) {
	c := pagedMock(b, n, jframework.DefaultPageSize)
	ctx := context.Background()
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		got := 0
		for _, err := range c.ListCoupons(ctx, nil) {
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

// BenchmarkListCoupons1000 and BenchmarkListCoupons5000 list 5 and 25 pages
// of 200: B/coupon and allocs/coupon stay the same, so listing costs per
// coupon, not per coupon already listed.
func BenchmarkListCoupons1000(b *testing.B) { benchmarkList(b, 1000) }
func BenchmarkListCoupons5000(b *testing.B) { benchmarkList(b, 5000) }

// BenchmarkListCoupons100000 lists 500 pages of 200: B/coupon and
// allocs/coupon stay those of 1,000 coupons, because the pager keeps the
// keys of two pages, never the listing's.
func BenchmarkListCoupons100000(b *testing.B) { benchmarkList(b, 100000) }

// TestListCouponsMemoryIsPerPage: walking 40 pages keeps the live heap at
// about one page; pages already iterated are garbage.
func TestListCouponsMemoryIsPerPage(t *testing.T) {
	if testing.Short() {
		t.Skip("heap measurement")
	}
	const size, pages = 200, 40
	c := pagedMock(t, size*pages, size)
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var atPage2, atPage39 uint64
	n := 0
	for _, err := range c.ListCoupons(context.Background(), nil) {
		require.NoError(t, err)
		switch n {
		case 2*size + 1:
			atPage2 = heap()
		case 39*size + 1:
			atPage39 = heap()
		}
		n++
	}
	require.Equal(t, size*pages, n)
	t.Logf("live heap at page 2: %d B, at page 39: %d B", atPage2, atPage39)
	// 37 more pages of decoded coupons would be hundreds of KiB; allow
	// noise of a quarter page's worth.
	assert.Less(t, float64(atPage39), float64(atPage2)+float64(64<<10), "pages already listed are not retained")
}

// BenchmarkModifyVsHand runs ModifyCoupon and GetCoupon + UpdateCoupon by
// hand in alternating rounds (testutil.VsHand) and reports the fastest
// round of each and their ratio, client-only (httpmock) and over loopback.
// Run it with -benchtime 1x.
func BenchmarkModifyVsHand(b *testing.B) {
	srv := benchServer()
	defer srv.Close()
	loopback, err := jframework.NewClient(brandURL, authKey, jframework.WithBaseURL(srv.URL))
	require.NoError(b, err)
	ctx := context.Background()
	for name, c := range map[string]*jframework.Client{"client-only": mockedClient(b), "loopback": loopback} {
		b.Run(name, func(b *testing.B) {
			testutil.VsHand(b, func() error {
				_, err := c.ModifyCoupon(ctx, couponID, benchChange)
				return err
			}, func() error { return getThenUpdate(ctx, c) })
		})
	}
}
