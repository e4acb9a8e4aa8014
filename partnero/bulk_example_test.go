package partnero_test

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// ExampleClient_UpdateCoupons moves every SUMMER coupon of the program to
// the autumn campaign (a metadata key, merged into each coupon's metadata)
// in one paced bulk call, and sorts the results into what is done, what is
// safe to send again and what to check first. Results come in completion
// order: collect, then sort or count.
func ExampleClient_UpdateCoupons() {
	// An in-memory Partnero program; in production use partnero.NewClient.
	srv := partnerotest.NewServer()
	defer srv.Close()
	uuids := []string{"summer_05", "summer_10", "summer_15", "summer_20"}
	for _, id := range uuids {
		srv.AddCoupon(partnero.Coupon{UUIDCode: id, Name: "SUMMER", Active: true,
			Metadata: map[string]any{"campaign": "summer-2030", "owner": "growth"}})
	}
	client := srv.Client()

	reqs := make([]*partnero.UpdateCouponRequest, 0, len(uuids)+2)
	for _, id := range uuids {
		reqs = append(reqs, &partnero.UpdateCouponRequest{UUIDCode: id,
			Metadata: map[string]any{"campaign": "autumn-2030"}})
	}
	// Two entries of an old export: summer_99 is gone, and one has a blank
	// name, which Partnero refuses (caught before sending).
	reqs = append(reqs,
		&partnero.UpdateCouponRequest{UUIDCode: "summer_99", Metadata: map[string]any{"campaign": "autumn-2030"}},
		&partnero.UpdateCouponRequest{UUIDCode: "summer_25", Name: partnero.Ptr(" ")})

	var last partnero.Progress
	opts := &partnero.BulkOptions{
		Concurrency: 4,
		// Called after every item from this goroutine; a long run would
		// log every few hundred items and p.RateLimit.
		Progress: func(p partnero.Progress) { last = p },
	}
	var done, resend, check, refused []string
	for r := range client.UpdateCoupons(context.Background(), reqs, opts) {
		id := r.Request.UUIDCode
		switch {
		case r.Err == nil:
			done = append(done, r.Response.Coupon.UUIDCode)
		case errors.Is(r.Err, partnero.ErrNotSent):
			// Certainly not applied: safe to send again (a
			// *ValidationError needs fixing first).
			resend = append(resend, id)
		case errors.Is(r.Err, partnero.ErrOutcomeUnknown):
			// May have been applied: a redemption without TransactionKey
			// that got no answer. Check before sending again.
			check = append(check, id)
		case errors.Is(r.Err, partnero.ErrNotFound):
			refused = append(refused, id+" (not found)")
		default:
			refused = append(refused, id+": "+r.Err.Error())
		}
	}
	for _, s := range [][]string{done, resend, check, refused} {
		slices.Sort(s)
	}
	fmt.Println("updated:", done)
	fmt.Println("safe to resend:", resend)
	fmt.Println("check first:", check)
	fmt.Println("refused:", refused)
	fmt.Printf("progress: %d of %d, %d changed, %d failed\n", last.Done, last.Total, last.Changed, last.Failed)
	c, _ := srv.Coupon("summer_10")
	fmt.Println(c.UUIDCode, c.Metadata["campaign"], c.Metadata["owner"])
	// Output:
	// updated: [summer_05 summer_10 summer_15 summer_20]
	// safe to resend: [summer_25]
	// check first: []
	// refused: [summer_99 (not found)]
	// progress: 6 of 6, 4 changed, 2 failed
	// summer_10 autumn-2030 growth
}
