package paddletest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// The server applies updates the way Paddle does: a group update changes
// every coupon of the group, and RemoveProducts (a blank product_ids)
// removes the products.
func ExampleServer() {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SPRING-001", Group: "spring", DiscountAmount: 10, ProductIDs: []int{1, 2}})
	srv.AddCoupon(paddletest.Coupon{Code: "SPRING-002", Group: "spring", DiscountAmount: 10, ProductIDs: []int{1}})

	resp, err := srv.Client().UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		Group: "spring", DiscountAmount: paddle.Ptr(15.0), RemoveProducts: true,
	})
	fmt.Println(resp.Updated, err)
	c, _ := srv.Coupon("SPRING-002")
	fmt.Println(c.DiscountAmount, c.ProductIDs == nil)
	// Output:
	// 2 <nil>
	// 15 true
}

// Paddle answers failures inside HTTP 200; so does the server.
func ExampleServer_FailNext() {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SPRING-001", DiscountAmount: 10})
	client := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}))

	srv.FailNext(1, 200) // error 120 inside a 200: retried for a plain update
	_, err := client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SPRING-001", AllowedUses: paddle.Ptr(50)})
	fmt.Println(err, srv.Requests())

	srv.FailNext(1, 200) // never retried for a rename: Paddle may have renamed it
	_, err = client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SPRING-001", NewCouponCode: "SPRING-ONE"})
	var apiErr *paddle.APIError
	fmt.Println(errors.As(err, &apiErr), apiErr.StatusCode, apiErr.Code, srv.Requests())
	// Output:
	// <nil> 2
	// true 200 120 3
}
