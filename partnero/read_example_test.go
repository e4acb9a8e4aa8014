package partnero_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

func ExampleClient_ListCoupons() {
	// An in-memory Partnero program; in production use partnero.NewClient.
	srv := partnerotest.NewServer()
	defer srv.Close()
	created := time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC)
	for i, name := range []string{"PARTNERO25", "SPRING10", "SUMMER15", "WELCOME5", "VIP30"} {
		srv.AddCoupon(partnero.Coupon{
			UUIDCode: fmt.Sprintf("coupon_%d", 100+i), Name: name, Active: true,
			DiscountType: "percent", DiscountAmount: float64(5 * (i + 1)), DurationType: "once",
			CreatedAt: created.Add(time.Duration(i) * time.Hour),
		})
	}
	client := srv.Client()

	// Two coupons per request: GET /v1/coupons?limit=2&page=1, then page=2
	// and page=3, each sent only when the loop gets there.
	for c, err := range client.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2}) {
		if err != nil {
			panic(err)
		}
		fmt.Println(c.UUIDCode, c.Name, c.DiscountAmount, c.DiscountType)
	}
	fmt.Println("requests:", srv.Requests())

	// Stopping early sends no further request.
	for c := range client.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2}) {
		fmt.Println("first:", c.Name)
		break
	}
	fmt.Println("requests:", srv.Requests())
	// Output:
	// coupon_100 PARTNERO25 5 percent
	// coupon_101 SPRING10 10 percent
	// coupon_102 SUMMER15 15 percent
	// coupon_103 WELCOME5 20 percent
	// coupon_104 VIP30 25 percent
	// requests: 3
	// first: PARTNERO25
	// requests: 4
}
