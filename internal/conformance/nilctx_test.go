package conformance_test

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/utmcoupon"
)

// publicCall is one public call of a vendor package made with ctx; it
// returns the errors it gave (a bulk call one per item, a listing its
// first).
type publicCall struct {
	name string
	do   func(ctx context.Context) []error
}

// single adapts a call returning (response, error).
func single[R any](f func() (R, error)) []error {
	_, err := f()
	return []error{err}
}

// firstOf is a listing's first error (or nil for a listing that yields a
// coupon first or nothing at all).
func firstOf[T any](seq iter.Seq2[T, error]) []error {
	for _, err := range seq {
		return []error{err}
	}
	return []error{nil}
}

// itemErrs is every item's error of a bulk call.
func itemErrs[R any](seq iter.Seq[R], errOf func(R) error) []error {
	var errs []error
	for r := range seq {
		errs = append(errs, errOf(r))
	}
	return errs
}

// publicCalls is every public call of every vendor package that takes a
// context, on clients of base.
func publicCalls(t *testing.T, base string) map[string][]publicCall {
	day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	bc, err := bigcommerce.NewClient("abc123", secretToken, bigcommerce.WithBaseURL(base))
	require.NoError(t, err)
	bcReq := &bigcommerce.UpdateCouponRequest{ID: 42, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.00", Code: "S2549JM0Y",
		AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}}
	bcChange := func(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "6.00"; return nil }

	pd, err := paddle.NewClient(4321, secretHex, paddle.WithBaseURL(base))
	require.NoError(t, err)
	pdReq := &paddle.UpdateCouponRequest{CouponCode: "SUMMER-2026", AllowedUses: paddle.Ptr(3)}

	pn, err := partnero.NewClient(secretToken, partnero.WithBaseURL(base))
	require.NoError(t, err)
	pnReq := &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Name: partnero.Ptr("PARTNERO25")}

	jf, err := jframework.NewClient("shop.example.com", secretToken, jframework.WithBaseURL(base))
	require.NoError(t, err)
	jfReq := &jframework.UpdateCouponRequest{ID: "c1", Name: "Coupon 1", Code: "COUPON1", Percentage: jframework.Ptr(10.0),
		StartDate: day, EndDate: day.AddDate(0, 1, 0)}
	jfChange := func(r *jframework.UpdateCouponRequest) error { r.Name = "Coupon 2"; return nil }

	utm, err := utmcoupon.NewClient("mystore", secretKey, secretToken, utmcoupon.WithBaseURL(base))
	require.NoError(t, err)
	utmReq := &utmcoupon.UpdateCouponRequest{CouponCode: "ctest", UtmSource: "cupom3", MaxItemsPerClient: 1}
	utmChange := func(r *utmcoupon.UpdateCouponRequest) error { r.UtmCampaign = utmcoupon.Ptr("x"); return nil }

	return map[string][]publicCall{
		"bigcommerce": {
			{"UpdateCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return bc.UpdateCoupon(ctx, bcReq) })
			}},
			{"GetCoupon", func(ctx context.Context) []error { return single(func() (any, error) { return bc.GetCoupon(ctx, 42) }) }},
			{"ListCoupons", func(ctx context.Context) []error { return firstOf(bc.ListCoupons(ctx, nil)) }},
			{"ModifyCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return bc.ModifyCoupon(ctx, 42, bcChange) })
			}},
			{"UpdateCoupons", func(ctx context.Context) []error {
				return itemErrs(bc.UpdateCoupons(ctx, []*bigcommerce.UpdateCouponRequest{bcReq, bcReq}, nil),
					func(r bigcommerce.UpdateResult) error { return r.Err })
			}},
			{"ModifyCoupons", func(ctx context.Context) []error {
				return itemErrs(bc.ModifyCoupons(ctx, []int{42, 43}, bcChange, nil), func(r bigcommerce.ModifyResult) error { return r.Err })
			}},
		},
		"paddle": {
			{"UpdateCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return pd.UpdateCoupon(ctx, pdReq) })
			}},
			{"ListCoupons", func(ctx context.Context) []error {
				return firstOf(pd.ListCoupons(ctx, &paddle.ListCouponsOptions{ProductID: 1}))
			}},
			{"UpdateCoupons", func(ctx context.Context) []error {
				return itemErrs(pd.UpdateCoupons(ctx, []*paddle.UpdateCouponRequest{pdReq, pdReq}, nil),
					func(r paddle.UpdateResult) error { return r.Err })
			}},
		},
		"partnero": {
			{"UpdateCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return pn.UpdateCoupon(ctx, pnReq) })
			}},
			{"ListCoupons", func(ctx context.Context) []error { return firstOf(pn.ListCoupons(ctx, nil)) }},
			{"UpdateCoupons", func(ctx context.Context) []error {
				return itemErrs(pn.UpdateCoupons(ctx, []*partnero.UpdateCouponRequest{pnReq, pnReq}, nil),
					func(r partnero.UpdateResult) error { return r.Err })
			}},
		},
		"jframework": {
			{"UpdateCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return jf.UpdateCoupon(ctx, jfReq) })
			}},
			{"GetCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return jf.GetCoupon(ctx, "c1") })
			}},
			{"ListCoupons", func(ctx context.Context) []error { return firstOf(jf.ListCoupons(ctx, nil)) }},
			{"ModifyCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return jf.ModifyCoupon(ctx, "c1", jfChange) })
			}},
			{"UpdateCoupons", func(ctx context.Context) []error {
				return itemErrs(jf.UpdateCoupons(ctx, []*jframework.UpdateCouponRequest{jfReq, jfReq}, nil),
					func(r jframework.UpdateResult) error { return r.Err })
			}},
			{"ModifyCoupons", func(ctx context.Context) []error {
				return itemErrs(jf.ModifyCoupons(ctx, []string{"c1", "c2"}, jfChange, nil), func(r jframework.ModifyResult) error { return r.Err })
			}},
		},
		"utmcoupon": {
			{"UpdateCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return utm.UpdateCoupon(ctx, utmReq) })
			}},
			{"GetCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return utm.GetCoupon(ctx, "ctest") })
			}},
			{"ListCoupons", func(ctx context.Context) []error { return firstOf(utm.ListCoupons(ctx, nil)) }},
			{"ModifyCoupon", func(ctx context.Context) []error {
				return single(func() (any, error) { return utm.ModifyCoupon(ctx, "ctest", utmChange) })
			}},
			{"UpdateCoupons", func(ctx context.Context) []error {
				return itemErrs(utm.UpdateCoupons(ctx, []*utmcoupon.UpdateCouponRequest{utmReq, utmReq}, nil),
					func(r utmcoupon.UpdateResult) error { return r.Err })
			}},
			{"ModifyCoupons", func(ctx context.Context) []error {
				return itemErrs(utm.ModifyCoupons(ctx, []string{"ctest", "other"}, utmChange, nil), func(r utmcoupon.ModifyResult) error { return r.Err })
			}},
		},
	}
}

// TestNilContextIsAnError: every public call of every vendor package that
// takes a context answers a nil one with an error naming the vendor
// (every item of a bulk call, the first yield of a listing), never a
// panic, and sends nothing.
func TestNilContextIsAnError(t *testing.T) {
	s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusTeapot) })
	calls := publicCalls(t, s.URL)
	want := map[string]int{"bigcommerce": 6, "paddle": 3, "partnero": 3, "jframework": 6, "utmcoupon": 6}
	for _, v := range vendors {
		require.Len(t, calls[v.name], want[v.name], "%s: every public call with a context", v.name)
		for _, c := range calls[v.name] {
			t.Run(v.name+"/"+c.name, func(t *testing.T) {
				var nilCtx context.Context
				var errs []error
				require.NotPanics(t, func() { errs = c.do(nilCtx) })
				require.NotEmpty(t, errs)
				for _, err := range errs {
					require.Error(t, err)
					assert.ErrorIs(t, err, api.ErrNotSent)
					assert.Contains(t, err.Error(), "nil context.Context")
					assert.True(t, strings.HasPrefix(err.Error(), v.name+": "), err.Error())
				}
			})
		}
	}
	assert.Zero(t, s.n.Load(), "nothing was sent")
}

// TestPlainHTTPBaseURLRefused: WithBaseURL refuses a plain http:// URL to a
// host that is not a loopback one (the credentials would travel in clear
// text), with a NewClient error naming the vendor and the option; loopback
// hosts (the test servers), https and WithInsecureHTTP (in either order)
// are accepted, and a client on the loopback test server still works.
func TestPlainHTTPBaseURLRefused(t *testing.T) {
	s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) { w.WriteHeader(http.StatusTeapot) })
	type ctor struct {
		name string
		// build is NewClient with WithBaseURL(base), WithInsecureHTTP()
		// before or after it when insecure is "before" or "after".
		build func(base, insecure string) (update func() error, err error)
	}
	withInsecure := func(insecure string, base, flag any) []any {
		switch insecure {
		case "before":
			return []any{flag, base}
		case "after":
			return []any{base, flag}
		}
		return []any{base}
	}
	ctors := []ctor{
		{"bigcommerce", func(base, insecure string) (func() error, error) {
			var opts []bigcommerce.Option
			for _, o := range withInsecure(insecure, bigcommerce.WithBaseURL(base), bigcommerce.WithInsecureHTTP()) {
				opts = append(opts, o.(bigcommerce.Option))
			}
			c, err := bigcommerce.NewClient("abc123", secretToken, opts...)
			return func() error { _, err := c.GetCoupon(context.Background(), 1); return err }, err
		}},
		{"paddle", func(base, insecure string) (func() error, error) {
			var opts []paddle.Option
			for _, o := range withInsecure(insecure, paddle.WithBaseURL(base), paddle.WithInsecureHTTP()) {
				opts = append(opts, o.(paddle.Option))
			}
			c, err := paddle.NewClient(4321, secretHex, opts...)
			return func() error {
				_, err := c.UpdateCoupon(context.Background(), &paddle.UpdateCouponRequest{CouponCode: "SUMMER-2026", AllowedUses: paddle.Ptr(1)})
				return err
			}, err
		}},
		{"partnero", func(base, insecure string) (func() error, error) {
			var opts []partnero.Option
			for _, o := range withInsecure(insecure, partnero.WithBaseURL(base), partnero.WithInsecureHTTP()) {
				opts = append(opts, o.(partnero.Option))
			}
			c, err := partnero.NewClient(secretToken, opts...)
			return func() error {
				_, err := c.UpdateCoupon(context.Background(), &partnero.UpdateCouponRequest{UUIDCode: "u", Name: partnero.Ptr("n")})
				return err
			}, err
		}},
		{"jframework", func(base, insecure string) (func() error, error) {
			var opts []jframework.Option
			for _, o := range withInsecure(insecure, jframework.WithBaseURL(base), jframework.WithInsecureHTTP()) {
				opts = append(opts, o.(jframework.Option))
			}
			c, err := jframework.NewClient("shop.example.com", secretToken, opts...)
			return func() error { _, err := c.GetCoupon(context.Background(), "c1"); return err }, err
		}},
		{"utmcoupon", func(base, insecure string) (func() error, error) {
			var opts []utmcoupon.Option
			for _, o := range withInsecure(insecure, utmcoupon.WithBaseURL(base), utmcoupon.WithInsecureHTTP()) {
				opts = append(opts, o.(utmcoupon.Option))
			}
			c, err := utmcoupon.NewClient("mystore", secretKey, secretToken, opts...)
			return func() error { _, err := c.GetCoupon(context.Background(), "ctest"); return err }, err
		}},
	}
	require.Len(t, ctors, len(vendors))
	for _, v := range ctors {
		t.Run(v.name, func(t *testing.T) {
			for _, base := range []string{"http://api.example.com", "http://10.0.0.7:8080/api", "http://127.0.0.1.example.com", "http://localhost.example.com"} {
				_, err := v.build(base, "")
				require.Error(t, err, base)
				assert.True(t, strings.HasPrefix(err.Error(), v.name+": WithBaseURL: "), err.Error())
				assert.Contains(t, err.Error(), "clear text")
				assert.Contains(t, err.Error(), "WithInsecureHTTP")
				assert.NotContains(t, err.Error(), secretToken)
				for _, order := range []string{"before", "after"} {
					_, err := v.build(base, order)
					assert.NoError(t, err, "%s with WithInsecureHTTP %s it", base, order)
				}
			}
			for _, base := range []string{"https://api.example.com", "http://localhost:8080", "http://LOCALHOST", "http://127.0.0.1",
				"http://127.0.0.2:9000/x", "http://[::1]:8080", s.URL} {
				_, err := v.build(base, "")
				assert.NoError(t, err, base)
			}
			before := s.n.Load()
			update, err := v.build(s.URL, "")
			require.NoError(t, err)
			err = update()
			assert.Error(t, err, "the test server answers 418")
			t.Log(err)
			assert.Greater(t, s.n.Load(), before, "the loopback test server is reached")
		})
	}
}

// errOf is the error of a constructor's results.
func errOf[C any](_ C, err error) error { return err }

// TestOptionErrorsNameTheVendor: an invalid option's error starts with the
// vendor's name and the option's, never "couponkit:".
func TestOptionErrorsNameTheVendor(t *testing.T) {
	bad := api.RetryPolicy{MinWait: -1}
	errs := map[string][]error{}
	add := func(name string, err error) { errs[name] = append(errs[name], err) }
	for _, o := range []bigcommerce.Option{bigcommerce.WithRetryPolicy(bad), bigcommerce.WithLogger(nil), bigcommerce.WithHTTPClient(nil),
		bigcommerce.WithUserAgent(""), bigcommerce.WithBaseURL("ftp://x")} {
		add("bigcommerce", errOf(bigcommerce.NewClient("abc123", secretToken, o)))
	}
	for _, o := range []paddle.Option{paddle.WithRetryPolicy(bad), paddle.WithLogger(nil), paddle.WithHTTPClient(nil),
		paddle.WithUserAgent(""), paddle.WithBaseURL("ftp://x")} {
		add("paddle", errOf(paddle.NewClient(4321, secretHex, o)))
	}
	for _, o := range []partnero.Option{partnero.WithRetryPolicy(bad), partnero.WithLogger(nil), partnero.WithHTTPClient(nil),
		partnero.WithUserAgent(""), partnero.WithBaseURL("ftp://x")} {
		add("partnero", errOf(partnero.NewClient(secretToken, o)))
	}
	for _, o := range []jframework.Option{jframework.WithRetryPolicy(bad), jframework.WithLogger(nil), jframework.WithHTTPClient(nil),
		jframework.WithUserAgent(""), jframework.WithBaseURL("ftp://x")} {
		add("jframework", errOf(jframework.NewClient("shop.example.com", secretToken, o)))
	}
	for _, o := range []utmcoupon.Option{utmcoupon.WithRetryPolicy(bad), utmcoupon.WithLogger(nil), utmcoupon.WithHTTPClient(nil),
		utmcoupon.WithUserAgent(""), utmcoupon.WithBaseURL("ftp://x")} {
		add("utmcoupon", errOf(utmcoupon.NewClient("mystore", secretKey, secretToken, o)))
	}
	for _, v := range vendors {
		require.Len(t, errs[v.name], 5, v.name)
		for _, err := range errs[v.name] {
			if assert.Error(t, err, v.name) {
				assert.Regexp(t, `^`+v.name+`: With(RetryPolicy|Logger|HTTPClient|UserAgent|BaseURL): `, err.Error())
			}
		}
	}
}
