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
	// against totalItems, and bounds the pages by totalItems over the
	// size the server serves (the pageSize it answers, or its first
	// page's size).
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
	// means DefaultPageSize. It is always sent. A page holding more
	// coupons than PageSize ends the listing with an error (only
	// PageSize+1 of them are decoded).
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
// totalItems coupons have been received, or at an empty page (data null
// included); when an answer gives no totalItems, at a page shorter than
// the page size. Invalid opts, or a page that fails ("success": false
// inside an HTTP 200 included), yield (Coupon{}, err) once and end the
// sequence; a failed page is not skipped. Reads are idempotent and retried
// as such. Each page's coupons are released once iterated, so memory stays
// O(page).
//
// The listing bounds itself against a server or proxy that misbehaves: a
// page holding more coupons than the page size (counted while decoding, so
// an oversized page costs O(page size) memory however large its body), a
// page repeating the previous page's coupons (a server ignoring
// pageNumber), or more pages than totalItems announced (or, when
// totalItems keeps growing from page to page, more than ten times the
// pages the first page announced) end the listing with one error naming
// the vendor and the page (not an *APIError).
//
// The listing pages by offset: a coupon deleted while it runs may shift
// page boundaries so that another one is missed. One created while it runs
// may shift a coupon onto the next page; that copy is skipped, so no
// coupon is yielded twice from consecutive pages.
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
		seen, first := 0, 0
		page := cloneQuery(q)
		fetch := func(ctx context.Context, n int) (pager.Page[Coupon], error) {
			page.Set("pageNumber", strconv.Itoa(n))
			var p listPage
			_, err := c.t.Do(ctx, &transport.Request{
				Method:     http.MethodGet,
				Path:       couponsPath,
				Query:      page,
				Idempotent: true,
				Decode:     func(_ int, b []byte) error { return p.decode(b, lq.PageSize+1) },
			})
			if err != nil {
				return pager.Page[Coupon]{}, err
			}
			seen += len(p.items)
			if n == 0 {
				first = len(p.items)
			}
			out := pager.Page[Coupon]{Items: p.items, More: len(p.items) >= lq.PageSize, Request: page.Encode()}
			if p.total.Set {
				out.More = seen < p.total.V
				// The pages totalItems announces, in pages of the size the
				// server serves when that is smaller than asked: the
				// pageSize it says, or the first page's size.
				size := lq.PageSize
				if p.size.Set && p.size.V >= 1 && p.size.V < size {
					size = p.size.V
				}
				if first >= 1 && first < size {
					size = first
				}
				out.Total = (p.total.V + size - 1) / size
			}
			return out, nil
		}
		pager.List(ctx, pager.Pages[Coupon, string]{
			Vendor: "jframework",
			Size:   lq.PageSize,
			Key:    func(c *Coupon) string { return c.ID },
			Fetch:  fetch,
		})(yield)
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

// listPage is one decoded page: its coupons, totalItems and pageSize
// (unset when JFramework gave none).
type listPage struct {
	items       []Coupon
	total, size wire.Int
}

// listData is the envelope's data in a list answer. items is decoded one
// coupon at a time afterwards, so that an oversized page is cut off.
type listData struct {
	Items      json.RawMessage `json:"items"`
	TotalItems wire.Int        `json:"totalItems"`
	PageSize   wire.Int        `json:"pageSize"`
}

// decode reads a list answer, decoding at most most coupons (most < 0: all;
// ListCoupons asks for one more than the page size, so that the pager can
// refuse a page larger than asked without decoding it whole). The common
// answer, a success with data an object, is decoded in one streaming pass
// (decodeFast); anything else takes the general path, which returns the
// envelope's *APIError or says what is wrong. data null, [] or {} is an
// empty page, and so is items null, [] or {}.
func (p *listPage) decode(b []byte, most int) error {
	if p.decodeFast(b, most) {
		return nil
	}
	*p = listPage{}
	return p.decodeGeneral(b, most)
}

// decodeGeneral is decode's general path.
func (p *listPage) decodeGeneral(b []byte, most int) error {
	env, err := decodeEnvelope(b)
	if err != nil {
		return err
	}
	var d listData
	ok, err := wire.UnmarshalObject(env.Data, &d)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if !ok {
		return nil
	}
	p.total, p.size = d.TotalItems, d.PageSize
	if wire.IsEmpty(d.Items) {
		return nil
	}
	p.items = make([]Coupon, 0, max(most, 0))
	return wire.DecodeArray(d.Items, most, "data.items", p.add)
}

// add converts the coupon w and appends it to the page.
func (p *listPage) add(_ int, w *couponJSON) error {
	p.items = append(p.items, Coupon{})
	return p.items[len(p.items)-1].from(w)
}

// decodeFast decodes a success answer with data an object in one pass over
// b, as encoding/json would (keys matched ignoring case), with the coupons
// cut off after most; false for any other answer (success false or missing,
// a wrong shape, a coupon that does not convert), which decode's general
// path then reports.
func (p *listPage) decodeFast(b []byte, most int) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var success, sawSuccess bool
	p.items = make([]Coupon, 0, max(most, 0))
	err := wire.Object(dec, func(key string) error {
		switch {
		case wire.Key(key, "success"):
			sawSuccess = true
			return dec.Decode(&success)
		case wire.Key(key, "data"):
			return wire.Object(dec, func(key string) error {
				switch {
				case wire.Key(key, "items"):
					p.items = p.items[:0]
					return wire.Elements(dec, most, "data.items", p.add)
				case wire.Key(key, "totalItems"):
					return dec.Decode(&p.total)
				case wire.Key(key, "pageSize"):
					return dec.Decode(&p.size)
				}
				return wire.Skip(dec)
			})
		}
		return wire.Skip(dec)
	})
	if err == wire.ErrCutOff {
		// More coupons than asked for: the pager refuses the page, so the
		// rest of it is not read.
		return sawSuccess && success
	}
	return err == nil && success && wire.End(dec)
}
