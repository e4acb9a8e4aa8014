package paddle_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// ExampleClient_UpdateCoupons extends every SUMMER code to the end of
// September in one paced bulk call, and sorts the results into what is
// done, what is safe to send again and what to check first. Paddle's update
// changes only the fields sent, so each request names the code and the new
// expiry. Results come in completion order: collect, then sort or count.
func ExampleClient_UpdateCoupons() {
	// An in-memory Paddle Classic; in production use paddle.NewClient.
	srv := paddletest.NewServer()
	defer srv.Close()
	codes := []string{"SUMMER-05", "SUMMER-10", "SUMMER-15", "SUMMER-20"}
	for _, code := range codes {
		srv.AddCoupon(paddletest.Coupon{Code: code, Group: "summer", AllowedUses: 100})
	}
	client := srv.Client()

	// Two entries of an old export: SUMMER-99 is gone, and "SUM1" is too
	// short for Paddle (refused before sending).
	codes = append(codes, "SUMMER-99", "SUM1")
	expires := time.Date(2030, 9, 30, 0, 0, 0, 0, time.UTC)
	reqs := make([]*paddle.UpdateCouponRequest, len(codes))
	for i, code := range codes {
		reqs[i] = &paddle.UpdateCouponRequest{CouponCode: code, Expires: &expires}
	}

	var last paddle.Progress
	opts := &paddle.BulkOptions{
		Concurrency: 4,
		// Paddle sends no rate-limit headers: start at 10 requests a
		// second; the pace halves on every error 189 and grows back.
		RequestsPerSecond: 10,
		// Called after every item from this goroutine; a long run would
		// log every few hundred items.
		Progress: func(p paddle.Progress) { last = p },
	}
	var done, resend, check, refused []string
	for r := range client.UpdateCoupons(context.Background(), reqs, opts) {
		code := r.Request.CouponCode
		switch {
		case r.Err == nil:
			done = append(done, code)
		case errors.Is(r.Err, paddle.ErrNotSent):
			// Certainly not applied: safe to send again (a
			// *ValidationError needs fixing first).
			resend = append(resend, code)
		case errors.Is(r.Err, paddle.ErrOutcomeUnknown):
			// May have been applied: check before sending again.
			check = append(check, code)
		case errors.Is(r.Err, paddle.ErrNotFound):
			refused = append(refused, code+" (not found)")
		default:
			refused = append(refused, code+": "+r.Err.Error())
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
	c, _ := srv.Coupon("SUMMER-10")
	fmt.Println(c.Code, c.Expires.Format(time.DateOnly), c.AllowedUses)
	// Output:
	// updated: [SUMMER-05 SUMMER-10 SUMMER-15 SUMMER-20]
	// safe to resend: [SUM1]
	// check first: []
	// refused: [SUMMER-99 (not found)]
	// progress: 6 of 6, 4 changed, 2 failed
	// SUMMER-10 2030-09-30 100
}

// ExampleClient_UpdateCoupons_outcomeUnknown renames a batch of codes. A
// rename is not safe to repeat (sent twice, the second finds no coupon), so
// one that got a 5xx or no answer is never retried: it ends with
// ErrOutcomeUnknown. Check such items (does the old code still exist?)
// before sending them again.
func ExampleClient_UpdateCoupons_outcomeUnknown() {
	srv := paddletest.NewServer()
	defer srv.Close()
	for _, code := range []string{"SUMMER-05", "SUMMER-10", "SUMMER-15"} {
		srv.AddCoupon(paddletest.Coupon{Code: code, Group: "summer"})
	}
	client := srv.Client()
	srv.FailNext(1, http.StatusInternalServerError) // one rename meets a failing server

	var reqs []*paddle.UpdateCouponRequest
	for _, code := range []string{"SUMMER-05", "SUMMER-10", "SUMMER-15"} {
		reqs = append(reqs, &paddle.UpdateCouponRequest{CouponCode: code, NewCouponCode: "FALL" + code[6:]})
	}
	var check []*paddle.UpdateCouponRequest
	renamed := 0
	for r := range client.UpdateCoupons(context.Background(), reqs, nil) {
		switch {
		case r.Err == nil:
			renamed++
		case errors.Is(r.Err, paddle.ErrOutcomeUnknown):
			check = append(check, r.Request)
		default:
			fmt.Println(r.Request.CouponCode, "failed:", r.Err)
		}
	}
	fmt.Println("renamed:", renamed, "to check:", len(check), "requests:", srv.Requests())

	// The check: if the old code still exists, the rename was not applied
	// and is sent again. (In production: ListCoupons for the product.)
	var again []*paddle.UpdateCouponRequest
	for _, req := range check {
		if _, exists := srv.Coupon(req.CouponCode); exists {
			again = append(again, req)
		}
	}
	for r := range client.UpdateCoupons(context.Background(), again, nil) {
		if r.Err == nil {
			renamed++
		}
	}
	_, old := srv.Coupon("SUMMER-10")
	_, renamedTo := srv.Coupon("FALL-10")
	fmt.Println("renamed:", renamed, old, renamedTo)
	// Output:
	// renamed: 2 to check: 1 requests: 3
	// renamed: 3 false true
}
