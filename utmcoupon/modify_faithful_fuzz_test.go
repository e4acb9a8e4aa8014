package utmcoupon_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
)

// modeledFields are the names VTEX's coupon decoder reads.
var modeledFields = []string{"lastModifiedUtc", "utmSource", "utmCampaign", "couponCode", "isArchived",
	"maxItemsPerClient", "expirationIntervalPerUse", "maxUsage", "groupingKey"}

// FuzzModifyCouponSendsTheReadExceptTheChange: a valid read plus one
// field of any name and JSON value the SDK does not model, one field
// changed: the upsert body is exactly what the rule prescribes (the
// coupon as read minus lastModifiedUtc and groupingKey, the extra field
// included, every null left out at any depth, with the changed field in
// its typed encoding).
func FuzzModifyCouponSendsTheReadExceptTheChange(f *testing.F) {
	f.Add("x_label", []byte(`"s"`), uint8(0))
	f.Add("x", []byte(`{"a":[1,null],"b":{"c":null}}`), uint8(1))
	f.Add("n", []byte(`1.50`), uint8(2))
	f.Add("z", []byte(`null`), uint8(3))
	f.Add("\u00e9\"q", []byte(` [null, "x", {"y": null}] `), uint8(4))
	f.Add("s", []byte(`"null"`), uint8(0))
	changes := []struct {
		change       func(*utmcoupon.UpdateCouponRequest)
		field, value string
	}{
		{func(r *utmcoupon.UpdateCouponRequest) { r.IsArchived = true }, "isArchived", `true`},
		{func(r *utmcoupon.UpdateCouponRequest) { r.MaxItemsPerClient = 4 }, "maxItemsPerClient", `4`},
		{func(r *utmcoupon.UpdateCouponRequest) { r.ExpirationIntervalPerUse = 36 * time.Hour }, "expirationIntervalPerUse", `"1.12:00:00"`},
		{func(r *utmcoupon.UpdateCouponRequest) { r.MaxUsage = utmcoupon.Ptr(10) }, "maxUsage", `10`},
		{func(r *utmcoupon.UpdateCouponRequest) { r.UtmCampaign = utmcoupon.Ptr("spring") }, "utmCampaign", `"spring"`},
	}
	mt := httpmock.NewMockTransport()
	m := testutil.NewModifyFuzz(mt, couponURL+"/SPRING", func(read string) string { return read }, http.MethodPost, couponURL, faithfulRead)
	c, err := utmcoupon.NewClient(account, appKey, appToken, utmcoupon.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		f.Fatal(err)
	}
	rule := testutil.Rule{ReadOnly: []string{"lastModifiedUtc", "groupingKey"}, NoNull: true}
	f.Fuzz(func(t *testing.T, key string, val []byte, which uint8) {
		ch := changes[int(which)%len(changes)]
		m.Check(t, rule, faithfulRead, key, val, modeledFields, ch.field, ch.value, func() error {
			_, err := c.ModifyCoupon(context.Background(), "SPRING", func(r *utmcoupon.UpdateCouponRequest) error {
				ch.change(r)
				return nil
			})
			return err
		})
	})
}
