package jframework_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/jframework"
)

func ExampleClient_ModifyCoupon() {
	srv := seededServer()
	defer srv.Close()
	client := srv.Client()

	// Extend coupon sApKpllz4sAplsmzha by a week. JFramework's PUT replaces
	// the whole coupon; ModifyCoupon reads it first and sends every other
	// field back as it is.
	resp, err := client.ModifyCoupon(context.Background(), "sApKpllz4sAplsmzha", func(r *jframework.UpdateCouponRequest) error {
		r.EndDate = r.EndDate.AddDate(0, 0, 7)
		return nil
	})
	if err != nil {
		panic(err)
	}
	for _, ch := range resp.Changes {
		fmt.Printf("%s: %s -> %s\n", ch.Field, ch.Old, ch.New)
	}
	fmt.Println(resp.After.Code, resp.After.Name, resp.After.Status)

	// A change that leaves the coupon as it is sends no update.
	before := srv.Requests()
	resp, err = client.ModifyCoupon(context.Background(), "sApKpllz4sAplsmzha", func(r *jframework.UpdateCouponRequest) error {
		r.Status = jframework.StatusActive // already Active
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("changes:", len(resp.Changes), "requests:", srv.Requests()-before)
	// Output:
	// endDate: "2025-07-23T13:56:00+07:00" -> "2025-07-30T13:56:00+07:00"
	// COUPON1 Coupon 1 Active
	// changes: 0 requests: 1
}

func ExampleClient_ListCoupons() {
	srv := seededServer()
	defer srv.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, code := range []string{"WINTER10", "WINTER20", "SPRING10"} {
		srv.AddCoupon(jframework.Coupon{
			ID: fmt.Sprintf("w%d", i), Code: code, Name: "Season " + code, Status: jframework.StatusActive,
			Percentage: jframework.Ptr(float64(10 * (i + 1))), StartDate: start, EndDate: start.AddDate(0, 3, 0),
		})
	}
	client := srv.Client()

	// Pages are fetched lazily, one request per page (here 2 coupons each),
	// only as far as the loop goes.
	before := srv.Requests()
	for c, err := range client.ListCoupons(context.Background(), &jframework.ListCouponsOptions{Keywords: "season", PageSize: 2}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(c.ID, c.Code, *c.Percentage)
	}
	fmt.Println("requests:", srv.Requests()-before)
	// Output:
	// w0 WINTER10 10
	// w1 WINTER20 20
	// w2 SPRING10 30
	// requests: 2
}
