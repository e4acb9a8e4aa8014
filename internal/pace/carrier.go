package pace

import "context"

// The bulk engine reaches the transport through each vendor's exported
// UpdateCoupon(ctx, req), whose signature cannot carry a *Call; the
// context carries it that one hop. The transport takes it out with CallOf
// and passes it to Acquire explicitly: the pacer itself never reads a
// context value.

type callKey struct{}

// WithCall marks ctx as belonging to the bulk call c.
func WithCall(ctx context.Context, c *Call) context.Context {
	return context.WithValue(ctx, callKey{}, c)
}

// CallOf is the bulk call ctx belongs to, nil for a single call.
func CallOf(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}
