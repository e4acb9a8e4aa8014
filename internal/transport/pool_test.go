package transport

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closeSpy is a caller's transport that counts CloseIdleConnections.
type closeSpy struct {
	http.RoundTripper
	closed atomic.Int32
}

func (s *closeSpy) CloseIdleConnections() { s.closed.Add(1) }

// No path of a call closes the caller's idle connections: not a transport
// error, not a context ending during a retry wait, not a spent retry budget.
func TestNoCallClosesIdleConnections(t *testing.T) {
	mt := httpmock.NewMockTransport()
	spy := &closeSpy{RoundTripper: mt}
	c := newTestClient(t, "https://h.example", spy)
	c.retry.MaxWait = time.Minute
	mt.RegisterResponder("PUT", "https://h.example/lost", httpmock.NewErrorResponder(io.ErrUnexpectedEOF))
	mt.RegisterResponder("PUT", "https://h.example/busy", httpmock.NewStringResponder(503, "busy"))
	mt.RegisterResponder("PUT", "https://h.example/wait", func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(429, "later")
		r.Header.Set("Retry-After", "30")
		return r, nil
	})

	_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/lost", Idempotent: true})
	require.Error(t, err)
	_, err = c.Do(context.Background(), &Request{Method: "PUT", Path: "/busy", Idempotent: true})
	require.Error(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err = c.Do(ctx, &Request{Method: "PUT", Path: "/wait", Idempotent: true})
	require.ErrorIs(t, err, context.Canceled)

	assert.Zero(t, spy.closed.Load(), "the caller's idle connections were closed")
	assert.Equal(t, 4+4+1, mt.GetTotalCallCount())
}

// The per-attempt timeout still applies, to the caller's transport too.
func TestPerAttemptTimeout(t *testing.T) {
	var n atomic.Int32
	slow := rtFunc(func(r *http.Request) (*http.Response, error) {
		if n.Add(1) == 1 {
			<-r.Context().Done() // the first attempt hangs until its timeout
			return nil, r.Context().Err()
		}
		return httpmock.NewStringResponse(200, "ok"), nil
	})
	s := NewSettings("https://h.example")
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: slow, Timeout: 20 * time.Millisecond}))
	require.NoError(t, s.SetRetryPolicy(fast))
	c, err := New(Vendor{Name: "test"}, s)
	require.NoError(t, err)
	meta, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true, Decode: func(int, []byte) error { return nil }})
	require.NoError(t, err)
	assert.Equal(t, 2, meta.Attempts)
}
