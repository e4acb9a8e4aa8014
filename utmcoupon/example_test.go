package utmcoupon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

func ExampleClient_UpdateCoupon() {
	// utmcoupontest stands in for https://{account}.vtexcommercestable.com.br.
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	client, err := utmcoupon.NewClient(srv.Account, srv.AppKey, srv.AppToken, utmcoupon.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}

	// Every field is sent: VTEX replaces the whole coupon.
	req := &utmcoupon.UpdateCouponRequest{
		CouponCode:               "SUMMER15",
		UtmSource:                "newsletter",
		UtmCampaign:              utmcoupon.Ptr("summer-2026"),
		MaxItemsPerClient:        1,
		ExpirationIntervalPerUse: 14 * 24 * time.Hour, // sent as "14.00:00:00"
		MaxUsage:                 utmcoupon.Ptr(500),
	}
	resp, err := client.UpdateCoupon(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Coupon.CouponCode, resp.Created, resp.Coupon.ExpirationIntervalPerUse)

	// The same code again replaces the coupon (200): nothing is created.
	req.IsArchived = true
	resp, err = client.UpdateCoupon(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Coupon.CouponCode, resp.Created, resp.Coupon.IsArchived)
	// Output:
	// SUMMER15 true 336h0m0s
	// SUMMER15 false true
}

// A nil field is not "unchanged": VTEX resets it. Start from the coupon as
// it is to change one field.
func ExampleUpdateCouponRequest_fullReplace() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	srv.AddCoupon(utmcoupon.Coupon{CouponCode: "VIP", UtmSource: "partner", UtmCampaign: "gold", MaxItemsPerClient: 2, MaxUsage: utmcoupon.Ptr(10)})
	client := srv.Client()

	// Only the source was meant to change, but the campaign and the usage
	// cap were left nil.
	_, err := client.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
		CouponCode: "VIP", UtmSource: "partner-2", MaxItemsPerClient: 2,
	})
	if err != nil {
		panic(err)
	}
	c, _ := srv.Coupon("VIP")
	fmt.Printf("source=%s campaign=%q maxUsage=%v\n", c.UtmSource, c.UtmCampaign, c.MaxUsage)
	// Output: source=partner-2 campaign="" maxUsage=<nil>
}

func ExampleClient_UpdateCoupon_errors() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()

	// Wrong token: VTEX answers 403.
	client, _ := utmcoupon.NewClient(srv.Account, srv.AppKey, "not-the-token", utmcoupon.WithBaseURL(srv.URL))
	_, err := client.UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{CouponCode: "X", UtmSource: "s"})
	var apiErr *utmcoupon.APIError
	if errors.Is(err, utmcoupon.ErrForbidden) && errors.As(err, &apiErr) {
		fmt.Println("forbidden:", apiErr.StatusCode)
	}

	// Bad input is caught before anything is sent.
	_, err = srv.Client().UpdateCoupon(context.Background(), &utmcoupon.UpdateCouponRequest{
		CouponCode: "X", MaxItemsPerClient: -1, ExpirationIntervalPerUse: -time.Hour,
	})
	var ve *utmcoupon.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	fmt.Println("requests sent:", srv.Requests())
	// Output:
	// forbidden: 403
	// utmSource is required
	// maxItemsPerClient must not be negative
	// expirationIntervalPerUse must not be negative
	// requests sent: 1
}

func ExampleNewClient() {
	// Requests go to https://my-store.vtexcommercebeta.com.br/api/rnb/pvt/coupon.
	client, err := utmcoupon.NewClient("my-store", "vtexappkey-my-store-ABCDEF", "app-token",
		utmcoupon.WithEnvironment("vtexcommercebeta"),
		utmcoupon.WithUserAgent("promo-service/1.4"),
		utmcoupon.WithRetryPolicy(utmcoupon.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		utmcoupon.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)

	// An account name is one DNS label: nothing can redirect the credentials.
	_, err = utmcoupon.NewClient("evil.com/x", "key", "token")
	fmt.Println(err)
	// Output:
	// true <nil>
	// utmcoupon: accountName must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen
}
