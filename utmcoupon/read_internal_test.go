package utmcoupon

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/testutil"
)

// FuzzDecodeCoupons: any list answer decodes (checked, then decoded again
// as ListCoupons does) to coupons or an error, never a panic; a valid array
// that checks gives every element, and every coupon decoded has a code.
func FuzzDecodeCoupons(f *testing.F) {
	for _, s := range []string{
		`[{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"coupon3","utmCampaign":"coupon3","couponCode":"test","isArchived":false,"maxItemsPerClient":10,"expirationIntervalPerUse":"00:00:00"},` +
			`{"lastModifiedUtc":"2020-06-22T18:25:24.4583474Z","utmSource":"cupom3","couponCode":"test-lucian2","isArchived":false,"maxItemsPerClient":10,"expirationIntervalPerUse":"00:00:00","maxUsage":3}]`,
		`[]`, `null`, `{}`, ``, `[null]`, `[1,"a",[]]`, `[{"couponCode":"a"},{"coup`, `[{"couponCode":"]\"["}]`,
		`[{"couponCode":"a","groupingKey":"g","maxUsage":"7","isArchived":"1"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		coupons, err := testutil.Collect(pager.Unpaged(context.Background(), "utmcoupon",
			func(context.Context) (pager.Checked[Coupon], error) { return decodeCoupons(body) }))
		if err != nil {
			require.Empty(t, coupons, "the answer is checked whole before any coupon")
			return
		}
		if s := bytes.TrimSpace(body); len(s) > 0 && s[0] == '[' {
			var raw []json.RawMessage
			require.NoError(t, json.Unmarshal(s, &raw))
			require.Len(t, coupons, len(raw))
		}
		for i := range coupons {
			require.NotEmpty(t, coupons[i].CouponCode)
		}
	})
}
