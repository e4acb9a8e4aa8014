package jframework_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
)

// modeledFields are the names JFramework's coupon decoder reads.
var modeledFields = []string{"id", "code", "name", "description", "tags", "percentage", "quantity", "startDate",
	"endDate", "autoApplyToPrice", "status", "testMode", "modifiedDate"}

// FuzzModifyCouponSendsTheReadExceptTheChange: a valid read plus one
// field of any name and JSON value the SDK does not model, one field
// changed: the PUT body is exactly what the rule prescribes (the coupon
// as read minus id and modifiedDate, the extra field included, with the
// changed field in its typed encoding).
func FuzzModifyCouponSendsTheReadExceptTheChange(f *testing.F) {
	f.Add("maximumSpend", []byte(`"250.00"`), uint8(0))
	f.Add("x", []byte(`{"a":[1,null],"b":{}}`), uint8(1))
	f.Add("n", []byte(`1.50`), uint8(2))
	f.Add("z", []byte(`null`), uint8(3))
	f.Add("\u00e9\"q", []byte(` [1, "x", {"y": null}] `), uint8(0))
	changes := []struct {
		change       func(*jframework.UpdateCouponRequest)
		field, value string
	}{
		{func(r *jframework.UpdateCouponRequest) { r.Percentage = jframework.Ptr(15.0) }, "percentage", `15`},
		{func(r *jframework.UpdateCouponRequest) { r.Name = "Summer" }, "name", `"Summer"`},
		{func(r *jframework.UpdateCouponRequest) { r.Quantity = jframework.Ptr(5) }, "quantity", `5`},
		{func(r *jframework.UpdateCouponRequest) { r.EndDate = time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC) }, "endDate", `"2025-08-01T00:00:00Z"`},
	}
	mt := httpmock.NewMockTransport()
	m := testutil.NewModifyFuzz(mt, couponURL, envelope, http.MethodPut, couponURL, vendorSuccess)
	c, err := jframework.NewClient(brandURL, authKey, jframework.WithHTTPClient(&http.Client{Transport: mt}))
	if err != nil {
		f.Fatal(err)
	}
	rule := testutil.Rule{ReadOnly: []string{"id", "modifiedDate"}}
	f.Fuzz(func(t *testing.T, key string, val []byte, which uint8) {
		ch := changes[int(which)%len(changes)]
		m.Check(t, rule, faithfulData, key, val, modeledFields, ch.field, ch.value, func() error {
			_, err := c.ModifyCoupon(context.Background(), couponID, func(r *jframework.UpdateCouponRequest) error {
				ch.change(r)
				return nil
			})
			return err
		})
	})
}
