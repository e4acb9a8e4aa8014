package bigcommercetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// A test of your own code: seed a coupon, run the code under test against
// the server, then assert on the server's state.
func ExampleServer() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 7, Name: "Spring", Type: bigcommerce.PerTotalDiscount, Amount: "5.0000", Code: "SPRING"})

	client := srv.Client() // your code would take this *bigcommerce.Client
	_, err := client.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Spring", Type: bigcommerce.PerTotalDiscount, Amount: "7.50", Code: "SPRING",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
	})
	fmt.Println(err)
	c, _ := srv.Coupon(7)
	fmt.Println(c.Amount, c.AppliesTo.Entity, srv.Requests())
	// Output:
	// <nil>
	// 7.5000 categories 1
}

// SetRateLimit and FailNext make the server misbehave the way BigCommerce
// does, to test your retry settings.
func ExampleServer_SetRateLimit() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 7, Name: "Spring", Type: bigcommerce.PerTotalDiscount, Amount: "5", Code: "SPRING"})
	srv.FailNext(1, 503)

	client := srv.Client(bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	resp, err := client.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Spring", Type: bigcommerce.PerTotalDiscount, Amount: "6", Code: "SPRING",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{1}},
	})
	fmt.Println(err, resp.Meta.Attempts)
	// Output: <nil> 2
}
