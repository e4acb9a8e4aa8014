package partnero_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/partnero"
)

// programServer serves a program of n coupons from pre-encoded pages of
// partnero.DefaultPerPage, so that only the client's work is measured.
func programServer(tb testing.TB, n int) *httptest.Server {
	tb.Helper()
	per := partnero.DefaultPerPage
	last := max(1, (n+per-1)/per)
	bodies := make([][]byte, last+1)
	for p := 1; p <= last; p++ {
		var items []string
		for i := (p - 1) * per; i < min(p*per, n); i++ {
			items = append(items, listCoupon("coupon_"+strconv.Itoa(i)))
		}
		bodies[p] = []byte(`{"data":[` + strings.Join(items, ",") + `],"links":{},"meta":` +
			meta(p, last, per, n) + `,"status":1}`)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := strconv.Atoi(r.URL.Query().Get("page"))
		if err != nil || p < 1 || p > last || r.URL.Query().Get("limit") != strconv.Itoa(per) {
			http.Error(w, `{"message":"bad page"}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(bodies[p])
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// listN lists the program behind srv and checks it saw n coupons in order;
// at is called with each index.
func listN(c *partnero.Client, n int, at func(i int)) error {
	i := 0
	for cp, err := range c.ListCoupons(context.Background(), nil) {
		if err != nil {
			return err
		}
		if want := "coupon_" + strconv.Itoa(i); cp.UUIDCode != want {
			return fmt.Errorf("coupon %d is %q, want %q", i, cp.UUIDCode, want)
		}
		if at != nil {
			at(i)
		}
		i++
	}
	if i != n {
		return fmt.Errorf("listed %d coupons, want %d", i, n)
	}
	return nil
}

func benchmarkList(b *testing.B, n int) {
	srv := programServer(b, n)
	c, err := partnero.NewClient(apiKey, partnero.WithBaseURL(srv.URL))
	require.NoError(b, err)
	require.NoError(b, listN(c, n, nil)) // warm the connection pool
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := listN(c, n, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	coupons := float64(b.N) * float64(n)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/coupons, "B/coupon")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/coupons, "allocs/coupon")
}

// BenchmarkListCoupons1000 lists 1,000 coupons (10 pages of 100). Compare
// B/coupon and allocs/coupon with BenchmarkListCoupons5000: they stay the
// same, because each page is dropped when the next is fetched.
func BenchmarkListCoupons1000(b *testing.B) { benchmarkList(b, 1000) }

// BenchmarkListCoupons5000 lists 5,000 coupons (50 pages of 100).
func BenchmarkListCoupons5000(b *testing.B) { benchmarkList(b, 5000) }

// BenchmarkListCoupons100000 lists 100,000 coupons (1,000 pages of 100):
// B/coupon and allocs/coupon stay those of 1,000 coupons, because the
// pager keeps the keys of two pages, never the listing's.
func BenchmarkListCoupons100000(b *testing.B) { benchmarkList(b, 100000) }

// TestListCouponsMemoryIsPerPage checks that a listing holds one page, not
// every page so far: the live heap while the loop reads coupon 4,950 is no
// larger than while it reads coupon 150 (a client that kept every page
// would hold about 4,800 more decoded coupons, several MB), and the bytes
// allocated per coupon do not grow with the number of pages.
func TestListCouponsMemoryIsPerPage(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap")
	}
	const n = 5000
	srv := programServer(t, n)
	c, err := partnero.NewClient(apiKey, partnero.WithBaseURL(srv.URL))
	require.NoError(t, err)
	require.NoError(t, listN(c, n, nil)) // warm up

	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var early, late uint64
	require.NoError(t, listN(c, n, func(i int) {
		switch i {
		case 150:
			early = live()
		case n - 50:
			late = live()
		}
	}))
	growth := int64(late) - int64(early)
	t.Logf("live heap at coupon 150: %d B, at coupon %d: %d B (growth %d B)", early, n-50, late, growth)
	assert.Less(t, growth, int64(512<<10), "the listing keeps pages it has yielded")

	perCoupon := func(n int) float64 {
		srv := programServer(t, n)
		c, err := partnero.NewClient(apiKey, partnero.WithBaseURL(srv.URL))
		require.NoError(t, err)
		require.NoError(t, listN(c, n, nil))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		require.NoError(t, listN(c, n, nil))
		runtime.ReadMemStats(&after)
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	}
	small, large := perCoupon(1000), perCoupon(5000)
	t.Logf("allocated per coupon: %.0f B listing 1,000, %.0f B listing 5,000", small, large)
	assert.Less(t, large, small*1.2, "bytes per coupon grow with the number of pages")
}
