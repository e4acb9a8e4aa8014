package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// fakeStore stands in for api.bigcommerce.com in these examples.
func fakeStore() *bigcommercetest.Server {
	srv := bigcommercetest.NewServer()
	srv.AddCoupon(bigcommerce.Coupon{ID: 42, Name: "Summer 10", Type: bigcommerce.PercentageDiscount,
		Amount: "10.0000", Code: "SUMMER10", Enabled: true})
	return srv
}

func ExampleClient_UpdateCoupon() {
	srv := fakeStore()
	defer srv.Close()

	// In production: bigcommerce.NewClient(storeHash, accessToken).
	client, err := bigcommerce.NewClient(srv.StoreHash, srv.AccessToken, bigcommerce.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	expires := time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
	resp, err := client.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{
		ID:     42,
		Name:   "Summer 15",
		Type:   bigcommerce.PercentageDiscount,
		Amount: "15.00",
		Code:   "SUMMER15",
		// Required: BigCommerce clears applies_to when a PUT omits it.
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		Expires:   &expires,
		MaxUses:   bigcommerce.Ptr(500),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Coupon.Code, resp.Coupon.Amount, resp.Coupon.Expires.Format(time.DateOnly), resp.Meta.Attempts)
	// Output: SUMMER15 15.0000 2026-09-30 1
}

func ExampleClient_UpdateCoupon_errors() {
	srv := fakeStore()
	defer srv.Close()
	client := srv.Client()

	_, err := client.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Gone", Type: bigcommerce.FreeShipping, Amount: "0", Code: "GONE",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{1}},
	})
	var apiErr *bigcommerce.APIError
	if errors.Is(err, bigcommerce.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("not found:", apiErr.StatusCode, apiErr.Message)
	}

	// Bad input is caught before anything is sent.
	_, err = client.UpdateCoupon(context.Background(), &bigcommerce.UpdateCouponRequest{ID: 42, Name: "No applies_to"})
	var ve *bigcommerce.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	// Output:
	// not found: 404 The requested resource was not found.
	// type must be one of "per_item_discount", "percentage_discount", "per_total_discount", "shipping_discount", "free_shipping", "promotion"
	// amount is required
	// code is required
	// applies_to is required (BigCommerce clears it when a PUT omits it)
}

func ExampleNewClient() {
	client, err := bigcommerce.NewClient("abc123", "my-access-token",
		bigcommerce.WithUserAgent("promo-service/1.4"),
		bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		bigcommerce.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}
