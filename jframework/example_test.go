package jframework_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// seededServer stands in for protocol.jframework.io in these examples: an
// in-memory JFramework holding one coupon whose dates are at +07:00.
func seededServer() *jframeworktest.Server {
	srv := jframeworktest.NewServer()
	ict := time.FixedZone("ICT", 7*3600)
	srv.AddCoupon(jframework.Coupon{
		ID: "sApKpllz4sAplsmzha", Code: "COUPON1", Name: "Coupon 1", Status: jframework.StatusActive,
		StartDate: time.Date(2025, 6, 23, 13, 56, 0, 0, ict),
		EndDate:   time.Date(2025, 7, 23, 13, 56, 0, 0, ict),
	})
	return srv
}

func ExampleClient_UpdateCoupon() {
	srv := seededServer()
	defer srv.Close()

	client, err := jframework.NewClient(srv.BrandURL, srv.AuthKey, jframework.WithBaseURL(srv.URL))
	if err != nil {
		panic(err)
	}
	resp, err := client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID:   "sApKpllz4sAplsmzha",
		Name: "Summer 15",
		Code: "SUMMER15",
		// The PUT replaces the coupon: send every optional value to keep.
		Percentage: jframework.Ptr(15.0),
		Quantity:   jframework.Ptr(500),
		StartDate:  time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		EndDate:    time.Date(2026, 8, 31, 23, 59, 59, 500_000_000, time.UTC),
		Status:     jframework.StatusActive,
	})
	if err != nil {
		panic(err)
	}
	c := resp.Coupon
	fmt.Println(c.Code, *c.Percentage, *c.Quantity, c.Status)
	// JFramework answers in the coupon's offset, with seven fractional digits.
	fmt.Println(c.EndDate.Format("2006-01-02T15:04:05.0000000Z07:00"))
	fmt.Println(resp.Message, resp.Meta.Attempts)
	// Output:
	// SUMMER15 15 500 Active
	// 2026-09-01T06:59:59.5000000+07:00
	// The request was successful. 1
}

func ExampleClient_UpdateCoupon_errors() {
	srv := seededServer()
	defer srv.Close()
	client := srv.Client()

	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID: "no-such-coupon", Name: "Gone", Code: "GONE", StartDate: start, EndDate: start.AddDate(0, 1, 0),
	})
	var apiErr *jframework.APIError
	if errors.Is(err, jframework.ErrNotFound) && errors.As(err, &apiErr) {
		fmt.Println("not found:", apiErr.StatusCode, apiErr.Code)
	}

	// Bad input is caught before anything is sent.
	_, err = client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID: "sApKpllz4sAplsmzha", Name: "Backwards", Percentage: jframework.Ptr(150.0),
		StartDate: start, EndDate: start.AddDate(0, 0, -1),
	})
	var ve *jframework.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Problem)
		}
	}
	fmt.Println("requests sent:", srv.Requests())
	// Output:
	// not found: 404 CouponNotFound
	// code is required
	// percentage must be between 0 and 100
	// endDate must not be before startDate
	// requests sent: 1
}

func ExampleClient_UpdateCoupon_rateLimit() {
	srv := seededServer()
	defer srv.Close()
	// The next request gets JFramework's 429 RateLimitExceeded; the client
	// waits for X-RateLimit-Reset (a millisecond away on the test server)
	// and retries.
	srv.FailNext(1, http.StatusTooManyRequests)
	client := srv.Client(jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 10 * time.Millisecond}))

	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	resp, err := client.UpdateCoupon(context.Background(), &jframework.UpdateCouponRequest{
		ID: "sApKpllz4sAplsmzha", Name: "Coupon 1", Code: "COUPON1", StartDate: start, EndDate: start.AddDate(1, 0, 0),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("attempts:", resp.Meta.Attempts)
	// Output: attempts: 2
}

func ExampleNewClient() {
	client, err := jframework.NewClient("https://shop.example.com", "my-auth-key",
		jframework.WithBaseURL("https://protocol.jframework.dev"), // the development host
		jframework.WithUserAgent("promo-service/1.4"),
		jframework.WithRetryPolicy(jframework.RetryPolicy{MaxRetries: 5, MinWait: time.Second, MaxWait: time.Minute}),
		jframework.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}),
	)
	fmt.Println(client != nil, err)
	// Output: true <nil>
}
