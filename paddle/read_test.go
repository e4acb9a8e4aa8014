package paddle_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/paddle"
)

const listURL = "https://vendors.paddle.com/api/2.0/product/list_coupons"

// docsListBody is the example answer of Paddle's list_coupons reference,
// extra "id" and "product_id" included: a percentage as a fraction and
// expires as a date-time.
const docsListBody = `{
  "success": true,
  "response": [{
    "id": 4227,
    "coupon": "56604810a6990",
    "description": "56604810a6dcd",
    "discount_type": "percentage",
    "discount_amount": 0.5,
    "discount_currency": "USD",
    "allowed_uses": 3,
    "times_used": 2,
    "is_recurring": true,
    "expires": "2020-12-03 00:00:00",
    "product_id": "16970"
  }]
}`

// collect ranges over seq and returns what it yielded.
func collect(seq func(func(paddle.Coupon, error) bool)) ([]paddle.Coupon, []error) {
	var cs []paddle.Coupon
	var errs []error
	for c, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cs = append(cs, c)
	}
	return cs, errs
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestListCouponsWireFormat(t *testing.T) {
	c, mt := newMocked(t, paddle.WithUserAgent("promo-svc/2.1"))
	var cap captured
	mt.RegisterResponder(http.MethodPost, listURL, sequence(&cap, jsonResponder(200, docsListBody)))

	cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 499531}))
	require.Empty(t, errs)

	require.Len(t, cap.Reqs, 1)
	r := cap.Reqs[0]
	assert.Equal(t, http.MethodPost, r.Method)
	assert.Equal(t, listURL, r.URL.String(), "API 2.0 path, no query string")
	assert.Equal(t, http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"},
		"Accept":       {"application/json"},
		"User-Agent":   {"promo-svc/2.1 couponkit-go/0.1.0"},
	}, r.Header, "no credential travels in a header")
	assert.Equal(t, url.Values{"vendor_id": {"4321"}, "vendor_auth_code": {authCode}, "product_id": {"499531"}}, formOf(t, &cap, 0))
	assert.Equal(t, "product_id=499531&vendor_auth_code="+authCode+"&vendor_id=4321", cap.Bodies[0], "exact bytes, keys sorted")

	assert.Equal(t, []paddle.Coupon{{
		Code: "56604810a6990", Description: "56604810a6dcd", DiscountType: paddle.DiscountPercentage,
		DiscountAmount: 50, Currency: paddle.USD, AllowedUses: 3, TimesUsed: 2, Recurring: true,
		Expires: date(2020, 12, 3),
	}}, cs)
}

func TestListCouponsLenientDecoding(t *testing.T) {
	base := paddle.Coupon{Code: "SUMMER2026", DiscountType: paddle.DiscountFlat, DiscountAmount: 12.5, Currency: paddle.EUR, AllowedUses: 100, TimesUsed: 4}
	tests := []struct {
		name string
		item string // replaces the matching field of the base item
		want func(*paddle.Coupon)
	}{
		{"as documented", ``, func(*paddle.Coupon) {}},
		{"amount as string", `"discount_amount":"12.50"`, func(*paddle.Coupon) {}},
		{"percentage fraction", `"discount_type":"percentage","discount_amount":0.15`, func(c *paddle.Coupon) {
			c.DiscountType, c.DiscountAmount = paddle.DiscountPercentage, 15 // exactly 15, not 15.000000000000002
		}},
		{"percentage fraction as string", `"discount_type":"percentage","discount_amount":"0.0333"`, func(c *paddle.Coupon) {
			c.DiscountType, c.DiscountAmount = paddle.DiscountPercentage, 3.33
		}},
		{"whole percentage", `"discount_type":"percentage","discount_amount":1`, func(c *paddle.Coupon) {
			c.DiscountType, c.DiscountAmount = paddle.DiscountPercentage, 100
		}},
		{"tiny percentage", `"discount_type":"percentage","discount_amount":1e-5`, func(c *paddle.Coupon) {
			c.DiscountType, c.DiscountAmount = paddle.DiscountPercentage, 0.001
		}},
		{"null currency (seen live)", `"discount_currency":null`, func(c *paddle.Coupon) { c.Currency = "" }},
		{"counts as strings", `"allowed_uses":"100","times_used":"4"`, func(*paddle.Coupon) {}},
		{"counts as whole floats", `"allowed_uses":100.0,"times_used":4.0`, func(*paddle.Coupon) {}},
		{"null counts", `"allowed_uses":null,"times_used":null`, func(c *paddle.Coupon) { c.AllowedUses, c.TimesUsed = 0, 0 }},
		{"recurring 1", `"is_recurring":1`, func(c *paddle.Coupon) { c.Recurring = true }},
		{"recurring \"1\"", `"is_recurring":"1"`, func(c *paddle.Coupon) { c.Recurring = true }},
		{"recurring 0", `"is_recurring":0`, func(*paddle.Coupon) {}},
		{"recurring null", `"is_recurring":null`, func(*paddle.Coupon) {}},
		{"expires date-time", `"expires":"2030-06-30 00:00:00"`, func(c *paddle.Coupon) { c.Expires = date(2030, 6, 30) }},
		{"expires date", `"expires":"2030-06-30"`, func(c *paddle.Coupon) { c.Expires = date(2030, 6, 30) }},
		{"expires RFC 3339", `"expires":"2030-06-30T00:00:00+00:00"`, func(c *paddle.Coupon) { c.Expires = date(2030, 6, 30) }},
		{"expires empty", `"expires":""`, func(*paddle.Coupon) {}},
		{"expires false (PHP)", `"expires":false`, func(*paddle.Coupon) {}},
		{"expires zero date", `"expires":"0000-00-00 00:00:00"`, func(*paddle.Coupon) {}},
		{"null description", `"description":null`, func(*paddle.Coupon) {}},
		{"numeric code", `"coupon":12345678`, func(c *paddle.Coupon) { c.Code = "12345678" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := map[string]string{
				"coupon": `"SUMMER2026"`, "description": `""`, "discount_type": `"flat"`, "discount_amount": `12.5`,
				"discount_currency": `"EUR"`, "allowed_uses": `100`, "times_used": `4`, "is_recurring": `false`, "expires": `null`,
			}
			for _, kv := range splitFields(tt.item) {
				fields[kv[0]] = kv[1]
			}
			var b strings.Builder
			b.WriteString(`{"success":true,"response":[{`)
			first := true
			for _, k := range []string{"coupon", "description", "discount_type", "discount_amount", "discount_currency", "allowed_uses", "times_used", "is_recurring", "expires"} {
				if !first {
					b.WriteByte(',')
				}
				first = false
				b.WriteString(`"` + k + `":` + fields[k])
			}
			b.WriteString(`}]}`)

			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, b.String()))
			cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
			require.Empty(t, errs, b.String())
			want := base
			tt.want(&want)
			assert.Equal(t, []paddle.Coupon{want}, cs, b.String())
		})
	}
}

// splitFields splits `"a":1,"b":"x"` (no commas inside values) into pairs.
func splitFields(s string) [][2]string {
	var out [][2]string
	if s == "" {
		return out
	}
	for _, part := range strings.Split(s, `,"`) {
		part = strings.TrimPrefix(part, `"`)
		k, v, _ := strings.Cut(part, `":`)
		out = append(out, [2]string{k, v})
	}
	return out
}

func TestListCouponsEmptyAnswers(t *testing.T) {
	for _, body := range []string{
		`{"success":true,"response":[]}`,
		`{"success":true,"response":null}`,
		`{"success":true,"response":{}}`,
		`{"success":true}`,
	} {
		t.Run(body, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, body))
			cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
			assert.Empty(t, errs)
			assert.Empty(t, cs)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "one page, no second request")
		})
	}
}

func TestListCouponsIsLazyAndStopsWithTheLoop(t *testing.T) {
	c, mt := newMocked(t)
	body := `{"success":true,"response":[` +
		`{"coupon":"AAAAA1","discount_type":"flat","discount_amount":"1.00"},` +
		`{"coupon":"AAAAA2","discount_type":"flat","discount_amount":"2.00"}]}`
	mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, body))

	seq := c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7})
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent before the loop")

	var got []string
	for cp, err := range seq {
		require.NoError(t, err)
		got = append(got, cp.Code)
		break
	}
	assert.Equal(t, []string{"AAAAA1"}, got)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "breaking after the first item sent exactly one request")

	// The sequence can be ranged again: a fresh request.
	cs, errs := collect(seq)
	assert.Empty(t, errs)
	assert.Len(t, cs, 2)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}

func TestListCouponsErrorsInside200(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		sentinel error
		code     string
		attempts int
	}{
		{"unknown product", paddleError(108, "Unable to find requested product"), paddle.ErrNotFound, "108", 1},
		{"bad api key", paddleError(102, "Bad api key"), paddle.ErrUnauthorized, "102", 1},
		{"no permission", paddleError(107, "You don't have permission to access this resource"), paddle.ErrForbidden, "107", 1},
		{"missing arguments", paddleError(116, "One or more required arguments are missing"), paddle.ErrInvalidRequest, "116", 1},
		{"internal error, retried as a read", paddleError(120, "Request failed due to internal error"), paddle.ErrServer, "120", 4},
		{"rate limit, retried", paddleError(189, "Rate limit reached for this type of request. Please try again later."), paddle.ErrRateLimited, "189", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, tt.body))
			cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
			assert.Empty(t, cs)
			require.Len(t, errs, 1, "one error, then the sequence ends")
			assert.ErrorIs(t, errs[0], tt.sentinel)
			var ae *paddle.APIError
			require.ErrorAs(t, errs[0], &ae)
			assert.Equal(t, 200, ae.StatusCode)
			assert.Equal(t, tt.code, ae.Code)
			assert.Equal(t, tt.attempts, ae.Attempts)
			assert.Equal(t, tt.attempts, mt.GetTotalCallCount())
		})
	}
}

func TestListCouponsRetriedThenSucceeds(t *testing.T) {
	c, mt := newMocked(t)
	var cap captured
	mt.RegisterResponder(http.MethodPost, listURL, sequence(&cap,
		jsonResponder(200, paddleError(120, "Request failed due to internal error")),
		jsonResponder(503, `<html>busy</html>`),
		jsonResponder(200, docsListBody)))
	cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
	require.Empty(t, errs)
	require.Len(t, cs, 1)
	require.Len(t, cap.Bodies, 3)
	assert.Equal(t, cap.Bodies[0], cap.Bodies[2], "every attempt sends the same bytes")
}

func TestListCouponsBadShapes(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"not JSON", `<html>ok</html>`, ""},
		{"no success", `{"response":[]}`, `no "success" field`},
		{"failure without error", `{"success":false}`, `without an "error" object`},
		{"response a string", `{"success":true,"response":"x"}`, "expected a list of coupons"},
		{"response a non-empty object", `{"success":true,"response":{"updated":1}}`, "expected a list of coupons"},
		{"coupon without code", `{"success":true,"response":[{"coupon":"","discount_amount":1}]}`, "response[0]: coupon has no code"},
		{"bad expires", `{"success":true,"response":[{"coupon":"AAAAA","expires":"soon"}]}`, `not a YYYY-MM-DD date: "soon"`},
		{"bad expires type", `{"success":true,"response":[{"coupon":"AAAAA","expires":5}]}`, "expected a date"},
		{"bad count", `{"success":true,"response":[{"coupon":"AAAAA","allowed_uses":"many"}]}`, "expected an integer"},
		{"bad bool", `{"success":true,"response":[{"coupon":"AAAAA","is_recurring":"yes"}]}`, "expected a boolean"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, tt.body))
			cs, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
			assert.Empty(t, cs)
			require.Len(t, errs, 1)
			var ae *paddle.APIError
			require.ErrorAs(t, errs[0], &ae, "a body that is not Paddle's shape is an APIError, never a panic")
			assert.Contains(t, errs[0].Error(), tt.want)
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not retried")
		})
	}
}

func TestListCouponsValidationSendsNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts *paddle.ListCouponsOptions
		want string
	}{
		{"nil options", nil, "paddle: invalid request for POST /api/2.0/product/list_coupons: product_id is required (ListCouponsOptions is nil)"},
		{"zero product", &paddle.ListCouponsOptions{},
			`paddle: invalid request for POST /api/2.0/product/list_coupons product_id "0": product_id must be a product id of at least 1`},
		{"negative product", &paddle.ListCouponsOptions{ProductID: -4},
			`paddle: invalid request for POST /api/2.0/product/list_coupons product_id "-4": product_id must be a product id of at least 1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newMocked(t)
			mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
				t.Error("a request was sent")
				return nil, errors.New("unexpected request")
			})
			cs, errs := collect(c.ListCoupons(context.Background(), tt.opts))
			assert.Empty(t, cs)
			require.Len(t, errs, 1)
			var ve *paddle.ValidationError
			require.ErrorAs(t, errs[0], &ve)
			require.Len(t, ve.Fields, 1)
			assert.Equal(t, "product_id", ve.Fields[0].Field)
			assert.ErrorIs(t, errs[0], paddle.ErrInvalidRequest)
			assert.Equal(t, tt.want, errs[0].Error())
			assert.Equal(t, 0, mt.GetTotalCallCount())
		})
	}
}

func TestListCouponsAuthCodeNeverLeaks(t *testing.T) {
	c, mt := newMocked(t)
	// A server echoing the form back in its error message.
	mt.RegisterResponder(http.MethodPost, listURL,
		jsonResponder(200, paddleError(116, "Bad form: vendor_auth_code="+authCode)))
	_, errs := collect(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}))
	require.Len(t, errs, 1)
	assert.NotContains(t, errs[0].Error(), authCode)
	var ae *paddle.APIError
	require.ErrorAs(t, errs[0], &ae)
	assert.NotContains(t, ae.Message, authCode)
	assert.NotContains(t, string(ae.Body), authCode)
}

func TestListCouponsDoneContextSendsNothing(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPost, listURL, jsonResponder(200, docsListBody))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cs, errs := collect(c.ListCoupons(ctx, &paddle.ListCouponsOptions{ProductID: 7}))
	assert.Empty(t, cs)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
