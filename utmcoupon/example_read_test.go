package utmcoupon_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// Extend a coupon's interval per use to a week without touching its other
// fields. A bare UpdateCoupon with only the interval would reset the
// campaign, the usage cap and the archive flag, because VTEX replaces the
// whole coupon; ModifyCoupon reads it, lets you change the request, and
// sends it back whole.
func ExampleClient_ModifyCoupon() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{
		CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer-2026",
		MaxItemsPerClient: 1, MaxUsage: utmcoupon.Ptr(500),
	})
	client := srv.Client()
	ctx := context.Background()

	resp, err := client.ModifyCoupon(ctx, "SUMMER15", func(r *utmcoupon.UpdateCouponRequest) error {
		r.ExpirationIntervalPerUse += 7 * 24 * time.Hour
		return nil
	})
	if err != nil {
		panic(err)
	}
	for _, ch := range resp.Changes {
		fmt.Printf("%s: %s -> %s\n", ch.Field, ch.Old, ch.New)
	}
	c := resp.After
	fmt.Printf("kept: campaign=%s maxUsage=%d maxItemsPerClient=%d\n", c.UtmCampaign, *c.MaxUsage, c.MaxItemsPerClient)

	// A change that leaves the coupon as it is sends nothing: one read.
	before := srv.Requests()
	resp, err = client.ModifyCoupon(ctx, "SUMMER15", func(r *utmcoupon.UpdateCouponRequest) error {
		r.MaxUsage = utmcoupon.Ptr(500)
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("changes:", len(resp.Changes), "requests:", srv.Requests()-before)

	// Changing the code would make VTEX create a second coupon: refused.
	_, err = client.ModifyCoupon(ctx, "SUMMER15", func(r *utmcoupon.UpdateCouponRequest) error {
		r.CouponCode = "SUMMER16"
		return nil
	})
	fmt.Println(err != nil)
	// Output:
	// expirationIntervalPerUse: "00:00:00" -> "7.00:00:00"
	// kept: campaign=summer-2026 maxUsage=500 maxItemsPerClient=1
	// changes: 0 requests: 1
	// true
}

// List every coupon of the account. VTEX answers with one array, without
// paging: the loop makes one request, when it starts.
func ExampleClient_ListCoupons() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", UtmCampaign: "summer", MaxUsage: utmcoupon.Ptr(500)})
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "REWARDS-4K2", UtmSource: "fb", GroupingKey: "REWARDS", ExpirationIntervalPerUse: 14 * 24 * time.Hour})
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "OLD", UtmSource: "email", IsArchived: true})
	client := srv.Client()

	for c, err := range client.ListCoupons(context.Background(), nil) {
		if err != nil {
			panic(err)
		}
		if c.IsArchived {
			continue
		}
		fmt.Printf("%-12s source=%-10s campaign=%-7q group=%-8q interval=%v\n",
			c.CouponCode, c.UtmSource, c.UtmCampaign, c.GroupingKey, c.ExpirationIntervalPerUse)
	}
	fmt.Println("requests:", srv.Requests())
	// Output:
	// REWARDS-4K2  source=fb         campaign=""      group="REWARDS" interval=336h0m0s
	// SUMMER15     source=newsletter campaign="summer" group=""       interval=0s
	// requests: 1
}

// Read one coupon by its code; an unknown code matches ErrNotFound.
func ExampleClient_GetCoupon() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "SUMMER15", UtmSource: "newsletter", MaxItemsPerClient: 2})
	client := srv.Client()

	resp, err := client.GetCoupon(context.Background(), "SUMMER15")
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Coupon.CouponCode, resp.Coupon.UtmSource, resp.Coupon.MaxItemsPerClient, resp.Coupon.MaxUsage == nil)

	_, err = client.GetCoupon(context.Background(), "WINTER")
	fmt.Println(errors.Is(err, utmcoupon.ErrNotFound))
	// Output:
	// SUMMER15 newsletter 2 true
	// true
}
