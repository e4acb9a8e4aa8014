package transport

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// ErrNilContext is the cause of the error every call returns for a nil
// context.Context: nothing is sent, nothing panics.
var ErrNilContext = errors.New("nil context.Context (pass context.Background() or the caller's context)")

// errDryRun is what Do returns, sending nothing, for a request of a dry
// run (Gate.DryRun), once the vendor has validated and encoded it.
var errDryRun = errors.New("dry run: not sent")

// IsDryRun reports whether err is a dry run's request that was valid and
// not sent.
func IsDryRun(err error) bool { return errors.Is(err, errDryRun) }

// Gate is a bulk call's say over its own requests, carried by their context
// (WithGate): Do sends nothing for a call that has stopped, nothing at all
// for a dry run, and paces the others as the call's (Pace). The bulk engine
// reaches the transport through each vendor's exported UpdateCoupon(ctx,
// req), whose signature cannot carry it, so the context carries it that
// one hop. It is safe for concurrent use.
type Gate struct {
	// DryRun makes Do return, sending nothing, an error IsDryRun reports,
	// once the vendor has validated and encoded the request, so that a dry
	// run refuses exactly what a real call would refuse.
	DryRun bool
	// Pace is the bulk call's share of the client's pacer, passed to
	// Acquire explicitly (the pacer never reads a context value).
	Pace *pace.Call

	stopped atomic.Pointer[error]
}

// Stop stops the call with cause (a 401 answer, a panic, the caller's
// break): no request of the call is sent afterwards, and those that ask
// get an error matching api.ErrNotSent and wrapping cause. The first
// cause stays.
func (g *Gate) Stop(cause error) { g.stopped.CompareAndSwap(nil, &cause) }

// Stopped is the cause the call stopped with, nil while it runs.
func (g *Gate) Stopped() error {
	if p := g.stopped.Load(); p != nil {
		return *p
	}
	return nil
}

type gateKey struct{}

// WithGate marks ctx as belonging to the bulk call that g controls.
func WithGate(ctx context.Context, g *Gate) context.Context {
	return context.WithValue(ctx, gateKey{}, g)
}

func gateOf(ctx context.Context) *Gate {
	g, _ := ctx.Value(gateKey{}).(*Gate)
	return g
}

// bulkOf is the pacing of the bulk call ctx belongs to, nil for a single
// call.
func bulkOf(ctx context.Context) *pace.Call {
	if g := gateOf(ctx); g != nil {
		return g.Pace
	}
	return nil
}

// admit is Do's check before a request is paced and sent: an error for a
// nil context, for a stopped bulk call and for a dry run.
func (c *Client) admit(ctx context.Context, r *Request) error {
	if ctx == nil {
		return c.NotSent(r, ErrNilContext)
	}
	if g := gateOf(ctx); g != nil {
		if cause := g.Stopped(); cause != nil {
			return c.NotSent(r, cause)
		}
		if g.DryRun {
			return errDryRun
		}
	}
	return nil
}

// NotSent is the error of a request r that was never sent because of
// cause: it names the vendor, the operation and the coupon ("bigcommerce:
// PUT /stores/abc/v2/coupons/7: not sent: context canceled"), matches
// api.ErrNotSent and unwraps to cause (a context's error, or the 401
// answer that stopped a bulk call). A nil r names only the vendor.
func (c *Client) NotSent(r *Request, cause error) error {
	msg := c.vendor.Name + ": "
	if r != nil {
		msg += c.operation(r) + ": "
	}
	msg += "not sent: " + cause.Error()
	return &wrapped{msg: c.Redact(msg), err: cause, outcome: api.ErrNotSent}
}
