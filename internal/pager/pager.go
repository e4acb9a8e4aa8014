// Package pager is the one lazy pager behind every vendor's ListCoupons:
// one request per page, only as far as the caller's loop goes, bounded
// against a server (or proxy) that misbehaves. A vendor describes its pages
// in a Pages value (its name, the page size it asks for, a coupon's key,
// how to fetch page n); List does the rest.
package pager

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"unsafe"

	"github.com/couponkit/couponkit/internal/wire"
)

// GrowthFactor bounds a listing whose announced total keeps growing from
// page to page: it ends with an *Error past GrowthFactor times the pages
// the first announcement promised (coupons created while a listing runs
// may legitimately add a few pages; a server that announces one more page
// on every page would otherwise be followed forever).
const GrowthFactor = 10

// Page is what one page request returned.
type Page[T any] struct {
	// Items are the page's items in the vendor's order. A vendor decodes at
	// most Pages.Size+1 of them (wire.DecodeArray's max), so that an
	// oversized page costs O(page size) however large it is.
	Items []T
	// More says whether another page may follow.
	More bool
	// Total is the number of pages the server announced with this page
	// (JFramework's totalItems over the page size, Partnero's last_page);
	// 0 when it announced none.
	Total int
	// Request says how the page was asked for (its query string), for
	// errors; it must hold no credential.
	Request string
}

// Pages describes one vendor's listing to List.
type Pages[T any, K comparable] struct {
	// Vendor names the vendor in errors, e.g. "jframework".
	Vendor string
	// Size is how many items each page asks for. A page with more ends the
	// listing with an *Error.
	Size int
	// Key returns an item's key (its id or code). No key is yielded twice
	// from consecutive pages: a server paging by offset shifts a coupon
	// onto the next page when one is created before it while the listing
	// runs, and the copy is skipped. A page that holds nothing but the
	// previous page's keys (a server ignoring the page parameter) ends the
	// listing with an *Error.
	Key func(*T) K
	// Less, when set, is the order keys must follow across the whole
	// listing (a server paged by cursor, such as BigCommerce's min_id): a
	// key not after the one before it (a repeated one included) ends the
	// listing with an *Error, because following the cursor could then skip
	// coupons.
	Less func(a, b K) bool
	// Fetch requests page n (from 0). It is called for page n+1 only when
	// the caller's loop has consumed page n and page n said More. A vendor
	// paging by cursor computes the next cursor from the page it returned
	// last.
	Fetch func(ctx context.Context, n int) (Page[T], error)
}

// Error ends a listing whose server answered a page that cannot be
// trusted: one larger than asked, one repeating the previous page, one
// past the total the server announced, keys out of order. It is not an
// *api.APIError: each answer was a valid one; the pages together are not.
type Error struct {
	// Vendor is the vendor's name.
	Vendor string
	// Page is the page's number in the listing, from 1.
	Page int
	// Request is how the page was asked for ("" when not known).
	Request string
	// Problem says what was wrong.
	Problem string
}

// Error reads e.g. `jframework: listing coupons: page 2
// (pageNumber=1&pageSize=200): repeats the previous page's 200 coupons
// (the server may be ignoring the page parameter); listing stopped`.
func (e *Error) Error() string {
	s := e.Vendor + ": listing coupons: page " + strconv.Itoa(e.Page)
	if e.Request != "" {
		s += " (" + e.Request + ")"
	}
	return s + ": " + e.Problem + "; listing stopped"
}

// List iterates over the items of pages 0, 1, 2, ... as p.Fetch returns
// them. It requests a page only when the caller's loop has consumed the
// previous one, stops requesting as soon as the loop stops, and ends after
// a page with More false or no items. A failed page yields (zero value,
// err) once and ends the sequence; so does a page that breaks one of the
// bounds of Pages (an *Error, before any of that page's items). Memory is
// O(page): the keys of two pages are kept, never the whole listing's.
func List[T any, K comparable](ctx context.Context, p Pages[T, K]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		l := lister[T, K]{Pages: p, prev: map[K]struct{}{}, cur: map[K]struct{}{}}
		for n := 0; ; n++ {
			pg, err := p.Fetch(ctx, n)
			if err != nil {
				yield(zero, err)
				return
			}
			if len(pg.Items) == 0 {
				return
			}
			items, problem := l.check(n+1, &pg)
			if problem != "" {
				yield(zero, &Error{Vendor: p.Vendor, Page: n + 1, Request: pg.Request, Problem: problem})
				return
			}
			for i := range items {
				if !yield(items[i], nil) {
					return
				}
			}
			if !pg.More {
				return
			}
		}
	}
}

// lister is one range over a List: what it remembers of the pages so far.
type lister[T any, K comparable] struct {
	Pages[T, K]
	// prev and cur are the keys of the previous page and of this one.
	prev, cur map[K]struct{}
	// first is the total the first announcing page announced.
	first int
	// last is the last key kept, for Less.
	last    K
	hasLast bool
}

// check holds page num (from 1) to the bounds and returns its items
// without the keys the previous page already had, or what was wrong.
func (l *lister[T, K]) check(num int, pg *Page[T]) ([]T, string) {
	if l.Size > 0 && len(pg.Items) > l.Size {
		return nil, fmt.Sprintf("holds more than the %d coupons asked for", l.Size)
	}
	if pg.Total > 0 {
		if l.first == 0 {
			l.first = pg.Total
		}
		switch {
		case num > pg.Total:
			return nil, fmt.Sprintf("is past the %d pages the server announced", pg.Total)
		case num > GrowthFactor*l.first:
			return nil, fmt.Sprintf("the announced total keeps growing (%d pages on the first page, %d now): stopped at %d times the first",
				l.first, pg.Total, GrowthFactor)
		}
	}
	l.prev, l.cur = l.cur, l.prev
	clear(l.cur)
	kept := pg.Items[:0]
	disorder := ""
	for i := range pg.Items {
		k := l.Key(&pg.Items[i])
		if l.Less != nil && disorder == "" {
			if l.hasLast && !l.Less(l.last, k) {
				disorder = fmt.Sprintf("coupon %v comes after %v: not in ascending order, so paging on could skip coupons", k, l.last)
			}
			l.last, l.hasLast = k, true
		}
		if _, ok := l.prev[k]; ok {
			continue
		}
		if _, ok := l.cur[k]; ok {
			continue
		}
		l.cur[k] = struct{}{}
		kept = append(kept, pg.Items[i])
	}
	if len(kept) == 0 {
		return nil, fmt.Sprintf("repeats the previous page's %d coupons (the server may be ignoring the page parameter)", len(pg.Items))
	}
	if disorder != "" {
		return nil, disorder
	}
	// Zero the tail the compaction left, so that it holds no coupon.
	clear(pg.Items[len(kept):])
	return kept, ""
}

// Checked is one unpaged answer (Paddle's and VTEX's lists hold every
// coupon in one array), checked whole by Check and listed by Unpaged.
type Checked[T any] struct {
	// items are the decoded items, when Check kept them.
	items []T
	// again decodes the array again, one item at a time, when Check kept
	// none; nil otherwise.
	again func(yield func(T) bool) error
}

// Check decodes data, a JSON array (path names it in errors; null and
// empty data are no items), element by element into W and converts each
// with conv (a vendor's (*Coupon).from), so that an answer that does not
// decode fails in the vendor's Decode, as an *api.APIError, before any item
// is yielded. It keeps the decoded items when they take no more memory
// than the answer itself (unsafe.Sizeof(T) each): a usual answer is
// decoded once, into a slice made at its final size. An answer of many tiny
// elements (10 MiB of them would be a million decoded coupons, hundreds of
// MiB) is only checked, one element at a time, and Unpaged decodes it again
// lazily as the loop runs. Either way memory stays O(answer).
func Check[W, T any](data []byte, path string, conv func(*T, *W) error) (Checked[T], error) {
	var scratch T
	// Count the elements first (when data is valid JSON; otherwise the
	// decoding below says what is wrong), so that the kept items are made
	// at their final size, nothing grown by doubling.
	n := -1
	if s := bytes.TrimSpace(data); len(s) > 0 && s[0] == '[' && json.Valid(s) {
		n = 0
		_ = wire.EachElement(s, func(int, []byte) error { n++; return nil })
	}
	if n >= 0 && n <= len(data)/max(int(unsafe.Sizeof(scratch)), 1) {
		items := make([]T, n)
		err := wire.DecodeArray(data, -1, path, func(i int, w *W) error { return conv(&items[i], w) })
		if err != nil {
			return Checked[T]{}, err
		}
		return Checked[T]{items: items}, nil
	}
	if err := wire.DecodeArray(data, -1, path, func(_ int, w *W) error { return conv(&scratch, w) }); err != nil {
		return Checked[T]{}, err
	}
	if n < 0 {
		return Checked[T]{}, nil // null or empty data
	}
	return Checked[T]{again: func(yield func(T) bool) error {
		err := wire.DecodeArray(data, -1, path, func(_ int, w *W) error {
			var t T
			if err := conv(&t, w); err != nil {
				return err
			}
			if !yield(t) {
				return errStop
			}
			return nil
		})
		if errors.Is(err, errStop) {
			return nil
		}
		return err
	}}, nil
}

// Unpaged lists the items of one answer that holds them all: fetch sends
// the one request, whose decoding calls Check. Nothing is sent until the
// loop starts, and nothing more once it stops; a failure yields (zero
// value, err) once and ends the sequence.
func Unpaged[T any](ctx context.Context, vendor string, fetch func(context.Context) (Checked[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		c, err := fetch(ctx)
		if err != nil {
			yield(zero, err)
			return
		}
		if c.again == nil {
			for i := range c.items {
				if !yield(c.items[i], nil) {
					return
				}
			}
			return
		}
		if err := c.again(func(t T) bool { return yield(t, nil) }); err != nil {
			// Check decoded the same bytes without error; decoding them
			// again cannot fail, but never hide it if it does.
			yield(zero, &Error{Vendor: vendor, Page: 1, Problem: err.Error()})
		}
	}
}

// errStop stops decoding again when the caller's loop stops.
var errStop = errors.New("stopped")
