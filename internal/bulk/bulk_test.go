package bulk

import (
	"context"
	"errors"
	"runtime"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

type res struct {
	i   int
	err error
}

func job(n int, do func(ctx context.Context, i int) res) Job[res, int] {
	return Job[res, int]{
		N:       n,
		Do:      do,
		NotSent: func(i int, cause error) res { return res{i: i, err: &notSentErr{cause}} },
		Err:     func(r res) error { return r.err },
		Outcome: func(r res) Outcome {
			if r.err != nil {
				return Failed
			}
			if r.i%2 == 0 {
				return Unchanged
			}
			return Changed
		},
	}
}

// notSentErr is the test's not-sent error: it matches api.ErrNotSent and
// wraps its cause.
type notSentErr struct{ cause error }

func (e *notSentErr) Error() string        { return "fake: not sent: " + e.cause.Error() }
func (e *notSentErr) Unwrap() error        { return e.cause }
func (e *notSentErr) Is(target error) bool { return target == api.ErrNotSent }

func settle(t *testing.T, before int) {
	t.Helper()
	for i := 0; i < 200 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "no goroutine outlives the loop")
}

func TestEveryItemOnceWithProgress(t *testing.T) {
	before := runtime.NumGoroutine()
	var inFlight, peak atomic.Int32
	var inProgress atomic.Bool
	var last api.Progress
	calls := 0
	opts := &api.BulkOptions{Concurrency: 8, Progress: func(p api.Progress) {
		require.True(t, inProgress.CompareAndSwap(false, true), "Progress called concurrently")
		defer inProgress.Store(false)
		calls++
		assert.Equal(t, p.Done, p.Changed+p.Unchanged+p.Failed)
		assert.Equal(t, calls, p.Done)
		last = p
	}}
	seq := Run(context.Background(), opts, job(100, func(_ context.Context, i int) res {
		n := inFlight.Add(1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		time.Sleep(100 * time.Microsecond)
		inFlight.Add(-1)
		if i%10 == 9 {
			return res{i: i, err: errors.New("boom")}
		}
		return res{i: i}
	}))
	var got []int
	for r := range seq {
		got = append(got, r.i)
	}
	sort.Ints(got)
	require.Len(t, got, 100)
	for i, v := range got {
		require.Equal(t, i, v)
	}
	assert.LessOrEqual(t, peak.Load(), int32(8))
	assert.Equal(t, api.Progress{Total: 100, Done: 100, Changed: 40, Unchanged: 50, Failed: 10, Elapsed: last.Elapsed}, last)
	settle(t, before)
}

func TestBreakStopsNewItemsAndWaitsForInFlight(t *testing.T) {
	before := runtime.NumGoroutine()
	var started, finished atomic.Int32
	seq := Run(context.Background(), &api.BulkOptions{Concurrency: 4}, job(1000, func(ctx context.Context, i int) res {
		started.Add(1)
		time.Sleep(2 * time.Millisecond)
		finished.Add(1)
		return res{i: i}
	}))
	for range seq {
		break
	}
	s := started.Load()
	assert.Equal(t, s, finished.Load(), "returns after the requests in flight end")
	assert.LessOrEqual(t, s, int32(8), "no new items after the break")
	time.Sleep(5 * time.Millisecond)
	assert.Equal(t, s, started.Load(), "nothing starts after the loop ends")
	settle(t, before)
}

func TestCancelYieldsUnstartedItemsAsNotSent(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var done atomic.Int32
	seq := Run(ctx, &api.BulkOptions{Concurrency: 2}, job(50, func(ctx context.Context, i int) res {
		if done.Add(1) == 5 {
			cancel()
		}
		return res{i: i}
	}))
	seen := map[int]bool{}
	notSent := 0
	for r := range seq {
		require.False(t, seen[r.i], "item %d yielded twice", r.i)
		seen[r.i] = true
		if r.err != nil {
			assert.ErrorIs(t, r.err, context.Canceled)
			assert.ErrorIs(t, r.err, api.ErrNotSent)
			assert.Contains(t, r.err.Error(), "fake: not sent")
			notSent++
		}
	}
	assert.Len(t, seen, 50)
	assert.GreaterOrEqual(t, notSent, 40)
}

func TestDefaultsAndBounds(t *testing.T) {
	var peak, cur atomic.Int32
	gate := make(chan struct{})
	go func() { time.Sleep(20 * time.Millisecond); close(gate) }()
	seq := Run(context.Background(), nil, job(20, func(_ context.Context, i int) res {
		n := cur.Add(1)
		if n > peak.Load() {
			peak.Store(n)
		}
		<-gate
		cur.Add(-1)
		return res{i: i}
	}))
	n := 0
	for range seq {
		n++
	}
	assert.Equal(t, 20, n)
	assert.Equal(t, int32(DefaultConcurrency), peak.Load())
	for range Run(context.Background(), nil, job(0, nil)) {
		t.Fatal("no items")
	}
}
