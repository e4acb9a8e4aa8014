package paddle_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

func ExampleClient_UpdateCoupon() {
	// An in-memory Paddle Classic; in production use paddle.NewClient.
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026", Group: "summer", DiscountAmount: 10, AllowedUses: 100})
	client := srv.Client()

	resp, err := client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		CouponCode:     "SUMMER2026",
		ProductIDs:     []int{499531, 1234},
		Expires:        paddle.Ptr(time.Date(2030, 9, 30, 0, 0, 0, 0, time.UTC)), // sent as 2030-09-30
		DiscountAmount: paddle.Ptr(15.0),
		Recurring:      paddle.Ptr(true),
	})
	if err != nil {
		panic(err)
	}
	c, _ := srv.Coupon("SUMMER2026")
	fmt.Println("updated:", resp.Updated, "attempts:", resp.Meta.Attempts)
	fmt.Println(c.ProductIDs, c.Expires.Format(time.DateOnly), c.DiscountAmount, c.Recurring, c.AllowedUses)
	// Output:
	// updated: 1 attempts: 1
	// [499531 1234] 2030-09-30 15 true 100
}

func ExampleClient_UpdateCoupon_group() {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SPRING-1", Group: "spring"})
	srv.AddCoupon(paddletest.Coupon{Code: "SPRING-2", Group: "spring"})

	// Every coupon of the group is updated, and moved to another group.
	resp, err := srv.Client().UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		Group: "spring", NewGroup: "archive", AllowedUses: paddle.Ptr(0),
	})
	if err != nil {
		panic(err)
	}
	c, _ := srv.Coupon("SPRING-2")
	fmt.Println(resp.Updated, c.Group)
	// Output: 2 archive
}

func ExampleClient_UpdateCoupon_remove() {
	srv := paddletest.NewServer()
	defer srv.Close()
	expires := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(paddletest.Coupon{Code: "LAUNCH-DAY", ProductIDs: []int{7}, Expires: &expires})

	// An empty ProductIDs and a nil Expires leave the coupon alone; the
	// Remove flags send the blank values with which Paddle deletes them.
	_, err := srv.Client().UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		CouponCode: "LAUNCH-DAY", RemoveProducts: true, RemoveExpiry: true,
	})
	if err != nil {
		panic(err)
	}
	c, _ := srv.Coupon("LAUNCH-DAY")
	fmt.Println(c.ProductIDs == nil, c.Expires == nil)
	// Output: true true
}

func ExampleClient_UpdateCoupon_errors() {
	srv := paddletest.NewServer()
	defer srv.Close()
	client := srv.Client()

	// Paddle answers failures with HTTP 200 and an error code.
	_, err := client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "NO-SUCH-CODE"})
	var apiErr *paddle.APIError
	if errors.Is(err, paddle.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message)
	}

	// Bad input is caught before anything is sent.
	_, err = client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{
		CouponCode: "SHORT", Group: "summer", Currency: "JPY",
	})
	var ve *paddle.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	fmt.Println("requests sent:", srv.Requests())
	// Output:
	// 200 135 Unable to find requested coupon
	// group must not be set together with coupon_code (exactly one of them)
	// currency must be one of "USD", "GBP", "EUR"
	// requests sent: 1
}

func ExampleClient_UpdateCoupon_retries() {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026"})
	client := srv.Client(paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))

	// Paddle's internal error 120: a plain update is retried...
	srv.FailNext(1, http.StatusOK)
	resp, err := client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", AllowedUses: paddle.Ptr(5)})
	fmt.Println(resp.Meta.Attempts, err)

	// ...but a rename is not: Paddle may already have renamed the coupon.
	srv.FailNext(1, http.StatusOK)
	_, err = client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER2026", NewCouponCode: "SUMMER2027"})
	fmt.Println(errors.Is(err, paddle.ErrServer), err)
	// Output:
	// 2 <nil>
	// true paddle: POST /2.1/product/update_coupon coupon_code "SUMMER2026": 200 120: Request failed due to internal error (not retried: the request is not safe to repeat and the vendor may have applied it)
}

func ExampleNewClient() {
	client, err := paddle.NewClient(12345, "0123456789abcdef0123456789abcdef",
		paddle.WithSandbox(),
		paddle.WithUserAgent("promo-service/1.4"),
		paddle.WithRetryPolicy(paddle.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		paddle.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)

	// The auth code is never echoed, not even when it is rejected.
	_, err = paddle.NewClient(12345, "NOT-HEX-SECRET")
	fmt.Println(err)
	// Output:
	// true <nil>
	// paddle: vendorAuthCode must be non-empty lower-case hex ([0-9a-f]+)
}
