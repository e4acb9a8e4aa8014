package transport

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

func header(kv ...string) http.Header {
	out := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// Server waits never wrap, never go negative and are never dropped for
// being large: they clamp.
func TestServerWaitClamps(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"reset ms that wrapped to 448µs", header("X-Rate-Limit-Time-Reset-Ms", "18446744073710"), maxServerWait},
		{"reset ms beyond int64", header("X-Rate-Limit-Time-Reset-Ms", "99999999999999999999999"), maxServerWait},
		{"reset ms negative", header("X-Rate-Limit-Time-Reset-Ms", "-5"), 0},
		{"retry-after above 1e7 s", header("Retry-After", "20000000"), 20000000 * time.Second},
		{"retry-after huge", header("Retry-After", "1e30"), maxServerWait},
		{"retry-after infinite", header("Retry-After", "+Inf"), maxServerWait},
		{"retry-after negative", header("Retry-After", "-3"), 0},
		{"retry-after far date", header("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), maxServerWait},
		{"x-retry-after above 1e7 s", header("X-Retry-After", "100000000"), 100000000 * time.Second},
		{"ietf reset above 1e7 s", header("RateLimit-Reset", "50000000"), 50000000 * time.Second},
		{"ietf reset huge", header("RateLimit-Reset", "99999999999999"), maxServerWait},
		{"epoch reset huge", header("X-RateLimit-Reset", "9223372036854775807"), maxServerWait},
		{"epoch reset beyond int64", header("X-RateLimit-Reset", "99999999999999999999999"), maxServerWait},
		{"epoch reset past", header("X-RateLimit-Reset", "1767225500"), 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, serverWait(tt.header, true, now), tt.name)
	}
}

func TestRateLimitDurationsClamp(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ms := RateLimitHeaders{Limit: "L", Remaining: "R", Window: "W", Reset: "T", WindowUnit: time.Millisecond, ResetUnit: time.Millisecond}
	rl := ms.parse(header("L", "150", "R", "0", "W", "18446744073710", "T", "18446744073710"), now)
	require.NotNil(t, rl)
	assert.Equal(t, maxServerWait, rl.Window)
	assert.Equal(t, maxServerWait, rl.ResetIn)
	rl = ms.parse(header("L", "150", "R", "0", "W", "-30000", "T", "-1"), now)
	assert.Zero(t, rl.Window)
	assert.Zero(t, rl.ResetIn)
	rl = ms.parse(header("L", "150", "R", "0", "W", "99999999999999999999999", "T", "30000"), now)
	assert.Equal(t, maxServerWait, rl.Window)
	assert.Equal(t, 30*time.Second, rl.ResetIn)

	epoch := RateLimitHeaders{Limit: "L", Remaining: "R", Reset: "T", ResetEpoch: true}
	for _, v := range []string{"9223372036854775807", "99999999999999999999999", "253402300799000"} {
		rl = epoch.parse(header("L", "60", "R", "0", "T", v), now)
		assert.Equal(t, maxServerWait, rl.ResetIn, v)
	}
	rl = epoch.parse(header("L", "60", "R", "0", "T", strconv.FormatInt(now.Unix()+12, 10)), now)
	assert.Equal(t, 12*time.Second, rl.ResetIn)
	rl = epoch.parse(header("L", "60", "R", "0", "T", "-9223372036854775808"), now)
	assert.Zero(t, rl.ResetIn)
}

// waitClient answers every request with status and the header pairs.
func waitClient(t *testing.T, policy api.RetryPolicy, status int, kv ...string) (*Client, *httpmock.MockTransport) {
	t.Helper()
	s := NewSettings("https://h.example")
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, "wait")
		for i := 0; i < len(kv); i += 2 {
			r.Header.Set(kv[i], kv[i+1])
		}
		return r, nil
	})
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, s.SetRetryPolicy(policy))
	c, err := New(Vendor{Name: "test"}, s)
	require.NoError(t, err)
	return c, mt
}

// A server-requested wait is never shortened: longer than MaxWait means the
// call returns after that attempt, with the wait reported. Nothing sleeps.
func TestServerWaitLongerThanMaxWaitReturnsAtOnce(t *testing.T) {
	policy := api.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 100 * time.Millisecond}
	tests := []struct {
		name   string
		status int
		kv     []string
		kind   error
		wait   time.Duration
	}{
		{"60 s reset on a 429", 429, []string{"X-Rate-Limit-Time-Reset-Ms", "60000"}, api.ErrRateLimited, time.Minute},
		{"wrapping reset on a 429", 429, []string{"X-Rate-Limit-Time-Reset-Ms", "18446744073710"}, api.ErrRateLimited, maxServerWait},
		{"Retry-After above 1e7 s", 429, []string{"Retry-After", "20000000"}, api.ErrRateLimited, 20000000 * time.Second},
		{"Retry-After on a 503", 503, []string{"Retry-After", "5"}, api.ErrServer, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := waitClient(t, policy, tt.status, tt.kv...)
			start := time.Now()
			_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true})
			assert.Less(t, time.Since(start), 50*time.Millisecond, "no wait at all")
			var ae *api.APIError
			require.ErrorAs(t, err, &ae)
			assert.ErrorIs(t, err, tt.kind)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not retried early into a certain refusal")
			assert.Equal(t, 1, ae.Attempts)
			assert.Equal(t, tt.wait, ae.RetryAfter)
		})
	}
}

// A server wait within MaxWait is honoured whole, not shortened.
func TestServerWaitWithinMaxWaitIsHonoured(t *testing.T) {
	c, mt := waitClient(t, api.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: time.Hour}, 429, "Retry-After", "7")
	var waits []time.Duration
	c.jitter = func(int64) int64 { t.Fatal("no backoff when the server said how long"); return 0 }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := c.newCall(ctx, &Request{Method: "PUT", Path: "/x", Idempotent: true})
	resp, err := c.hc.Transport.RoundTrip(mustReq(t, ctx))
	require.NoError(t, err)
	retry, _ := st.checkRetry(ctx, resp, nil)
	waits = append(waits, st.wait)
	assert.True(t, retry)
	assert.Equal(t, []time.Duration{7 * time.Second}, waits)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// A server wait that would end after ctx's deadline returns at once.
func TestServerWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	c, mt := waitClient(t, api.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: time.Hour}, 429, "Retry-After", "30")
	now := time.Now()
	c.now = func() time.Time { return now }
	ctx, cancel := context.WithDeadline(context.Background(), now.Add(29*time.Second))
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "PUT", Path: "/x", Idempotent: true})
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.ErrorIs(t, err, api.ErrRateLimited)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 30*time.Second, ae.RetryAfter)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func mustReq(t *testing.T, ctx context.Context) *http.Request {
	t.Helper()
	r, err := http.NewRequestWithContext(ctx, "PUT", "https://h.example/x", nil)
	require.NoError(t, err)
	return r
}

func TestFractionalEpochReset(t *testing.T) {
	now := time.Unix(1767225612, 0)
	h := header("X-RateLimit-Reset", "1767225612.020")
	assert.Equal(t, 20*time.Millisecond, serverWait(h, true, now))
	epoch := RateLimitHeaders{Limit: "L", Remaining: "R", Reset: "X-RateLimit-Reset", ResetEpoch: true}
	h.Set("L", "60")
	rl := epoch.parse(h, now)
	require.NotNil(t, rl)
	assert.Equal(t, 20*time.Millisecond, rl.ResetIn)
	assert.Equal(t, time.Duration(0), serverWait(header("X-RateLimit-Reset", "1767225611.5"), true, now))
	assert.Equal(t, maxServerWait, serverWait(header("X-RateLimit-Reset", "1e300"), true, now))
}

func TestDecimalRateLimitHeaders(t *testing.T) {
	now := time.Unix(1767225612, 0)
	sec := RateLimitHeaders{Limit: "L", Remaining: "R", Window: "W", Reset: "T", WindowUnit: time.Second, ResetUnit: time.Second}
	rl := sec.parse(header("L", "1", "R", "0", "W", "0.030", "T", "0.020"), now)
	require.NotNil(t, rl)
	assert.Equal(t, 30*time.Millisecond, rl.Window)
	assert.Equal(t, 20*time.Millisecond, rl.ResetIn)
	ms := RateLimitHeaders{Limit: "L", Remaining: "R", Reset: "T", ResetUnit: time.Millisecond}
	assert.Equal(t, 1500*time.Microsecond, ms.parse(header("L", "1", "T", "1.5"), now).ResetIn)
	assert.Equal(t, maxServerWait, ms.parse(header("L", "1", "T", "1e300"), now).ResetIn)
	assert.Zero(t, ms.parse(header("L", "1", "T", "soon"), now).ResetIn)
}
