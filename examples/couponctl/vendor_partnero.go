package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strings"
	"time"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// partneroVendor is Partnero's Partner API: coupons keyed by uuid_code,
// partial updates (UpdateCoupons) whose metadata is merged by the server.
var partneroVendor = &adapter[partnero.UpdateCouponRequest, string, partnero.Coupon, *partnero.Client, partnero.Option]{
	id:  "partnero",
	key: keySyntax{name: "uuid_code"},
	whyNoUndo: noReads("Partnero's update is partial and couponctl does not read each coupon before it",
		"couponctl list -vendor partnero -json"),
	filterNames: []string{"per-page"},
	envVars:     []envVar{{Name: "PARTNERO_API_KEY", Doc: "the program's API key, sent as a Bearer token"}},
	table:       partneroFields,
	extra: []fieldDoc{{
		Name: metadataPrefix + "KEY", Values: "JSON (5, true, {\"a\":1}, \"text\") or plain text",
		Doc: "sets one metadata key; Partnero merges metadata, so other keys stay",
	}},
	extraField: func(name string) bool { return strings.HasPrefix(name, metadataPrefix) },
	extraParse: parseMetadata,
	extraApply: func(r *partnero.UpdateCouponRequest, s setting) (change, error) {
		var v any
		if err := json.Unmarshal([]byte(s.v.s), &v); err != nil {
			return change{}, err
		}
		if r.Metadata == nil {
			r.Metadata = map[string]any{}
		}
		r.Metadata[strings.TrimPrefix(s.Field, metadataPrefix)] = v
		return newChange(s.Field, "", s.v.s), nil
	},
	request:  func(key string) *partnero.UpdateCouponRequest { return &partnero.UpdateCouponRequest{UUIDCode: key} },
	validate: (*partnero.UpdateCouponRequest).Validate,
	reqKey:   func(r *partnero.UpdateCouponRequest) string { return r.UUIDCode },
	parseKey: func(k string) string { return k },
	options:  options[partnero.Option]{partnero.WithUserAgent, partnero.WithHTTPClient, partnero.WithLogger, partnero.WithBaseURL},
	newClient: func(getenv func(string) string, opts ...partnero.Option) (*partnero.Client, error) {
		return partnero.NewClient(getenv("PARTNERO_API_KEY"), opts...)
	},
	// Partnero's key is the only thing that names the program: the journal
	// records a fingerprint of it (12 hex digits of a SHA-256 of a fixed
	// prefix and the key), never the key.
	store: func(getenv func(string) string) string {
		sum := sha256.Sum256([]byte("couponctl program fingerprint\x00" + getenv("PARTNERO_API_KEY")))
		return fmt.Sprintf("program key-sha256:%x", sum[:6])
	},
	demo: demoDef[partnero.Coupon, *partnerotest.Server, *partnero.Client, partnero.Option]{
		vendor: "partnero", newServer: partnerotest.NewServer, seed: seedPartnero,
		key: func(c partnero.Coupon) string { return c.UUIDCode },
		get: (*partnerotest.Server).Coupon,
		// Partnero documents no number; Laravel's default is 60 per
		// minute, here 60 per second.
		limit: 60, window: time.Second,
		note: "an in-process partnerotest program with 300 coupons (summer_001, welcome_002, ...), rate limit 60 requests per second",
	}.start,
	list: func(ctx context.Context, c *partnero.Client, f filterSet) iter.Seq2[partnero.Coupon, error] {
		return c.ListCoupons(ctx, &partnero.ListCouponsOptions{PerPage: f.number("per-page")})
	},
	toRow: partneroRow,
	update: func(ctx context.Context, c *partnero.Client, reqs []*partnero.UpdateCouponRequest, o *bulkOptions) iter.Seq[updated] {
		return mapSeq(c.UpdateCoupons(ctx, reqs, o), func(r partnero.UpdateResult) updated { return updated{r.Index, r.Err == nil, r.Err} })
	},
}

// metadataPrefix names a metadata key as a field: metadata.campaign=summer.
const metadataPrefix = "metadata."

// parseMetadata reads metadata.KEY=value: JSON when it is JSON, else text.
func parseMetadata(field, raw string) (setting, error) {
	if field == metadataPrefix {
		return setting{}, errors.New("metadata. needs a key: metadata.campaign=summer")
	}
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		v = raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return setting{}, fmt.Errorf("%s=%s: %w", field, raw, err)
	}
	return setting{Field: field, Op: "=", Raw: raw, v: value{s: string(b)}}, nil
}

// partneroFields are the Partnero fields couponctl sets (besides metadata).
var partneroFields = fields[partnero.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text, not blank"), doc: "the customer-facing name",
		set: func(r *partnero.UpdateCouponRequest, v value) error { r.Name = partnero.Ptr(v.s); return nil },
	},
}

// partneroRow is a listed Partnero coupon.
func partneroRow(c partnero.Coupon) row {
	return row{key: c.UUIDCode, code: c.UUIDCode, fields: []col{
		{"uuid_code", c.UUIDCode, true}, {"name", c.Name, true}, {"active", c.Active, true},
		{"coupon_discount_type", c.DiscountType, true}, {"coupon_discount_amount", c.DiscountAmount, true},
		{"coupon_duration_type", c.DurationType, false}, {"coupon_duration_value", c.DurationValue, false},
		{"times_redeemed", c.TimesRedeemed, true}, {"metadata", c.Metadata, false},
		{"created_at", c.CreatedAt, false}, {"updated_at", c.UpdatedAt, true},
	}}
}

// seedPartnero makes a demo program's 300 coupons.
func seedPartnero(now time.Time) []partnero.Coupon {
	return demoSeed(300, func(i int, camp demoCampaign) partnero.Coupon {
		return partnero.Coupon{
			UUIDCode:       fmt.Sprintf("%s_%03d", strings.ToLower(camp.code), i),
			Name:           fmt.Sprintf("%s %03d", camp.title, i),
			Active:         i%19 != 0,
			DiscountType:   "percent",
			DiscountAmount: max(camp.percent, 5),
			DurationType:   "once",
			TimesRedeemed:  i % 4,
			Metadata:       map[string]any{"campaign": strings.ToLower(camp.code)},
			CreatedAt:      now.AddDate(0, 0, -i),
		}
	})
}
