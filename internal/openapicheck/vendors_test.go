package openapicheck_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/internal/openapicheck"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// The SHA-256 of the vendors' documents as copied (testdata/README.md).
var documents = map[string]string{
	"testdata/bigcommerce-marketing.v2.yml":   "372ccbc861983db3cf0521977e45085347b269f1255ece48410a51ac443c7a83",
	"testdata/vtex-promotions-and-taxes.json": "6ad1b4bbb46f2512e953ab1383172b6027593a5b1204ed59e9e55c20faaeb630",
}

// TestVendorDocumentsAreUnchanged: the copies are the vendors' files, byte
// for byte.
func TestVendorDocumentsAreUnchanged(t *testing.T) {
	for name, want := range documents {
		b, err := os.ReadFile(name)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		assert.Equal(t, want, hex.EncodeToString(sum[:]), name)
	}
}

// load reads a vendor document; YAML (BigCommerce's) is converted to JSON
// with go.yaml.in/yaml/v3, testify's own dependency, used by tests only.
func load(t *testing.T, name string) *openapicheck.Doc {
	t.Helper()
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	if name[len(name)-4:] == ".yml" {
		var v any
		require.NoError(t, yaml.Unmarshal(b, &v))
		b, err = json.Marshal(v)
		require.NoError(t, err)
	}
	d, err := openapicheck.Load(b)
	require.NoError(t, err)
	return d
}

// recorder is a RoundTripper that keeps every request it forwards.
type recorder struct {
	mu   sync.Mutex
	reqs []openapicheck.Request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	c, err := openapicheck.FromHTTP(req)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, c)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) take() []openapicheck.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.reqs
	r.reqs = nil
	return out
}

// validates fails t unless every request validates against doc and each
// operation of ops was seen; allowed lists problems to tolerate (a known
// defect of the document), each by its exact text.
func validates(t *testing.T, doc *openapicheck.Doc, reqs []openapicheck.Request, ops []string, allowed ...string) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range reqs {
		id, probs := doc.Check(r)
		seen[id]++
		for _, p := range probs {
			ok := false
			for _, a := range allowed {
				ok = ok || p == a
			}
			assert.True(t, ok, "%s %s?%s %s: %s", r.Method, r.Path, r.Query.Encode(), r.Body, p)
		}
	}
	for _, op := range ops {
		assert.NotZero(t, seen[op], "no request of operation %s was checked", op)
	}
	t.Logf("validated %d requests: %v", len(reqs), seen)
}

// countriesAsList is the one deviation allowed for BigCommerce: its
// document types restricted_to.countries as a string, the v2 reference
// (and the SDK's RestrictedTo.Countries) as a list of ISO2 codes.
const countriesAsList = "body.restricted_to.countries: an array, want string"

// TestBigCommerceRequestsValidate sends every kind of request the SDK makes
// to BigCommerce (against bigcommercetest) and validates each against
// BigCommerce's own document: updateCoupon and getCoupons.
func TestBigCommerceRequestsValidate(t *testing.T) {
	doc := load(t, "testdata/bigcommerce-marketing.v2.yml")
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	rec := &recorder{}
	c := srv.Client(bigcommerce.WithHTTPClient(&http.Client{Transport: rec}))
	ctx := context.Background()
	exp := time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC)
	for id := 1; id <= 3; id++ {
		srv.AddCoupon(bigcommerce.Coupon{ID: id, Name: "C" + string(rune('0'+id)), Type: bigcommerce.PerTotalDiscount,
			Amount: "5.0000", MinPurchase: "0.0000", Enabled: true, Code: "CODE" + string(rune('0'+id)),
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}}})
	}

	// UpdateCoupon with every field set, restricted_to without countries
	// (validates as is) and with them (the allowed deviation).
	full := &bigcommerce.UpdateCouponRequest{ID: 1, Name: "Winter", Type: bigcommerce.PercentageDiscount, Amount: "10.00",
		Code: "WINTER", AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityProducts, IDs: []int{7, 9}},
		MinPurchase: bigcommerce.Ptr("25.00"), Expires: &exp, Enabled: bigcommerce.Ptr(true), MaxUses: bigcommerce.Ptr(100),
		MaxUsesPerCustomer: bigcommerce.Ptr(2), ShippingMethods: []string{"shipping_flatrate"},
		RestrictedTo: &bigcommerce.RestrictedTo{States: map[string][]string{"US": {"CA"}}, Zips: map[string][]string{"AU": {"2000"}}}}
	_, err := c.UpdateCoupon(ctx, full)
	require.NoError(t, err)
	validates(t, doc, rec.take(), []string{"updateCoupon"})
	full.RestrictedTo.Countries = []string{"AU", "NZ"}
	_, err = c.UpdateCoupon(ctx, full)
	require.NoError(t, err)
	validates(t, doc, rec.take(), []string{"updateCoupon"}, countriesAsList)

	// GetCoupon, ModifyCoupon (one read, one partial PUT), ModifyCoupons
	// and its dry run.
	_, err = c.GetCoupon(ctx, 2)
	require.NoError(t, err)
	_, err = c.ModifyCoupon(ctx, 2, func(r *bigcommerce.UpdateCouponRequest) error { r.Amount = "7.50"; return nil })
	require.NoError(t, err)
	_, err = c.ModifyCoupon(ctx, 2, func(r *bigcommerce.UpdateCouponRequest) error { r.Expires = &exp; return nil })
	require.NoError(t, err)
	for _, dry := range []bool{true, false} {
		for r := range c.ModifyCoupons(ctx, []int{1, 2, 3}, func(r *bigcommerce.UpdateCouponRequest) error {
			r.Enabled = bigcommerce.Ptr(false)
			return nil
		}, &bigcommerce.BulkOptions{DryRun: dry}) {
			require.NoError(t, r.Err)
		}
	}
	validates(t, doc, rec.take(), []string{"getCoupons", "updateCoupon"})

	// ListCoupons with no options and with every option.
	for _, opts := range []*bigcommerce.ListCouponsOptions{nil, {Code: "CODE1", Name: "C1", Type: bigcommerce.PerTotalDiscount, MinID: 1, MaxID: 3, PerPage: 1}} {
		for _, err := range c.ListCoupons(ctx, opts) {
			require.NoError(t, err)
		}
	}
	validates(t, doc, rec.take(), []string{"getCoupons"})
}

// TestUTMCouponRequestsValidate sends every kind of request the SDK makes
// to VTEX (against utmcoupontest) and validates each against VTEX's own
// document: CreateOrUpdateCoupon, Getall and Getbycouponcode. No deviation
// is allowed.
func TestUTMCouponRequestsValidate(t *testing.T) {
	doc := load(t, "testdata/vtex-promotions-and-taxes.json")
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	rec := &recorder{}
	c := srv.Client(utmcoupon.WithHTTPClient(&http.Client{Transport: rec}))
	ctx := context.Background()

	// UpdateCoupon with every field set, and with the pointers nil (left
	// out: the document types utmCampaign and maxUsage as non-nullable).
	for _, r := range []*utmcoupon.UpdateCouponRequest{
		{CouponCode: "SPRING", UtmSource: "news", UtmCampaign: utmcoupon.Ptr("spring"), IsArchived: true,
			MaxItemsPerClient: 3, ExpirationIntervalPerUse: 14 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(100)},
		{CouponCode: "SUMMER", UtmSource: "news", MaxItemsPerClient: 1},
	} {
		_, err := c.UpdateCoupon(ctx, r)
		require.NoError(t, err)
	}
	validates(t, doc, rec.take(), []string{"CreateOrUpdateCoupon"})

	// GetCoupon, ModifyCoupon, ModifyCoupons and its dry run.
	_, err := c.GetCoupon(ctx, "SPRING")
	require.NoError(t, err)
	_, err = c.ModifyCoupon(ctx, "SUMMER", func(r *utmcoupon.UpdateCouponRequest) error { r.MaxItemsPerClient = 2; return nil })
	require.NoError(t, err)
	_, err = c.ModifyCoupon(ctx, "SPRING", func(r *utmcoupon.UpdateCouponRequest) error { r.UtmCampaign, r.MaxUsage = nil, nil; return nil })
	require.NoError(t, err)
	for _, dry := range []bool{true, false} {
		for r := range c.ModifyCoupons(ctx, []string{"SPRING", "SUMMER"}, func(r *utmcoupon.UpdateCouponRequest) error {
			r.IsArchived = !r.IsArchived
			return nil
		}, &utmcoupon.BulkOptions{DryRun: dry}) {
			require.NoError(t, r.Err)
		}
	}
	validates(t, doc, rec.take(), []string{"Getbycouponcode", "CreateOrUpdateCoupon"})

	// ListCoupons (it has no options).
	for _, opts := range []*utmcoupon.ListCouponsOptions{nil, {}} {
		for _, err := range c.ListCoupons(ctx, opts) {
			require.NoError(t, err)
		}
	}
	validates(t, doc, rec.take(), []string{"Getall"})
}
