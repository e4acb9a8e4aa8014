package bulk

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
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

// keyedJob is job with keys: item i addresses key keys[i].
func keyedJob(keys []int, repeats Repeats, do func(ctx context.Context, i int) res) Job[res, int] {
	j := job(len(keys), do)
	j.Key = func(i int) (int, bool) { return keys[i], true }
	j.Repeats = repeats
	j.Refused = func(i, first int) res { return res{i: i, err: &api.ValidationError{}} }
	return j
}

// TestSerializedKeysOneAtATimeInInputOrder: items of one key never run at
// once and start in input order; other keys run alongside.
func TestSerializedKeysOneAtATimeInInputOrder(t *testing.T) {
	before := runtime.NumGoroutine()
	keys := []int{7, 7, 7, 7, 1, 2, 7, 3, 4, 1, 7, 5, 6, 7, 7, 8}
	var mu sync.Mutex
	running := map[int]int{}
	order := map[int][]int{}
	var peak atomic.Int32
	var cur atomic.Int32
	seq := Run(context.Background(), &api.BulkOptions{Concurrency: 8}, keyedJob(keys, Serialize, func(_ context.Context, i int) res {
		k := keys[i]
		mu.Lock()
		running[k]++
		assert.Equal(t, 1, running[k], "item %d: key %d already in flight", i, k)
		order[k] = append(order[k], i)
		mu.Unlock()
		if n := cur.Add(1); n > peak.Load() {
			peak.Store(n)
		}
		time.Sleep(time.Millisecond)
		cur.Add(-1)
		mu.Lock()
		running[k]--
		mu.Unlock()
		return res{i: i}
	}))
	n := 0
	for r := range seq {
		require.NoError(t, r.err)
		n++
	}
	assert.Equal(t, len(keys), n)
	for k, idx := range order {
		assert.True(t, sort.IntsAreSorted(idx), "key %d ran in input order: %v", k, idx)
	}
	assert.Len(t, order[7], 8)
	assert.Greater(t, peak.Load(), int32(1), "other keys run alongside")
	settle(t, before)
}

// TestRefusedKeysAfterTheFirst: a repeated key runs once, at its first
// item; every later item of it is refused without running.
func TestRefusedKeysAfterTheFirst(t *testing.T) {
	keys := []int{7, 7, 7, 7, 1, 7, 2}
	var ran sync.Map
	seq := Run(context.Background(), &api.BulkOptions{Concurrency: 4}, keyedJob(keys, Refuse, func(_ context.Context, i int) res {
		_, dup := ran.LoadOrStore(keys[i], i)
		assert.False(t, dup, "key %d ran twice", keys[i])
		return res{i: i}
	}))
	var refused []int
	for r := range seq {
		if r.err != nil {
			assert.ErrorIs(t, r.err, api.ErrNotSent)
			refused = append(refused, r.i)
		}
	}
	sort.Ints(refused)
	assert.Equal(t, []int{1, 2, 3, 5}, refused)
	first, _ := ran.Load(7)
	assert.Equal(t, 0, first, "the first item of the key runs")
}

// authErr is an APIError of the given kind, as the transport makes one.
func authErr(kind error, status int) *api.APIError {
	e := &api.APIError{Vendor: "fake", StatusCode: status, Message: "no"}
	api.SetKind(e, kind)
	return e
}

// TestAuthFailureStopsTheCall: a 401 or 403 stops the call: no item
// starts after it (the other items in flight end), and every item not
// sent reports it: ErrNotSent, the APIError, its kind.
func TestAuthFailureStopsTheCall(t *testing.T) {
	for _, tc := range []struct {
		kind   error
		status int
	}{{api.ErrUnauthorized, 401}, {api.ErrForbidden, 403}} {
		t.Run(tc.kind.Error(), func(t *testing.T) {
			before := runtime.NumGoroutine()
			const n, conc, bad = 200, 4, 20
			var started, afterBad atomic.Int32
			var failed atomic.Bool
			seq := Run(context.Background(), &api.BulkOptions{Concurrency: conc}, job(n, func(_ context.Context, i int) res {
				started.Add(1)
				if failed.Load() {
					afterBad.Add(1)
				}
				if i >= bad {
					failed.Store(true)
					return res{i: i, err: fmt.Errorf("wrapped: %w", authErr(tc.kind, tc.status))}
				}
				return res{i: i}
			}))
			seen := map[int]bool{}
			notSent := 0
			for r := range seq {
				require.False(t, seen[r.i])
				seen[r.i] = true
				if errors.Is(r.err, api.ErrNotSent) {
					notSent++
					var ae *api.APIError
					require.ErrorAs(t, r.err, &ae, "item %d unwraps to the answer", r.i)
					assert.Equal(t, tc.status, ae.StatusCode)
					assert.ErrorIs(t, r.err, tc.kind)
				}
			}
			assert.Len(t, seen, n, "every item exactly once")
			assert.LessOrEqual(t, afterBad.Load(), int32(conc), "at most the items in flight start after it")
			assert.GreaterOrEqual(t, notSent, n-bad-2*conc)
			assert.Equal(t, n, int(started.Load())+notSent, "an item either ran or was reported not sent")
			settle(t, before)
		})
	}
}

// TestNilContextIsAnErrorPerItem: a nil context runs nothing and yields
// every item with an error matching ErrNotSent and ErrNilContext.
func TestNilContextIsAnErrorPerItem(t *testing.T) {
	var ran atomic.Int32
	var nilCtx context.Context
	var last api.Progress
	seq := Run(nilCtx, &api.BulkOptions{Progress: func(p api.Progress) { last = p }}, job(10, func(context.Context, int) res {
		ran.Add(1)
		return res{}
	}))
	n := 0
	for r := range seq {
		n++
		assert.ErrorIs(t, r.err, api.ErrNotSent)
		assert.ErrorIs(t, r.err, transport.ErrNilContext)
	}
	assert.Equal(t, 10, n)
	assert.Zero(t, ran.Load())
	assert.Equal(t, 10, last.Failed)
}

// TestPanicsStopEverything: a panic on a worker (Do), in Progress or in
// the loop body reaches the caller's goroutine with its original value;
// no item starts afterwards and no goroutine is left.
func TestPanicsStopEverything(t *testing.T) {
	type boom struct{ where string }
	for _, where := range []string{"worker", "progress", "body"} {
		t.Run(where, func(t *testing.T) {
			before := runtime.NumGoroutine()
			value := &boom{where}
			var started, inFlight atomic.Int32
			var mu sync.Mutex
			opts := &api.BulkOptions{Concurrency: 4, Progress: func(p api.Progress) {
				if where == "progress" && p.Done == 5 {
					panic(value)
				}
			}}
			seq := Run(context.Background(), opts, job(1000, func(_ context.Context, i int) res {
				started.Add(1)
				inFlight.Add(1)
				defer inFlight.Add(-1)
				time.Sleep(200 * time.Microsecond)
				if where == "worker" && i == 5 {
					panic(value)
				}
				return res{i: i}
			}))
			var got any
			func() {
				defer func() { got = recover() }()
				n := 0
				for range seq {
					mu.Lock()
					n++
					mu.Unlock()
					if where == "body" && n == 5 {
						panic(value)
					}
				}
			}()
			assert.Same(t, value, got, "the original value, on the caller's goroutine")
			assert.Zero(t, inFlight.Load(), "the items in flight have ended")
			s := started.Load()
			assert.Less(t, s, int32(50), "no new item after the panic")
			time.Sleep(5 * time.Millisecond)
			assert.Equal(t, s, started.Load(), "nothing starts after the loop ends")
			settle(t, before)
		})
	}
}

// TestRangedTwice: an iterator ranged over again (after a break, or after
// a 401 stopped it) runs the call afresh.
func TestRangedTwice(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	seq := Run(context.Background(), &api.BulkOptions{Concurrency: 2}, job(20, func(_ context.Context, i int) res {
		if fail.Load() {
			return res{i: i, err: authErr(api.ErrUnauthorized, 401)}
		}
		return res{i: i}
	}))
	for range seq {
		break
	}
	failed := 0
	for r := range seq {
		if r.err != nil {
			failed++
		}
	}
	assert.Equal(t, 20, failed, "the 401 stops the second run")
	fail.Store(false)
	n := 0
	for r := range seq {
		assert.NoError(t, r.err, "a new run: nothing stopped")
		n++
	}
	assert.Equal(t, 20, n)
}
