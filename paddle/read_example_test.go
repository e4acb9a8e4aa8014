package paddle_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

func ExampleClient_ListCoupons() {
	// An in-memory Paddle Classic; in production use paddle.NewClient.
	srv := paddletest.NewServer()
	defer srv.Close()
	expires := time.Date(2030, 6, 30, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026", ProductIDs: []int{499531}, DiscountAmount: 15, AllowedUses: 100, TimesUsed: 3, Expires: &expires})
	srv.AddCoupon(paddletest.Coupon{Code: "FIVE-OFF", ProductIDs: []int{499531}, DiscountType: paddletest.Flat, Currency: paddle.USD, DiscountAmount: 5, Recurring: true})
	client := srv.Client()

	// Paddle lists the coupons of one product. The percentage arrives as
	// Paddle's fraction (0.15) and reads as 15, the unit UpdateCoupon takes.
	for c, err := range client.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 499531}) {
		if err != nil {
			panic(err)
		}
		exp := "never"
		if c.Expires != nil {
			exp = c.Expires.Format(time.DateOnly)
		}
		fmt.Printf("%-10s %-10s %5.2f %-3s used %d/%d recurring=%t expires %s\n",
			c.Code, c.DiscountType, c.DiscountAmount, c.Currency, c.TimesUsed, c.AllowedUses, c.Recurring, exp)
	}

	// An unknown product is Paddle's error 108, inside an HTTP 200.
	for _, err := range client.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 1}) {
		fmt.Println(errors.Is(err, paddle.ErrNotFound), err)
	}
	// Output:
	// FIVE-OFF   flat        5.00 USD used 0/0 recurring=true expires never
	// SUMMER2026 percentage 15.00     used 3/100 recurring=false expires 2030-06-30
	// true paddle: POST /2.0/product/list_coupons product_id "1": 200 108: Unable to find requested product
}
