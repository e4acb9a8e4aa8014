package conformance_test

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentCallsShareAFewConnections: the default transport keeps
// enough idle connections per host that 32 goroutines doing 100 updates
// each open at most 32 connections (net/http's default keeps 2 and churns).
func TestConcurrentCallsShareAFewConnections(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) { v.success(w) })
			sub, err := v.newClient(config{base: s.URL, policy: fast}) // default transport
			require.NoError(t, err)
			var wg sync.WaitGroup
			var failed atomic.Int32
			for i := 0; i < 32; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < 100; j++ {
						if _, err := sub.update(context.Background()); err != nil {
							failed.Add(1)
						}
					}
				}()
			}
			wg.Wait()
			assert.Zero(t, failed.Load())
			assert.Equal(t, int32(3200), s.n.Load())
			// Under load net/http now and then retires a connection (when
			// it has not seen the request write complete within 50 ms, it
			// does not reuse the connection) and the next call dials a new
			// one: 33 in about 2 of 100 runs. Churn would show in dozens.
			assert.LessOrEqual(t, s.conns.Load(), int32(32+2))
		})
	}
}

// TestSequentialCallsReuseOneConnection, error answers included.
func TestSequentialCallsReuseOneConnection(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, n int) {
				switch n % 4 {
				case 1:
					w.WriteHeader(404)
					w.Write([]byte(`{"message":"not found"}`))
				case 2:
					w.WriteHeader(429) // retried after a tiny wait
				default:
					v.success(w)
				}
			})
			sub, err := v.newClient(config{base: s.URL, policy: fast})
			require.NoError(t, err)
			for i := 0; i < 100; i++ {
				sub.update(context.Background())
			}
			assert.GreaterOrEqual(t, s.n.Load(), int32(100))
			assert.Equal(t, int32(1), s.conns.Load())
		})
	}
}

// TestGiganticBodyKeepsHeapSmall: a 1 GiB streamed body is cut off at the
// 10 MiB limit and the heap stays under 32 MiB meanwhile.
func TestGiganticBodyKeepsHeapSmall(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			chunk := make([]byte, 64<<10)
			for i := range chunk {
				chunk[i] = ' '
			}
			s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				for i := 0; i < (1<<30)/len(chunk); i++ {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			})
			sub, err := v.newClient(config{base: s.URL, policy: fast})
			require.NoError(t, err)
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapInuse > peak.Load() {
						peak.Store(m.HeapInuse)
					}
					select {
					case <-stop:
						return
					case <-time.After(time.Millisecond):
					}
				}
			}()
			_, err = sub.update(context.Background())
			close(stop)
			<-sampled
			require.Error(t, err)
			assert.Contains(t, err.Error(), "byte limit")
			assert.Less(t, peak.Load(), uint64(32<<20), "peak heap in use: %d MiB", peak.Load()>>20)
			t.Logf("peak heap in use: %.1f MiB", float64(peak.Load())/(1<<20))
		})
	}
}
