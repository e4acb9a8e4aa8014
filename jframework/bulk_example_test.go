package jframework_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// summerBrand stands in for a brand with a summer campaign: five SUMMER
// codes (ids s1 to s5, s3 already Inactive) and a WINTER code (w1).
func summerBrand() *jframeworktest.Server {
	srv := jframeworktest.NewServer()
	start := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		status := jframework.StatusActive
		if i == 3 {
			status = jframework.StatusInactive
		}
		code := fmt.Sprintf("SUMMER%02d", 5*i)
		srv.AddCoupon(jframework.Coupon{ID: fmt.Sprintf("s%d", i), Code: code, Name: "Promo " + code,
			Percentage: jframework.Ptr(float64(5 * i)), StartDate: start, EndDate: start.AddDate(0, 3, 0), Status: status})
	}
	srv.AddCoupon(jframework.Coupon{ID: "w1", Code: "WINTER10", Name: "Promo WINTER10",
		StartDate: start.AddDate(0, 6, 0), EndDate: start.AddDate(0, 9, 0), Status: jframework.StatusActive})
	return srv
}

// ExampleClient_UpdateCoupons extends every SUMMER code by a month in one
// paced bulk call, and sorts the results into what is done, what is safe to
// send again and what to check first.
//
// JFramework's PUT replaces the whole coupon, so each request starts from
// the coupon as listed (Coupon.UpdateRequest) with only the end date
// changed. Results come in completion order: collect, then sort or count.
func ExampleClient_UpdateCoupons() {
	srv := summerBrand()
	defer srv.Close()
	client := srv.Client() // in production: jframework.NewClient(brandURL, authKey)
	ctx := context.Background()

	var reqs []*jframework.UpdateCouponRequest
	for c, err := range client.ListCoupons(ctx, &jframework.ListCouponsOptions{Code: "SUMMER"}) {
		if err != nil {
			panic(err)
		}
		req := c.UpdateRequest()
		req.EndDate = req.EndDate.AddDate(0, 1, 0)
		reqs = append(reqs, req)
	}
	// Two entries of an old export: s9 is gone, and one ends before it
	// starts (refused before sending).
	start := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	reqs = append(reqs,
		&jframework.UpdateCouponRequest{ID: "s9", Code: "SUMMER45", Name: "Promo SUMMER45", StartDate: start, EndDate: start.AddDate(0, 4, 0)},
		&jframework.UpdateCouponRequest{ID: "s7", Code: "SUMMER35", Name: "Promo SUMMER35", StartDate: start, EndDate: start.AddDate(0, -1, 0)})

	var last jframework.Progress
	opts := &jframework.BulkOptions{
		Concurrency: 4,
		// Called after every item from this goroutine; a long run would
		// log every few hundred items and p.RateLimit (JFramework's
		// X-RateLimit-* window).
		Progress: func(p jframework.Progress) { last = p },
	}
	var done, resend, check, refused []string
	for r := range client.UpdateCoupons(ctx, reqs, opts) {
		code := r.Request.Code
		switch {
		case r.Err == nil:
			done = append(done, r.Response.Coupon.Code)
		case errors.Is(r.Err, jframework.ErrNotSent):
			// Certainly not applied: safe to send again (a
			// *ValidationError needs fixing first).
			resend = append(resend, code)
		case errors.Is(r.Err, jframework.ErrOutcomeUnknown):
			// May have been applied: read the coupon before sending
			// again. (A JFramework PUT is idempotent and retried, so this
			// does not happen here.)
			check = append(check, code)
		case errors.Is(r.Err, jframework.ErrNotFound):
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
	c, _ := srv.Coupon("s2")
	fmt.Println(c.Code, c.EndDate.Format(time.DateOnly), *c.Percentage, c.Status)
	// Output:
	// updated: [SUMMER05 SUMMER10 SUMMER15 SUMMER20 SUMMER25]
	// safe to resend: [SUMMER35]
	// check first: []
	// refused: [SUMMER45 (not found)]
	// progress: 7 of 7, 5 changed, 2 failed
	// SUMMER10 2030-10-01 10 Active
}

// ExampleClient_ModifyCoupons disables a leaked batch of coupons: a dry run
// first shows what would change, then the real run reads each coupon and
// updates only those that need it (s3 is already Inactive, so it is
// Unchanged and gets no PUT).
func ExampleClient_ModifyCoupons() {
	srv := summerBrand()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	leaked := []string{"s1", "s2", "s3", "s4"}
	disable := func(req *jframework.UpdateCouponRequest) error {
		// Called from several goroutines at once: touch only req.
		req.Status = jframework.StatusInactive
		return nil
	}

	// Dry run: every coupon is read, nothing is written.
	var preview []string
	for r := range client.ModifyCoupons(ctx, leaked, disable, &jframework.BulkOptions{DryRun: true}) {
		if r.Err != nil {
			panic(r.Err)
		}
		for _, ch := range r.Response.Changes {
			preview = append(preview, fmt.Sprintf("%s %s: %s -> %s", r.Key, ch.Field, ch.Old, ch.New))
		}
	}
	slices.Sort(preview)
	fmt.Println(strings.Join(preview, "\n"))
	c, _ := srv.Coupon("s1")
	fmt.Println("after the dry run, s1 is", c.Status)

	var last jframework.Progress
	opts := &jframework.BulkOptions{Concurrency: 4, Progress: func(p jframework.Progress) { last = p }}
	var resend, check []string
	for r := range client.ModifyCoupons(ctx, leaked, disable, opts) {
		switch {
		case r.Err == nil:
			// len(r.Response.Changes) == 0: it needed no update.
		case errors.Is(r.Err, jframework.ErrNotSent):
			resend = append(resend, r.Key)
		case errors.Is(r.Err, jframework.ErrOutcomeUnknown):
			check = append(check, r.Key)
		default:
			fmt.Println(r.Key, "failed:", r.Err)
		}
	}
	fmt.Printf("changed %d, unchanged %d, failed %d; resend %v, check %v\n",
		last.Changed, last.Unchanged, last.Failed, resend, check)
	c, _ = srv.Coupon("s1")
	fmt.Println("s1 is", c.Status)
	// Output:
	// s1 status: "Active" -> "Inactive"
	// s2 status: "Active" -> "Inactive"
	// s4 status: "Active" -> "Inactive"
	// after the dry run, s1 is Active
	// changed 3, unchanged 1, failed 0; resend [], check []
	// s1 is Inactive
}
