package transport

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// attemptsWith counts the attempts a client with policy p makes against a
// server that always answers 503.
func attemptsWith(t *testing.T, p api.RetryPolicy) int {
	t.Helper()
	s := NewSettings("https://h.example")
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("PUT", "https://h.example/x", httpmock.NewStringResponder(503, "busy"))
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, s.SetRetryPolicy(p))
	c, err := New(Vendor{Name: "test"}, s)
	require.NoError(t, err)
	c.jitter = func(int64) int64 { return 0 } // no real waiting
	_, err = c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true})
	require.ErrorIs(t, err, api.ErrServer)
	return mt.GetTotalCallCount()
}

func TestEveryZeroRetryFieldMeansItsDefault(t *testing.T) {
	ms := time.Millisecond
	assert.Equal(t, 4, attemptsWith(t, api.RetryPolicy{MinWait: 5 * ms}), "MaxRetries 0 is the default 3")
	assert.Equal(t, 4, attemptsWith(t, api.RetryPolicy{}), "the zero policy is the default")
	assert.Equal(t, 1, attemptsWith(t, api.RetryPolicy{MaxRetries: api.NoRetries}), "NoRetries disables retries")
	assert.Equal(t, 1, attemptsWith(t, api.RetryPolicy{MaxRetries: api.NoRetries, MinWait: ms, MaxWait: ms}))
	assert.Equal(t, 2, attemptsWith(t, api.RetryPolicy{MaxRetries: 1}))

	s := NewSettings("https://h.example")
	require.NoError(t, s.SetRetryPolicy(api.RetryPolicy{MaxWait: 2 * ms}))
	assert.Equal(t, api.RetryPolicy{MaxRetries: api.DefaultMaxRetries, MinWait: 2 * ms, MaxWait: 2 * ms}, s.Retry,
		"a MaxWait below the default MinWait lowers MinWait with it")
	require.NoError(t, s.SetRetryPolicy(api.RetryPolicy{MinWait: time.Minute}))
	assert.Equal(t, api.RetryPolicy{MaxRetries: api.DefaultMaxRetries, MinWait: time.Minute, MaxWait: time.Minute}, s.Retry,
		"a MinWait above the default MaxWait raises MaxWait with it")
}

func TestRetryPolicyRejectsNegatives(t *testing.T) {
	for _, p := range []api.RetryPolicy{
		{MaxRetries: -2}, {MaxRetries: -100}, {MinWait: -1}, {MaxWait: -time.Second}, {MinWait: time.Second, MaxWait: time.Millisecond},
	} {
		s := NewSettings("https://h.example")
		assert.Error(t, s.SetRetryPolicy(p), "%+v", p)
	}
	assert.Equal(t, -1, api.NoRetries)
}
