package partnero_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// fakeProgram stands in for api.partnero.com in these examples.
func fakeProgram() *partnerotest.Server {
	srv := partnerotest.NewServer()
	srv.AddCoupon(partnero.Coupon{
		UUIDCode: "coupon_123", Name: "PARTNERO25", Active: true,
		DiscountType: "percent", DiscountAmount: 25, DurationType: "months", DurationValue: partnero.Ptr(11),
		Metadata: map[string]any{"source": "launch"},
	})
	return srv
}

func ExampleClient_UpdateCoupon() {
	srv := fakeProgram()
	defer srv.Close()

	client, err := partnero.NewClient(srv.APIKey, partnero.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	resp, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123",
		Name:     partnero.Ptr("PARTNERO25_UPDATED"),
		Metadata: map[string]any{"campaign": "spring"}, // merged into the existing metadata
	})
	if err != nil {
		panic(err)
	}
	c := resp.Coupon
	fmt.Println(c.Name, c.DiscountAmount, c.DiscountType, *c.DurationValue, c.DurationType)
	fmt.Println(c.Metadata["source"], c.Metadata["campaign"])
	fmt.Println(resp.Message, resp.Meta.Attempts)
	// Output:
	// PARTNERO25_UPDATED 25 percent 11 months
	// launch spring
	// Coupon updated in the app successfully. 1
}

func ExampleClient_UpdateCoupon_redeem() {
	srv := fakeProgram()
	defer srv.Close()
	client := srv.Client()

	// With a TransactionKey, Partnero records the redemption once per key, so
	// the client may safely retry it; a second request with the same key is
	// a silent no-op.
	for i := 0; i < 2; i++ {
		resp, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
			UUIDCode:       "coupon_123",
			Redeem:         partnero.Ptr(true),
			TransactionKey: partnero.Ptr("order_4561"),
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(resp.Coupon.TimesRedeemed, len(resp.Coupon.Redemptions), resp.Coupon.Redemptions[0].TransactionKey)
	}
	// Output:
	// 1 1 order_4561
	// 1 1 order_4561
}

func ExampleClient_UpdateCoupon_sync() {
	srv := fakeProgram()
	defer srv.Close()
	client := srv.Client()

	resp, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncStripe},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Sync.Enabled, resp.Sync.Successful, resp.Sync.Message)

	// A coupon's sync provider can be set only once.
	_, err = client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123", Sync: &partnero.Sync{Provider: partnero.SyncShopify},
	})
	var apiErr *partnero.APIError
	if errors.Is(err, partnero.ErrInvalidRequest) && errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.FieldErrors["sync.provider"][0])
	}
	// Output:
	// true true Coupon synchronized with stripe.
	// 422 sync.provider is already set on this coupon and cannot be changed.
}

func ExampleClient_UpdateCoupon_errors() {
	srv := fakeProgram()
	defer srv.Close()
	client := srv.Client()

	_, err := client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "no_such_coupon"})
	var apiErr *partnero.APIError
	if errors.Is(err, partnero.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("not found:", apiErr.StatusCode, apiErr.Message)
	}

	// Bad input is caught before anything is sent.
	_, err = client.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{
		TransactionKey: partnero.Ptr("order_1"),
		Sync:           &partnero.Sync{Provider: "stripe-eu"},
	})
	var ve *partnero.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	fmt.Println("requests sent:", srv.Requests())
	// Output:
	// not found: 404 Coupon not found.
	// uuid_code is required
	// transaction_key is allowed only with redeem true
	// sync.provider must be one of "stripe", "shopify", "woocommerce", "paddle"
	// requests sent: 1
}

func ExampleNewClient() {
	client, err := partnero.NewClient("my-api-key",
		partnero.WithUserAgent("promo-service/1.4"),
		partnero.WithRetryPolicy(partnero.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		partnero.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}
