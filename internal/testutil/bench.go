package testutil

import (
	"net/http"
	"runtime"
	"testing"
	"time"
)

// PooledClient is the baseline's http.Client in the benchmarks: pooled like
// the SDK's default transport, so both sides reuse connections equally.
func PooledClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// BenchPair runs the sub-benchmarks sdk, baseline, sdk-parallel and
// baseline-parallel over the two calls, reporting allocations.
func BenchPair(b *testing.B, sdk, baseline func() error) {
	b.Run("sdk", Serial(sdk))
	b.Run("baseline", Serial(baseline))
	b.Run("sdk-parallel", Parallel(sdk))
	b.Run("baseline-parallel", Parallel(baseline))
}

// Serial is a benchmark of call made b.N times in a row, reporting
// allocations.
func Serial(call func() error) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// Parallel is a benchmark of call made b.N times from GOMAXPROCS
// goroutines, reporting allocations.
func Parallel(call func() error) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := call(); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
}

// VsHand compares two ways of doing the same work (ModifyCoupon and the
// same read and update by hand) fairly on a busy machine: it alternates
// rounds of n calls of each (each after a GC, so that neither pays for the
// other's garbage), keeps each side's fastest round, and reports both per
// call (sdk-ns/op, hand-ns/op) and their ratio (ratio).
func VsHand(b *testing.B, sdk, hand func() error) {
	const rounds, n = 40, 200
	round := func(call func() error) time.Duration {
		runtime.GC()
		start := time.Now()
		for i := 0; i < n; i++ {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start) / n
	}
	for i := 0; i < b.N; i++ {
		bestSDK, bestHand := time.Duration(1<<62), time.Duration(1<<62)
		for r := 0; r < rounds; r++ {
			bestSDK = min(bestSDK, round(sdk))
			bestHand = min(bestHand, round(hand))
		}
		b.ReportMetric(float64(bestSDK), "sdk-ns/op")
		b.ReportMetric(float64(bestHand), "hand-ns/op")
		b.ReportMetric(float64(bestSDK)/float64(bestHand), "ratio")
	}
}
