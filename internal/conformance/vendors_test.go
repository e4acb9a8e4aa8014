package conformance_test

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/utmcoupon"
)

// config is what the suite varies when it builds a client.
type config struct {
	base   string
	policy api.RetryPolicy
	logger *slog.Logger
	hc     *http.Client // nil: the SDK's default transport
}

// call is one UpdateCoupon through a vendor's public API.
type call func(context.Context) (api.ResponseMeta, error)

// subject is a client under test.
type subject struct {
	// update is an idempotent update.
	update call
	// nonIdempotent is an update the vendor does not treat as idempotent,
	// nil for vendors that have none.
	nonIdempotent call
	// client is the *Client itself, for printing.
	client any
	// full is update returning the vendor's whole *UpdateCouponResponse
	// (nil on error).
	full func(context.Context) (any, error)
}

// vendor adapts one vendor package to the suite.
type vendor struct {
	name string
	// secrets are the credentials used; none may leak.
	secrets []string
	// credHeaders are request headers carrying credentials.
	credHeaders []string
	newClient   func(cfg config) (subject, error)
	// successBody is a valid 200 answer to update.
	successBody string
	// wrongTypes are 2xx bodies with a wrong JSON type in a position that
	// matters; each must give an *api.APIError, never a panic.
	wrongTypes []string
}

func (v vendor) success(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(v.successBody))
}

// Distinctive credentials (Paddle's auth code must be hex).
const (
	secretToken = "SECRET-cafe-token-7f3e9d-SECRET"
	secretKey   = "SECRET-appkey-41d2-SECRET"
	secretHex   = "5ec7e70cafe0123456789abcdef01234"
)

var vendors = []vendor{bigcommerceVendor(), paddleVendor(), partneroVendor(), jframeworkVendor(), utmcouponVendor()}

// options turns a config into a vendor's options.
func options[O any](cfg config, base func(string) O, retry func(api.RetryPolicy) O, logger func(*slog.Logger) O, hc func(*http.Client) O) []O {
	opts := []O{base(cfg.base), retry(cfg.policy)}
	if cfg.logger != nil {
		opts = append(opts, logger(cfg.logger))
	}
	if cfg.hc != nil {
		opts = append(opts, hc(cfg.hc))
	}
	return opts
}

// whole adapts UpdateCoupon's results to a full call's, without a typed nil.
func whole[R any](resp *R, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// metaOf adapts UpdateCoupon's results to a call's.
func metaOf[R any](meta func(*R) api.ResponseMeta) func(*R, error) (api.ResponseMeta, error) {
	return func(resp *R, err error) (api.ResponseMeta, error) {
		if err != nil {
			return api.ResponseMeta{}, err
		}
		return meta(resp), nil
	}
}

func bigcommerceVendor() vendor {
	return vendor{
		name:        "bigcommerce",
		secrets:     []string{secretToken},
		credHeaders: []string{"X-Auth-Token"},
		newClient: func(cfg config) (subject, error) {
			c, err := bigcommerce.NewClient("abc123", secretToken, options(cfg, bigcommerce.WithBaseURL,
				bigcommerce.WithRetryPolicy, bigcommerce.WithLogger, bigcommerce.WithHTTPClient)...)
			meta := metaOf(func(r *bigcommerce.UpdateCouponResponse) api.ResponseMeta { return r.Meta })
			req := &bigcommerce.UpdateCouponRequest{
				ID: 42, Name: "$5 off", Type: bigcommerce.PerTotalDiscount, Amount: "5.00", Code: "S2549JM0Y",
				AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
				Expires:   bigcommerce.Ptr(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
			}
			return subject{client: c,
				update: func(ctx context.Context) (api.ResponseMeta, error) { return meta(c.UpdateCoupon(ctx, req)) },
				full:   func(ctx context.Context) (any, error) { return whole(c.UpdateCoupon(ctx, req)) },
			}, err
		},
		successBody: `{"id":42,"name":"$5 off","type":"per_total_discount","amount":"5.0000","min_purchase":"25.0000",
"expires":"","enabled":true,"code":"S2549JM0Y","applies_to":{"entity":"categories","ids":[0]},
"num_uses":0,"max_uses":0,"max_uses_per_customer":0,"restricted_to":[],"shipping_methods":null,
"date_created":"Tue, 13 Mar 2018 16:18:59 +0000"}`,
		wrongTypes: []string{
			// Numbers as strings, a name as a number and {} for an empty
			// list are read leniently (BigCommerce's own examples do so).
			`[]`, `"coupon"`, `42`, `null`,
			`{"id":42,"amount":true}`, `{"id":42,"expires":5}`,
			`{"id":42,"expires":"tomorrow"}`, `{"id":42,"enabled":"yes"}`, `{"id":42,"applies_to":[1]}`,
			`{"id":42,"restricted_to":"AU"}`, `{"id":42,"restricted_to":[1]}`,
			`{"id":42,"date_created":"yesterday"}`,
		},
	}
}

func paddleVendor() vendor {
	return vendor{
		name:    "paddle",
		secrets: []string{secretHex},
		newClient: func(cfg config) (subject, error) {
			c, err := paddle.NewClient(4321, secretHex, options(cfg, paddle.WithBaseURL,
				paddle.WithRetryPolicy, paddle.WithLogger, paddle.WithHTTPClient)...)
			meta := metaOf(func(r *paddle.UpdateCouponResponse) api.ResponseMeta { return r.Meta })
			req := &paddle.UpdateCouponRequest{
				CouponCode: "SUMMER-2026", Expires: paddle.Ptr(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
				DiscountAmount: paddle.Ptr(12.5), Currency: "USD",
			}
			return subject{client: c,
				update: func(ctx context.Context) (api.ResponseMeta, error) { return meta(c.UpdateCoupon(ctx, req)) },
				full:   func(ctx context.Context) (any, error) { return whole(c.UpdateCoupon(ctx, req)) },
				nonIdempotent: func(ctx context.Context) (api.ResponseMeta, error) {
					return meta(c.UpdateCoupon(ctx, &paddle.UpdateCouponRequest{CouponCode: "SUMMER-2026", NewCouponCode: "AUTUMN-2026"}))
				},
			}, err
		},
		successBody: `{"success":true,"response":{"updated":1}}`,
		wrongTypes: []string{
			`[]`, `"ok"`, `null`, `{"success":"true","response":{"updated":1}}`, `{"success":true,"response":[]}`,
			`{"success":true,"response":{"updated":"many"}}`, `{"success":true,"response":{"updated":{}}}`,
			`{"success":false,"error":"135"}`, `{"success":false,"error":{"code":{},"message":"x"}}`,
			`{"success":false,"error":{"code":135,"message":7}}`,
		},
	}
}

func partneroVendor() vendor {
	return vendor{
		name:        "partnero",
		secrets:     []string{secretToken},
		credHeaders: []string{"Authorization"},
		newClient: func(cfg config) (subject, error) {
			c, err := partnero.NewClient(secretToken, options(cfg, partnero.WithBaseURL,
				partnero.WithRetryPolicy, partnero.WithLogger, partnero.WithHTTPClient)...)
			meta := metaOf(func(r *partnero.UpdateCouponResponse) api.ResponseMeta { return r.Meta })
			req := &partnero.UpdateCouponRequest{
				UUIDCode: "coupon_123", Name: partnero.Ptr("PARTNERO25"), Redeem: partnero.Ptr(true),
				TransactionKey: partnero.Ptr("order_4561"), Metadata: map[string]any{"campaign": "spring"},
			}
			return subject{client: c,
				update: func(ctx context.Context) (api.ResponseMeta, error) { return meta(c.UpdateCoupon(ctx, req)) },
				full:   func(ctx context.Context) (any, error) { return whole(c.UpdateCoupon(ctx, req)) },
				nonIdempotent: func(ctx context.Context) (api.ResponseMeta, error) {
					return meta(c.UpdateCoupon(ctx, &partnero.UpdateCouponRequest{UUIDCode: "coupon_123", Redeem: partnero.Ptr(true)}))
				},
			}, err
		},
		successBody: `{"data":{"name":"PARTNERO25","uuid_code":"coupon_123","active":true,"coupon_discount_type":"percent",
"coupon_discount_amount":25,"coupon_duration_type":"months","coupon_duration_value":11,"redemption_specific_date_status":false,
"redemption_specific_date_value":null,"redemption_times_status":true,"redemption_times_value":24,"metadata":[],
"additional_info":{"redemptions":[{"redeemed_at":"2025-05-07T17:53:32.000000Z","transaction_key":"order_4561"}]},
"times_redeemed":4,"created_at":"2025-05-07T17:43:26.000000Z","updated_at":"2025-05-07T17:53:32.000000Z","deleted_at":null},
"status":1,"message":"Coupon updated in the app successfully.","synchronization_enabled":false,
"synchronization_successful":false,"synchronization_message":""}`,
		wrongTypes: []string{
			`[]`, `"ok"`, `null`, `{"data":null}`, `{"data":[]}`, `{"data":"coupon"}`,
			`{"data":{"uuid_code":"c","name":[]}}`, `{"data":{"uuid_code":"c","coupon_discount_amount":"lots"}}`,
			`{"data":{"uuid_code":"c","metadata":"x"}}`, `{"data":{"uuid_code":"c","additional_info":"x"}}`,
			`{"data":{"uuid_code":"c","additional_info":{"redemptions":{}}}}`, `{"data":{"uuid_code":"c","created_at":"yesterday"}}`,
			`{"data":{"uuid_code":"c","times_redeemed":"x"}}`, `{"data":{"uuid_code":"c","deleted_at":5}}`,
		},
	}
}

func jframeworkVendor() vendor {
	return vendor{
		name:        "jframework",
		secrets:     []string{secretToken},
		credHeaders: []string{"Auth-Key"},
		newClient: func(cfg config) (subject, error) {
			c, err := jframework.NewClient("shop.example.com", secretToken, options(cfg, jframework.WithBaseURL,
				jframework.WithRetryPolicy, jframework.WithLogger, jframework.WithHTTPClient)...)
			meta := metaOf(func(r *jframework.UpdateCouponResponse) api.ResponseMeta { return r.Meta })
			req := &jframework.UpdateCouponRequest{
				ID: "sApKpllz4sAplsmzha", Name: "Coupon 1", Code: "COUPON1", Percentage: jframework.Ptr(10.0),
				StartDate: time.Date(2025, 6, 23, 13, 56, 0, 0, time.UTC), EndDate: time.Date(2025, 7, 23, 13, 56, 0, 0, time.UTC),
			}
			return subject{client: c,
				update: func(ctx context.Context) (api.ResponseMeta, error) { return meta(c.UpdateCoupon(ctx, req)) },
				full:   func(ctx context.Context) (any, error) { return whole(c.UpdateCoupon(ctx, req)) },
			}, err
		},
		successBody: `{"success":true,"statusCode":200,"message":"The request was successful.","data":{"id":"sApKpllz4sAplsmzha",
"code":"COUPON1","name":"Coupon 1","description":"This is a coupon","tags":"tag1, tag2","percentage":10,"quantity":100,
"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00","autoApplyToPrice":true,
"status":"Active","testMode":false,"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"},"errors":[]}`,
		wrongTypes: []string{
			`[]`, `"ok"`, `null`, `{"success":"yes"}`, `{"success":true,"data":null}`, `{"success":true,"data":[]}`,
			`{"success":true,"data":{"id":7}}`, `{"success":true,"data":{"id":"x","percentage":"ten"}}`,
			`{"success":true,"data":{"id":"x","quantity":1.5}}`, `{"success":true,"data":{"id":"x","startDate":"soon"}}`,
			`{"success":true,"data":{"id":"x","autoApplyToPrice":"true"}}`, `{"success":false,"errors":"boom"}`,
			`{"success":false,"errors":[{"code":7}]}`,
		},
	}
}

func utmcouponVendor() vendor {
	return vendor{
		name:        "utmcoupon",
		secrets:     []string{secretToken, secretKey},
		credHeaders: []string{"X-Vtex-Api-Apptoken", "X-Vtex-Api-Appkey"},
		newClient: func(cfg config) (subject, error) {
			c, err := utmcoupon.NewClient("mystore", secretKey, secretToken, options(cfg, utmcoupon.WithBaseURL,
				utmcoupon.WithRetryPolicy, utmcoupon.WithLogger, utmcoupon.WithHTTPClient)...)
			meta := metaOf(func(r *utmcoupon.UpdateCouponResponse) api.ResponseMeta { return r.Meta })
			req := &utmcoupon.UpdateCouponRequest{
				CouponCode: "ctest", UtmSource: "cupom3", MaxItemsPerClient: 1, ExpirationIntervalPerUse: 14 * 24 * time.Hour,
			}
			return subject{client: c,
				update: func(ctx context.Context) (api.ResponseMeta, error) { return meta(c.UpdateCoupon(ctx, req)) },
				full:   func(ctx context.Context) (any, error) { return whole(c.UpdateCoupon(ctx, req)) },
			}, err
		},
		successBody: `{"lastModifiedUtc":"2020-01-08T20:06:06.37289Z","utmSource":"cupom3","utmCampaign":null,"couponCode":"ctest",
"isArchived":false,"maxItemsPerClient":1,"expirationIntervalPerUse":"14.00:00:00"}`,
		wrongTypes: []string{
			// A number for a string or a numeric string for a number is read
			// leniently.
			`[]`, `"ok"`, `null`,
			`{"couponCode":"c","expirationIntervalPerUse":14}`, `{"couponCode":"c","expirationIntervalPerUse":"two weeks"}`,
			`{"couponCode":"c","expirationIntervalPerUse":"25:00:00"}`, `{"couponCode":"c","isArchived":"no"}`,
			`{"couponCode":"c","lastModifiedUtc":"yesterday"}`, `{"couponCode":"c","maxUsage":[]}`,
		},
	}
}
