package bulkcheck_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// byHand is what a user writes without UpdateCoupons: conc goroutines
// taking the next request and calling UpdateCoupon. It returns the number
// of failures.
func byHand(c *bigcommerce.Client, reqs []*bigcommerce.UpdateCouponRequest, conc int) int {
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(reqs) {
					return
				}
				if _, err := c.UpdateCoupon(context.Background(), reqs[i]); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(failed.Load())
}

// inBulk sends reqs with UpdateCoupons and returns the number of failures.
func inBulk(c *bigcommerce.Client, reqs []*bigcommerce.UpdateCouponRequest, conc int) int {
	failed := 0
	for r := range c.UpdateCoupons(context.Background(), reqs, &bigcommerce.BulkOptions{Concurrency: conc}) {
		if r.Err != nil {
			failed++
		}
	}
	return failed
}

// BenchmarkUpdateCouponsVsHand compares, without a rate limit and in the
// same run, UpdateCoupons at Concurrency 8 with 8 goroutines calling
// UpdateCoupon by hand, on one client: against the canned in-memory vendor
// (the engine's and pacer's own cost is all that differs) and against
// bigcommercetest on loopback. Each iteration runs rounds of `items`
// updates, alternating the two; the metrics are the fastest round of each,
// in ns per item, their ratio (bulk/hand, required within 1.1) and the
// median of the rounds' paired ratios.
func BenchmarkUpdateCouponsVsHand(b *testing.B) {
	const conc, rounds = 8, 7
	setups := []struct {
		name  string
		items int
		new   func(b *testing.B) (*bigcommerce.Client, func())
	}{
		{"canned", 2000, func(b *testing.B) (*bigcommerce.Client, func()) { return cannedClient(b), func() {} }},
		{"loopback", 1000, func(b *testing.B) (*bigcommerce.Client, func()) {
			srv := bigcommercetest.NewServer()
			for _, r := range bigcommerceRequests(1000) {
				srv.AddCoupon(bigcommerce.Coupon{ID: r.ID, Name: r.Name, Type: r.Type, Amount: "10.0000", Code: r.Code,
					AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
			}
			return srv.Client(), srv.Close
		}},
	}
	for _, s := range setups {
		b.Run(s.name, func(b *testing.B) {
			c, done := s.new(b)
			defer done()
			reqs := bigcommerceRequests(s.items)
			// Warm up connections and caches.
			byHand(c, reqs[:100], conc)
			inBulk(c, reqs[:100], conc)
			b.ResetTimer()
			var bulkNs, handNs, ratios []float64
			for range b.N {
				for r := range rounds {
					var bulk, hand time.Duration
					run := func(f func(*bigcommerce.Client, []*bigcommerce.UpdateCouponRequest, int) int) time.Duration {
						start := time.Now()
						if n := f(c, reqs, conc); n != 0 {
							b.Fatalf("%d updates failed", n)
						}
						return time.Since(start)
					}
					if r%2 == 0 {
						bulk, hand = run(inBulk), run(byHand)
					} else {
						hand, bulk = run(byHand), run(inBulk)
					}
					bulkNs = append(bulkNs, float64(bulk.Nanoseconds())/float64(len(reqs)))
					handNs = append(handNs, float64(hand.Nanoseconds())/float64(len(reqs)))
					ratios = append(ratios, float64(bulk)/float64(hand))
				}
			}
			b.StopTimer()
			slices.Sort(ratios)
			bulkMin, handMin := slices.Min(bulkNs), slices.Min(handNs)
			ratio := bulkMin / handMin
			b.ReportMetric(bulkMin, "bulk_ns/item")
			b.ReportMetric(handMin, "hand_ns/item")
			b.ReportMetric(ratio, "bulk/hand")
			b.ReportMetric(ratios[len(ratios)/2], "bulk/hand_median")
			b.ReportMetric(0, "ns/op")
			if ratio > 1.1 {
				b.Errorf("UpdateCoupons at %.0f ns per item is %.2fx 8 goroutines by hand at %.0f ns: more than 1.1x", bulkMin, ratio, handMin)
			}
		})
	}
}

// BenchmarkPacing runs the pacing scenarios against the test
// servers' rate limiters, once per iteration (each takes seconds), and
// reports:
//
//   - quota_use: admitted requests / (windows the server opened × limit),
//     the share of the quota used per window;
//   - ratelimited_per_1000: rate-limit answers per 1,000 requests;
//   - throughput: admitted requests per second / (limit / window), the
//     share of the nominal pace over the whole run's wall time (it counts
//     the idle tail of the last window and the first request going alone,
//     so it is below quota_use for short runs);
//   - s/run: the wall time of the scenario.
func BenchmarkPacing(b *testing.B) {
	type scenario struct {
		name    string
		v       bulkVendor
		limit   int
		window  time.Duration
		clients []int // updates per client, all at once
		// afterFirst: quota use is counted after the first window
		// (without a reset time the pace is learnt from rate-limit
		// answers: the first burst overruns the first window).
		afterFirst bool
	}
	scenarios := []scenario{
		{"bigcommerce_20per250ms", bigcommerceBulk(), 20, 250 * time.Millisecond, []int{200}, false},
		{"jframework_25per1s", jframeworkBulk(), 25, time.Second, []int{200}, false},
		{"utmcoupon_25per1s", utmcouponBulk(), 25, time.Second, []int{200}, false},
		{"bigcommerce_two_clients_20per250ms", bigcommerceBulk(), 20, 250 * time.Millisecond, []int{100, 100}, false},
		{"paddle_no_headers_20per1s", paddleBulk(), 20, time.Second, []int{100}, true},
		// Laravel's X-RateLimit-Limit/-Remaining without a reset time.
		{"partnero_no_reset_20per1s", partneroBulk(), 20, time.Second, []int{100}, true},
	}
	for _, sc := range scenarios {
		b.Run(sc.name, func(b *testing.B) {
			var use, limited, throughput, secs float64
			for range b.N {
				total := 0
				for _, n := range sc.clients {
					total += n
				}
				srv, client := sc.v.start(total)
				srv.SetRateLimit(sc.limit, sc.window)
				runners := make([]bulkRunner, len(sc.clients))
				for i := range runners {
					runners[i] = client()
				}
				var wg sync.WaitGroup
				var failed atomic.Int64
				start := time.Now()
				for i, n := range sc.clients {
					wg.Add(1)
					go func() {
						defer wg.Done()
						failed.Add(int64(len(runners[i](n, 8, 0))))
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				if n := failed.Load(); n != 0 {
					b.Errorf("%d updates failed", n)
				}
				reqs, rl, windows := srv.Requests(), srv.RateLimited(), srv.Windows()
				srv.Close()
				admitted := reqs - rl
				if sc.afterFirst {
					use += float64(admitted-sc.limit) / float64((windows-1)*sc.limit)
				} else {
					use += float64(admitted) / float64(windows*sc.limit)
				}
				limited += float64(rl) * 1000 / float64(reqs)
				throughput += (float64(admitted) / elapsed.Seconds()) / (float64(sc.limit) / sc.window.Seconds())
				secs += elapsed.Seconds()
				b.Logf("%s: %d requests (%d rate-limited) in %d windows, %v", sc.name, reqs, rl, windows, elapsed.Round(time.Millisecond))
			}
			n := float64(b.N)
			name := "quota_use"
			if sc.afterFirst {
				name = "quota_use_after_first"
			}
			b.ReportMetric(use/n, name)
			b.ReportMetric(limited/n, "ratelimited_per_1000")
			b.ReportMetric(throughput/n, "throughput")
			b.ReportMetric(secs/n, "s/run")
			b.ReportMetric(0, "ns/op")
		})
	}
}
