package transport

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An absolute reset (JFramework's X-RateLimit-Reset, epoch seconds) is read
// against the answer's Date when the server's clock is skewed either way,
// so that the pace follows the server's window, not the skew.
func TestEpochResetReadAgainstSkewedDate(t *testing.T) {
	epoch := RateLimitHeaders{Limit: "L", Remaining: "R", Reset: "T", ResetEpoch: true}
	now := time.Unix(1_800_000_000, 250_000_000)
	for _, skew := range []time.Duration{time.Hour, -time.Hour, 5 * time.Second, -5 * time.Second} {
		server := now.Add(skew)
		h := http.Header{}
		h.Set("L", "60")
		h.Set("R", "0")
		h.Set("T", strconv.FormatInt(server.Unix()+12, 10)) // 12 s ahead by the server's clock
		h.Set("Date", server.UTC().Format(http.TimeFormat))
		rl := epoch.parse(h, now)
		require.NotNil(t, rl, "skew %v", skew)
		assert.Equal(t, 12*time.Second, rl.ResetIn, "skew %v: the reset is 12 s away whatever the clocks say", skew)
		w := http.Header{}
		w.Set("X-RateLimit-Reset", h.Get("T"))
		w.Set("Date", h.Get("Date"))
		assert.Equal(t, 12*time.Second, serverWait(w, true, now), "skew %v: the retry waits as long", skew)
	}
}

// With the clocks agreeing, our finer clock is kept: Date is whole seconds,
// and a test server's fractional reset stays exact.
func TestEpochResetKeepsOurClockWhenDateAgrees(t *testing.T) {
	epoch := RateLimitHeaders{Limit: "L", Remaining: "R", Reset: "T", ResetEpoch: true}
	now := time.Unix(1_800_000_000, 900_000_000)
	h := http.Header{}
	h.Set("L", "60")
	h.Set("T", "1800000001.400")
	h.Set("Date", now.UTC().Format(http.TimeFormat)) // 0.9 s behind: truncation
	assert.Equal(t, 500*time.Millisecond, epoch.parse(h, now).ResetIn)
	h.Set("Date", "not a date")
	assert.Equal(t, 500*time.Millisecond, epoch.parse(h, now).ResetIn)
}
