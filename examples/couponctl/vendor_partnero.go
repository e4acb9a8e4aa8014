package main

import (
	"context"
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
type partneroVendor struct{}

func (partneroVendor) name() string          { return "partnero" }
func (partneroVendor) keys() keySyntax       { return keySyntax{name: "uuid_code"} }
func (partneroVendor) reads() bool           { return false }
func (partneroVendor) filters() []string     { return []string{"per-page"} }
func (partneroVendor) needFilters() []string { return nil }
func (partneroVendor) noUndo() string {
	return "Partnero's update is partial and couponctl does not read each coupon before it, so it does not " +
		"know the values a run replaced: relative values and undo are not available; keep your own export " +
		"(couponctl list -vendor partnero -json) before a run"
}

func (partneroVendor) env() []envVar {
	return []envVar{{Name: "PARTNERO_API_KEY", Doc: "the program's API key, sent as a Bearer token"}}
}

// metadataPrefix names a metadata key as a field: metadata.campaign=summer.
const metadataPrefix = "metadata."

func (partneroVendor) fieldDocs() []fieldDoc {
	return append(partneroFields.docs(), fieldDoc{
		Name: metadataPrefix + "KEY", Values: "JSON (5, true, {\"a\":1}, \"text\") or plain text",
		Doc: "sets one metadata key; Partnero merges metadata, so other keys stay",
	})
}

func (partneroVendor) hasField(name string) bool {
	return partneroFields.lookup(name) != nil || (strings.HasPrefix(name, metadataPrefix) && len(name) > len(metadataPrefix))
}

func (v partneroVendor) parseSetting(field, raw string) (setting, error) {
	if key, ok := strings.CutPrefix(field, metadataPrefix); ok {
		if key == "" {
			return setting{}, errors.New("metadata. needs a key: metadata.campaign=summer")
		}
		val := metadataValue(raw)
		b, err := json.Marshal(val)
		if err != nil {
			return setting{}, fmt.Errorf("%s=%s: %w", field, raw, err)
		}
		return setting{Field: field, Raw: raw, v: value{s: string(b)}}, nil
	}
	return partneroFields.parseSetting(field, raw, false, "partnero")
}

// metadataValue reads a metadata value: JSON when it is JSON, else text.
func metadataValue(raw string) any {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err == nil {
		return v
	}
	return raw
}

// partneroFields are the Partnero fields couponctl sets (besides metadata).
var partneroFields = fields[partnero.UpdateCouponRequest]{
	{
		name: "name", kind: textKind("text, not blank"), doc: "the customer-facing name",
		set: func(r *partnero.UpdateCouponRequest, v value) error { r.Name = partnero.Ptr(v.s); return nil },
		check: func(v value) error {
			if strings.TrimSpace(v.s) == "" {
				return errors.New("must not be blank")
			}
			return nil
		},
	},
}

// partneroSession is a connected Partnero client.
type partneroSession struct {
	c    *partnero.Client
	stop func()
	srv  *partnerotest.Server // -demo only
}

func (partneroVendor) connect(cfg *connectConfig) (session, error) {
	opts := []partnero.Option{partnero.WithUserAgent("couponctl"), partnero.WithHTTPClient(cfg.http)}
	if cfg.logger != nil {
		opts = append(opts, partnero.WithLogger(cfg.logger))
	}
	if cfg.demo {
		srv := partnerotest.NewServer()
		seedPartnero(srv, time.Now())
		// Partnero documents no number; Laravel's default is 60 per
		// minute, here 60 per second.
		srv.SetRateLimit(60, time.Second)
		fmt.Fprintln(cfg.notice, "couponctl: -demo: an in-process partnerotest program with 300 coupons "+
			"(summer_001, welcome_002, ...), rate limit 60 requests per second")
		return &partneroSession{c: srv.Client(opts...), stop: srv.Close, srv: srv}, nil
	}
	if cfg.baseURL != "" {
		opts = append(opts, partnero.WithBaseURL(cfg.baseURL))
	}
	c, err := partnero.NewClient(cfg.getenv("PARTNERO_API_KEY"), opts...)
	if err != nil {
		return nil, err
	}
	return &partneroSession{c: c, stop: func() {}}, nil
}

func (s *partneroSession) list(ctx context.Context, f filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		per, err := intFilter(f, "per-page")
		if err != nil {
			yield(row{}, err)
			return
		}
		for c, err := range s.c.ListCoupons(ctx, &partnero.ListCouponsOptions{PerPage: per}) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(partneroRow(c), nil) {
				return
			}
		}
	}
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

func (s *partneroSession) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &partnero.BulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps,
		Progress: func(p partnero.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	return updateRun(items, o,
		func(it *item) (*partnero.UpdateCouponRequest, []change, error) {
			r := &partnero.UpdateCouponRequest{UUIDCode: it.key}
			var plain item
			var cs []change
			for _, st := range it.sets {
				key, isMeta := strings.CutPrefix(st.Field, metadataPrefix)
				if !isMeta {
					plain.sets = append(plain.sets, st)
					continue
				}
				if r.Metadata == nil {
					r.Metadata = map[string]any{}
				}
				var v any
				if err := json.Unmarshal([]byte(st.v.s), &v); err != nil {
					return nil, nil, err
				}
				r.Metadata[key] = v
				cs = append(cs, newChange(st.Field, "", st.v.s))
			}
			more, err := applySets(partneroFields, r, &plain)
			return r, append(more, cs...), err
		},
		func(reqs []*partnero.UpdateCouponRequest) iter.Seq[partnero.UpdateResult] {
			return s.c.UpdateCoupons(ctx, reqs, opts)
		},
		func(r partnero.UpdateResult) (int, bool, error) { return r.Index, r.Err == nil, r.Err },
		sentinels{notSent: partnero.ErrNotSent, unknown: partnero.ErrOutcomeUnknown,
			refused: []error{partnero.ErrInvalidRequest, partnero.ErrNotFound, partnero.ErrConflict, partnero.ErrRateLimited},
			fatal:   []error{partnero.ErrUnauthorized, partnero.ErrForbidden}})
}

func (s *partneroSession) close() { s.stop() }

func (s *partneroSession) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// seedPartnero fills a demo program with 300 coupons.
func seedPartnero(srv *partnerotest.Server, now time.Time) {
	for i := 1; i <= 300; i++ {
		camp := demoCampaigns[(i-1)%len(demoCampaigns)]
		c := partnero.Coupon{
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
		srv.AddCoupon(c)
	}
}
