package jframework_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
)

// fullRequest sets every field, every string among them.
func fullRequest() *jframework.UpdateCouponRequest {
	r := minimalRequest()
	r.Percentage, r.Quantity = jframework.Ptr(10.0), jframework.Ptr(100)
	r.AutoApplyToPrice, r.TestMode = jframework.Ptr(true), jframework.Ptr(false)
	r.Description, r.Tags = jframework.Ptr("This is a coupon"), jframework.Ptr("tag1, tag2")
	r.Status = jframework.StatusActive
	return r
}

// TestEveryStringIsValidUTF8 corrupts each string of a request in turn:
// Code "SUMMER\xff15" would be stored as "SUMMER\uFFFD15".
func TestEveryStringIsValidUTF8(t *testing.T) {
	c, mt := newMocked(t)
	testutil.CheckEveryString(t, fullRequest, func(r *jframework.UpdateCouponRequest) error {
		_, err := c.UpdateCoupon(context.Background(), r)
		return err
	}, mt.GetTotalCallCount, map[string]string{
		"ID": "id", "Name": "name", "Code": "code", "Description": "description", "Tags": "tags", "Status": "status",
	})

	r := fullRequest()
	r.Code = "SUMMER\xff15"
	_, err := c.UpdateCoupon(context.Background(), r)
	var ve *jframework.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []jframework.FieldError{{Field: "code", Problem: "must be valid UTF-8"}}, ve.Fields)
}

// TestPathIDHasNoControlCharacters: the id goes in the path, where a
// control character has no business.
func TestPathIDHasNoControlCharacters(t *testing.T) {
	c, mt := newMocked(t)
	for _, id := range []string{"a\x00b", "a\nb", "a\rb", "\x7f", "a\u0085b", "tab\there"} {
		r := minimalRequest()
		r.ID = id
		_, err := c.UpdateCoupon(context.Background(), r)
		var ve *jframework.ValidationError
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, []jframework.FieldError{{Field: "id", Problem: "must not contain control characters"}}, ve.Fields, "%q", id)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

// TestValidationErrorNamesTheCoupon: the error says which vendor, which
// operation and which coupon.
func TestValidationErrorNamesTheCoupon(t *testing.T) {
	c, mt := newMocked(t)
	r := minimalRequest()
	r.Code = ""
	_, err := c.UpdateCoupon(context.Background(), r)
	var ve *jframework.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "jframework", ve.Vendor)
	assert.Equal(t, "PUT /api/v1/coupons/"+couponID, ve.Operation)
	assert.EqualError(t, err, "jframework: invalid request for PUT /api/v1/coupons/"+couponID+": code is required")

	r = minimalRequest()
	r.ID = "a/\x00"
	_, err = c.UpdateCoupon(context.Background(), r)
	assert.EqualError(t, err, "jframework: invalid request for PUT /api/v1/coupons/a%2F%00: id must not contain control characters")
	assert.Equal(t, 0, mt.GetTotalCallCount())
}
