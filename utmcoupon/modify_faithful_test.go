package utmcoupon_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/utmcoupon"
)

// faithfulRead is a coupon as VTEX may send it: fields this SDK does not
// model (a string, a number, an object and an array that hold nulls, a
// null), valid but unusual forms of modeled ones (maxItemsPerClient as the
// string "3", a TimeSpan with days, a lastModifiedUtc with seven
// fractional digits, utmCampaign null), groupingKey, and maxUsage missing.
const faithfulRead = `{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"news","utmCampaign":null,` +
	`"couponCode":"SPRING","isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` +
	`"groupingKey":"SPR","x_string":"s","x_number":1.50,"x_object":{"a":null,"b":[1,null]},"x_array":[null,"x"],"x_null":null}`

// faithfulKept is what every upsert of faithfulRead carries as read: the
// object minus lastModifiedUtc and groupingKey (read-only), minus every
// null (VTEX never receives one), minus the fields the cases change.
const faithfulKept = `"utmSource":"news","couponCode":"SPRING","x_string":"s","x_number":1.50,` +
	`"x_object":{"b":[1]},"x_array":["x"]`

// faithfulCases: one field changed each, and the exact upsert body the
// rule prescribes (API.md sections 3 and 5).
var faithfulCases = []struct {
	name    string
	change  func(*utmcoupon.UpdateCouponRequest)
	body    string
	changes []utmcoupon.FieldChange
}{
	{"isArchived", func(r *utmcoupon.UpdateCouponRequest) { r.IsArchived = true },
		`{"isArchived":true,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		[]utmcoupon.FieldChange{{Field: "isArchived", Old: `false`, New: `true`}}},
	{"maxItemsPerClient", func(r *utmcoupon.UpdateCouponRequest) { r.MaxItemsPerClient = 4 },
		`{"isArchived":false,"maxItemsPerClient":4,"expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		[]utmcoupon.FieldChange{{Field: "maxItemsPerClient", Old: `3`, New: `4`}}},
	{"expirationIntervalPerUse", func(r *utmcoupon.UpdateCouponRequest) { r.ExpirationIntervalPerUse = 36 * time.Hour },
		`{"isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"1.12:00:00",` + faithfulKept + `}`,
		[]utmcoupon.FieldChange{{Field: "expirationIntervalPerUse", Old: `"14.00:00:00"`, New: `"1.12:00:00"`}}},
	{"missing maxUsage set", func(r *utmcoupon.UpdateCouponRequest) { r.MaxUsage = utmcoupon.Ptr(10) },
		`{"isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `,"maxUsage":10}`,
		[]utmcoupon.FieldChange{{Field: "maxUsage", Old: ``, New: `10`}}},
	{"null utmCampaign set", func(r *utmcoupon.UpdateCouponRequest) { r.UtmCampaign = utmcoupon.Ptr("spring") },
		`{"utmCampaign":"spring","isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		[]utmcoupon.FieldChange{{Field: "utmCampaign", Old: ``, New: `"spring"`}}},
}

// faithfulMock answers the read with read and records the upserts.
func faithfulMock(t *testing.T, read string) (*utmcoupon.Client, *captured) {
	t.Helper()
	c, mt := newMocked(t)
	var post captured
	mt.RegisterResponder(http.MethodGet, couponURL+"/SPRING", jsonResponder(200, read))
	mt.RegisterResponder(http.MethodPost, couponURL, sequence(&post, jsonResponder(200, faithfulRead)))
	return c, &post
}

// TestModifyCouponSendsTheReadExceptTheChange compares the upsert body,
// parsed with numbers kept as text, with the document the rule prescribes.
func TestModifyCouponSendsTheReadExceptTheChange(t *testing.T) {
	for _, tc := range faithfulCases {
		t.Run(tc.name, func(t *testing.T) {
			c, post := faithfulMock(t, faithfulRead)
			resp, err := c.ModifyCoupon(context.Background(), "SPRING", func(r *utmcoupon.UpdateCouponRequest) error {
				tc.change(r)
				return nil
			})
			require.NoError(t, err)
			require.Len(t, post.Bodies, 1)
			testutil.SameJSON(t, tc.body, post.Bodies[0])
			assert.NotContains(t, post.Bodies[0], "null")
			assert.Equal(t, tc.changes, resp.Changes)
		})
	}
}

// TestModifyCouponsSendsTheReadExceptTheChange: the bulk ModifyCoupons
// sends the same bodies, and its dry run sends none.
func TestModifyCouponsSendsTheReadExceptTheChange(t *testing.T) {
	for _, tc := range faithfulCases {
		t.Run(tc.name, func(t *testing.T) {
			c, post := faithfulMock(t, faithfulRead)
			change := func(r *utmcoupon.UpdateCouponRequest) error { tc.change(r); return nil }
			changes := func(r *utmcoupon.ModifyCouponResponse) []utmcoupon.FieldChange { return r.Changes }
			for _, dry := range []bool{true, false} {
				got := testutil.ModifyAll(t, c.ModifyCoupons(context.Background(), []string{"SPRING"}, change, &utmcoupon.BulkOptions{DryRun: dry}), changes)
				assert.Equal(t, [][]utmcoupon.FieldChange{tc.changes}, got)
				if dry {
					require.Empty(t, post.Bodies, "a dry run sends no update")
				}
			}
			require.Len(t, post.Bodies, 1)
			testutil.SameJSON(t, tc.body, post.Bodies[0])
		})
	}
}

// TestModifyCouponRequiredFieldMissingFromTheRead: a read whose utmSource
// is null, or that lacks maxItemsPerClient (both required by VTEX's
// OpenAPI document), is refused, naming the field, with nothing sent,
// unless the change sets it.
func TestModifyCouponRequiredFieldMissingFromTheRead(t *testing.T) {
	c, post := faithfulMock(t, `{"couponCode":"SPRING","utmSource":"news","expirationIntervalPerUse":"00:00:00","x":1}`)
	_, err := c.ModifyCoupon(context.Background(), "SPRING", func(r *utmcoupon.UpdateCouponRequest) error {
		r.IsArchived = true
		return nil
	})
	var ve *utmcoupon.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "maxItemsPerClient", ve.Fields[0].Field)
	assert.Empty(t, post.Reqs, "nothing sent")

	c, post = faithfulMock(t, `{"couponCode":"SPRING","utmSource":null,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00","x":{"y":2}}`)
	_, err = c.ModifyCoupon(context.Background(), "SPRING", func(r *utmcoupon.UpdateCouponRequest) error {
		r.IsArchived = true
		return nil
	})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "utmSource", ve.Fields[0].Field)
	assert.Equal(t, "utmcoupon", ve.Vendor)
	assert.ErrorIs(t, err, utmcoupon.ErrNotSent)
	assert.Empty(t, post.Reqs, "nothing sent")

	_, err = c.ModifyCoupon(context.Background(), "SPRING", func(r *utmcoupon.UpdateCouponRequest) error {
		r.UtmSource = "news"
		return nil
	})
	require.NoError(t, err)
	require.Len(t, post.Bodies, 1)
	testutil.SameJSON(t, `{"couponCode":"SPRING","utmSource":"news","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00","x":{"y":2}}`, post.Bodies[0])
}
