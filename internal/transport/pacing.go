package transport

import (
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pace"
)

// Pacer is the client's pacer: it sees every request of the client, single
// or bulk, from any goroutine.
func (c *Client) Pacer() *pace.Pacer { return c.pacer }

// resolution is how coarse the vendor's reset header is: its unit, a whole
// second for a Unix time, 0 when the vendor names no reset header.
func (r RateLimitHeaders) resolution() time.Duration {
	switch {
	case r.Reset == "":
		return 0
	case r.ResetEpoch:
		return time.Second
	}
	return r.ResetUnit
}

// paced tells the pacer how the attempt in flight ended: the rate limit its
// answer reported, and whether it was a rate-limit answer.
func (st *call) paced(netErr error) {
	var rl *api.RateLimit
	if netErr == nil {
		rl = st.meta.RateLimit
	}
	limited := st.apiErr != nil && api.Kind(st.apiErr) == api.ErrRateLimited
	st.c.pacer.Done(st.ticket, rl, limited)
}

// prepareRetry is go-retryablehttp's PrepareRetry: a retry is counted in
// flight again. A single call's retry is not held (the transport has
// already waited what the server asked for); a bulk call's retry takes its
// turn in the pace like any other request, so that retries woken together
// do not burst past it.
func (st *call) prepareRetry(*http.Request) error {
	if g := gateOf(st.ctx); g != nil && g.Stopped() != nil {
		st.paceErr = g.Stopped() // the bulk call stopped: no retry is sent
		return st.paceErr
	}
	bulk := bulkOf(st.ctx)
	if bulk == nil {
		st.ticket = st.c.pacer.Readmit()
		return nil
	}
	t, err := st.c.pacer.Acquire(st.ctx, bulk, 0)
	if err != nil {
		st.paceErr = err
		return err
	}
	st.ticket = t
	return nil
}
