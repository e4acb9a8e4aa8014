package testutil

import (
	"net/http"
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
