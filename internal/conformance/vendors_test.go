package conformance_test

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/api"
)

// config is what the suite varies when it builds a client.
type config struct {
	base   string
	policy api.RetryPolicy
	logger *slog.Logger
	hc     *http.Client // nil: the SDK's default transport
}

// vendor adapts one vendor package to the suite.
type vendor struct {
	name string
	// secrets are the credentials used; none may leak.
	secrets []string
	// credHeaders are request headers carrying credentials.
	credHeaders []string
	// newClient builds a client and returns its idempotent update call and,
	// for vendors that have one, a non-idempotent call.
	newClient func(cfg config) (update, nonIdempotent func(context.Context) (api.ResponseMeta, error), err error)
	// success writes a valid success answer for update.
	success func(w http.ResponseWriter)
	// wrongTypes are 2xx bodies with a wrong JSON type in a position that
	// matters; each must give an *api.APIError, never a panic.
	wrongTypes []string
}

const secretToken = "SECRET-cafe0123456789abcdef-SECRET"

var vendors = []vendor{bigcommerceVendor()}

func bigcommerceVendor() vendor {
	const body = `{"id":42,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000",
"expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},
"num_uses":0,"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,
"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`
	return vendor{
		name:        "bigcommerce",
		secrets:     []string{secretToken},
		credHeaders: []string{"X-Auth-Token"},
		newClient: func(cfg config) (func(context.Context) (api.ResponseMeta, error), func(context.Context) (api.ResponseMeta, error), error) {
			opts := []bigcommerce.Option{bigcommerce.WithBaseURL(cfg.base), bigcommerce.WithRetryPolicy(cfg.policy)}
			if cfg.logger != nil {
				opts = append(opts, bigcommerce.WithLogger(cfg.logger))
			}
			if cfg.hc != nil {
				opts = append(opts, bigcommerce.WithHTTPClient(cfg.hc))
			}
			c, err := bigcommerce.NewClient("abc123", secretToken, opts...)
			if err != nil {
				return nil, nil, err
			}
			update := func(ctx context.Context) (api.ResponseMeta, error) {
				resp, err := c.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
					ID: 42, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.00", Code: "S2549JM0Y",
					AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
					Expires:   bigcommerce.Ptr(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
				})
				if err != nil {
					return api.ResponseMeta{}, err
				}
				return resp.Meta, nil
			}
			return update, nil, nil
		},
		success: func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(body))
		},
		wrongTypes: []string{
			`[]`, `"coupon"`, `42`, `null`,
			`{"id":"42"}`, `{"id":42,"name":7}`, `{"id":42,"amount":true}`, `{"id":42,"expires":5}`,
			`{"id":42,"expires":"tomorrow"}`, `{"id":42,"enabled":"yes"}`, `{"id":42,"applies_to":[1]}`,
			`{"id":42,"restricted_to":"AU"}`, `{"id":42,"restricted_to":[1]}`, `{"id":42,"shipping_methods":{}}`,
			`{"id":42,"date_created":"yesterday"}`, `{"id":42,"max_uses":"1"}`,
		},
	}
}
