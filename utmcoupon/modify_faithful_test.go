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
var faithfulCases = []testutil.ModifyCase[utmcoupon.UpdateCouponRequest]{
	{Name: "isArchived", Change: func(r *utmcoupon.UpdateCouponRequest) { r.IsArchived = true },
		Body:    `{"isArchived":true,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		Changes: []utmcoupon.FieldChange{{Field: "isArchived", Old: `false`, New: `true`}}},
	{Name: "maxItemsPerClient", Change: func(r *utmcoupon.UpdateCouponRequest) { r.MaxItemsPerClient = 4 },
		Body:    `{"isArchived":false,"maxItemsPerClient":4,"expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		Changes: []utmcoupon.FieldChange{{Field: "maxItemsPerClient", Old: `3`, New: `4`}}},
	{Name: "expirationIntervalPerUse", Change: func(r *utmcoupon.UpdateCouponRequest) { r.ExpirationIntervalPerUse = 36 * time.Hour },
		Body:    `{"isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"1.12:00:00",` + faithfulKept + `}`,
		Changes: []utmcoupon.FieldChange{{Field: "expirationIntervalPerUse", Old: `"14.00:00:00"`, New: `"1.12:00:00"`}}},
	{Name: "missing maxUsage set", Change: func(r *utmcoupon.UpdateCouponRequest) { r.MaxUsage = utmcoupon.Ptr(10) },
		Body:    `{"isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `,"maxUsage":10}`,
		Changes: []utmcoupon.FieldChange{{Field: "maxUsage", Old: ``, New: `10`}}},
	{Name: "null utmCampaign set", Change: func(r *utmcoupon.UpdateCouponRequest) { r.UtmCampaign = utmcoupon.Ptr("spring") },
		Body:    `{"utmCampaign":"spring","isArchived":false,"maxItemsPerClient":"3","expirationIntervalPerUse":"14.00:00:00",` + faithfulKept + `}`,
		Changes: []utmcoupon.FieldChange{{Field: "utmCampaign", Old: ``, New: `"spring"`}}},
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

// TestModifyCouponSendsTheReadExceptTheChange compares the body sent, by
// ModifyCoupon and by ModifyCoupons (whose dry run sends none), parsed with
// numbers kept as text, with the document the rule prescribes.
func TestModifyCouponSendsTheReadExceptTheChange(t *testing.T) {
	testutil.RunModifyCases(t, faithfulCases, func(t *testing.T) testutil.Modifier[utmcoupon.UpdateCouponRequest] {
		c, sent := faithfulMock(t, faithfulRead)
		ctx := context.Background()
		return testutil.Modifier[utmcoupon.UpdateCouponRequest]{
			One: func(change func(*utmcoupon.UpdateCouponRequest) error) ([]utmcoupon.FieldChange, error) {
				resp, err := c.ModifyCoupon(ctx, "SPRING", change)
				if err != nil {
					return nil, err
				}
				return resp.Changes, nil
			},
			Bulk: func(change func(*utmcoupon.UpdateCouponRequest) error, dry bool) [][]utmcoupon.FieldChange {
				return testutil.ModifyAll(t, c.ModifyCoupons(ctx, []string{"SPRING"}, change, &utmcoupon.BulkOptions{DryRun: dry}),
					func(r *utmcoupon.ModifyCouponResponse) []utmcoupon.FieldChange { return r.Changes })
			},
			Sent: func() []string { return sent.Bodies },
		}
	})
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
