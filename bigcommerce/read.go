package bigcommerce

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"iter"
	"math"
	"net/http"
	"strconv"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// Listing limits of GET /v2/coupons.
const (
	// DefaultPerPage is the page size ListCoupons asks for when
	// ListCouponsOptions.PerPage is 0 (BigCommerce's own default).
	DefaultPerPage = 50
	// MaxPerPage is the largest page BigCommerce's v2 API serves.
	MaxPerPage = 250
)

// GetCouponResponse is what GetCoupon read: the coupon, picked by id from
// the bare array BigCommerce answers and decoded leniently
// (restricted_to.countries as one string, {} or [] for none), and the
// read's metadata (status, headers, the store's rate-limit window).
type GetCouponResponse struct {
	// Coupon is the coupon as BigCommerce stores it now.
	Coupon Coupon
	// Meta describes the GET exchange.
	Meta ResponseMeta
}

// getQuery is the query string of GetCoupon.
type getQuery struct {
	ID int `url:"id"`
}

// GetCoupon reads the coupon id (> 0).
//
// BigCommerce's v2 API documents no GET on /coupons/{id}; the documented
// read is the collection filtered by id, GET /stores/{hash}/v2/coupons?id={id},
// which answers a bare JSON array. GetCoupon picks the element with that id;
// when there is none (an empty array, 204 No Content, or only other coupons)
// or BigCommerce answers 404, it returns an *APIError matching ErrNotFound.
// The read is idempotent and retried as such.
func (c *Client) GetCoupon(ctx context.Context, id int) (*GetCouponResponse, error) {
	out, _, err := c.get(ctx, id, false)
	return out, err
}

// get is GetCoupon; with keepRaw it also returns a copy of the coupon's
// JSON object as BigCommerce sent it, for ModifyCoupon.
func (c *Client) get(ctx context.Context, id int, keepRaw bool) (*GetCouponResponse, []byte, error) {
	q, err := query.Values(getQuery{ID: id})
	if err != nil {
		return nil, nil, fmt.Errorf("bigcommerce: encoding query: %w", err)
	}
	r := &transport.Request{Method: http.MethodGet, Path: c.path, Query: q, Idempotent: true}
	if id <= 0 {
		return nil, nil, c.t.Invalid(r, &ValidationError{Fields: []FieldError{{Field: "id", Problem: "must be greater than 0"}}})
	}
	// One allocation holds the answer and the raw object's slice.
	st := new(struct {
		out GetCouponResponse
		raw []byte
	})
	out := &st.out
	r.Decode = func(status int, b []byte) error {
		if status != http.StatusNoContent {
			coupons, err := decodeCoupons(b)
			if err != nil {
				return err
			}
			for i := range coupons {
				if coupons[i].ID == id {
					out.Coupon = coupons[i]
					if keepRaw { // the body was decoded: valid JSON
						st.raw = bytes.Clone(wire.Element(b, i))
					}
					return nil
				}
			}
		}
		e := &api.APIError{Message: "no coupon with id " + strconv.Itoa(id)}
		api.SetKind(e, api.ErrNotFound)
		return e
	}
	meta, err := c.t.Do(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	out.Meta = meta
	return out, st.raw, nil
}

// ListCouponsOptions filters and pages ListCoupons. A nil
// *ListCouponsOptions lists every coupon, DefaultPerPage a page.
type ListCouponsOptions struct {
	// Code lists only the coupon with this code (query "code").
	Code string
	// Name lists only the coupon with this name (query "name").
	Name string
	// Type lists only coupons of this type (query "type").
	Type CouponType
	// MinID and MaxID list only ids in [MinID, MaxID] (queries "min_id",
	// "max_id"); 0 means no bound. ListCoupons pages by min_id itself: the
	// first page asks min_id=MinID, each next one the last id seen + 1,
	// and no page is asked for once that passes MaxID.
	MinID, MaxID int
	// PerPage is the page size, 1..MaxPerPage (query "limit"); 0 means
	// DefaultPerPage. It is always sent, because the listing ends at the
	// first page shorter than it; a page longer than it ends the listing
	// with an error.
	PerPage int
}

// listQuery is the query string of one ListCoupons page. It has no page
// number: pages are cursors on min_id.
type listQuery struct {
	Code  string     `url:"code,omitempty"`
	Name  string     `url:"name,omitempty"`
	Type  CouponType `url:"type,omitempty"`
	MinID int        `url:"min_id,omitempty"`
	MaxID int        `url:"max_id,omitempty"`
	Limit int        `url:"limit"`
}

// query validates o and returns the query of the first page.
func (o *ListCouponsOptions) query() (listQuery, error) {
	q := listQuery{Limit: DefaultPerPage}
	if o == nil {
		return q, nil
	}
	var c api.Checker
	if o.PerPage != 0 {
		c.Check(o.PerPage >= 1 && o.PerPage <= MaxPerPage, "limit", "must be between 1 and 250 (0 means 50)")
		q.Limit = o.PerPage
	}
	if o.Type != "" {
		c.OneOf("type", string(o.Type), string(PerItemDiscount), string(PercentageDiscount),
			string(PerTotalDiscount), string(ShippingDiscount), string(FreeShipping), string(Promotion))
	}
	c.Check(o.MinID >= 0, "min_id", "must not be negative")
	c.Check(o.MaxID >= 0, "max_id", "must not be negative")
	c.Check(o.MaxID <= 0 || o.MinID <= o.MaxID, "max_id", "must not be less than min_id")
	q.Code, q.Name, q.Type, q.MinID, q.MaxID = o.Code, o.Name, o.Type, o.MinID, o.MaxID
	return q, c.Err()
}

// outside says which coupon lies outside the ids the caller asked for
// (below MinID, checked on the first page, or above MaxID), "" when none:
// a server that ignores the filters would otherwise list other coupons.
func (q *listQuery) outside(items []Coupon, first bool) string {
	for i := range items {
		switch id := items[i].ID; {
		case first && id < q.MinID:
			return fmt.Sprintf("coupon %d is below the min_id %d asked for", id, q.MinID)
		case q.MaxID > 0 && id > q.MaxID:
			return fmt.Sprintf("coupon %d is above the max_id %d asked for", id, q.MaxID)
		}
	}
	return ""
}

// ListCoupons iterates over the store's coupons in ascending id order,
// lazily: it requests GET /stores/{hash}/v2/coupons?limit=L (plus the
// filters of opts) only when the loop has consumed the previous page, and
// stops requesting as soon as the loop stops.
//
// It pages by cursor, as BigCommerce recommends for large stores: the
// first page asks min_id=opts.MinID (none when 0), each next page min_id =
// the last id seen + 1, never above opts.MaxID (no page is asked for once
// the cursor passes it). A coupon created or deleted while the listing
// runs therefore neither repeats nor makes another one skipped: each coupon
// present from start to end is yielded exactly once (one created behind
// the cursor is not seen). The listing ends at a page shorter than the
// limit, an empty array or 204 No Content (how v2 collections answer an
// empty page).
//
// The listing bounds itself against a server or proxy that misbehaves: a
// page holding more coupons than the limit (counted while decoding, so an
// oversized page costs O(limit) memory however large its body), a page
// repeating the previous page's coupons (a server ignoring min_id), ids
// not in ascending order, or ids outside opts' MinID..MaxID end the listing
// with one error naming the vendor and the page (not an *APIError). Invalid opts, or a page that fails,
// yield (Coupon{}, err) once and end the sequence; a failed page is not
// skipped. Reads are idempotent and retried as such. Each page's coupons
// are released once iterated, so memory stays O(page).
//
// Coupons are decoded leniently (see UpdateCoupon's answer): restricted_to
// {}, [] or null is nil, and countries may come as a single string.
func (c *Client) ListCoupons(ctx context.Context, opts *ListCouponsOptions) iter.Seq2[Coupon, error] {
	return func(yield func(Coupon, error) bool) {
		lq, invalid := opts.query()
		q, err := query.Values(lq)
		if err != nil {
			yield(Coupon{}, fmt.Errorf("bigcommerce: encoding query: %w", err))
			return
		}
		if invalid != nil {
			yield(Coupon{}, c.t.Invalid(&transport.Request{Method: http.MethodGet, Path: c.path, Query: q}, invalid))
			return
		}
		next := 0 // the next page's min_id
		fetch := func(ctx context.Context, n int) (pager.Page[Coupon], error) {
			if n > 0 {
				q.Set("min_id", strconv.Itoa(next))
			}
			var items []Coupon
			_, err := c.t.Do(ctx, &transport.Request{
				Method:     http.MethodGet,
				Path:       c.path,
				Query:      q,
				Idempotent: true,
				Decode: func(status int, b []byte) (err error) {
					if status != http.StatusNoContent {
						items, err = decodePage(b, lq.Limit+1)
					}
					return err
				},
			})
			if err != nil {
				return pager.Page[Coupon]{}, err
			}
			p := pager.Page[Coupon]{Items: items, More: len(items) >= lq.Limit, Request: q.Encode()}
			if problem := lq.outside(items, n == 0); problem != "" {
				// The pager checks later pages against the cursor.
				return pager.Page[Coupon]{}, &pager.Error{Vendor: "bigcommerce", Page: n + 1, Request: p.Request, Problem: problem}
			}
			if len(items) > 0 {
				// The pager refuses ids out of order before asking the
				// next page, so the last id is the largest.
				last := items[len(items)-1].ID
				p.More = p.More && last < math.MaxInt && (lq.MaxID == 0 || last < lq.MaxID)
				next = last + 1
			}
			return p, nil
		}
		pager.List(ctx, pager.Pages[Coupon, int]{
			Vendor: "bigcommerce",
			Size:   lq.Limit,
			Key:    func(c *Coupon) int { return c.ID },
			Less:   cmp.Less[int],
			Fetch:  fetch,
		})(yield)
	}
}
