package bigcommerce_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/testutil"
)

const listURL = "https://api.bigcommerce.com/stores/abc123/v2/coupons"

// openAPICoupon is the second coupon of the getCoupons example in
// BigCommerce's OpenAPI document: restricted_to.countries is one string.
const openAPICoupon = `{"id":2,"name":"Limit by Location","type":"per_total_discount","amount":"5.0000",
"min_purchase":"25.0000","expires":"","enabled":true,"code":"E3JC79S0I","applies_to":{"entity":"categories","ids":[0]},
"num_uses":0,"max_uses":25,"max_uses_per_customer":0,"restricted_to":{"countries":"AU"},
"shipping_methods":["shipping_endicia"],"date_created":"Tue, 12 Jun 2018 20:22:19 +0000"}`

func TestGetCouponWireFormat(t *testing.T) {
	c, mt := newMocked(t, bigcommerce.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, "["+vendorCoupon+"]",
		"X-Rate-Limit-Requests-Quota", "150", "X-Rate-Limit-Requests-Left", "149",
		"X-Rate-Limit-Time-Window-Ms", "30000", "X-Rate-Limit-Time-Reset-Ms", "29000")))

	resp, err := c.GetCoupon(context.Background(), 42)
	require.NoError(t, err)
	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, "/stores/abc123/v2/coupons", r.URL.Path)
	assert.Equal(t, "id=42", r.URL.RawQuery)
	assert.Equal(t, token, r.Header.Get("X-Auth-Token"))
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "promo-svc/2.1 couponkit-go/0.1.0", r.Header.Get("User-Agent"))
	assert.Empty(t, cap.Bodies[0], "a read sends no body")

	assert.Equal(t, 42, resp.Coupon.ID)
	assert.Equal(t, "S2549JM0Y", resp.Coupon.Code)
	assert.Equal(t, "25.0000", resp.Coupon.MinPurchase)
	assert.Nil(t, resp.Coupon.Expires)
	assert.Nil(t, resp.Coupon.RestrictedTo)
	assert.Nil(t, resp.Coupon.ShippingMethods)
	assert.Equal(t, 200, resp.Meta.StatusCode)
	assert.Equal(t, 1, resp.Meta.Attempts)
	require.NotNil(t, resp.Meta.RateLimit)
	assert.Equal(t, bigcommerce.RateLimit{Limit: 150, Remaining: 149, Window: 30 * time.Second, ResetIn: 29 * time.Second}, *resp.Meta.RateLimit)
}

// TestGetCouponPicksItsID: the id filter is a filter; GetCoupon returns the
// element with the id asked for, not the first one.
func TestGetCouponPicksItsID(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, "["+strings.Replace(vendorCoupon, `"id":42`, `"id":7`, 1)+","+openAPICoupon+"]"))
	resp, err := c.GetCoupon(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, "E3JC79S0I", resp.Coupon.Code)
	assert.Equal(t, &bigcommerce.RestrictedTo{Countries: []string{"AU"}}, resp.Coupon.RestrictedTo, `countries "AU" is a one-element list`)
	assert.Equal(t, []string{"shipping_endicia"}, resp.Coupon.ShippingMethods)
}

func TestGetCouponNotFound(t *testing.T) {
	tests := []struct {
		name   string
		resp   httpmock.Responder
		status int
	}{
		{"204 No Content", testutil.Respond(204, "", ""), 204},
		{"empty array", jsonResponder(200, `[]`), 200},
		{"other coupons only", jsonResponder(200, "["+openAPICoupon+"]"), 200},
		{"404 error array", jsonResponder(404, `[{"status":404,"message":"The requested resource was not found."}]`), 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, listURL, tt.resp)
			resp, err := c.GetCoupon(context.Background(), 42)
			assert.Nil(t, resp)
			testutil.OnlySentinel(t, err, bigcommerce.ErrNotFound)
			var apiErr *bigcommerce.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not found is not retried")
			if tt.status != 404 {
				assert.Contains(t, err.Error(), "no coupon with id 42")
			}
		})
	}
}

func TestGetCouponErrors(t *testing.T) {
	t.Run("bad id sends nothing", func(t *testing.T) {
		c, mt := newMocked(t)
		for _, id := range []int{0, -1} {
			_, err := c.GetCoupon(context.Background(), id)
			var v *bigcommerce.ValidationError
			require.ErrorAs(t, err, &v)
			assert.Equal(t, "id", v.Fields[0].Field)
			assert.ErrorIs(t, err, bigcommerce.ErrInvalidRequest)
			assert.Equal(t, "bigcommerce", v.Vendor)
			assert.Equal(t, fmt.Sprintf("GET /stores/abc123/v2/coupons?id=%d", id), v.Operation)
		}
		assert.Zero(t, mt.GetTotalCallCount())
	})
	t.Run("5xx is retried: reads are idempotent", func(t *testing.T) {
		c, mt := newMocked(t)
		var cap captured
		mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap,
			jsonResponder(503, `[{"status":503,"message":"Service Unavailable"}]`), jsonResponder(200, "["+vendorCoupon+"]")))
		resp, err := c.GetCoupon(context.Background(), 42)
		require.NoError(t, err)
		assert.Equal(t, 2, resp.Meta.Attempts)
		assert.Equal(t, "id=42", cap.Reqs[1].URL.RawQuery)
	})
	t.Run("401", func(t *testing.T) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(401, `[{"status":401,"message":"You are not authorized."}]`))
		_, err := c.GetCoupon(context.Background(), 42)
		testutil.OnlySentinel(t, err, bigcommerce.ErrUnauthorized)
		assert.NotContains(t, err.Error(), token)
	})
	for name, body := range map[string]string{
		"html":            `<html>502 Bad Gateway</html>`,
		"object not list": vendorCoupon,
		"truncated":       `[{"id":42,`,
		"bad date":        `[{"id":42,"expires":"soon"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, body))
			_, err := c.GetCoupon(context.Background(), 42)
			var apiErr *bigcommerce.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.StatusCode)
			assert.Contains(t, err.Error(), "not what the API documents")
			assert.False(t, errors.Is(err, bigcommerce.ErrNotFound))
		})
	}
}

// page returns a JSON array of n coupons with ids from first.
func page(first, n int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		id := first + i
		fmt.Fprintf(&b, `{"id":%d,"name":"Coupon %d","type":"per_total_discount","amount":"5.0000","min_purchase":"0.0000",`+
			`"expires":"","enabled":true,"code":"CODE%d","applies_to":{"entity":"categories","ids":[0]},"num_uses":0,`+
			`"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,`+
			`"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`, id, id, id)
	}
	b.WriteByte(']')
	return b.String()
}

func collect(t *testing.T, c *bigcommerce.Client, opts *bigcommerce.ListCouponsOptions) ([]int, []error) {
	t.Helper()
	var ids []int
	var errs []error
	for cp, err := range c.ListCoupons(context.Background(), opts) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, cp.ID)
	}
	return ids, errs
}

func TestListCouponsQuery(t *testing.T) {
	tests := []struct {
		name string
		opts *bigcommerce.ListCouponsOptions
		want string
	}{
		{"nil", nil, "limit=50"},
		{"zero", &bigcommerce.ListCouponsOptions{}, "limit=50"},
		{"all", &bigcommerce.ListCouponsOptions{Code: "SUMMER 10", Name: "Summer & co", Type: bigcommerce.PercentageDiscount,
			MinID: 2, MaxID: 900, PerPage: 250},
			"code=SUMMER+10&limit=250&max_id=900&min_id=2&name=Summer+%26+co&type=percentage_discount"},
		{"min id only", &bigcommerce.ListCouponsOptions{MinID: 100, PerPage: 1}, "limit=1&min_id=100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, testutil.Respond(204, "", "")))
			ids, errs := collect(t, c, tt.opts)
			assert.Empty(t, ids)
			assert.Empty(t, errs)
			require.Len(t, cap.Reqs, 1)
			assert.Equal(t, http.MethodGet, cap.Reqs[0].Method)
			assert.Equal(t, "/stores/abc123/v2/coupons", cap.Reqs[0].URL.Path)
			assert.Equal(t, tt.want, cap.Reqs[0].URL.RawQuery)
			assert.Equal(t, token, cap.Reqs[0].Header.Get("X-Auth-Token"))
			assert.Empty(t, cap.Bodies[0])
		})
	}
}

func TestListCouponsPaging(t *testing.T) {
	tests := []struct {
		name  string
		pages []httpmock.Responder
		want  []int
		// minIDs are the min_id each request asks ("" for none).
		minIDs []string
	}{
		{"ends at a short page", []httpmock.Responder{jsonResponder(200, page(1, 2)), jsonResponder(200, page(3, 2)), jsonResponder(200, page(5, 1))},
			[]int{1, 2, 3, 4, 5}, []string{"", "3", "5"}},
		{"ends at an empty array", []httpmock.Responder{jsonResponder(200, page(1, 2)), jsonResponder(200, `[]`)}, []int{1, 2}, []string{"", "3"}},
		{"ends at 204", []httpmock.Responder{jsonResponder(200, page(1, 2)), jsonResponder(200, page(3, 2)), testutil.Respond(204, "", "")},
			[]int{1, 2, 3, 4}, []string{"", "3", "5"}},
		{"204 at once", []httpmock.Responder{testutil.Respond(204, "", "")}, nil, []string{""}},
		{"the cursor follows the last id, gaps included", []httpmock.Responder{jsonResponder(200, `[{"id":7},{"id":40}]`),
			jsonResponder(200, `[{"id":41},{"id":1000}]`), jsonResponder(200, `[]`)}, []int{7, 40, 41, 1000}, []string{"", "41", "1001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, append(tt.pages, func(*http.Request) (*http.Response, error) {
				t.Error("requested a page after the last")
				return httpmock.NewStringResponse(500, ""), nil
			})...))
			ids, errs := collect(t, c, &bigcommerce.ListCouponsOptions{PerPage: 2, Type: bigcommerce.PerTotalDiscount})
			assert.Empty(t, errs)
			assert.Equal(t, tt.want, ids)
			require.Len(t, cap.Reqs, len(tt.pages))
			for i, r := range cap.Reqs {
				want := "limit=2&type=per_total_discount"
				if tt.minIDs[i] != "" {
					want = "limit=2&min_id=" + tt.minIDs[i] + "&type=per_total_discount"
				}
				assert.Equal(t, want, r.URL.RawQuery, "request %d", i+1)
			}
		})
	}
}

// TestListCouponsCursorRespectsMinAndMaxID: the first page asks the
// caller's min_id, later ones the cursor, and no page is asked once the
// cursor would pass max_id.
func TestListCouponsCursorRespectsMinAndMaxID(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(10, 2)), jsonResponder(200, page(12, 2)),
		func(*http.Request) (*http.Response, error) {
			t.Error("asked a page past max_id")
			return httpmock.NewStringResponse(500, ""), nil
		}))
	ids, errs := collect(t, c, &bigcommerce.ListCouponsOptions{PerPage: 2, MinID: 10, MaxID: 13})
	assert.Empty(t, errs)
	assert.Equal(t, []int{10, 11, 12, 13}, ids)
	require.Len(t, cap.Reqs, 2)
	assert.Equal(t, "limit=2&max_id=13&min_id=10", cap.Reqs[0].URL.RawQuery)
	assert.Equal(t, "limit=2&max_id=13&min_id=12", cap.Reqs[1].URL.RawQuery)
}

// TestListCouponsBoundsAMisbehavingServer: a server that ignores min_id
// (the same page again), answers more coupons than the limit, or ids out
// of order ends the listing with one error naming the vendor and the page,
// not an *APIError; no further page is asked.
func TestListCouponsBoundsAMisbehavingServer(t *testing.T) {
	tests := []struct {
		name    string
		second  string
		problem string
	}{
		{"min_id ignored", page(1, 2), "repeats the previous page's 2 coupons"},
		{"more than the limit", page(3, 3), "holds more than the 2 coupons asked for"},
		{"ids out of order", `[{"id":4},{"id":3}]`, "coupon 3 comes after 4: not in ascending order, so paging on could skip coupons"},
		{"ids below the cursor", `[{"id":1},{"id":5}]`, "coupon 1 comes after 2: not in ascending order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(1, 2)), jsonResponder(200, tt.second),
				func(*http.Request) (*http.Response, error) {
					t.Error("asked a page after the error")
					return httpmock.NewStringResponse(500, ""), nil
				}))
			ids, errs := collect(t, c, &bigcommerce.ListCouponsOptions{PerPage: 2})
			assert.Equal(t, []int{1, 2}, ids)
			require.Len(t, errs, 1)
			var apiErr *bigcommerce.APIError
			assert.False(t, errors.As(errs[0], &apiErr), "not an *APIError")
			msg := errs[0].Error()
			assert.True(t, strings.HasPrefix(msg, "bigcommerce: listing coupons: page 2 (limit=2&min_id=3): "+tt.problem), msg)
			assert.True(t, strings.HasSuffix(msg, "; listing stopped"), msg)
			assert.Len(t, cap.Reqs, 2)
		})
	}
}

// TestListCouponsRefusesIDsOutsideTheRange: a server that ignores min_id
// on the first page, or max_id, would list coupons the caller did not ask
// for; the listing ends with one error instead.
func TestListCouponsRefusesIDsOutsideTheRange(t *testing.T) {
	for _, tt := range []struct {
		name, body, problem string
	}{
		{"below min_id", page(5, 2), "page 1 (limit=2&max_id=20&min_id=10): coupon 5 is below the min_id 10 asked for"},
		{"above max_id", `[{"id":10},{"id":21}]`, "page 1 (limit=2&max_id=20&min_id=10): coupon 21 is above the max_id 20 asked for"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, tt.body))
			ids, errs := collect(t, c, &bigcommerce.ListCouponsOptions{PerPage: 2, MinID: 10, MaxID: 20})
			assert.Empty(t, ids)
			require.Len(t, errs, 1)
			assert.EqualError(t, errs[0], "bigcommerce: listing coupons: "+tt.problem+"; listing stopped")
			var apiErr *bigcommerce.APIError
			assert.False(t, errors.As(errs[0], &apiErr), "not an *APIError")
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

func TestListCouponsStopsWithTheLoop(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, page(1, 50)))
	n := 0
	for cp, err := range c.ListCoupons(context.Background(), nil) {
		require.NoError(t, err)
		assert.Equal(t, 1, cp.ID)
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "breaking after the first item sends exactly one request")

	// Stopping at the last item of a full page requests no next page.
	mt.ZeroCallCounters()
	for cp := range c.ListCoupons(context.Background(), nil) {
		if cp.ID == 50 {
			break
		}
	}
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestListCouponsFailedPage(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL, sequence(new(captured), jsonResponder(200, page(1, 2)),
		jsonResponder(403, `[{"status":403,"message":"You don't have a required scope to access the endpoint"}]`),
		jsonResponder(200, page(3, 2))))
	var ids []int
	var errs []error
	for cp, err := range c.ListCoupons(context.Background(), &bigcommerce.ListCouponsOptions{PerPage: 2}) {
		if err != nil {
			assert.Zero(t, cp.ID, "an error comes with the zero Coupon")
			errs = append(errs, err)
			continue
		}
		ids = append(ids, cp.ID)
	}
	assert.Equal(t, []int{1, 2}, ids)
	require.Len(t, errs, 1, "a failed page yields one error and ends")
	testutil.OnlySentinel(t, errs[0], bigcommerce.ErrForbidden)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestListCouponsBadPage(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, `[{"id":1},{"id":0}]`))
	ids, errs := collect(t, c, nil)
	assert.Empty(t, ids, "a page that does not decode yields none of its coupons")
	require.Len(t, errs, 1)
	var apiErr *bigcommerce.APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Contains(t, apiErr.Message, "[1]: coupon has no id")
}

func TestListCouponsRetriesAPage(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(1, 2)),
		testutil.Respond(429, "", "", "X-Retry-After", "0"), jsonResponder(200, page(3, 1))))
	ids, errs := collect(t, c, &bigcommerce.ListCouponsOptions{PerPage: 2})
	assert.Empty(t, errs)
	assert.Equal(t, []int{1, 2, 3}, ids)
	require.Len(t, cap.Reqs, 3)
	assert.Equal(t, "limit=2&min_id=3", cap.Reqs[1].URL.RawQuery)
	assert.Equal(t, "limit=2&min_id=3", cap.Reqs[2].URL.RawQuery, "the retry asks for the same page")
}

func TestListCouponsValidation(t *testing.T) {
	tests := []struct {
		opts  bigcommerce.ListCouponsOptions
		field string
	}{
		{bigcommerce.ListCouponsOptions{PerPage: 251}, "limit"},
		{bigcommerce.ListCouponsOptions{PerPage: -1}, "limit"},
		{bigcommerce.ListCouponsOptions{MinID: -1}, "min_id"},
		{bigcommerce.ListCouponsOptions{MaxID: -1}, "max_id"},
		{bigcommerce.ListCouponsOptions{MinID: 10, MaxID: 9}, "max_id"},
		{bigcommerce.ListCouponsOptions{Type: "bogus"}, "type"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.opts), func(t *testing.T) {
			c, mt := newMocked(t)
			ids, errs := collect(t, c, &tt.opts)
			assert.Empty(t, ids)
			require.Len(t, errs, 1)
			var v *bigcommerce.ValidationError
			require.ErrorAs(t, errs[0], &v)
			require.Len(t, v.Fields, 1)
			assert.Equal(t, tt.field, v.Fields[0].Field)
			assert.Equal(t, "bigcommerce", v.Vendor)
			assert.Contains(t, v.Operation, "GET /stores/abc123/v2/coupons?")
			assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent")
		})
	}
}

func TestListCouponsContext(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, listURL, jsonResponder(200, page(1, 2)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errs []error
	n := 0
	for _, err := range c.ListCoupons(ctx, &bigcommerce.ListCouponsOptions{PerPage: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
		cancel() // the next page is requested with a cancelled context
	}
	assert.Equal(t, 2, n)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// TestListCouponsRangesAgain: each range over the sequence starts again
// at the first page (no min_id).
func TestListCouponsRangesAgain(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, listURL, sequence(&cap, jsonResponder(200, page(1, 2)), jsonResponder(200, page(3, 1)),
		jsonResponder(200, page(1, 2)), jsonResponder(200, page(3, 1))))
	seq := c.ListCoupons(context.Background(), &bigcommerce.ListCouponsOptions{PerPage: 2})
	for range 2 {
		var ids []int
		for cp, err := range seq {
			require.NoError(t, err)
			ids = append(ids, cp.ID)
		}
		assert.Equal(t, []int{1, 2, 3}, ids)
	}
	require.Len(t, cap.Reqs, 4)
	assert.Equal(t, "limit=2", cap.Reqs[2].URL.RawQuery)
}
