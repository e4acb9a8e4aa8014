package transport

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

func TestQueryIsEncodedDeterministically(t *testing.T) {
	c := newTestClient(t, "https://h.example/api", nil)
	q := url.Values{"page": {"2"}, "limit": {"50"}, "code": {"a b&c"}, "id:in": {"1,2"}}
	for i := 0; i < 20; i++ {
		u := c.url(&Request{Path: "/v2/coupons", Query: q})
		assert.Equal(t, "https://h.example/api/v2/coupons?code=a+b%26c&id%3Ain=1%2C2&limit=50&page=2", u.String())
	}
	u := c.url(&Request{Path: "/v2/coupons", PathParams: []string{"7"}, Query: url.Values{}})
	assert.Equal(t, "https://h.example/api/v2/coupons/7", u.String(), "an empty query adds no '?'")
}

func TestQueryIsSentAndNamedInErrors(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got string
	mt.RegisterResponder("GET", "https://h.example/x", func(r *http.Request) (*http.Response, error) {
		got = r.URL.RawQuery
		return httpmock.NewStringResponse(404, "no such page"), nil
	})
	c := newTestClient(t, "https://h.example", mt)
	var logs testutil.SyncBuffer
	c.logger = testutil.DebugLogger(&logs)
	_, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/x", Query: url.Values{"page": {"3"}}, Idempotent: true})
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "page=3", got)
	assert.Contains(t, err.Error(), "GET /x?page=3")
	assert.Contains(t, logs.String(), `path="/x?page=3" `)

	// A query holding a credential (it never should) is left out of errors.
	_, err = c.Do(context.Background(), &Request{Method: "GET", Path: "/x", Query: url.Values{"k": {"s3cret"}}, Idempotent: true})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret")
	assert.NotContains(t, err.Error(), "k=")
	assert.NotContains(t, logs.String(), "s3cret")
	assert.Contains(t, logs.String(), "path=/x ")
}

func TestKeyNamesTheCoupon(t *testing.T) {
	assert.Equal(t, Key{Field: "group", Value: "G"}, KeyOf("coupon_code", "", "group", "G"))
	assert.Equal(t, Key{Field: "coupon_code", Value: "SUMMER15"}, KeyOf("coupon_code", "SUMMER15", "group", ""))
	assert.Equal(t, Key{}, KeyOf("coupon_code", ""))
	assert.Equal(t, `coupon_code "SUMMER15"`, Key{Field: "coupon_code", Value: "SUMMER15"}.String())
	assert.Equal(t, `uuid_code "a\"b\n"`, Key{Field: "uuid_code", Value: "a\"b\n"}.String())
	assert.Equal(t, "", Key{}.String())
}
