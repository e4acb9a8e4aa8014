package jframework

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzUpdateRequestRoundTrip: any coupon JSON that decodes, turned into
// its UpdateRequest and encoded as the PUT body, decodes back to the same
// writable fields (dates: the same instants and offsets), and encoding the
// decoded coupon again gives the same bytes, so that a ModifyCoupon whose
// change does nothing never sends a write.
func FuzzUpdateRequestRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"id":"sApKpllz4sAplsmzha","code":"COUPON1","name":"Coupon 1","description":"This is a coupon","tags":"tag1, tag2",
"percentage":10,"quantity":100,"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00",
"autoApplyToPrice":true,"status":"Active","testMode":false,"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"}`,
		`{"id":"x","code":"C","name":"N","description":null,"tags":null,"percentage":null,"quantity":null,
"startDate":"2025-06-23T13:56:00.4346190+07:00","endDate":"2025-06-23T13:56:00.0000000-05:30","autoApplyToPrice":null,
"status":"Inactive","testMode":true,"modifiedDate":null}`,
		`{"id":"x","code":"C","name":"N","percentage":"12.5","quantity":"7","startDate":"2025-06-23T13:56:00.4346197",
"endDate":"2025-06-24T12:17:56.535Z","status":"Deleted"}`,
		`{"id":"x","code":"C","name":"N","percentage":0,"quantity":0,"description":"","tags":"",
"startDate":"0001-01-01T00:00:00.0000001Z","endDate":"9999-12-31T23:59:59.9999999+14:00","status":""}`,
		`{"id":"x","code":"\u00fc\u2028<>&","name":"\"q\"","percentage":1e-7,"quantity":2147483647,
"startDate":"2025-01-01T00:00:00+00:00","endDate":"2025-01-01T00:00:00Z","status":"Expired"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Coupon
		if c.decode(data) != nil {
			return
		}
		body, err := c.UpdateRequest().encode()
		if err != nil {
			return // a coupon that breaks a rule (no dates, say) is not sent
		}
		var w couponJSON
		if err := json.Unmarshal(body, &w); err != nil {
			t.Fatalf("the PUT body does not decode: %v\n%s", err, body)
		}
		w.ID = c.ID
		var back Coupon
		if err := back.from(&w); err != nil {
			t.Fatalf("the PUT body does not decode as a coupon: %v\n%s", err, body)
		}
		sameWritable(t, c, back, body)
		again, err := back.UpdateRequest().encode()
		if err != nil || !bytes.Equal(again, body) {
			t.Fatalf("re-encoding differs (%v):\n%s\n%s", err, body, again)
		}
	})
}

func sameWritable(t *testing.T, want, got Coupon, body []byte) {
	t.Helper()
	ptrEq := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	intEq := func(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	_, wantStart := want.StartDate.Zone()
	_, gotStart := got.StartDate.Zone()
	_, wantEnd := want.EndDate.Zone()
	_, gotEnd := got.EndDate.Zone()
	if want.Name != got.Name || want.Code != got.Code || want.Description != got.Description || want.Tags != got.Tags ||
		!ptrEq(want.Percentage, got.Percentage) || !intEq(want.Quantity, got.Quantity) ||
		!want.StartDate.Equal(got.StartDate) || wantStart != gotStart || !want.EndDate.Equal(got.EndDate) || wantEnd != gotEnd ||
		want.AutoApplyToPrice != got.AutoApplyToPrice || want.Status != got.Status || want.TestMode != got.TestMode {
		t.Fatalf("round trip changed a writable field:\nread: %+v\nback: %+v\nbody: %s", want, got, body)
	}
}

// TestModifyDryRun: the bulk ModifyCoupons' dry run reads and computes
// Changes, and sends no update.
func TestModifyDryRun(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, err := NewClient("https://shop.example.com", "key", WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	const url = "https://protocol.jframework.io/api/v1/coupons/x"
	mt.RegisterResponder(http.MethodGet, url, httpmock.NewStringResponder(200,
		`{"success":true,"data":{"id":"x","code":"C","name":"N","percentage":5,"startDate":"2025-06-23T13:56:00Z","endDate":"2025-06-24T13:56:00Z"}}`))
	resp, err := c.modify(context.Background(), "x", func(r *UpdateCouponRequest) error { r.Percentage = Ptr(6.0); return nil }, true)
	require.NoError(t, err)
	assert.Equal(t, []FieldChange{{Field: "percentage", Old: "5", New: "6"}}, resp.Changes)
	assert.Equal(t, resp.Before, resp.After)
	assert.Equal(t, map[string]int{"GET " + url: 1}, mt.GetCallCountInfo())
	assert.Equal(t, 1, mt.GetTotalCallCount())
}
