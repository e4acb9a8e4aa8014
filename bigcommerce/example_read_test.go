package bigcommerce_test

import (
	"context"
	"fmt"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// ExampleClient_ModifyCoupon extends a coupon's expiry by a week without
// touching its other fields: a bare UpdateCoupon with only the new expiry
// could not be sent (BigCommerce's PUT replaces the coupon and would clear
// applies_to), and ModifyCoupon sends everything else back as it is.
func ExampleClient_ModifyCoupon() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	expires := time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
	srv.AddCoupon(bigcommerce.Coupon{ID: 42, Name: "Summer 10", Type: bigcommerce.PercentageDiscount,
		Amount: "10.0000", MinPurchase: "25.0000", Code: "SUMMER10", Enabled: true, Expires: &expires, MaxUses: 500,
		AppliesTo:    &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		RestrictedTo: &bigcommerce.RestrictedTo{Countries: []string{"AU", "NZ"}}})
	client := srv.Client() // in production: bigcommerce.NewClient(storeHash, accessToken)

	resp, err := client.ModifyCoupon(context.Background(), 42, func(req *bigcommerce.UpdateCouponRequest) error {
		later := req.Expires.AddDate(0, 0, 7)
		req.Expires = &later
		return nil
	})
	if err != nil {
		panic(err)
	}
	for _, ch := range resp.Changes {
		fmt.Printf("%s: %s -> %s\n", ch.Field, ch.Old, ch.New)
	}
	after := resp.After
	fmt.Println(after.Code, after.Amount, after.MinPurchase, after.MaxUses, after.AppliesTo.Entity, after.RestrictedTo.Countries)

	// A change that leaves the coupon as it is sends no update.
	resp, err = client.ModifyCoupon(context.Background(), 42, func(req *bigcommerce.UpdateCouponRequest) error {
		req.Amount = "10.0000"
		return nil
	})
	fmt.Println(len(resp.Changes), err, srv.Requests())
	// Output:
	// expires: "Wed, 30 Sep 2026 23:59:59 +0000" -> "Wed, 07 Oct 2026 23:59:59 +0000"
	// SUMMER10 10.0000 25.0000 500 categories [AU NZ]
	// 0 <nil> 3
}

// ExampleClient_ListCoupons walks the store's percentage coupons a page at
// a time; breaking out of the loop stops the requests.
func ExampleClient_ListCoupons() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	for id := 1; id <= 5; id++ {
		typ := bigcommerce.PercentageDiscount
		if id == 3 {
			typ = bigcommerce.FreeShipping
		}
		srv.AddCoupon(bigcommerce.Coupon{ID: id, Name: fmt.Sprintf("Coupon %d", id), Type: typ, Amount: "5.0000",
			Code: fmt.Sprintf("CODE%d", id), AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
	}
	client := srv.Client()

	opts := &bigcommerce.ListCouponsOptions{Type: bigcommerce.PercentageDiscount, PerPage: 2}
	for coupon, err := range client.ListCoupons(context.Background(), opts) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(coupon.ID, coupon.Code)
	}
	fmt.Println("requests:", srv.Requests())
	// Output:
	// 1 CODE1
	// 2 CODE2
	// 4 CODE4
	// 5 CODE5
	// requests: 3
}
