package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// summerStore stands in for a store with a summer campaign: five SUMMER
// codes (ids 1 to 5, the third already disabled) and a WINTER code (id 6).
func summerStore() *bigcommercetest.Server {
	srv := bigcommercetest.NewServer()
	expires := time.Date(2030, 8, 31, 23, 59, 59, 0, time.UTC)
	for id := 1; id <= 6; id++ {
		code := fmt.Sprintf("SUMMER%02d", 5*id)
		if id == 6 {
			code = "WINTER10"
		}
		srv.AddCoupon(bigcommerce.Coupon{ID: id, Name: "Promo " + code, Type: bigcommerce.PercentageDiscount,
			Amount: "10.0000", Code: code, Enabled: id != 3, Expires: &expires,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
	}
	return srv
}

// ExampleClient_UpdateCoupons extends every SUMMER code to the end of
// September in one paced bulk call, and sorts the results into what is
// done, what is safe to send again and what to check first.
//
// BigCommerce's PUT replaces the whole coupon, so each request starts from
// the coupon as listed (Coupon.UpdateRequest) with only the expiry changed.
// Results come in completion order: collect, then sort or count.
func ExampleClient_UpdateCoupons() {
	srv := summerStore()
	defer srv.Close()
	client := srv.Client() // in production: bigcommerce.NewClient(storeHash, accessToken)
	ctx := context.Background()

	expires := time.Date(2030, 9, 30, 23, 59, 59, 0, time.UTC)
	var reqs []*bigcommerce.UpdateCouponRequest
	for c, err := range client.ListCoupons(ctx, nil) {
		if err != nil {
			panic(err)
		}
		if strings.HasPrefix(c.Code, "SUMMER") {
			req := c.UpdateRequest()
			req.Expires = &expires
			reqs = append(reqs, req)
		}
	}
	// Two entries of an old export: coupon 99 is gone, and one lost its
	// applies_to (BigCommerce would clear it: refused before sending).
	reqs = append(reqs,
		&bigcommerce.UpdateCouponRequest{ID: 99, Name: "Promo SUMMER99", Type: bigcommerce.PercentageDiscount,
			Amount: "10.00", Code: "SUMMER99", Expires: &expires,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}},
		&bigcommerce.UpdateCouponRequest{ID: 7, Name: "Promo SUMMER35", Type: bigcommerce.PercentageDiscount,
			Amount: "10.00", Code: "SUMMER35", Expires: &expires})

	var last bigcommerce.Progress
	opts := &bigcommerce.BulkOptions{
		Concurrency: 4,
		// Called after every item from this goroutine; a long run would
		// log every few hundred items and p.RateLimit.
		Progress: func(p bigcommerce.Progress) { last = p },
	}
	var done, resend, check, refused []string
	for r := range client.UpdateCoupons(ctx, reqs, opts) {
		code := r.Request.Code
		switch {
		case r.Err == nil:
			done = append(done, r.Response.Coupon.Code)
		case errors.Is(r.Err, bigcommerce.ErrNotSent):
			// Certainly not applied: safe to send again (a
			// *ValidationError needs fixing first).
			resend = append(resend, code)
		case errors.Is(r.Err, bigcommerce.ErrOutcomeUnknown):
			// May have been applied: read the coupon before sending
			// again. (A BigCommerce PUT is idempotent and retried, so
			// this does not happen here; Paddle renames can.)
			check = append(check, code)
		case errors.Is(r.Err, bigcommerce.ErrNotFound):
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
	c, _ := srv.Coupon(2)
	fmt.Println(c.Code, c.Expires.Format(time.DateOnly), c.Enabled, c.AppliesTo.Entity)
	// Output:
	// updated: [SUMMER05 SUMMER10 SUMMER15 SUMMER20 SUMMER25]
	// safe to resend: [SUMMER35]
	// check first: []
	// refused: [SUMMER99 (not found)]
	// progress: 7 of 7, 5 changed, 2 failed
	// SUMMER10 2030-09-30 true categories
}

// ExampleClient_ModifyCoupons disables a leaked batch of coupons: a dry run
// first shows what would change, then the real run reads each coupon and
// updates only those that need it (coupon 3 is already disabled, so it is
// Unchanged and gets no PUT).
func ExampleClient_ModifyCoupons() {
	srv := summerStore()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	leaked := []int{1, 2, 3, 4}
	disable := func(req *bigcommerce.UpdateCouponRequest) error {
		// Called from several goroutines at once: touch only req.
		req.Enabled = bigcommerce.Ptr(false)
		return nil
	}

	// Dry run: every coupon is read, nothing is written.
	var preview []string
	for r := range client.ModifyCoupons(ctx, leaked, disable, &bigcommerce.BulkOptions{DryRun: true}) {
		if r.Err != nil {
			panic(r.Err)
		}
		for _, ch := range r.Response.Changes {
			preview = append(preview, fmt.Sprintf("%d %s: %s -> %s", r.Key, ch.Field, ch.Old, ch.New))
		}
	}
	slices.Sort(preview)
	fmt.Println(strings.Join(preview, "\n"))
	c, _ := srv.Coupon(1)
	fmt.Println("after the dry run, coupon 1 enabled:", c.Enabled)

	var last bigcommerce.Progress
	opts := &bigcommerce.BulkOptions{Concurrency: 4, Progress: func(p bigcommerce.Progress) { last = p }}
	var resend, check []int
	for r := range client.ModifyCoupons(ctx, leaked, disable, opts) {
		switch {
		case r.Err == nil:
			// len(r.Response.Changes) == 0: it needed no update.
		case errors.Is(r.Err, bigcommerce.ErrNotSent):
			resend = append(resend, r.Key)
		case errors.Is(r.Err, bigcommerce.ErrOutcomeUnknown):
			check = append(check, r.Key)
		default:
			fmt.Println(r.Key, "failed:", r.Err)
		}
	}
	fmt.Printf("changed %d, unchanged %d, failed %d; resend %v, check %v\n",
		last.Changed, last.Unchanged, last.Failed, resend, check)
	c, _ = srv.Coupon(1)
	fmt.Println("coupon 1 enabled:", c.Enabled)
	// Output:
	// 1 enabled: true -> false
	// 2 enabled: true -> false
	// 4 enabled: true -> false
	// after the dry run, coupon 1 enabled: true
	// changed 3, unchanged 1, failed 0; resend [], check []
	// coupon 1 enabled: false
}
