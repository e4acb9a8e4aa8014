package openapicheck_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/openapicheck"
)

var jsonHeader = http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}

// TestCheckRefusesWhatTheDocumentsRefuse: the checker is not a rubber
// stamp; each request breaks the vendor's document in one way.
func TestCheckRefusesWhatTheDocumentsRefuse(t *testing.T) {
	bc := load(t, "testdata/bigcommerce-marketing.v2.yml")
	vtex := load(t, "testdata/vtex-promotions-and-taxes.json")
	const put = "/stores/abc/v2/coupons/42"
	good := `{"name":"N","type":"per_total_discount","amount":"5","code":"C","applies_to":{"entity":"categories","ids":[0]}}`
	cases := []struct {
		name string
		doc  *openapicheck.Doc
		req  openapicheck.Request
		want string
	}{
		{"applies_to missing", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader,
			Body: []byte(`{"name":"N","type":"per_total_discount","amount":"5","code":"C"}`)}, `body: required property "applies_to" is missing`},
		{"type not in enum", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader,
			Body: []byte(`{"name":"N","type":"bogus","amount":"5","code":"C","applies_to":{}}`)}, "body.type: bogus is not one of"},
		{"amount a number", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader,
			Body: []byte(`{"name":"N","type":"promotion","amount":5,"code":"C","applies_to":{}}`)}, "body.amount: the number 5, want string"},
		{"ids not integers", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader,
			Body: []byte(`{"name":"N","type":"promotion","amount":"5","code":"C","applies_to":{"ids":[1.5]}}`)}, "body.applies_to.ids[0]: the number 1.5, want integer"},
		{"code too long", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader,
			Body: []byte(`{"name":"N","type":"promotion","amount":"5","code":"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC","applies_to":{}}`)}, "longer than 50"},
		{"no body", bc, openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader}, "the request body is required"},
		{"no Content-Type", bc, openapicheck.Request{Method: "PUT", Path: put, Header: http.Header{"Accept": {"application/json"}},
			Body: []byte(good)}, `header parameter "Content-Type" is required`},
		{"unknown query", bc, openapicheck.Request{Method: "GET", Path: "/stores/abc/v2/coupons", Header: jsonHeader,
			Query: url.Values{"offset": {"2"}}}, `query parameter "offset" is not in the document`},
		{"min_id not a number", bc, openapicheck.Request{Method: "GET", Path: "/stores/abc/v2/coupons", Header: jsonHeader,
			Query: url.Values{"min_id": {"x"}}}, "not a number"},
		{"another server path", bc, openapicheck.Request{Method: "GET", Path: "/stores/abc/v3/coupons", Header: jsonHeader}, "not under the server"},
		{"no such operation", bc, openapicheck.Request{Method: "PATCH", Path: put, Header: jsonHeader}, "no operation for PATCH"},
		{"utmCampaign null", vtex, openapicheck.Request{Method: "POST", Path: "/api/rnb/pvt/coupon", Header: jsonHeader,
			Body: []byte(`{"utmSource":"s","utmCampaign":null,"couponCode":"c","isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"00:00:00","maxUsage":null}`)},
			"body.utmCampaign: null, but the schema is not nullable"},
		{"maxItemsPerClient missing", vtex, openapicheck.Request{Method: "POST", Path: "/api/rnb/pvt/coupon", Header: jsonHeader,
			Body: []byte(`{"utmSource":"s","couponCode":"c","expirationIntervalPerUse":"00:00:00"}`)}, `required property "maxItemsPerClient" is missing`},
		{"maxItemsPerClient a string", vtex, openapicheck.Request{Method: "POST", Path: "/api/rnb/pvt/coupon", Header: jsonHeader,
			Body: []byte(`{"utmSource":"s","couponCode":"c","maxItemsPerClient":"3","expirationIntervalPerUse":"00:00:00"}`)}, `body.maxItemsPerClient: the string "3", want integer`},
		{"a body on a GET", vtex, openapicheck.Request{Method: "GET", Path: "/api/rnb/pvt/coupon/c", Header: jsonHeader, Body: []byte(`{}`)}, "takes no body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := tc.doc.Check(tc.req)
			require.NotEmpty(t, probs)
			found := false
			for _, p := range probs {
				found = found || strings.Contains(p, tc.want)
			}
			assert.True(t, found, "want a problem containing %q, got %q", tc.want, probs)
		})
	}
	// And the good ones pass.
	id, probs := bc.Check(openapicheck.Request{Method: "PUT", Path: put, Header: jsonHeader, Body: []byte(good)})
	assert.Equal(t, "updateCoupon", id)
	assert.Empty(t, probs)
	id, probs = vtex.Check(openapicheck.Request{Method: "GET", Path: "/api/rnb/pvt/coupon/c", Header: jsonHeader})
	assert.Equal(t, "Getbycouponcode", id)
	assert.Empty(t, probs)
}
