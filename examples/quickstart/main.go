// Command quickstart shows couponkit end to end without a network, an
// account or a credential: it starts the five vendor test servers
// in-process, seeds one coupon in each, updates every coupon through the
// public API, and prints what happened.
//
// Two of the calls show the SDK's safety nets: the JFramework update is
// answered once with a 429 rate limit and succeeds on the automatic retry,
// and a BigCommerce update that leaves out applies_to (which BigCommerce
// would silently clear) is rejected before anything is sent.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
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

// main runs the quickstart and exits non-zero, with the reason on stderr,
// if anything did not go as described.
func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart failed:", err)
		os.Exit(1)
	}
}

// row is one line of the printed table.
type row struct {
	vendor   string
	change   string
	result   string
	attempts int
	latency  time.Duration // 0: nothing was sent
}

// servers are the five in-process vendor emulations.
type servers struct {
	bigcommerce *bigcommercetest.Server
	paddle      *paddletest.Server
	partnero    *partnerotest.Server
	jframework  *jframeworktest.Server
	utmcoupon   *utmcoupontest.Server
}

// startServers starts the five test servers; closeAll closes them all.
func startServers() (s servers, closeAll func()) {
	s = servers{
		bigcommerce: bigcommercetest.NewServer(),
		paddle:      paddletest.NewServer(),
		partnero:    partnerotest.NewServer(),
		jframework:  jframeworktest.NewServer(),
		utmcoupon:   utmcoupontest.NewServer(),
	}
	return s, func() {
		s.bigcommerce.Close()
		s.paddle.Close()
		s.partnero.Close()
		s.jframework.Close()
		s.utmcoupon.Close()
	}
}

// run performs the demo and writes its report to w. It returns an error
// when any step does not behave as the quickstart says it will.
func run(w io.Writer) error {
	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	srv, closeAll := startServers()
	defer closeAll()

	// Dates relative to today, so that the demo never tries to set an
	// expiry in the past (Paddle refuses one).
	today := time.Now().UTC().Truncate(24 * time.Hour)

	steps := []struct {
		name string
		do   func() (row, error)
	}{
		{"bigcommerce", func() (row, error) { return updateBigCommerce(ctx, srv.bigcommerce, today) }},
		{"paddle", func() (row, error) { return updatePaddle(ctx, srv.paddle, today) }},
		{"partnero", func() (row, error) { return updatePartnero(ctx, srv.partnero) }},
		{"jframework", func() (row, error) { return updateJFramework(ctx, srv.jframework, today) }},
		{"utmcoupon", func() (row, error) { return updateUTMCoupon(ctx, srv.utmcoupon) }},
	}
	var rows []row
	for _, s := range steps {
		r, err := s.do()
		if err != nil {
			return fmt.Errorf("%s update: %w", s.name, err)
		}
		rows = append(rows, r)
	}
	invalid, fields, err := invalidBigCommerce(ctx, srv.bigcommerce)
	if err != nil {
		return fmt.Errorf("bigcommerce validation: %w", err)
	}
	rows = append(rows, invalid)

	fmt.Fprintln(w, "couponkit quickstart: five vendor test servers running in this process (no network, no credentials)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VENDOR\tWHAT CHANGED\tRESULT\tATTEMPTS\tLATENCY")
	for _, r := range rows {
		latency := "-"
		if r.latency > 0 {
			latency = fmt.Sprintf("%.1fms", float64(r.latency.Microseconds())/1000)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", r.vendor, r.change, r.result, r.attempts, latency)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "The invalid request's *ValidationError (bigcommercetest received 0 requests for it):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range fields {
		fmt.Fprintf(tw, "  %s\t%s\n", f.Field, f.Problem)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "Summary: %d of %d updates applied (1 after a 429 and one retry), 1 invalid request stopped before sending, in %.1fms.\n",
		len(steps), len(steps), float64(time.Since(began).Microseconds())/1000)
	fmt.Fprintln(w, "\nNext: change one field of many coupons without losing the others, at the vendor's pace,")
	fmt.Fprintln(w, "from the command line (README \"From the command line\"):")
	fmt.Fprintln(w, "  go run ./examples/couponctl -demo set -vendor bigcommerce -keys 1-300 -yes expires+=7d")
	return nil
}

// timed runs call and returns how long it took.
func timed(call func()) time.Duration {
	start := time.Now()
	call()
	return time.Since(start)
}

// updateBigCommerce raises a coupon's discount and sets its expiry. The
// PUT carries applies_to, which BigCommerce would clear if it were left out.
func updateBigCommerce(ctx context.Context, srv *bigcommercetest.Server, today time.Time) (row, error) {
	srv.AddCoupon(bigcommerce.Coupon{
		ID: 7, Name: "Summer sale", Type: bigcommerce.PercentageDiscount, Amount: "10.0000", Code: "SUMMER15",
		Enabled: true, AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
	})
	expires := today.AddDate(0, 0, 30)
	client := srv.Client(bigcommerce.WithUserAgent("couponkit-quickstart"))

	var resp *bigcommerce.UpdateCouponResponse
	var err error
	latency := timed(func() {
		resp, err = client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
			ID: 7, Name: "Summer sale", Type: bigcommerce.PercentageDiscount, Amount: "15.00", Code: "SUMMER15",
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
			Expires:   &expires,
		})
	})
	if err != nil {
		return row{}, err
	}
	c := resp.Coupon
	if c.Amount != "15.0000" || c.Expires == nil || !c.Expires.Equal(expires) || c.AppliesTo == nil {
		return row{}, fmt.Errorf("unexpected coupon after update: amount %q, expires %v, applies_to %v", c.Amount, c.Expires, c.AppliesTo)
	}
	return row{
		vendor:   "bigcommerce",
		change:   fmt.Sprintf("#7 %s: 10%% -> 15%% off, expires %s", c.Code, c.Expires.Format(time.DateOnly)),
		result:   "ok",
		attempts: resp.Meta.Attempts,
		latency:  latency,
	}, nil
}

// updatePaddle raises a flat coupon's amount and extends its expiry.
func updatePaddle(ctx context.Context, srv *paddletest.Server, today time.Time) (row, error) {
	oldExpiry := today.AddDate(0, 0, 7)
	srv.AddCoupon(paddletest.Coupon{
		Code: "SPRING-2026", Group: "spring", ProductIDs: []int{499531}, Expires: &oldExpiry,
		AllowedUses: 100, DiscountType: paddletest.Flat, Currency: paddle.USD, DiscountAmount: 5,
	})
	newExpiry := today.AddDate(0, 3, 0)
	client := srv.Client()

	var resp *paddle.UpdateCouponResponse
	var err error
	latency := timed(func() {
		resp, err = client.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{
			CouponCode:     "SPRING-2026",
			Expires:        &newExpiry,
			Currency:       paddle.USD, // required with the amount of a flat coupon
			DiscountAmount: paddle.Ptr(7.50),
		})
	})
	if err != nil {
		return row{}, err
	}
	c, ok := srv.Coupon("SPRING-2026")
	if resp.Updated != 1 || !ok || c.DiscountAmount != 7.5 || c.Expires == nil || !c.Expires.Equal(newExpiry) {
		return row{}, fmt.Errorf("unexpected coupon after update: updated %d, amount %v, expires %v", resp.Updated, c.DiscountAmount, c.Expires)
	}
	return row{
		vendor:   "paddle",
		change:   "SPRING-2026: $5.00 -> $7.50, expires " + newExpiry.Format(time.DateOnly),
		result:   "ok",
		attempts: resp.Meta.Attempts,
		latency:  latency,
	}, nil
}

// updatePartnero records a redemption keyed by the order's transaction, so
// that a repeated call cannot count it twice.
func updatePartnero(ctx context.Context, srv *partnerotest.Server) (row, error) {
	srv.AddCoupon(partnero.Coupon{
		UUIDCode: "coupon_123", Name: "PARTNERO25", Active: true,
		DiscountType: "percent", DiscountAmount: 25, DurationType: "once",
	})
	client := srv.Client()

	var resp *partnero.UpdateCouponResponse
	var err error
	latency := timed(func() {
		resp, err = client.UpdateCoupon(ctx, &partnero.UpdateCouponRequest{
			UUIDCode:       "coupon_123",
			Redeem:         partnero.Ptr(true),
			TransactionKey: partnero.Ptr("order_4561"),
		})
	})
	if err != nil {
		return row{}, err
	}
	c := resp.Coupon
	if c.TimesRedeemed != 1 || len(c.Redemptions) != 1 || c.Redemptions[0].TransactionKey != "order_4561" {
		return row{}, fmt.Errorf("unexpected coupon after redemption: times_redeemed %d, redemptions %v", c.TimesRedeemed, c.Redemptions)
	}
	return row{
		vendor:   "partnero",
		change:   "coupon_123: redeemed by order_4561 (1 use)",
		result:   "ok",
		attempts: resp.Meta.Attempts,
		latency:  latency,
	}, nil
}

// updateJFramework changes a coupon's percentage and end date. The server is
// told to answer the first attempt with 429 RateLimitExceeded; the client
// waits (capped by MaxWait) and retries on its own.
func updateJFramework(ctx context.Context, srv *jframeworktest.Server, today time.Time) (row, error) {
	start := today.AddDate(0, 0, -14)
	srv.AddCoupon(jframework.Coupon{
		ID: "sApKpllz4sAplsmzha", Code: "JULY10", Name: "July 10", Status: jframework.StatusActive,
		Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(500),
		StartDate: start, EndDate: today.AddDate(0, 0, 14),
	})
	end := today.AddDate(0, 0, 45)
	srv.FailNext(1, http.StatusTooManyRequests)
	// Small waits keep the demo quick: the retry waits at most 50ms instead
	// of the second or so the server asks for. Production code would
	// normally keep the defaults (3 retries, 500ms first step, 30s cap).
	client := srv.Client(jframework.WithRetryPolicy(jframework.RetryPolicy{
		MaxRetries: 2, MinWait: 5 * time.Millisecond, MaxWait: 50 * time.Millisecond,
	}))

	var resp *jframework.UpdateCouponResponse
	var err error
	latency := timed(func() {
		resp, err = client.UpdateCoupon(ctx, &jframework.UpdateCouponRequest{
			ID: "sApKpllz4sAplsmzha", Name: "July 10", Code: "JULY10",
			// A PUT replaces the coupon: send every value to keep.
			Percentage: jframework.Ptr(20.0), Quantity: jframework.Ptr(500),
			StartDate: start, EndDate: end, Status: jframework.StatusActive,
		})
	})
	if err != nil {
		return row{}, err
	}
	c := resp.Coupon
	if c.Percentage == nil || *c.Percentage != 20 || !c.EndDate.Equal(end) || resp.Meta.Attempts != 2 {
		return row{}, fmt.Errorf("unexpected result: percentage %v, end %v, attempts %d (want 20, %v, 2)", c.Percentage, c.EndDate, resp.Meta.Attempts, end)
	}
	return row{
		vendor:   "jframework",
		change:   fmt.Sprintf("JULY10: 10%% -> 20%% off, ends %s", c.EndDate.Format(time.DateOnly)),
		result:   "ok after a 429, retried",
		attempts: resp.Meta.Attempts,
		latency:  latency,
	}, nil
}

// updateUTMCoupon moves a VTEX coupon to a new campaign and a longer
// per-use expiration interval. The upsert replaces the whole coupon, so the
// fields that stay the same are sent too.
func updateUTMCoupon(ctx context.Context, srv *utmcoupontest.Server) (row, error) {
	srv.AddCoupon(utmcoupon.Coupon{
		CouponCode: "NEWSLETTER15", UtmSource: "newsletter", UtmCampaign: "spring-2026",
		MaxItemsPerClient: 1, ExpirationIntervalPerUse: 7 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
	})
	client := srv.Client()

	var resp *utmcoupon.UpdateCouponResponse
	var err error
	latency := timed(func() {
		resp, err = client.UpdateCoupon(ctx, &utmcoupon.UpdateCouponRequest{
			CouponCode:               "NEWSLETTER15",
			UtmSource:                "newsletter",
			UtmCampaign:              utmcoupon.Ptr("summer-2026"),
			MaxItemsPerClient:        1,
			ExpirationIntervalPerUse: 14 * 24 * time.Hour,
			MaxUsage:                 utmcoupon.Ptr(500),
		})
	})
	if err != nil {
		return row{}, err
	}
	c := resp.Coupon
	if resp.Created || c.UtmCampaign != "summer-2026" || c.ExpirationIntervalPerUse != 14*24*time.Hour {
		return row{}, fmt.Errorf("unexpected coupon after upsert: created %v, campaign %q, interval %v", resp.Created, c.UtmCampaign, c.ExpirationIntervalPerUse)
	}
	return row{
		vendor:   "utmcoupon (VTEX)",
		change:   "NEWSLETTER15: campaign summer-2026, 14d per use",
		result:   "ok (upsert replaced it)",
		attempts: resp.Meta.Attempts,
		latency:  latency,
	}, nil
}

// invalidBigCommerce sends (or rather, tries to send) a PUT that leaves out
// applies_to and uses a code with a character BigCommerce refuses. The
// client rejects it with a *ValidationError before any request is made,
// which the server's request count proves.
func invalidBigCommerce(ctx context.Context, srv *bigcommercetest.Server) (row, []bigcommerce.FieldError, error) {
	before := srv.Requests()
	_, err := srv.Client().UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: 7, Name: "Summer sale", Type: bigcommerce.PercentageDiscount, Amount: "20.00",
		Code: "SUMMER20%", // '%' is not allowed; AppliesTo is missing
	})
	var ve *bigcommerce.ValidationError
	switch {
	case err == nil:
		return row{}, nil, errors.New("an invalid request was accepted")
	case !errors.As(err, &ve):
		return row{}, nil, fmt.Errorf("want a *ValidationError, got %w", err)
	case !errors.Is(err, bigcommerce.ErrInvalidRequest):
		return row{}, nil, fmt.Errorf("a *ValidationError that does not match ErrInvalidRequest: %w", err)
	}
	if sent := srv.Requests() - before; sent != 0 {
		return row{}, nil, fmt.Errorf("the invalid request reached the server (%d requests)", sent)
	}
	names := make([]string, len(ve.Fields))
	for i, f := range ve.Fields {
		names[i] = f.Field
	}
	return row{
		vendor:   "bigcommerce",
		change:   "#7: PUT without applies_to, bad code",
		result:   "invalid, not sent (" + strings.Join(names, ", ") + ")",
		attempts: 0,
	}, ve.Fields, nil
}
