package jframeworktest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

func ExampleServer() {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(jframework.Coupon{ID: "c1", Code: "JULY10", Name: "July", Percentage: jframework.Ptr(10.0),
		StartDate: start, EndDate: start.AddDate(0, 1, 0), Status: jframework.StatusActive})
	srv.AddCoupon(jframework.Coupon{ID: "c2", Code: "AUGUST10", Name: "August", StartDate: start, EndDate: start.AddDate(0, 2, 0)})

	client := srv.Client()
	_, err := client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID: "c1", Name: "July", Code: "JULY20", Percentage: jframework.Ptr(20.0),
		StartDate: start, EndDate: start.AddDate(0, 1, 0), Status: jframework.StatusActive,
	})
	fmt.Println(err)
	c, _ := srv.Coupon("c1")
	fmt.Println(c.Code, *c.Percentage)

	// A code another coupon uses: 409, as JFramework answers.
	_, err = client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID: "c1", Name: "July", Code: "AUGUST10", StartDate: start, EndDate: start.AddDate(0, 1, 0),
	})
	fmt.Println(errors.Is(err, jframework.ErrConflict), srv.Requests())
	// Output:
	// <nil>
	// JULY20 20
	// true 2
}
