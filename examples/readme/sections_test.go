package readme_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// The code of the README sections "Change one field safely" and "Many
// coupons".

func footgun(ctx context.Context, client *bigcommerce.Client) error {
	// Don't: a BigCommerce PUT replaces the coupon's name, type, amount,
	// code and applies_to (required, and cleared when left out) with what
	// this code guessed: here the coupon silently loses its categories and
	// its 10% becomes 15%.
	_, err := client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Summer 15", Type: bigcommerce.PercentageDiscount, Amount: "15.00", Code: "SUMMER15",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		Expires:   bigcommerce.Ptr(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)),
	})
	return err
}

func extendExpiry(ctx context.Context, client *bigcommerce.Client, id int) error {
	// Do: read the coupon, change one field, send only if the body changed.
	resp, err := client.ModifyCoupon(ctx, id, func(req *bigcommerce.UpdateCouponRequest) error {
		if req.Expires == nil || req.Expires.IsZero() {
			return errors.New("no expiry to extend") // nothing is sent
		}
		req.Expires = bigcommerce.Ptr(req.Expires.AddDate(0, 0, 7))
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range resp.Changes { // wire names, old and new as JSON
		fmt.Printf("%s: %s -> %s\n", c.Field, c.Old, c.New)
	}
	return nil
}

func listPercentOff(ctx context.Context, client *bigcommerce.Client) ([]int, error) {
	var ids []int
	// One request per page, only as far as the loop goes.
	for coupon, err := range client.ListCoupons(ctx, &bigcommerce.ListCouponsOptions{Type: bigcommerce.PercentageDiscount}) {
		if err != nil {
			return nil, err // a failed page ends the listing
		}
		ids = append(ids, coupon.ID)
	}
	return ids, nil
}

func Example_changeOneField() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	expires := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(bigcommerce.Coupon{ID: 7, Name: "Summer", Type: bigcommerce.PercentageDiscount, Amount: "10.0000",
		MinPurchase: "25.0000", Code: "SUMMER", Enabled: true, Expires: &expires, MaxUses: 500,
		AppliesTo:    &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{3, 4}},
		RestrictedTo: &bigcommerce.RestrictedTo{Countries: []string{"AU"}}})
	ctx := context.Background()
	client := srv.Client()

	fmt.Println(extendExpiry(ctx, client, 7))
	c, _ := srv.Coupon(7)
	fmt.Println(c.MinPurchase, c.MaxUses, c.AppliesTo.IDs, c.RestrictedTo.Countries)

	fmt.Println(footgun(ctx, client))
	c, _ = srv.Coupon(7)
	fmt.Println(c.Name, c.Amount, c.AppliesTo.IDs)

	ids, err := listPercentOff(ctx, client)
	fmt.Println(ids, err)
	// Output:
	// expires: "Sun, 31 Jan 2027 00:00:00 +0000" -> "Sun, 07 Feb 2027 00:00:00 +0000"
	// <nil>
	// 25.0000 500 [3 4] [AU]
	// <nil>
	// Summer 15 15.0000 [0]
	// [7] <nil>
}

func disableLeaked(ctx context.Context, client *bigcommerce.Client, ids []int) (resend, check []int) {
	results := client.ModifyCoupons(ctx, ids, func(req *bigcommerce.UpdateCouponRequest) error {
		req.Enabled = bigcommerce.Ptr(false)
		return nil
	}, &bigcommerce.BulkOptions{
		Concurrency: 8, // the pace itself follows BigCommerce's X-Rate-Limit-* headers
		Progress: func(p bigcommerce.Progress) {
			if p.Done == p.Total {
				fmt.Printf("%d/%d: %d changed, %d unchanged, %d failed\n", p.Done, p.Total, p.Changed, p.Unchanged, p.Failed)
			}
		},
	})
	for r := range results { // each key exactly once, in completion order
		switch {
		case r.Err == nil:
			// applied, or nothing to change (len(r.Response.Changes) == 0)
		case errors.Is(r.Err, bigcommerce.ErrNotSent):
			resend = append(resend, r.Key) // certainly not acted on: safe to send again
		default:
			check = append(check, r.Key) // refused, or the outcome is unknown: look first
		}
	}
	return resend, check
}

func Example_manyCoupons() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	for id := 1; id <= 60; id++ {
		srv.AddCoupon(bigcommerce.Coupon{ID: id, Name: fmt.Sprint("Leaked ", id), Type: bigcommerce.PerTotalDiscount,
			Amount: "5.0000", Code: fmt.Sprint("LEAK", id), Enabled: id%10 != 0,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
	}
	srv.SetRateLimit(20, 100*time.Millisecond) // BigCommerce's 150 per 30 s, scaled down
	ids := make([]int, 0, 61)
	for id := 1; id <= 61; id++ { // 61 does not exist
		ids = append(ids, id)
	}
	resend, check := disableLeaked(context.Background(), srv.Client(), ids)
	slices.Sort(check)
	fmt.Println(resend, check, srv.RateLimited())
	// Output:
	// 61/61: 54 changed, 6 unchanged, 1 failed
	// [] [61] 0
}
