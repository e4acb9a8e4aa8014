package pace

import (
	"fmt"
	"testing"
)

// BenchmarkSimulatedPacing runs the simulator (sim_test.go) for every
// vendor model and client count, the real pacer and beside it the
// hand-rolled baseline, and reports the metrics: quota_use,
// ratelimited_pct, pace and min_share, and logs the goals they are held to
// (TestSimulatedPacingGoals asserts them). Without headers (Paddle,
// Partnero) ratelimited_pct counts requests sent after their client's
// first minute, and ratelimited_run_pct those sent after the run's first
// minute, which includes the probes of clients that started into a window
// the others had spent. The figures do not depend on b.N: each iteration
// replays the same seeded scenario; -benchtime 1x prints the table in
// seconds.
func BenchmarkSimulatedPacing(b *testing.B) {
	fmt.Printf("goals: quota_use >= %.2f alone, >= %.2f for 2-16 clients; ratelimited_pct <= %.0f with headers, <= %.0f for paddle and partnero after each client's first minute; pace >= %.2f for jframework and vtex; min_share >= %.1f\n",
		goalQuotaUseAlone, goalQuotaUseShared, goalLimitedHeaders, goalLimitedBlind, goalPace, goalMinShare)
	for _, v := range simVendors {
		for _, n := range simClients {
			for _, baseline := range []bool{false, true} {
				name := fmt.Sprintf("vendor=%s/clients=%d", v.name, n)
				if baseline {
					name += "/baseline"
				}
				b.Run(name, func(b *testing.B) {
					var r simResult
					for range b.N {
						r = simulate(v, n, baseline, 1)
					}
					b.ReportMetric(r.quotaUse, "quota_use")
					b.ReportMetric(r.limitedPct, "ratelimited_pct")
					b.ReportMetric(r.pace, "pace")
					b.ReportMetric(r.minShare, "min_share")
					if !v.headers {
						b.ReportMetric(r.limitedRunPct, "ratelimited_run_pct")
					}
				})
			}
		}
	}
}
