package partnero_test

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

	"github.com/couponkit/couponkit/partnero"
)

// listCoupon is one coupon of a listing, shaped like Partnero's coupon
// objects (metadata [] when empty, additional_info [] before a redemption).
func listCoupon(uuid string) string {
	return `{"name":"` + strings.ToUpper(uuid) + `","uuid_code":"` + uuid + `","active":true,` +
		`"coupon_discount_type":"percent","coupon_discount_amount":25,"coupon_duration_type":"months",` +
		`"coupon_duration_value":11,"redemption_specific_date_status":false,"redemption_specific_date_value":null,` +
		`"redemption_times_status":false,"redemption_times_value":null,"metadata":[],"additional_info":[],` +
		`"times_redeemed":0,"created_at":"2025-05-07T17:43:26.000000Z","updated_at":"2025-05-07T17:43:26.000000Z","deleted_at":null}`
}

// listBody is a Laravel paginated answer holding coupons uuids; meta is
// the meta object's JSON ("" leaves meta out).
func listBody(meta string, uuids ...string) string {
	items := make([]string, len(uuids))
	for i, u := range uuids {
		items[i] = listCoupon(u)
	}
	b := `{"data":[` + strings.Join(items, ",") + `],"links":{"first":"https://api.partnero.com/v1/coupons?page=1","last":null,"prev":null,"next":null}`
	if meta != "" {
		b += `,"meta":` + meta
	}
	return b + `,"status":1}`
}

func meta(current, last, perPage, total int) string {
	return fmt.Sprintf(`{"current_page":%d,"from":1,"last_page":%d,"path":"https://api.partnero.com/v1/coupons","per_page":%d,"to":1,"total":%d}`,
		current, last, perPage, total)
}

// listResult is what ranging over a listing produced.
type listResult struct {
	uuids []string
	errs  []error
}

func list(c *partnero.Client, opts *partnero.ListCouponsOptions) listResult {
	var r listResult
	for cp, err := range c.ListCoupons(context.Background(), opts) {
		if err != nil {
			r.errs = append(r.errs, err)
			continue
		}
		r.uuids = append(r.uuids, cp.UUIDCode)
	}
	return r
}

// pages answers each listing request with the body for its page query
// parameter, recording the requests.
func pages(cap *captured, bodies map[string]httpmock.Responder) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		cap.Add(r)
		if resp, ok := bodies[r.URL.Query().Get("page")]; ok {
			return resp(r)
		}
		return nil, errors.New("unexpected page " + r.URL.RawQuery)
	}
}

// queries returns the raw query of each captured request.
func queries(cap *captured) []string {
	var out []string
	for _, r := range cap.Reqs {
		out = append(out, r.URL.RawQuery)
	}
	return out
}

func TestListCouponsWireFormat(t *testing.T) {
	for _, tt := range []struct {
		name  string
		opts  *partnero.ListCouponsOptions
		query string
	}{
		{"nil options: the default 100", nil, "limit=100&page=1"},
		{"zero PerPage: the default 100", &partnero.ListCouponsOptions{}, "limit=100&page=1"},
		{"smallest", &partnero.ListCouponsOptions{PerPage: 1}, "limit=1&page=1"},
		{"largest", &partnero.ListCouponsOptions{PerPage: 250}, "limit=250&page=1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t, partnero.WithUserAgent("promo-svc/2.1"))
			var cap captured
			mt.RegisterResponder(http.MethodGet, couponURL, sequence(&cap, jsonResponder(200, listBody(meta(1, 1, 100, 1), "coupon_123"))))
			r := list(c, tt.opts)
			require.Empty(t, r.errs)
			assert.Equal(t, []string{"coupon_123"}, r.uuids)
			require.Len(t, cap.Reqs, 1)
			req := cap.Reqs[0]
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, couponURL+"?"+tt.query, req.URL.String())
			assert.Equal(t, http.Header{
				"Authorization": {"Bearer " + apiKey},
				"Content-Type":  {"application/json"},
				"Accept":        {"application/json"},
				"User-Agent":    {"promo-svc/2.1 couponkit-go/0.1.0"},
			}, req.Header)
			assert.Empty(t, cap.Bodies[0], "a GET has no body")
		})
	}
}

func TestListCouponsDecodesPartneroCoupons(t *testing.T) {
	c, mt := newMocked(t)
	// The second coupon is shaped the other ways Partnero writes one:
	// numbers as strings, additional_info as an object, metadata set.
	second := `{"name":"SUMMER","uuid_code":"coupon_456","active":1,"coupon_discount_type":"static",` +
		`"coupon_discount_amount":"12.50","coupon_duration_type":"once","coupon_duration_value":null,` +
		`"redemption_specific_date_status":"1","redemption_specific_date_value":"2026-01-31T00:00:00.000000Z",` +
		`"redemption_times_status":true,"redemption_times_value":"24","metadata":{"campaign":"spring"},` +
		`"additional_info":{"redemptions":[{"redeemed_at":"2025-05-07T17:53:32.000000Z","transaction_key":"order_1"}]},` +
		`"times_redeemed":"1","created_at":"2025-05-07T17:43:26.000000Z","updated_at":"2025-05-07T17:53:32.000000Z","deleted_at":null}`
	body := `{"data":[` + listCoupon("coupon_123") + `,` + second + `],"links":{},` +
		`"meta":{"current_page":"1","last_page":"1","per_page":"100","total":"2"},"status":1}`
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, body))

	var got []partnero.Coupon
	for cp, err := range c.ListCoupons(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, cp)
	}
	require.Len(t, got, 2)
	created := time.Date(2025, 5, 7, 17, 43, 26, 0, time.UTC)
	redeemed := time.Date(2025, 5, 7, 17, 53, 32, 0, time.UTC)
	until := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, partnero.Coupon{
		UUIDCode: "coupon_123", Name: "COUPON_123", Active: true, DiscountType: "percent", DiscountAmount: 25,
		DurationType: "months", DurationValue: partnero.Ptr(11), Metadata: map[string]any{},
		CreatedAt: created, UpdatedAt: created,
	}, got[0])
	assert.Equal(t, partnero.Coupon{
		UUIDCode: "coupon_456", Name: "SUMMER", Active: true, DiscountType: "static", DiscountAmount: 12.5,
		DurationType: "once", RedemptionSpecificDateStatus: true, RedemptionSpecificDateValue: &until,
		RedemptionTimesStatus: true, RedemptionTimesValue: partnero.Ptr(24), Metadata: map[string]any{"campaign": "spring"},
		Redemptions: []partnero.Redemption{{RedeemedAt: redeemed, TransactionKey: "order_1"}}, TimesRedeemed: 1,
		CreatedAt: created, UpdatedAt: redeemed,
	}, got[1])
}

func TestListCouponsTermination(t *testing.T) {
	ok := func(body string) httpmock.Responder { return jsonResponder(200, body) }
	tests := []struct {
		name    string
		opts    *partnero.ListCouponsOptions
		bodies  map[string]httpmock.Responder
		uuids   []string
		queries []string
	}{
		{"one page", nil, map[string]httpmock.Responder{
			"1": ok(listBody(meta(1, 1, 100, 2), "a", "b")),
		}, []string{"a", "b"}, []string{"limit=100&page=1"}},
		{"ends at last_page", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody(meta(1, 3, 2, 5), "a", "b")),
			"2": ok(listBody(meta(2, 3, 2, 5), "c", "d")),
			"3": ok(listBody(meta(3, 3, 2, 5), "e")),
		}, []string{"a", "b", "c", "d", "e"}, []string{"limit=2&page=1", "limit=2&page=2", "limit=2&page=3"}},
		{"last_page reached with a full page", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody(meta(1, 2, 2, 4), "a", "b")),
			"2": ok(listBody(meta(2, 2, 2, 4), "c", "d")),
		}, []string{"a", "b", "c", "d"}, []string{"limit=2&page=1", "limit=2&page=2"}},
		{"an empty page ends it, whatever last_page says", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody(meta(1, 9, 2, 18), "a", "b")),
			"2": ok(listBody(meta(2, 9, 2, 18))),
		}, []string{"a", "b"}, []string{"limit=2&page=1", "limit=2&page=2"}},
		{"empty program", nil, map[string]httpmock.Responder{
			"1": ok(`{"data":[],"links":{},"meta":{"current_page":1,"from":null,"last_page":1,"per_page":100,"to":null,"total":0},"status":1}`),
		}, nil, []string{"limit=100&page=1"}},
		{"data {} (PHP) is empty", nil, map[string]httpmock.Responder{
			"1": ok(`{"data":{},"meta":{"current_page":1,"last_page":4},"status":1}`),
		}, nil, []string{"limit=100&page=1"}},
		{"data null is empty", nil, map[string]httpmock.Responder{
			"1": ok(`{"data":null,"status":1}`),
		}, nil, []string{"limit=100&page=1"}},
		{"no meta: a short page ends it", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody("", "a", "b")),
			"2": ok(listBody("", "c")),
		}, []string{"a", "b", "c"}, []string{"limit=2&page=1", "limit=2&page=2"}},
		{"no meta: an empty page ends it", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody("", "a", "b")),
			"2": ok(listBody("")),
		}, []string{"a", "b"}, []string{"limit=2&page=1", "limit=2&page=2"}},
		{"meta without last_page: a short page ends it", &partnero.ListCouponsOptions{PerPage: 2}, map[string]httpmock.Responder{
			"1": ok(listBody(`{"current_page":1}`, "a", "b")),
			"2": ok(listBody(`{"current_page":2}`, "c")),
		}, []string{"a", "b", "c"}, []string{"limit=2&page=1", "limit=2&page=2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, couponURL, pages(&cap, tt.bodies))
			r := list(c, tt.opts)
			assert.Empty(t, r.errs)
			assert.Equal(t, tt.uuids, r.uuids)
			assert.Equal(t, tt.queries, queries(&cap))
		})
	}
}

func TestListCouponsBreakSendsOneRequest(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, couponURL, pages(&cap, map[string]httpmock.Responder{
		"1": jsonResponder(200, listBody(meta(1, 5, 2, 10), "a", "b")),
		"2": jsonResponder(200, listBody(meta(2, 5, 2, 10), "c", "d")),
	}))
	seq := c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: 2})
	assert.Empty(t, cap.Reqs, "nothing is sent before the loop")
	for cp, err := range seq {
		require.NoError(t, err)
		assert.Equal(t, "a", cp.UUIDCode)
		break
	}
	assert.Equal(t, []string{"limit=2&page=1"}, queries(&cap), "breaking after the first item sent exactly one request")

	// Breaking at the last item of page 1 does not fetch page 2 either.
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		if n++; n == 2 {
			break
		}
	}
	assert.Len(t, cap.Reqs, 2)
}

func TestListCouponsFailingSecondPage(t *testing.T) {
	for _, tt := range []struct {
		name     string
		second   httpmock.Responder
		sentinel error
		attempts int
	}{
		{"404", jsonResponder(404, `{"message":"Not Found"}`), partnero.ErrNotFound, 1},
		{"500 after the retries a read allows", jsonResponder(500, `{"message":"Server Error"}`), partnero.ErrServer, 4},
		{"429 after the retries", jsonResponder(429, `{"message":"Too Many Attempts."}`, "Retry-After", "0"), partnero.ErrRateLimited, 4},
		{"not Partnero's shape", jsonResponder(200, `{"data":"x","status":1}`), nil, 1},
		{"current_page other than asked", jsonResponder(200, listBody(meta(1, 5, 2, 10), "a", "b")), nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			var cap captured
			mt.RegisterResponder(http.MethodGet, couponURL, pages(&cap, map[string]httpmock.Responder{
				"1": jsonResponder(200, listBody(meta(1, 5, 2, 10), "a", "b")),
				"2": tt.second,
				"3": jsonResponder(200, listBody(meta(3, 5, 2, 10), "e", "f")),
			}))
			r := list(c, &partnero.ListCouponsOptions{PerPage: 2})
			assert.Equal(t, []string{"a", "b"}, r.uuids, "page 1 was yielded before the failure")
			require.Len(t, r.errs, 1, "one error, then the sequence ends")
			var ae *partnero.APIError
			require.ErrorAs(t, r.errs[0], &ae)
			if tt.sentinel != nil {
				assert.ErrorIs(t, r.errs[0], tt.sentinel)
			}
			assert.Equal(t, tt.attempts, ae.Attempts)
			assert.Len(t, cap.Reqs, 1+tt.attempts, "page 3 is never requested")
			assert.NotContains(t, r.errs[0].Error(), apiKey)
		})
	}
}

func TestListCouponsRetriesAPage(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodGet, couponURL, sequence(&cap,
		jsonResponder(503, `<html>busy</html>`),
		jsonResponder(200, listBody(meta(1, 1, 100, 1), "a"))))
	r := list(c, nil)
	assert.Empty(t, r.errs)
	assert.Equal(t, []string{"a"}, r.uuids)
	assert.Equal(t, []string{"limit=100&page=1", "limit=100&page=1"}, queries(&cap))
}

func TestListCouponsBadShapes(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"not JSON", `<html></html>`, ""},
		{"data a string", `{"data":"x"}`, "data: expected a list of coupons"},
		{"data a non-empty object", `{"data":{"uuid_code":"a"}}`, "data: expected a list of coupons"},
		{"coupon without uuid_code", `{"data":[{"name":"x"}]}`, "data[0]: coupon has no uuid_code"},
		{"bad timestamp", `{"data":[{"uuid_code":"a","created_at":"yesterday"}]}`, "created_at"},
		{"bad coupon field", `{"data":[{"uuid_code":"a","active":"maybe"}]}`, "data[0]: expected a boolean"},
		{"bad meta", `{"data":[],"meta":{"last_page":"x"}}`, "expected an integer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, tt.body))
			r := list(c, nil)
			assert.Empty(t, r.uuids)
			require.Len(t, r.errs, 1)
			var ae *partnero.APIError
			require.ErrorAs(t, r.errs[0], &ae, "a body that is not Partnero's shape is an APIError, never a panic")
			assert.Contains(t, r.errs[0].Error(), tt.want)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not retried")
		})
	}
}

func TestListCouponsErrors(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(401, `{"message":"Unauthenticated."}`))
	r := list(c, nil)
	require.Len(t, r.errs, 1)
	assert.ErrorIs(t, r.errs[0], partnero.ErrUnauthorized)
	var ae *partnero.APIError
	require.ErrorAs(t, r.errs[0], &ae)
	assert.Equal(t, 401, ae.StatusCode)
	assert.Equal(t, "Unauthenticated.", ae.Message)
	assert.Contains(t, r.errs[0].Error(), "GET /v1/coupons?limit=100&page=1", "the error names the page")
}

func TestListCouponsValidationSendsNothing(t *testing.T) {
	for _, perPage := range []int{-1, 251, 1000} {
		t.Run(fmt.Sprint(perPage), func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				t.Error("a request was sent")
				return nil, errors.New("unexpected request")
			})
			r := list(c, &partnero.ListCouponsOptions{PerPage: perPage})
			assert.Empty(t, r.uuids)
			require.Len(t, r.errs, 1)
			var ve *partnero.ValidationError
			require.ErrorAs(t, r.errs[0], &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, "limit", ve.Fields[0].Field)
			assert.ErrorIs(t, r.errs[0], partnero.ErrInvalidRequest)
			assert.Equal(t, fmt.Sprintf("partnero: invalid request for GET /v1/coupons?limit=%d&page=1: limit must be between 1 and 250 (ListCouponsOptions.PerPage; 0 for the default 100)", perPage),
				r.errs[0].Error())
			assert.Equal(t, 0, mt.GetTotalCallCount())
		})
	}
}

func TestListCouponsDoneContextRequestsNoPage(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, couponURL, jsonResponder(200, listBody(meta(1, 3, 2, 6), "a", "b")))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got []string
	var errs []error
	for cp, err := range c.ListCoupons(ctx, &partnero.ListCouponsOptions{PerPage: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, cp.UUIDCode)
		cancel() // the caller gives up during page 1
	}
	assert.Equal(t, []string{"a", "b"}, got, "the page already fetched is yielded")
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "page 2 is not requested")
}
