package utmcoupon_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// summerAccount stands in for a VTEX account with a summer campaign: five
// SUMMER codes (SUMMER15 already moved to the autumn campaign) and a
// WINTER code.
func summerAccount() *utmcoupontest.Server {
	srv := utmcoupontest.NewServer()
	for i := 1; i <= 5; i++ {
		campaign := "summer-2030"
		if i == 3 {
			campaign = "autumn-2030"
		}
		srv.AddCoupon(utmcoupon.Coupon{CouponCode: fmt.Sprintf("SUMMER%02d", 5*i), UtmSource: "newsletter",
			UtmCampaign: campaign, MaxItemsPerClient: 1, MaxUsage: utmcoupon.Ptr(500)})
	}
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "WINTER10", UtmSource: "newsletter", UtmCampaign: "winter-2030"})
	return srv
}

// ExampleClient_UpdateCoupons archives a leaked batch of codes in one paced
// bulk call, and sorts the results into what is done, what is safe to send
// again and what to check first.
//
// VTEX's POST is an upsert that replaces the whole coupon, so each request
// starts from the coupon as listed (Coupon.UpdateRequest) with only
// IsArchived changed; a code VTEX does not know is created, not refused
// (Response.Created). Results come in completion order: collect, then sort
// or count.
func ExampleClient_UpdateCoupons() {
	srv := summerAccount()
	defer srv.Close()
	client := srv.Client() // in production: utmcoupon.NewClient(account, appKey, appToken)
	ctx := context.Background()

	leaked := []string{"SUMMER05", "SUMMER10", "SUMMER20"}
	var reqs []*utmcoupon.UpdateCouponRequest
	for c, err := range client.ListCoupons(ctx, nil) {
		if err != nil {
			panic(err)
		}
		if slices.Contains(leaked, c.CouponCode) {
			req := c.UpdateRequest()
			req.IsArchived = true
			reqs = append(reqs, req)
		}
	}
	// Two entries of an old export: SUMMER99 does not exist (VTEX would
	// create it, archived), and one lost its utm_source (refused before
	// sending).
	reqs = append(reqs,
		&utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER99", UtmSource: "newsletter", IsArchived: true},
		&utmcoupon.UpdateCouponRequest{CouponCode: "SUMMER25", IsArchived: true})

	var last utmcoupon.Progress
	opts := &utmcoupon.BulkOptions{
		Concurrency: 4,
		// Called after every item from this goroutine; a long run would
		// log every few hundred items and p.RateLimit (VTEX's
		// Ratelimit-* window).
		Progress: func(p utmcoupon.Progress) { last = p },
	}
	var done, created, resend, check, refused []string
	for r := range client.UpdateCoupons(ctx, reqs, opts) {
		code := r.Request.CouponCode
		switch {
		case r.Err == nil && r.Response.Created:
			created = append(created, code)
		case r.Err == nil:
			done = append(done, code)
		case errors.Is(r.Err, utmcoupon.ErrNotSent):
			// Certainly not applied: safe to send again (a
			// *ValidationError needs fixing first).
			resend = append(resend, code)
		case errors.Is(r.Err, utmcoupon.ErrOutcomeUnknown):
			// May have been applied: read the coupon before sending
			// again. (VTEX's upsert is idempotent and retried, so this
			// does not happen here.)
			check = append(check, code)
		default:
			refused = append(refused, code+": "+r.Err.Error())
		}
	}
	for _, s := range [][]string{done, created, resend, check, refused} {
		slices.Sort(s)
	}
	fmt.Println("archived:", done)
	fmt.Println("created (unknown code):", created)
	fmt.Println("safe to resend:", resend)
	fmt.Println("check first:", check)
	fmt.Println("refused:", refused)
	fmt.Printf("progress: %d of %d, %d changed, %d failed\n", last.Done, last.Total, last.Changed, last.Failed)
	c, _ := srv.Coupon("SUMMER10")
	fmt.Println(c.CouponCode, c.IsArchived, c.UtmCampaign, *c.MaxUsage)
	// Output:
	// archived: [SUMMER05 SUMMER10 SUMMER20]
	// created (unknown code): [SUMMER99]
	// safe to resend: [SUMMER25]
	// check first: []
	// refused: []
	// progress: 5 of 5, 4 changed, 1 failed
	// SUMMER10 true summer-2030 500
}

// ExampleClient_ModifyCoupons moves every SUMMER code to the autumn
// campaign: a dry run first shows what would change, then the real run
// reads each coupon and updates only those that need it (SUMMER15 is
// already in the autumn campaign, so it is Unchanged and gets no POST).
func ExampleClient_ModifyCoupons() {
	srv := summerAccount()
	defer srv.Close()
	client := srv.Client()
	ctx := context.Background()

	var codes []string
	for c, err := range client.ListCoupons(ctx, nil) {
		if err != nil {
			panic(err)
		}
		if strings.HasPrefix(c.CouponCode, "SUMMER") {
			codes = append(codes, c.CouponCode)
		}
	}
	move := func(req *utmcoupon.UpdateCouponRequest) error {
		// Called from several goroutines at once: touch only req.
		req.UtmCampaign = utmcoupon.Ptr("autumn-2030")
		return nil
	}

	// Dry run: every coupon is read, nothing is written.
	var preview []string
	for r := range client.ModifyCoupons(ctx, codes, move, &utmcoupon.BulkOptions{DryRun: true}) {
		if r.Err != nil {
			panic(r.Err)
		}
		for _, ch := range r.Response.Changes {
			preview = append(preview, fmt.Sprintf("%s %s: %s -> %s", r.Key, ch.Field, ch.Old, ch.New))
		}
	}
	slices.Sort(preview)
	fmt.Println(strings.Join(preview, "\n"))
	c, _ := srv.Coupon("SUMMER05")
	fmt.Println("after the dry run, SUMMER05 is in", c.UtmCampaign)

	var last utmcoupon.Progress
	opts := &utmcoupon.BulkOptions{Concurrency: 4, Progress: func(p utmcoupon.Progress) { last = p }}
	var resend, check []string
	for r := range client.ModifyCoupons(ctx, codes, move, opts) {
		switch {
		case r.Err == nil:
			// len(r.Response.Changes) == 0: it needed no update.
		case errors.Is(r.Err, utmcoupon.ErrNotSent):
			resend = append(resend, r.Key)
		case errors.Is(r.Err, utmcoupon.ErrOutcomeUnknown):
			check = append(check, r.Key)
		default:
			fmt.Println(r.Key, "failed:", r.Err)
		}
	}
	fmt.Printf("changed %d, unchanged %d, failed %d; resend %v, check %v\n",
		last.Changed, last.Unchanged, last.Failed, resend, check)
	c, _ = srv.Coupon("SUMMER05")
	fmt.Println("SUMMER05 is in", c.UtmCampaign, "with its cap", *c.MaxUsage)
	// Output:
	// SUMMER05 utmCampaign: "summer-2030" -> "autumn-2030"
	// SUMMER10 utmCampaign: "summer-2030" -> "autumn-2030"
	// SUMMER20 utmCampaign: "summer-2030" -> "autumn-2030"
	// SUMMER25 utmCampaign: "summer-2030" -> "autumn-2030"
	// after the dry run, SUMMER05 is in summer-2030
	// changed 4, unchanged 1, failed 0; resend [], check []
	// SUMMER05 is in autumn-2030 with its cap 500
}
