package bulkcheck_test

import (
	"fmt"
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

// quotaServer is what the pacing tests need of a vendor test server.
type quotaServer interface {
	SetRateLimit(limit int, window time.Duration)
	Requests() int
	RateLimited() int
	Windows() int
	Close()
}

// bulkVendor runs n updates through one new client of a shared server.
type bulkVendor struct {
	name string
	// start starts a server seeded with n coupons.
	start func(n int) (quotaServer, func() bulkRunner)
}

// bulkRunner is one client: run sends the n updates with UpdateCoupons and
// returns the errors.
type bulkRunner func(n int, concurrency int, rps float64) []error

func collect[R any](seq func(func(R) bool), errOf func(R) error) []error {
	var errs []error
	for r := range seq {
		if err := errOf(r); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

var day = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func bigcommerceBulk() bulkVendor {
	return bulkVendor{name: "bigcommerce", start: func(n int) (quotaServer, func() bulkRunner) {
		srv := bigcommercetest.NewServer()
		for i := 1; i <= n; i++ {
			srv.AddCoupon(bigcommerce.Coupon{ID: i, Name: fmt.Sprintf("C%d", i), Type: bigcommerce.PercentageDiscount,
				Amount: "10.00", Code: fmt.Sprintf("C%d", i), Enabled: true,
				AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
		}
		return srv, func() bulkRunner {
			c := srv.Client()
			return func(n, conc int, rps float64) []error {
				reqs := make([]*bigcommerce.UpdateCouponRequest, n)
				for i := range reqs {
					reqs[i] = &bigcommerce.UpdateCouponRequest{ID: i + 1, Name: fmt.Sprintf("C%d", i+1), Type: bigcommerce.PercentageDiscount,
						Amount: "15.00", Code: fmt.Sprintf("C%d", i+1),
						AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}}
				}
				return collect(c.UpdateCoupons(ctx(), reqs, &bigcommerce.BulkOptions{Concurrency: conc, RequestsPerSecond: rps}),
					func(r bigcommerce.UpdateResult) error { return r.Err })
			}
		}
	}}
}

func jframeworkBulk() bulkVendor {
	return bulkVendor{name: "jframework", start: func(n int) (quotaServer, func() bulkRunner) {
		srv := jframeworktest.NewServer()
		for i := 1; i <= n; i++ {
			srv.AddCoupon(jframework.Coupon{ID: fmt.Sprint(i), Code: fmt.Sprintf("C%d", i), Name: fmt.Sprintf("C%d", i),
				StartDate: day, EndDate: day.AddDate(0, 1, 0), Status: jframework.StatusActive})
		}
		return srv, func() bulkRunner {
			c := srv.Client()
			return func(n, conc int, rps float64) []error {
				reqs := make([]*jframework.UpdateCouponRequest, n)
				for i := range reqs {
					reqs[i] = &jframework.UpdateCouponRequest{ID: fmt.Sprint(i + 1), Code: fmt.Sprintf("C%d", i+1), Name: fmt.Sprintf("C%d", i+1),
						StartDate: day, EndDate: day.AddDate(0, 2, 0), Percentage: jframework.Ptr(20.0)}
				}
				return collect(c.UpdateCoupons(ctx(), reqs, &jframework.BulkOptions{Concurrency: conc, RequestsPerSecond: rps}),
					func(r jframework.UpdateResult) error { return r.Err })
			}
		}
	}}
}

func utmcouponBulk() bulkVendor {
	return bulkVendor{name: "utmcoupon", start: func(n int) (quotaServer, func() bulkRunner) {
		srv := utmcoupontest.NewServer()
		for i := 1; i <= n; i++ {
			srv.AddCoupon(utmcoupon.Coupon{CouponCode: fmt.Sprintf("C%d", i), UtmSource: "newsletter"})
		}
		return srv, func() bulkRunner {
			c := srv.Client()
			return func(n, conc int, rps float64) []error {
				reqs := make([]*utmcoupon.UpdateCouponRequest, n)
				for i := range reqs {
					reqs[i] = &utmcoupon.UpdateCouponRequest{CouponCode: fmt.Sprintf("C%d", i+1), UtmSource: "newsletter",
						MaxItemsPerClient: 2, ExpirationIntervalPerUse: 14 * 24 * time.Hour}
				}
				return collect(c.UpdateCoupons(ctx(), reqs, &utmcoupon.BulkOptions{Concurrency: conc, RequestsPerSecond: rps}),
					func(r utmcoupon.UpdateResult) error { return r.Err })
			}
		}
	}}
}

func paddleBulk() bulkVendor {
	return bulkVendor{name: "paddle", start: func(n int) (quotaServer, func() bulkRunner) {
		srv := paddletest.NewServer()
		for i := 1; i <= n; i++ {
			srv.AddCoupon(paddletest.Coupon{Code: fmt.Sprintf("CODE-%05d", i), AllowedUses: 10})
		}
		return srv, func() bulkRunner {
			c := srv.Client()
			return func(n, conc int, rps float64) []error {
				reqs := make([]*paddle.UpdateCouponRequest, n)
				for i := range reqs {
					reqs[i] = &paddle.UpdateCouponRequest{CouponCode: fmt.Sprintf("CODE-%05d", i+1), AllowedUses: paddle.Ptr(20)}
				}
				return collect(c.UpdateCoupons(ctx(), reqs, &paddle.BulkOptions{Concurrency: conc, RequestsPerSecond: rps}),
					func(r paddle.UpdateResult) error { return r.Err })
			}
		}
	}}
}

func partneroBulk() bulkVendor {
	return bulkVendor{name: "partnero", start: func(n int) (quotaServer, func() bulkRunner) {
		srv := partnerotest.NewServer()
		for i := 1; i <= n; i++ {
			srv.AddCoupon(partnero.Coupon{UUIDCode: fmt.Sprintf("uuid-%d", i), Name: "c", Active: true})
		}
		return srv, func() bulkRunner {
			c := srv.Client()
			return func(n, conc int, rps float64) []error {
				reqs := make([]*partnero.UpdateCouponRequest, n)
				for i := range reqs {
					reqs[i] = &partnero.UpdateCouponRequest{UUIDCode: fmt.Sprintf("uuid-%d", i+1), Name: partnero.Ptr("renamed")}
				}
				return collect(c.UpdateCoupons(ctx(), reqs, &partnero.BulkOptions{Concurrency: conc, RequestsPerSecond: rps}),
					func(r partnero.UpdateResult) error { return r.Err })
			}
		}
	}}
}
