package bulkcheck_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mib = 1 << 20

// heapRun is one UpdateCoupons call of n updates at Concurrency 8 against
// the canned in-memory vendor (no sockets: the engine, the pacer and the
// transport are all that run), with the heap sampled in Progress.
type heapRun struct {
	n int
	// base is HeapInuse after building the requests, after a GC: the
	// caller's slice and what the process held before.
	base uint64
	// live is the largest HeapInuse sampled after a GC during the call:
	// what the call holds on to. inUse is the largest sampled without
	// forcing a GC: live memory plus garbage not yet collected, which the
	// GC lets grow to about GOGC% (100%) of the live heap.
	live, inUse uint64
	ok          int
	last        bigcommerce.Progress
	elapsed     time.Duration
}

// runHeap runs n updates, sampling every `every` items.
func runHeap(t testing.TB, n, every int) heapRun {
	c := cannedClient(t)
	reqs := bigcommerceRequests(n)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	h := heapRun{n: n, base: ms.HeapInuse, live: ms.HeapInuse, inUse: ms.HeapInuse}
	opts := &bigcommerce.BulkOptions{Concurrency: 8, Progress: func(p bigcommerce.Progress) {
		h.last = p
		if p.Done%every != 0 && p.Done != p.Total {
			return
		}
		runtime.ReadMemStats(&ms)
		h.inUse = max(h.inUse, ms.HeapInuse)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		h.live = max(h.live, ms.HeapInuse)
	}}
	start := time.Now()
	for r := range c.UpdateCoupons(ctx(), reqs, opts) {
		if r.Err == nil {
			h.ok++
		}
	}
	h.elapsed = time.Since(start)
	runtime.KeepAlive(reqs)
	return h
}

func (h heapRun) grown() int64 { return int64(h.live) - int64(h.base) }

func (h heapRun) log(t testing.TB) {
	t.Logf("%6d updates in %v: heap in use %.1f MiB with the requests built; during the call %.1f MiB live (%+.2f MiB), %.1f MiB with uncollected garbage",
		h.n, h.elapsed.Round(time.Millisecond), float64(h.base)/mib, float64(h.live)/mib, float64(h.grown())/mib, float64(h.inUse)/mib)
}

// TestMemoryFlat: memory stays flat in the number of items beyond the
// caller's own slice (results are not retained), and no goroutine is left.
// It compares a call of 1,000 items with one of 5,000: what the call
// holds on to must not grow with n (1 MiB over 4,000 more items would be
// 262 bytes each; a retained result with its decoded response and headers
// is several times that). 100,000 items take tens of seconds under -race on a loaded 2-core
// machine, so BenchmarkMemory100k measures those.
func TestMemoryFlat(t *testing.T) {
	base := stableGoroutines()
	small := runHeap(t, 1_000, 250)
	large := runHeap(t, 5_000, 1_250)
	for _, h := range []heapRun{small, large} {
		h.log(t)
		require.Equal(t, h.n, h.ok, "every update applied")
		assert.Equal(t, h.n, h.last.Done)
		assert.Less(t, h.grown(), int64(4*mib), "the call holds a few MiB at most")
		assert.Less(t, h.inUse, uint64(32*mib), "heap under 32 MiB")
	}
	assert.Less(t, large.grown(), small.grown()+mib, "flat in the number of items")
	assertNoGoroutineLeft(t, base)
}

// BenchmarkMemory100k runs 100,000 updates against the canned in-memory
// vendor, sampling the heap every 5,000 items, and reports the peaks:
// live_MiB (after a GC: what the call and the caller's 100,000 requests
// hold), grown_MiB (live_MiB less the heap before the call: what the call
// holds), inuse_MiB (without forcing a GC: live plus garbage not yet
// collected, which the GC lets reach about twice the live heap), and
// whether a goroutine was left.
func BenchmarkMemory100k(b *testing.B) {
	for range b.N {
		base := stableGoroutines()
		h := runHeap(b, 100_000, 5_000)
		if h.ok != h.n {
			b.Fatalf("%d of %d updates applied", h.ok, h.n)
		}
		h.log(b)
		b.ReportMetric(float64(h.live)/mib, "live_MiB")
		b.ReportMetric(float64(h.grown())/mib, "grown_MiB")
		b.ReportMetric(float64(h.inUse)/mib, "inuse_MiB")
		b.ReportMetric(float64(h.elapsed.Nanoseconds())/float64(h.n), "ns/item")
		assertNoGoroutineLeft(b, base)
	}
}
