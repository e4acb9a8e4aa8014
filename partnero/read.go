package partnero

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// Page sizes of ListCoupons.
const (
	// DefaultPerPage is the page size ListCoupons asks for when
	// ListCouponsOptions.PerPage is 0: 100 coupons, about 60 KB of JSON a
	// page. Partnero documents no default of its own, so the SDK always
	// sends one.
	DefaultPerPage = 100
	// MaxPerPage is the largest page Partnero serves (limit 1..250).
	MaxPerPage = 250
)

// ListCouponsOptions configures ListCoupons. A nil *ListCouponsOptions
// lists with the defaults.
type ListCouponsOptions struct {
	// PerPage is how many coupons each request asks for (Partnero's
	// limit): 1..250, or 0 for DefaultPerPage (100). Larger pages mean
	// fewer requests against Partnero's undocumented rate limit. A page
	// holding more coupons than PerPage ends the listing with an error
	// (only PerPage+1 of them are decoded).
	PerPage int
}

// listQuery is the query string of one page, encoded by go-querystring.
type listQuery struct {
	Limit int `url:"limit"`
	Page  int `url:"page"`
}

// ListCoupons lists every coupon of the program, one
// GET /v1/coupons?limit=&page= request per page (page from 1), each sent
// only when the caller's loop has consumed the previous page, none after
// the loop stops. The listing ends after meta.last_page, at an empty page,
// or (when Partnero sends no meta) at a page shorter than the limit. A
// PerPage outside 0..250 yields a *ValidationError for limit, sending
// nothing. A failed page, after the retries a read allows (it is
// idempotent), is yielded once as (Coupon{}, err) and ends the sequence;
// so is an answer whose meta.current_page is not the page asked for (an
// *APIError: a server ignoring page would otherwise be followed forever).
//
// The listing bounds itself against a server or proxy that misbehaves: a
// page holding more coupons than the limit (counted while decoding, so an
// oversized page costs O(limit) memory however large its body), a page
// repeating the previous page's coupons, or more pages than meta.last_page
// announced (or, when last_page keeps growing from page to page, more than
// ten times the pages the first page announced) end the listing with one
// error naming the vendor and the page (not an *APIError).
//
// Coupons are decoded as UpdateCoupon decodes them: metadata [] is an
// empty map, additional_info [] or {} has no redemptions, numbers may be
// strings. Partnero pages by offset: a coupon deleted while the listing
// runs may shift page boundaries so that another one is skipped; one
// created while it runs may shift a coupon onto the next page, and that
// copy is skipped, so no coupon is yielded twice from consecutive pages.
func (c *Client) ListCoupons(ctx context.Context, opts *ListCouponsOptions) iter.Seq2[Coupon, error] {
	limit := DefaultPerPage
	var chk api.Checker
	if opts != nil && opts.PerPage != 0 {
		limit = opts.PerPage
		chk.Check(limit >= 1 && limit <= MaxPerPage, "limit", "must be between 1 and 250 (ListCouponsOptions.PerPage; 0 for the default 100)")
	}
	invalid := chk.Err()
	if invalid != nil {
		// Named like the first page's request would be.
		q, _ := query.Values(listQuery{Limit: limit, Page: 1})
		invalid = c.t.Invalid(&transport.Request{Method: http.MethodGet, Path: couponsPath, Query: q}, invalid)
	}
	return pager.List(ctx, pager.Pages[Coupon, string]{
		Vendor: "partnero",
		Size:   limit,
		Key:    func(c *Coupon) string { return c.UUIDCode },
		Fetch: func(ctx context.Context, page int) (pager.Page[Coupon], error) {
			if invalid != nil {
				return pager.Page[Coupon]{}, invalid
			}
			return c.listPage(ctx, limit, page+1)
		},
	})
}

// listPage fetches page (from 1) of limit coupons.
func (c *Client) listPage(ctx context.Context, limit, page int) (pager.Page[Coupon], error) {
	q, err := query.Values(listQuery{Limit: limit, Page: page})
	if err != nil {
		return pager.Page[Coupon]{}, errors.New("partnero: encoding query: " + err.Error())
	}
	var out pager.Page[Coupon]
	_, err = c.t.Do(ctx, &transport.Request{
		Method:     http.MethodGet,
		Path:       couponsPath,
		Query:      q,
		Idempotent: true,
		Decode: func(_ int, b []byte) error {
			var err error
			out, err = decodePage(b, limit, page)
			return err
		},
	})
	if err != nil {
		return pager.Page[Coupon]{}, err
	}
	out.Request = q.Encode()
	return out, nil
}

// pageJSON is a Laravel paginated answer: {"data":[...],"links":{...},
// "meta":{...},"status":1}. links is not read; data is decoded one coupon
// at a time afterwards, so that an oversized page is cut off.
type pageJSON struct {
	Data json.RawMessage `json:"data"`
	Meta *metaJSON       `json:"meta"`
}

type metaJSON struct {
	CurrentPage wire.Int `json:"current_page"`
	LastPage    wire.Int `json:"last_page"`
	PerPage     wire.Int `json:"per_page"`
	Total       wire.Int `json:"total"`
}

// decodePage reads one page's answer: its coupons (at most limit+1: one
// more than asked is enough for the pager to refuse the page, whatever
// its size), whether another page may follow, and the pages Partnero
// announced (meta.last_page). data null, [] or {} (PHP) is an empty page.
// The usual answer is decoded in one streaming pass (decodeFast); any other
// takes the general path, which says what is wrong.
func decodePage(b []byte, limit, page int) (pager.Page[Coupon], error) {
	out := pager.Page[Coupon]{Items: make([]Coupon, 0, min(max(limit+1, 0), MaxPerPage+1))}
	meta, ok := decodeFast(b, limit+1, &out.Items)
	if !ok {
		var p pageJSON
		if err := json.Unmarshal(b, &p); err != nil {
			return pager.Page[Coupon]{}, err
		}
		meta, out.Items = p.Meta, out.Items[:0]
		if !wire.IsEmpty(p.Data) {
			if s := bytes.TrimSpace(p.Data); s[0] != '[' {
				return pager.Page[Coupon]{}, fmt.Errorf("data: expected a list of coupons, got %.20s", s)
			}
			if err := wire.DecodeArray(p.Data, limit+1, "data", adder(&out.Items)); err != nil {
				return pager.Page[Coupon]{}, err
			}
		}
	}
	switch m := meta; {
	case m != nil && m.CurrentPage.Set && m.CurrentPage.V != page:
		// Following it could list the same page forever.
		return pager.Page[Coupon]{}, fmt.Errorf("asked for page %d, got meta.current_page %d", page, m.CurrentPage.V)
	case m != nil && m.LastPage.Set:
		out.More = page < m.LastPage.V
		out.Total = max(m.LastPage.V, 0)
	default:
		out.More = len(out.Items) >= limit
	}
	return out, nil
}

// adder converts each coupon and appends it to items.
func adder(items *[]Coupon) func(int, *couponJSON) error {
	return func(_ int, w *couponJSON) error {
		*items = append(*items, Coupon{})
		return (*items)[len(*items)-1].from(w)
	}
}

// decodeFast decodes an answer that is an object with data a list of
// coupons in one pass over b, as encoding/json would (keys matched
// ignoring case), appending at most most coupons to items; false for any
// other answer (a wrong shape, a coupon that does not convert), which
// decodePage's general path then reports.
func decodeFast(b []byte, most int, items *[]Coupon) (*metaJSON, bool) {
	if s := bytes.TrimSpace(b); len(s) == 0 || s[0] != '{' {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var meta *metaJSON
	err := wire.Object(dec, func(key string) error {
		switch {
		case wire.Key(key, "data"):
			*items = (*items)[:0]
			return wire.Elements(dec, most, "data", adder(items))
		case wire.Key(key, "meta"):
			return dec.Decode(&meta)
		}
		return wire.Skip(dec)
	})
	if err == wire.ErrCutOff {
		// More coupons than asked for: the pager refuses the page, so the
		// rest of it is not read.
		return meta, true
	}
	return meta, err == nil && wire.End(dec)
}
