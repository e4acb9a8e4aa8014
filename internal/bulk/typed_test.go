package bulk

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// fakeReq is a fake vendor's update: coupon ID, value Name (empty is
// invalid).
type fakeReq struct {
	ID   int
	Name string
}

// fakeVendor is a vendor whose UpdateCoupon validates and PUTs
// /coupons/{id} through a transport on httpmock.
func fakeVendor(t *testing.T, status int) (*transport.Client, *httpmock.MockTransport, UpdateOps[fakeReq, struct{}, int]) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("PUT", `=~^https://api\.fake\.test/coupons/\d+$`, httpmock.NewStringResponder(status, `{}`))
	s := transport.NewSettings("https://api.fake.test")
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, s.SetRetryPolicy(api.RetryPolicy{MaxRetries: api.NoRetries}))
	tc, err := transport.New(transport.Vendor{Name: "fake"}, s)
	require.NoError(t, err)
	locate := func(r *fakeReq) *transport.Request {
		if r == nil {
			return nil
		}
		return &transport.Request{Method: "PUT", Path: "/coupons", PathParams: []string{strconv.Itoa(r.ID)}}
	}
	update := func(ctx context.Context, r *fakeReq) (*struct{}, error) {
		if r.Name == "" {
			return nil, tc.Invalid(locate(r), &api.ValidationError{Fields: []api.FieldError{{Field: "name", Problem: "is required"}}})
		}
		req := locate(r)
		req.Body = []byte(`{"name":"` + r.Name + `"}`)
		if _, err := tc.Do(ctx, req); err != nil {
			return nil, err
		}
		return &struct{}{}, nil
	}
	return tc, mt, UpdateOps[fakeReq, struct{}, int]{Update: update, Request: locate, Key: func(r *fakeReq) int { return r.ID }}
}

func fakeReqs(n, bad int) []*fakeReq {
	reqs := make([]*fakeReq, n)
	for i := range reqs {
		reqs[i] = &fakeReq{ID: i + 1, Name: "n"}
	}
	if bad >= 0 {
		reqs[bad].Name = ""
	}
	return reqs
}

// TestUpdatesDryRunSendsNothing: a dry run validates every request as the
// vendor's UpdateCoupon does and sends none: a valid item yields no error
// and no response (Changed), an invalid one its ValidationError.
func TestUpdatesDryRunSendsNothing(t *testing.T) {
	tc, mt, ops := fakeVendor(t, 200)
	const n, bad = 20, 7
	var last api.Progress
	opts := &api.BulkOptions{DryRun: true, Concurrency: 4, Progress: func(p api.Progress) { last = p }}
	seen := 0
	for r := range Updates(context.Background(), tc, fakeReqs(n, bad), opts, ops) {
		seen++
		assert.Nil(t, r.Response, "item %d: nothing sent, no response", r.Index)
		if r.Index == bad {
			var ve *api.ValidationError
			assert.ErrorAs(t, r.Err, &ve)
			assert.ErrorIs(t, r.Err, api.ErrNotSent)
			continue
		}
		assert.NoError(t, r.Err, "item %d", r.Index)
	}
	assert.Equal(t, n, seen)
	assert.Zero(t, mt.GetTotalCallCount(), "a dry run sends nothing")
	assert.Equal(t, api.Progress{Total: n, Done: n, Changed: n - 1, Failed: 1, Elapsed: last.Elapsed}, last)

	// The same requests without DryRun are sent.
	for range Updates(context.Background(), tc, fakeReqs(n, bad), &api.BulkOptions{}, ops) {
	}
	assert.Equal(t, n-1, mt.GetTotalCallCount())
}

// TestUpdatesNotSentNamesTheCoupon: an item never sent (ctx ended) names
// the vendor, the operation and the coupon.
func TestUpdatesNotSentNamesTheCoupon(t *testing.T) {
	tc, mt, ops := fakeVendor(t, 200)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for r := range Updates(ctx, tc, fakeReqs(3, -1), nil, ops) {
		assert.EqualError(t, r.Err, "fake: PUT /coupons/"+strconv.Itoa(r.Index+1)+": not sent: context canceled")
		assert.ErrorIs(t, r.Err, context.Canceled)
		assert.ErrorIs(t, r.Err, api.ErrNotSent)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// TestUpdatesStopOnUnauthorized: after a 401 no request is sent but those
// in flight; every item not sent names its coupon and wraps the 401.
func TestUpdatesStopOnUnauthorized(t *testing.T) {
	tc, mt, ops := fakeVendor(t, 401)
	const n, conc = 100, 4
	unauthorized, notSent := 0, 0
	for r := range Updates(context.Background(), tc, fakeReqs(n, -1), &api.BulkOptions{Concurrency: conc}, ops) {
		var ae *api.APIError
		require.ErrorAs(t, r.Err, &ae)
		assert.Equal(t, 401, ae.StatusCode)
		assert.ErrorIs(t, r.Err, api.ErrUnauthorized)
		if errors.Is(r.Err, api.ErrNotSent) {
			notSent++
			assert.Contains(t, r.Err.Error(), "fake: PUT /coupons/"+strconv.Itoa(r.Index+1)+": not sent: ")
		} else {
			unauthorized++
		}
	}
	assert.Equal(t, n, unauthorized+notSent)
	assert.Equal(t, unauthorized, mt.GetTotalCallCount(), "an item sent is one that got its own 401")
	assert.LessOrEqual(t, unauthorized, conc, "at most the requests in flight")
}

// TestUpdatesRangedAgainSendsAfresh: ranging again over an UpdateCoupons
// iterator after a break sends every request: the first loop's stop does
// not carry over.
func TestUpdatesRangedAgainSendsAfresh(t *testing.T) {
	tc, mt, ops := fakeVendor(t, 200)
	seq := Updates(context.Background(), tc, fakeReqs(10, -1), &api.BulkOptions{Concurrency: 2}, ops)
	for range seq {
		break
	}
	sent := mt.GetTotalCallCount()
	for r := range seq {
		assert.NoError(t, r.Err, "item %d", r.Index)
	}
	assert.Equal(t, sent+10, mt.GetTotalCallCount())
}
