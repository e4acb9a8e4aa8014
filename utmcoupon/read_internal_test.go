package utmcoupon

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCountElements(t *testing.T) {
	for body, want := range map[string]int{
		`[]`:           0,
		`[ ]`:          0,
		`[1]`:          1,
		`[ 1 , 2 ]`:    2,
		`[null,{},[]]`: 3,
		`[{"a":"],[{"},{"b":[1,[2,3]],"c":"\"]"}]`: 2,
		`["\\",",",  "x" ]`:                        3,
		"[\n\t{\"couponCode\":\"a\"}\r\n,\n{}\n]":  2,
		`[[[[]]],[{"x":{"y":[",]"]}}],true,false]`: 4,
	} {
		require.True(t, json.Valid([]byte(body)), body)
		assert.Equal(t, want, countElements([]byte(body)), body)
	}
}

// FuzzDecodeCoupons: any list answer decodes to coupons or an error, never
// a panic; for a valid array the element count is exact, and every coupon
// decoded has a code.
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
		coupons, err := decodeCoupons(body)
		if s := bytes.TrimSpace(body); len(s) > 0 && s[0] == '[' && json.Valid(s) {
			var raw []json.RawMessage
			require.NoError(t, json.Unmarshal(s, &raw))
			require.Equal(t, len(raw), countElements(s), "%s", s)
			if err == nil {
				require.Len(t, coupons, len(raw))
			}
		}
		if err != nil {
			require.Nil(t, coupons)
			return
		}
		for i := range coupons {
			require.NotEmpty(t, coupons[i].CouponCode)
		}
	})
}
