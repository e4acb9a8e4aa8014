package jframework

import (
	"testing"

	"github.com/couponkit/couponkit/internal/api"
)

// FuzzDecodeListPage: a list answer decodes to coupons that each have an
// id, or to an error (an *APIError for "success": false); never a panic.
func FuzzDecodeListPage(f *testing.F) {
	for _, b := range []string{
		`{"success":true,"statusCode":200,"message":"The request was successful.","data":{"items":[{"id":"sApKpllz4sAplsmzha",
"code":"COUPON1","name":"Coupon 1","description":null,"tags":"tag1, tag2","percentage":10,"quantity":100,
"startDate":"2025-06-23T13:56:00.4346197+07:00","endDate":"2025-07-23T13:56:00.4346201+07:00","autoApplyToPrice":true,
"status":"Active","testMode":false,"modifiedDate":"2025-06-23T13:56:00.4346205+07:00"}],"totalItems":1,"pageNumber":0,"pageSize":200},"errors":[]}`,
		`{"success":true,"data":{"items":[],"totalItems":0}}`,
		`{"success":true,"data":{"items":null,"totalItems":"3"}}`,
		`{"success":true,"data":null}`,
		`{"success":true,"data":[]}`,
		`{"success":true,"data":{"items":[{"id":"x","percentage":"12.5","quantity":"7"}],"totalItems":null}}`,
		`{"success":true,"data":{"items":[{"code":"no id"}]}}`,
		`{"success":false,"statusCode":404,"errors":[{"code":"CouponNotFound","message":"gone","correlationId":"c"}]}`,
		`{"success":false,"errors":[{"code":"RateLimitExceeded","details":"slow down"}]}`,
		`{"success":true,"data":{"items":{"id":"x"}}}`,
		`[]`, `null`, ``, `<html></html>`,
	} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var p listPage
		err := p.decode(body, -1)
		if err != nil {
			if e, ok := err.(*api.APIError); ok && e.Code == codeRateLimited && api.Kind(e) != api.ErrRateLimited {
				t.Fatalf("RateLimitExceeded is not ErrRateLimited: %q", body)
			}
			return
		}
		for i, c := range p.items {
			if c.ID == "" {
				t.Fatalf("item %d without an id: %q", i, body)
			}
		}
		// The one-pass decoding agrees with the general path.
		var fast, general listPage
		if fast.decodeFast(body, -1) {
			if err := general.decodeGeneral(body, -1); err != nil {
				t.Fatalf("%q: fast path accepted, general path: %v", body, err)
			}
			if len(fast.items) != len(general.items) || fast.total != general.total || fast.size != general.size {
				t.Fatalf("%q: fast %d items %v %v, general %d items %v %v", body,
					len(fast.items), fast.total, fast.size, len(general.items), general.total, general.size)
			}
		}
	})
}
