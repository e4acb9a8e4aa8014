package modify

import (
	"context"
	"errors"
	"fmt"

	"github.com/couponkit/couponkit/internal/api"
)

// Ops describes one vendor's read-modify-write. C is the vendor's Coupon,
// R its UpdateCouponRequest and K its key type.
type Ops[K comparable, C, R any] struct {
	// Vendor names the vendor in errors, e.g. "bigcommerce".
	Vendor string
	// KeyField is the key's wire name, e.g. "id" or "couponCode".
	KeyField string
	// Get reads the coupon, and returns with it the coupon's JSON object
	// as the vendor sent it (inside any envelope), which Do sends back
	// with only the changed fields replaced. The bytes must not be shared
	// with a buffer that is reused.
	Get func(ctx context.Context, key K) (C, []byte, api.ResponseMeta, error)
	// Request is the coupon's UpdateRequest.
	Request func(c *C) *R
	// Key is the key a request addresses.
	Key func(r *R) K
	// Encode validates r and returns its typed wire body, as the vendor's
	// UpdateCoupon would send it. It must neither keep nor change r.
	Encode func(r *R) ([]byte, error)
	// Marshal is Encode without the validation: the typed body of the
	// request as read, which may break a rule the change then mends (a
	// required field the read lacked).
	Marshal func(r *R) ([]byte, error)
	// Write says how the vendor's update treats the wire document.
	Write Write
	// Invalid names a refusal made before anything is sent (no change
	// func, a change of the key, a request that breaks a documented rule) as
	// the vendor's UpdateCoupon names its own: vendor, operation and coupon.
	// Nil leaves the *api.ValidationError as it is.
	Invalid func(key K, err error) error
	// Send sends body, the merged wire body of r (see Merge), and returns
	// the coupon as the vendor answered.
	Send func(ctx context.Context, r *R, body []byte) (C, api.ResponseMeta, error)
}

// Result is what a modify did. Changes is empty, and After is Before, when
// nothing was sent.
type Result[C any] struct {
	Before, After C
	Changes       []api.FieldChange
	Meta          api.ResponseMeta
}

// Do reads the coupon key, passes change the request that would rewrite it
// as it is, validates and encodes the result, and, only when its typed wire
// body differs from the unchanged one, sends what it read with the changed
// fields replaced (Merge with ops.Write). With dryRun it computes Changes,
// checks the body it would send, and sends nothing. An error from change, a
// change of the key, or a body that lacks a required field sends nothing.
func Do[K comparable, C, R any](ctx context.Context, ops *Ops[K, C, R], key K, change func(*R) error, dryRun bool) (Result[C], error) {
	res, err := do(ctx, ops, key, change, dryRun)
	var ve *api.ValidationError
	if ops.Invalid != nil && errors.As(err, &ve) && ve.Vendor == "" {
		return Result[C]{}, ops.Invalid(key, err)
	}
	return res, err
}

func do[K comparable, C, R any](ctx context.Context, ops *Ops[K, C, R], key K, change func(*R) error, dryRun bool) (Result[C], error) {
	if change == nil {
		return Result[C]{}, validation(ops, key, "change", "is required (a func that edits the request)")
	}
	before, raw, meta, err := ops.Get(ctx, key)
	if err != nil {
		return Result[C]{}, err
	}
	// One request serves both bodies: Marshal neither keeps nor changes it.
	req := ops.Request(&before)
	unchanged, err := ops.Marshal(req)
	if err != nil {
		return Result[C]{}, fmt.Errorf("%s: the coupon %v as read does not encode as an update: %w", ops.Vendor, key, err)
	}
	if err := change(req); err != nil {
		return Result[C]{}, fmt.Errorf("%s: change of coupon %v: %w", ops.Vendor, key, err)
	}
	if got := ops.Key(req); got != key {
		return Result[C]{}, validation(ops, key, ops.KeyField, fmt.Sprintf("must not change in a modify (from %v to %v): it would write another coupon", key, got))
	}
	changed, err := ops.Encode(req)
	if err != nil {
		return Result[C]{}, err
	}
	changes, err := diff(unchanged, changed)
	if err != nil {
		return Result[C]{}, fmt.Errorf("%s: %w", ops.Vendor, err)
	}
	res := Result[C]{Before: before, After: before, Changes: changes, Meta: meta}
	if len(changes) == 0 {
		return res, nil
	}
	body, err := Merge(&ops.Write, raw, unchanged, changed)
	if err != nil {
		if _, ok := err.(*api.ValidationError); ok {
			return Result[C]{}, err
		}
		return Result[C]{}, fmt.Errorf("%s: coupon %v: %w", ops.Vendor, key, err)
	}
	if dryRun {
		return res, nil
	}
	after, meta, err := ops.Send(ctx, req, body)
	if err != nil {
		return Result[C]{}, err
	}
	res.After, res.Meta = after, meta
	return res, nil
}

func validation[K comparable, C, R any](ops *Ops[K, C, R], key K, field, problem string) error {
	return &api.ValidationError{Fields: []api.FieldError{{Field: field, Problem: problem}}}
}
