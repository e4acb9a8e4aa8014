package partnerotest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

func Example() {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "coupon_123", Name: "PARTNERO25", Active: true,
		DiscountType: "percent", DiscountAmount: 25, DurationType: "once"})

	client := srv.Client(partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))
	for i := 0; i < 2; i++ { // the same order twice: counted once
		_, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
			UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), TransactionKey: partnero.Ptr("order_4561"),
		})
		if err != nil {
			panic(err)
		}
	}
	got, _ := srv.Coupon("coupon_123")
	fmt.Println(got.TimesRedeemed, got.Redemptions[0].TransactionKey, srv.Requests())

	srv.FailNext(1, 503)
	_, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Redeem: partnero.Ptr(true), // no key: never repeated after a 5xx
	})
	fmt.Println(errors.Is(err, partnero.ErrServer), srv.Requests())
	// Output:
	// 1 order_4561 2
	// true 3
}
