package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// keepIdle is the RoundTripper of the http.Client the transport hands to
// go-retryablehttp: the caller's transport (or the default one), used as it
// is, minus its CloseIdleConnections method. go-retryablehttp calls
// HTTPClient.CloseIdleConnections when a call's context ends during a
// retry wait and when a call ends in an error; through net/http that would
// close every idle keep-alive connection of the shared pool, so one
// cancelled call made every other goroutine dial again. Without the method
// http.Client.CloseIdleConnections does nothing.
//
// keepIdle also applies the per-attempt timeout. http.Client.Timeout would
// do it too, but for a RoundTripper net/http does not know it starts a
// timer goroutine per request; a context deadline costs less.
type keepIdle struct {
	rt      http.RoundTripper
	timeout time.Duration // per attempt (per redirect hop); 0 for none
}

// RoundTrip sends req through the wrapped transport, within the timeout.
func (k *keepIdle) RoundTrip(req *http.Request) (*http.Response, error) {
	if k.timeout <= 0 {
		return k.rt.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), k.timeout, &attemptTimeout{d: k.timeout})
	resp, err := k.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && req.Context().Err() == nil {
			err = &attemptTimeout{d: k.timeout, err: err}
		}
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases an attempt's timeout once its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the timeout.
func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// attemptTimeout is the error of an attempt that outlasted the per-attempt
// timeout. Like net/http's own, it is a net.Error timeout and matches
// context.DeadlineExceeded.
type attemptTimeout struct {
	d   time.Duration
	err error // what the transport returned, if any
}

// Error names the timeout.
func (e *attemptTimeout) Error() string {
	msg := fmt.Sprintf("per-attempt timeout of %v exceeded", e.d)
	if e.err != nil && e.err != context.DeadlineExceeded {
		msg = e.err.Error() + " (" + msg + ")"
	}
	return msg
}

// Timeout is true: this is a timeout.
func (e *attemptTimeout) Timeout() bool { return true }

// Temporary is true: another attempt may succeed.
func (e *attemptTimeout) Temporary() bool { return true }

// Is matches context.DeadlineExceeded.
func (e *attemptTimeout) Is(target error) bool { return target == context.DeadlineExceeded }

// Unwrap returns the transport's error.
func (e *attemptTimeout) Unwrap() error { return e.err }
