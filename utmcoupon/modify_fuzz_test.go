package utmcoupon

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writable is the part of a coupon an upsert writes: everything but the
// read-only LastModifiedUTC and GroupingKey, with the campaign as the
// request would send it (nil for null, a pointer for a string, "" included).
type writable struct {
	CouponCode, UtmSource    string
	UtmCampaign              *string
	IsArchived               bool
	MaxItemsPerClient        int
	ExpirationIntervalPerUse time.Duration
	MaxUsage                 *int
}

func writableOf(c *Coupon) writable {
	r := c.UpdateRequest()
	return writable{r.CouponCode, r.UtmSource, r.UtmCampaign, r.IsArchived, r.MaxItemsPerClient, r.ExpirationIntervalPerUse, r.MaxUsage}
}

// FuzzUpdateRequestRoundTrip: any coupon VTEX could send decodes, gives an
// UpdateRequest, encodes to the POST body, and that body (whose fields are
// the coupon's own wire names) decodes back to the same writable fields,
// and encodes to the same bytes again. A coupon whose request does not
// encode must break a documented rule (no utmSource, a negative number or
// interval).
func FuzzUpdateRequestRoundTrip(f *testing.F) {
	for _, s := range []string{
		// VTEX's published examples (GET one, GET all's items, the upsert
		// answer, a batch-created coupon from the v2 API).
		`{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"coupon3","couponCode":"test","isArchived":false,"maxItemsPerClient":10,"expirationIntervalPerUse":"00:00:00","maxUsage":1}`,
		`{"lastModifiedUtc":"2021-11-10T14:24:39.3683694Z","utmSource":"coupon3","utmCampaign":"coupon3","couponCode":"test","isArchived":false,"maxItemsPerClient":10,"expirationIntervalPerUse":"00:00:00"}`,
		`{"lastModifiedUtc":"2020-01-08T20:06:06.37289Z","utmSource":"cupom3","couponCode":"ctest-01e0ueos8zq95rt","isArchived":true,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00"}`,
		`{"lastModifiedUtc":"2022-04-20T20:07:03.5066878Z","utmSource":"fb","utmCampaign":"rewards","couponCode":"r-1","isArchived":false,"maxItemsPerClient":0,"expirationIntervalPerUse":"00:00:00","maxUsage":3,"groupingKey":"rewardsprogram"}`,
		// The awkward values.
		`{"couponCode":"c","utmSource":"s","utmCampaign":null,"maxUsage":null,"isArchived":null,"expirationIntervalPerUse":"14.00:00:00"}`,
		`{"couponCode":"c","utmSource":"s","utmCampaign":"","maxUsage":0,"expirationIntervalPerUse":"1.02:03:04.5000001"}`,
		`{"couponCode":"c","utmSource":"s","maxItemsPerClient":"7","maxUsage":"12","isArchived":"true"}`,
		`{"couponCode":12,"utmSource":3.5,"utmCampaign":1e3,"maxItemsPerClient":2.0}`,
		`{"couponCode":"c\u00e7\ud83d\ude00","utmSource":"<s>&","utmCampaign":"\u2028"}`,
		`{"couponCode":"c","maxItemsPerClient":-1}`,
		`{"couponCode":"c","expirationIntervalPerUse":"-00:00:01"}`,
		`{"couponCode":"c","maxUsage":-3}`,
	} {
		f.Add([]byte(s))
	}
	client, err := NewClient("acme", "key", "token")
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte) {
		var c Coupon
		if c.decode(body) != nil {
			return
		}
		req := c.UpdateRequest()
		sent, err := client.encode(req)
		if err != nil {
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			if c.UtmSource != "" && c.MaxItemsPerClient >= 0 && c.ExpirationIntervalPerUse >= 0 && (c.MaxUsage == nil || *c.MaxUsage >= 0) {
				t.Fatalf("coupon %+v as read does not encode: %v", c, err)
			}
			return
		}
		var back Coupon
		require.NoError(t, back.decode(sent), "the POST body %s", sent)
		assert.Equal(t, writableOf(&c), writableOf(&back), "body %s", sent)
		again, err := client.encode(back.UpdateRequest())
		require.NoError(t, err)
		assert.True(t, bytes.Equal(sent, again), "%s != %s", sent, again)
		// Nothing read-only is sent, nor a null (a nil pointer is left out).
		var fields map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(sent, &fields))
		want := 5
		if req.UtmCampaign != nil {
			want++
		}
		if req.MaxUsage != nil {
			want++
		}
		assert.Len(t, fields, want)
		assert.NotContains(t, string(sent), "null")
		assert.NotContains(t, fields, "lastModifiedUtc")
		assert.NotContains(t, fields, "groupingKey")
	})
}

// TestModifyDryRun: the dry run of the bulk ModifyCoupons reads, computes
// Changes and sends no upsert.
func TestModifyDryRun(t *testing.T) {
	mt := httpmock.NewMockTransport()
	const url = "https://acme.vtexcommercestable.com.br/api/rnb/pvt/coupon"
	mt.RegisterResponder(http.MethodGet, url+"/c", httpmock.NewStringResponder(200,
		`{"couponCode":"c","utmSource":"s","maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00","maxUsage":5}`))
	c, err := NewClient("acme", "key", "token", WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	resp, err := c.modify(context.Background(), "c", func(r *UpdateCouponRequest) error {
		r.MaxUsage = nil
		r.ExpirationIntervalPerUse = 14 * 24 * time.Hour
		return nil
	}, true)
	require.NoError(t, err)
	assert.Equal(t, []FieldChange{
		{Field: "expirationIntervalPerUse", Old: `"00:00:00"`, New: `"14.00:00:00"`},
		{Field: "maxUsage", Old: "5", New: ""},
	}, resp.Changes)
	assert.Equal(t, resp.Before, resp.After, "nothing sent, nothing answered")
	assert.Equal(t, 1, mt.GetTotalCallCount(), "the read only")

	_, err = c.modify(context.Background(), "c", func(r *UpdateCouponRequest) error { return errors.New("no") }, true)
	assert.EqualError(t, err, "utmcoupon: change of coupon c: no")
}
