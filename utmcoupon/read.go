package utmcoupon

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// GetCouponResponse is a coupon as VTEX stores it now, and the exchange's
// metadata.
type GetCouponResponse struct {
	// Coupon is the coupon as read, GroupingKey and LastModifiedUTC
	// included.
	Coupon Coupon
	// Meta is the read's metadata.
	Meta ResponseMeta
}

// GetCoupon reads the coupon couponCode with
// GET /api/rnb/pvt/coupon/{couponCode}, which VTEX answers with the bare
// coupon object. couponCode is escaped into the path; it is checked first
// (required, valid UTF-8, no control characters, not "." or "..") and a
// broken rule is a *ValidationError, nothing sent.
//
// An unknown code answers 404, an *APIError matching ErrNotFound; so does a
// 2xx answer without a coupon (204 No Content, an empty body, null, {} or
// []), so that an empty answer is never mistaken for a coupon whose fields
// are all zero. An answer holding a coupon with another code is an
// *APIError too (codes are compared ignoring case, in case VTEX stores a
// code in another case than it was asked for), so a misrouted read never
// feeds ModifyCoupon another coupon.
//
// Fields are read leniently (see Coupon): utmCampaign null or left out
// reads as "", maxUsage null as nil, isArchived null as false, numbers and
// booleans sent as strings are accepted, and expirationIntervalPerUse may
// carry a fraction of a second ("00:00:01.5000000"). The read is
// idempotent and retried as such.
func (c *Client) GetCoupon(ctx context.Context, couponCode string) (*GetCouponResponse, error) {
	out, _, err := c.get(ctx, couponCode, false)
	return out, err
}

// get is GetCoupon; with keepRaw it also returns a copy of the coupon's
// JSON object as VTEX sent it, for ModifyCoupon.
func (c *Client) get(ctx context.Context, couponCode string, keepRaw bool) (*GetCouponResponse, []byte, error) {
	r := &transport.Request{
		Method:     http.MethodGet,
		Path:       couponPath,
		PathParams: []string{couponCode},
		Idempotent: true,
	}
	var ch api.Checker
	if ch.Required("couponCode", couponCode) {
		ch.PathSegment("couponCode", couponCode)
	}
	if err := ch.Err(); err != nil {
		return nil, nil, c.t.Invalid(r, err)
	}
	// One allocation holds the answer and the raw object's slice.
	st := new(struct {
		out GetCouponResponse
		raw []byte
	})
	out := &st.out
	r.Decode = func(status int, b []byte) error {
		if status == http.StatusNoContent || wire.IsEmpty(b) {
			e := &api.APIError{Message: fmt.Sprintf("no coupon %q (the answer holds none)", couponCode)}
			api.SetKind(e, api.ErrNotFound)
			return e
		}
		if err := out.Coupon.decode(b); err != nil {
			return err
		}
		if !strings.EqualFold(out.Coupon.CouponCode, couponCode) {
			return fmt.Errorf("asked for coupon %q, got coupon %q", couponCode, out.Coupon.CouponCode)
		}
		if keepRaw {
			st.raw = bytes.Clone(bytes.TrimSpace(b))
		}
		return nil
	}
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	out.Meta = meta
	return out, st.raw, nil
}

// ListCouponsOptions configures ListCoupons. VTEX's GET /api/rnb/pvt/coupon
// takes no filter and no paging, so it has no fields; it exists so that
// every couponkit package's ListCoupons has the same signature, and a nil
// *ListCouponsOptions is the same as an empty one. VTEX's one answer is
// bounded by the client's 10 MiB response limit, and ListCoupons' memory by
// the answer's size.
type ListCouponsOptions struct{}

// ListCoupons iterates over every coupon of the account. VTEX answers
// GET /api/rnb/pvt/coupon with one bare JSON array of all of them, without
// paging, so the sequence makes exactly one request, when the loop starts
// (nothing is sent until then, and each range over the sequence sends its
// own request). opts may be nil. Nothing is sent when ctx is already done.
//
// An empty answer ([], null, {}, an empty body or 204 No Content) is an
// empty listing. A failed request, or an answer that is not an array of
// coupons (a coupon without a couponCode, a wrong type), yields
// (Coupon{}, err) once and ends the sequence, before any coupon is
// yielded: the one answer is decoded whole first, coupon by coupon.
// Coupons are read as leniently as by GetCoupon. The answer is bounded by
// the client's 10 MiB response limit (an *APIError beyond it), and memory
// by the answer's size: the decoded coupons are kept only while they take
// no more memory than the answer; an answer of many tiny elements is
// checked, then decoded again one coupon at a time as the loop runs, so
// that 10 MiB of them cannot cost hundreds of MiB. The read is idempotent
// and retried as such.
func (c *Client) ListCoupons(ctx context.Context, opts *ListCouponsOptions) iter.Seq2[Coupon, error] {
	return pager.Unpaged(ctx, "utmcoupon", func(ctx context.Context) (pager.Checked[Coupon], error) {
		var list pager.Checked[Coupon]
		_, err := c.t.Do(ctx, &transport.Request{
			Method:     http.MethodGet,
			Path:       couponPath,
			Idempotent: true,
			Decode: func(status int, b []byte) (err error) {
				if status != http.StatusNoContent {
					list, err = decodeCoupons(b)
				}
				return err
			},
		})
		return list, err
	})
}

// decodeCoupons reads the list answer, a JSON array of coupons (null, {}
// and an empty body are an empty list), with pager.Check.
func decodeCoupons(b []byte) (pager.Checked[Coupon], error) {
	if wire.IsEmpty(b) {
		return pager.Checked[Coupon]{}, nil
	}
	s := bytes.TrimSpace(b)
	if s[0] != '[' {
		return pager.Checked[Coupon]{}, fmt.Errorf("expected a JSON array of coupons, got %.20s", s)
	}
	return pager.Check(s, "", (*Coupon).from)
}
