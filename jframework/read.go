package jframework

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// Listing limits of GET /api/v1/coupons.
const (
	// DefaultPageSize is the page size ListCoupons asks for when
	// ListCouponsOptions.PageSize is 0 (JFramework's own default).
	DefaultPageSize = 200
	// MaxPageSize is the largest page ListCoupons asks for. JFramework
	// documents no maximum; this bound keeps one page far below the
	// client's 10 MiB response limit. A server that serves smaller pages
	// than asked is still listed completely: the listing counts items
	// against totalItems, not pages.
	MaxPageSize = 1000
)

// GetCouponResponse is a coupon as JFramework stores it now, and the
// exchange's metadata.
type GetCouponResponse struct {
	Coupon Coupon
	Meta   ResponseMeta
}

// GetCoupon reads the coupon id with GET /api/v1/coupons/{id}. The id is
// escaped into the path and checked first like UpdateCoupon's (required,
// valid UTF-8, no control characters, not "." or ".."): a *ValidationError,
// nothing sent.
//
// JFramework answers in its envelope, and may report a failure inside an
// HTTP 200 with "success": false; GetCoupon returns that as an *APIError,
// never as an empty coupon. An unknown id (404, or the code CouponNotFound
// anywhere) matches ErrNotFound. An answer holding a coupon with another id
// is an *APIError too, so a misrouted read can never feed ModifyCoupon the
// wrong coupon. Dates keep JFramework's offset and seven fractional digits;
// null percentage and quantity stay nil, null description and tags read as
// "". The read is idempotent and retried as such.
func (c *Client) GetCoupon(ctx context.Context, id string) (*GetCouponResponse, error) {
	out, _, err := c.get(ctx, id, false)
	return out, err
}

// get is GetCoupon; with keepRaw it also returns a copy of the coupon's
// JSON object as JFramework sent it (the envelope's data), for
// ModifyCoupon.
func (c *Client) get(ctx context.Context, id string, keepRaw bool) (*GetCouponResponse, []byte, error) {
	r := &transport.Request{Method: http.MethodGet, Path: couponsPath, PathParams: []string{id}, Idempotent: true}
	var ch api.Checker
	if ch.Required("id", id) {
		ch.PathSegment("id", id)
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
	r.Decode = func(_ int, b []byte) error {
		if _, err := decodeCoupon(b, &out.Coupon); err != nil {
			return err
		}
		if out.Coupon.ID != id {
			return fmt.Errorf("asked for coupon %q, got coupon %q", id, out.Coupon.ID)
		}
		if keepRaw { // the body was decoded: valid JSON
			st.raw = bytes.Clone(wire.Member(b, "data"))
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

// ListCouponsOptions filters and pages ListCoupons. A nil
// *ListCouponsOptions lists every coupon, DefaultPageSize a page. Empty
// filters are not sent.
type ListCouponsOptions struct {
	// Name filters by the coupon's name (query "name").
	Name string
	// Code filters by the coupon's code (query "code").
	Code string
	// Keywords is JFramework's free-text search (query "keywords").
	Keywords string
	// Status lists only coupons in this state (query "status"); "" means
	// any.
	Status Status
	// PageSize is the page size, 1..MaxPageSize (query "pageSize"); 0
	// means DefaultPageSize. It is always sent.
	PageSize int
}

// listQuery is the query string of one ListCoupons page.
type listQuery struct {
	Name       string `url:"name,omitempty"`
	Code       string `url:"code,omitempty"`
	Keywords   string `url:"keywords,omitempty"`
	Status     Status `url:"status,omitempty"`
	PageSize   int    `url:"pageSize"`
	PageNumber int    `url:"pageNumber"`
}

// query validates o and returns the query of the first page.
func (o *ListCouponsOptions) query() (listQuery, error) {
	q := listQuery{PageSize: DefaultPageSize}
	if o == nil {
		return q, nil
	}
	var c api.Checker
	c.Text("name", o.Name)
	c.Text("code", o.Code)
	c.Text("keywords", o.Keywords)
	if o.Status != "" {
		c.OneOf("status", string(o.Status), string(StatusActive), string(StatusInactive), string(StatusExpired), string(StatusDeleted))
	}
	if o.PageSize != 0 {
		c.Check(o.PageSize >= 1 && o.PageSize <= MaxPageSize, "pageSize",
			"must be between 1 and "+strconv.Itoa(MaxPageSize)+" (0 means "+strconv.Itoa(DefaultPageSize)+")")
		q.PageSize = o.PageSize
	}
	q.Name, q.Code, q.Keywords, q.Status = o.Name, o.Code, o.Keywords, o.Status
	return q, c.Err()
}

// ListCoupons iterates over the brand's coupons, lazily: it requests
// GET /api/v1/coupons?pageNumber=N&pageSize=S (pages from 0, plus the
// filters of opts) only when the loop has consumed the previous page, and
// stops requesting as soon as the loop stops. opts is read when
// ListCoupons is called, so the sequence can be ranged over again.
//
// JFramework answers each page in its envelope with data
// {items, totalItems, pageNumber, pageSize}. The listing ends once
// totalItems coupons have been yielded, or at an empty page (data null
// included); when an answer gives no totalItems, at a page shorter than
// the page size. Invalid opts, or a page that fails ("success": false
// inside an HTTP 200 included), yield (Coupon{}, err) once and end the
// sequence; a failed page is not skipped. Reads are idempotent and retried
// as such. Each page's coupons are released once iterated, so memory stays
// O(page).
//
// The listing pages by offset: a coupon created or deleted while it runs
// may shift page boundaries, so a coupon can be missed or seen twice.
func (c *Client) ListCoupons(ctx context.Context, opts *ListCouponsOptions) iter.Seq2[Coupon, error] {
	lq, err := opts.query()
	var q url.Values
	if err == nil {
		q, err = query.Values(lq)
		if err != nil {
			err = fmt.Errorf("jframework: encoding query: %w", err)
		}
	}
	if err != nil {
		err = c.t.Invalid(&transport.Request{Method: http.MethodGet, Path: couponsPath}, err)
	}
	return func(yield func(Coupon, error) bool) {
		if err != nil {
			yield(Coupon{}, err)
			return
		}
		seen := 0
		page := cloneQuery(q)
		fetch := func(ctx context.Context, n int) (pager.Page[Coupon], error) {
			page.Set("pageNumber", strconv.Itoa(n))
			var p listPage
			_, err := c.t.Do(ctx, &transport.Request{
				Method:     http.MethodGet,
				Path:       couponsPath,
				Query:      page,
				Idempotent: true,
				Decode:     func(_ int, b []byte) error { return p.decode(b) },
			})
			if err != nil {
				return pager.Page[Coupon]{}, err
			}
			seen += len(p.items)
			more := len(p.items) >= lq.PageSize
			if p.total.Set {
				more = seen < p.total.V
			}
			return pager.Page[Coupon]{Items: p.items, More: more}, nil
		}
		pager.Seq(ctx, fetch)(yield)
	}
}

// cloneQuery copies q, so that each range over a ListCoupons sequence sets
// its own page numbers.
func cloneQuery(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// listPage is one decoded page: its coupons and totalItems (unset when
// JFramework gave none).
type listPage struct {
	items []Coupon
	total wire.Int
}

// listData is the envelope's data in a list answer.
type listData struct {
	Items      []couponJSON `json:"items"`
	TotalItems wire.Int     `json:"totalItems"`
}

// listEnvelope is the list answer decoded in one pass.
type listEnvelope struct {
	Success *bool     `json:"success"`
	Data    *listData `json:"data"`
}

// decode reads a list answer. The common answer, a success with data an
// object, is decoded in one pass; anything else takes the general path,
// which returns the envelope's *APIError or says what is wrong. data
// null, [] or {} is an empty page.
func (p *listPage) decode(b []byte) error {
	var fast listEnvelope
	d := new(listData)
	if json.Unmarshal(b, &fast) == nil && fast.Success != nil && *fast.Success {
		if fast.Data == nil {
			return nil
		}
		d = fast.Data
	} else {
		env, err := decodeEnvelope(b)
		if err != nil {
			return err
		}
		ok, err := wire.UnmarshalObject(env.Data, d)
		if err != nil {
			return fmt.Errorf("data: %w", err)
		}
		if !ok {
			return nil
		}
	}
	p.total = d.TotalItems
	p.items = make([]Coupon, len(d.Items))
	for i := range d.Items {
		if err := p.items[i].from(&d.Items[i]); err != nil {
			return fmt.Errorf("data.items[%d]: %w", i, err)
		}
	}
	return nil
}
