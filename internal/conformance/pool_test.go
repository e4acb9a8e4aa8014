package conformance_test

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// cancelKey holds a call's cancel function in its context.
type cancelKey struct{}

// cancelOnRetry is a slog handler that cancels a call's context as soon as
// the transport logs that the call will retry: the context then ends
// during the retry wait.
type cancelOnRetry struct{}

func (cancelOnRetry) Enabled(context.Context, slog.Level) bool { return true }
func (cancelOnRetry) WithAttrs([]slog.Attr) slog.Handler       { return cancelOnRetry{} }
func (cancelOnRetry) WithGroup(string) slog.Handler            { return cancelOnRetry{} }
func (cancelOnRetry) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "retry" && a.Value.Bool() {
			if cancel, ok := ctx.Value(cancelKey{}).(context.CancelFunc); ok {
				cancel()
			}
		}
		return true
	})
	return nil
}

// TestCancelledRetryWaitKeepsEveryonesConnections: go-retryablehttp closes
// its HTTP client's idle connections when a context ends during a retry
// wait (and when a call ends in an error), which threw away every other
// goroutine's keep-alive connections. 32 goroutines x 30 calls, every
// tenth answered 503 and cancelled while it waits to retry: the pool
// survives, so the server sees about 32 connections, whether the client
// uses the SDK's transport or the caller's.
func TestCancelledRetryWaitKeepsEveryonesConnections(t *testing.T) {
	const workers, perWorker = 32, 30
	for _, v := range vendors {
		for _, own := range []bool{false, true} {
			name := v.name + "/default transport"
			if own {
				name = v.name + "/caller's transport"
			}
			t.Run(name, func(t *testing.T) {
				s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, n int) {
					if n%10 == 0 {
						w.Header().Set("Retry-After", "0.2")
						w.WriteHeader(http.StatusServiceUnavailable)
						return
					}
					v.success(w)
				})
				cfg := config{base: s.URL, logger: slog.New(cancelOnRetry{}),
					policy: api.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Second}}
				if own {
					tr := http.DefaultTransport.(*http.Transport).Clone()
					tr.MaxIdleConnsPerHost = workers
					tr.MaxConnsPerHost = workers // else net/http may dial while a connection is on its way back
					defer tr.CloseIdleConnections()
					cfg.hc = &http.Client{Transport: tr}
				}
				sub, err := v.newClient(cfg)
				require.NoError(t, err)
				var ok, cancelled, other atomic.Int32
				var wg sync.WaitGroup
				for i := 0; i < workers; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for j := 0; j < perWorker; j++ {
							ctx, cancel := context.WithCancel(context.Background())
							ctx = context.WithValue(ctx, cancelKey{}, context.CancelFunc(cancel))
							_, err := sub.update(ctx)
							cancel()
							switch {
							case err == nil:
								ok.Add(1)
							case ctx.Err() != nil && assert.ErrorIs(t, err, context.Canceled):
								cancelled.Add(1)
							default:
								other.Add(1)
								t.Log(err)
							}
						}
					}()
				}
				wg.Wait()
				assert.Zero(t, other.Load())
				assert.Greater(t, cancelled.Load(), int32(workers*perWorker/20), "calls were cancelled while waiting to retry")
				assert.LessOrEqual(t, s.conns.Load(), int32(workers+4), "connections opened (%d calls cancelled)", cancelled.Load())
			})
		}
	}
}
