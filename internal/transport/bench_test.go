package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/couponkit/couponkit/internal/testutil"
)

// BenchmarkDo is the transport's own cost per call: a PUT with a path
// parameter and a JSON body, answered at once by a RoundTripper that needs
// no socket, so every nanosecond and allocation is the client's. Set it
// beside a vendor's BenchmarkUpdateCoupon (about 30 µs over loopback) to
// see what a change to the transport is worth as a share of a call.
func BenchmarkDo(b *testing.B) {
	answer := []byte(`{"id":42,"code":"SUMMER15"}`)
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return &http.Response{
			StatusCode:    200,
			Header:        http.Header{"Content-Type": {"application/json"}},
			Body:          io.NopCloser(bytes.NewReader(answer)),
			ContentLength: int64(len(answer)),
			Request:       r,
		}, nil
	})
	s := NewSettings("https://api.example/stores/abc123")
	if err := s.SetHTTPClient(&http.Client{Transport: rt}); err != nil {
		b.Fatal(err)
	}
	c, err := New(Vendor{Name: "bench", Header: http.Header{
		"X-Auth-Token": {"s3cret"}, "Content-Type": {"application/json"},
	}, Secrets: []string{"s3cret"}}, s)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"name":"$5 off","type":"per_total_discount","amount":"5.00","code":"SUMMER15"}`)
	decode := func(int, []byte) error { return nil }
	call := func() error {
		_, err := c.Do(context.Background(), &Request{
			Method: http.MethodPut, Path: "/v2/coupons", PathParams: []string{"42"},
			Body: body, Idempotent: true, Decode: decode,
		})
		return err
	}
	b.Run("serial", testutil.Serial(call))
	b.Run("parallel", testutil.Parallel(call))
}
