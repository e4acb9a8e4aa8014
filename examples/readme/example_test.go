package readme_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

func updateBigCommerce(ctx context.Context, storeHash, accessToken string, opts ...bigcommerce.Option) error {
	client, err := bigcommerce.NewClient(storeHash, accessToken, opts...)
	if err != nil {
		return err
	}
	resp, err := client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: 42, Name: "Summer 15", Type: bigcommerce.PercentageDiscount, Amount: "15.00", Code: "SUMMER15",
		// Required: BigCommerce clears applies_to when a PUT omits it.
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
		Expires:   bigcommerce.Ptr(time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)),
	})
	if err != nil {
		return err
	}
	fmt.Println(resp.Coupon.Code, resp.Coupon.Amount, resp.Meta.Attempts)
	return nil
}

func Example_bigcommerce() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 42, Name: "Summer 10", Type: bigcommerce.PercentageDiscount, Amount: "10", Code: "SUMMER10"})
	fmt.Println(updateBigCommerce(context.Background(), srv.StoreHash, srv.AccessToken, bigcommerce.WithBaseURL(srv.URL)))
	// Output:
	// SUMMER15 15.0000 1
	// <nil>
}

func updatePaddle(ctx context.Context, vendorID int, authCode string, opts ...paddle.Option) error {
	client, err := paddle.NewClient(vendorID, authCode, opts...) // add paddle.WithSandbox() for the sandbox
	if err != nil {
		return err
	}
	resp, err := client.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{
		CouponCode:     "SUMMER2026",
		Expires:        paddle.Ptr(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)), // sent as 2026-12-31
		DiscountAmount: paddle.Ptr(15.0),
		RemoveProducts: true, // sends product_ids blank: Paddle then removes every product
	})
	if err != nil {
		return err // Paddle's HTTP-200 failures are *paddle.APIError too, e.g. Code "135"
	}
	fmt.Println("coupons updated:", resp.Updated)
	return nil
}

func Example_paddle() {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "SUMMER2026", DiscountAmount: 10, ProductIDs: []int{1, 2}})
	fmt.Println(updatePaddle(context.Background(), srv.VendorID, srv.AuthCode, paddle.WithBaseURL(srv.URL)))
	// Output:
	// coupons updated: 1
	// <nil>
}

func redeemPartnero(ctx context.Context, apiKey string, opts ...partnero.Option) error {
	client, err := partnero.NewClient(apiKey, opts...)
	if err != nil {
		return err
	}
	resp, err := client.UpdateCoupon(ctx, &partnero.UpdateCouponRequest{
		UUIDCode: "coupon_123",
		Redeem:   partnero.Ptr(true),
		// With a transaction key Partnero counts the redemption once, so the
		// client may retry it; without one it is never retried after a 5xx.
		TransactionKey: partnero.Ptr("order_4561"),
		Metadata:       map[string]any{"channel": "pos"}, // merged into the coupon's metadata
	})
	if err != nil {
		return err
	}
	fmt.Println(resp.Coupon.TimesRedeemed, resp.Coupon.Metadata["channel"])
	return nil
}

func Example_partnero() {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "coupon_123", Name: "PARTNERO25", Active: true})
	fmt.Println(redeemPartnero(context.Background(), srv.APIKey, partnero.WithBaseURL(srv.URL)))
	// Output:
	// 1 pos
	// <nil>
}

func updateJFramework(ctx context.Context, brandURL, authKey string, opts ...jframework.Option) error {
	client, err := jframework.NewClient(brandURL, authKey, opts...)
	if err != nil {
		return err
	}
	resp, err := client.UpdateCoupon(ctx, &jframework.UpdateCouponRequest{
		ID: "sApKpllz4sAplsmzha", Name: "Summer 15", Code: "SUMMER15",
		Percentage: jframework.Ptr(15.0),
		StartDate:  time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		EndDate:    time.Date(2026, 8, 31, 23, 59, 59, 0, time.UTC),
		Status:     jframework.StatusActive,
	})
	if err != nil {
		return err // "success": false is an error even inside an HTTP 200
	}
	fmt.Println(resp.Coupon.Code, *resp.Coupon.Percentage, resp.Coupon.Status)
	return nil
}

func Example_jframework() {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	srv.AddCoupon(jframework.Coupon{ID: "sApKpllz4sAplsmzha", Code: "SUMMER10", Name: "Summer 10", Percentage: jframework.Ptr(10.0),
		StartDate: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 7, 31, 0, 0, 0, 0, time.UTC), Status: jframework.StatusActive})
	fmt.Println(updateJFramework(context.Background(), srv.BrandURL, srv.AuthKey, jframework.WithBaseURL(srv.URL)))
	// Output:
	// SUMMER15 15 Active
	// <nil>
}

func upsertVTEX(ctx context.Context, account, appKey, appToken string, opts ...utmcoupon.Option) error {
	client, err := utmcoupon.NewClient(account, appKey, appToken, opts...)
	if err != nil {
		return err
	}
	// VTEX replaces the whole coupon: every field is sent (a nil pointer is left out).
	resp, err := client.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{
		CouponCode:               "SUMMER15",
		UtmSource:                "newsletter",
		UtmCampaign:              utmcoupon.Ptr("summer-2026"),
		MaxItemsPerClient:        1,
		ExpirationIntervalPerUse: 14 * 24 * time.Hour, // sent as the .NET TimeSpan "14.00:00:00"
	})
	if err != nil {
		return err
	}
	fmt.Println(resp.Coupon.CouponCode, "created:", resp.Created)
	return nil
}

func Example_utmcoupon() {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	fmt.Println(upsertVTEX(context.Background(), srv.Account, srv.AppKey, srv.AppToken, utmcoupon.WithBaseURL(srv.URL)))
	// Output:
	// SUMMER15 created: true
	// <nil>
}

// Example_options shows the options every package shares.
func Example_options() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := bigcommerce.NewClient(os.Getenv("BIGCOMMERCE_STORE_HASH"), os.Getenv("BIGCOMMERCE_ACCESS_TOKEN"),
		bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		bigcommerce.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}), // per-attempt timeout
		bigcommerce.WithLogger(logger), // one debug line per attempt; default: silent
		bigcommerce.WithUserAgent("promo-service/1.4"),
	)
	_, _ = client, err
}

// Example_retryPolicy shows that every zero field of a RetryPolicy means its
// default, that NoRetries turns retries off, and that a server asking to
// wait longer than MaxWait is not retried early.
func Example_retryPolicy() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 7, Name: "Old", Type: bigcommerce.PerTotalDiscount, Amount: "5", Code: "OLD"})
	ctx := context.Background()

	// Every zero field means its default: 3 retries, MinWait 500ms, MaxWait 30s.
	quick := bigcommerce.RetryPolicy{MinWait: time.Millisecond}        // still 3 retries
	once := bigcommerce.RetryPolicy{MaxRetries: bigcommerce.NoRetries} // one attempt, never retried
	// A server asking to wait longer than MaxWait is not retried early.
	patient := bigcommerce.RetryPolicy{MinWait: time.Millisecond, MaxWait: 100 * time.Millisecond}

	srv.FailNext(3, http.StatusServiceUnavailable)
	err := applyFlashSale(ctx, srv.Client(bigcommerce.WithRetryPolicy(quick)), 7)
	fmt.Println("quick:", err, srv.Requests())

	srv.FailNext(1, http.StatusServiceUnavailable)
	err = applyFlashSale(ctx, srv.Client(bigcommerce.WithRetryPolicy(once)), 7)
	fmt.Println("once:", errors.Is(err, bigcommerce.ErrServer), srv.Requests())

	srv.SetRateLimit(1, time.Minute) // one request per minute
	client := srv.Client(bigcommerce.WithRetryPolicy(patient))
	_ = applyFlashSale(ctx, client, 7)
	began := time.Now()
	err = applyFlashSale(ctx, client, 7) // BigCommerce now asks for about a minute
	fmt.Println("patient:", errors.Is(err, bigcommerce.ErrRateLimited), time.Since(began) < 5*time.Second)
	// Output:
	// quick: <nil> 4
	// once: true 5
	// patient: true true
}

func handle(err error) string {
	var apiErr *paddle.APIError
	var invalid *paddle.ValidationError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &invalid): // nothing was sent
		return fmt.Sprintf("fix the request: %v", invalid.Fields)
	case errors.Is(err, paddle.ErrNotFound): // same value as bigcommerce.ErrNotFound etc.
		return "no such coupon"
	case errors.Is(err, paddle.ErrRateLimited), errors.Is(err, paddle.ErrServer):
		return "try later" // retries are already spent
	case errors.As(err, &apiErr):
		return fmt.Sprintf("%s answered %d %s: %s (request %s, %d attempts)",
			apiErr.Vendor, apiErr.StatusCode, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.Attempts)
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	default:
		return "network: " + err.Error()
	}
}

func Example_errors() {
	srv := paddletest.NewServer()
	defer srv.Close()
	client := srv.Client()
	_, err := client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "NOPE-404"})
	fmt.Println(handle(err))
	_, err = client.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "abc", Group: "g"})
	fmt.Println(handle(err))
	// Output:
	// no such coupon
	// fix the request: [{group must not be set together with coupon_code (exactly one of them)} {coupon_code must be at least 5 characters}]
}

// applyFlashSale is code under test: it takes the vendor's *Client; the test server stands in
// for the vendor.
func applyFlashSale(ctx context.Context, client *bigcommerce.Client, id int) error {
	_, err := client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: id, Name: "Flash sale", Type: bigcommerce.PerTotalDiscount, Amount: "20", Code: "FLASH20",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
	})
	return err
}

func Example_testServer() {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 7, Name: "Old", Type: bigcommerce.PerTotalDiscount, Amount: "5", Code: "OLD"})
	srv.FailNext(1, http.StatusServiceUnavailable) // the first attempt fails, the retry succeeds
	client := srv.Client(bigcommerce.WithRetryPolicy(bigcommerce.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond}))

	err := applyFlashSale(context.Background(), client, 7)

	c, _ := srv.Coupon(7)
	fmt.Println(err, c.Code, c.Amount, srv.Requests())
	// Output: <nil> FLASH20 20.0000 2
}
