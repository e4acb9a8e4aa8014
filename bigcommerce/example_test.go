package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
)

// fakeStore stands in for api.bigcommerce.com in these examples.
func fakeStore() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/stores/abc123/v2/coupons/42" {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`[{"status":404,"message":"The requested resource was not found."}]`))
			return
		}
		w.Write([]byte(`{"id":42,"name":"Summer 15","type":"percentage_discount","amount":"15.0000",
			"min_purchase":"0.0000","expires":"Wed, 30 Sep 2026 23:59:59 +0000","enabled":true,"code":"SUMMER15",
			"applies_to":{"entity":"categories","ids":[0]},"num_uses":3,"max_uses":500,"max_uses_per_customer":1,
			"restricted_to":{},"shipping_methods":null,"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`))
	}))
}

func ExampleClient_UpdateCoupon() {
	srv := fakeStore()
	defer srv.Close()

	client, err := bigcommerce.NewClient("abc123", "my-access-token", bigcommerce.WithBaseURL(srv.URL))
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
	client, _ := bigcommerce.NewClient("abc123", "my-access-token", bigcommerce.WithBaseURL(srv.URL))

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
