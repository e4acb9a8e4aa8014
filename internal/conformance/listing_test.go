package conformance_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/pager"
	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/utmcoupon"
)

// lister adapts one vendor's ListCoupons to the hostile-server tests.
type lister struct {
	name string
	// paged is false for the vendors that answer one unpaged array.
	paged bool
	// list ranges over ListCoupons against base, size coupons a page (paged
	// vendors), and returns the keys yielded and the errors. It stops
	// after 500 items or errors, so that a listing that never ends fails
	// the test instead of hanging it.
	list func(base string, size int) ([]string, []error)
	// body is the answer holding the coupons keys (ids from 1), announcing
	// total pages of size (0: announcing none); r is the request answered.
	body func(r *http.Request, keys []int, size, total int) string
	// tiny is one coupon as small as the vendor's decoding accepts.
	tiny string
}

// take ranges over seq as a caller's loop would, keeping keys and errors.
func take[T any](seq func(func(T, error) bool), key func(T) string) ([]string, []error) {
	var keys []string
	var errs []error
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
		} else {
			keys = append(keys, key(v))
		}
		if len(keys)+len(errs) >= 500 {
			break
		}
	}
	return keys, errs
}

// joined renders keys with f, comma-separated.
func joined(keys []int, f func(k int) string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = f(k)
	}
	return strings.Join(parts, ",")
}

var listers = []lister{
	{
		name: "bigcommerce", paged: true, tiny: `{"id":1}`,
		list: func(base string, size int) ([]string, []error) {
			c, err := bigcommerce.NewClient("abc123", secretToken, bigcommerce.WithBaseURL(base))
			if err != nil {
				return nil, []error{err}
			}
			return take(c.ListCoupons(context.Background(), &bigcommerce.ListCouponsOptions{PerPage: size}),
				func(c bigcommerce.Coupon) string { return strconv.Itoa(c.ID) })
		},
		body: func(_ *http.Request, keys []int, _, _ int) string {
			return "[" + joined(keys, func(k int) string { return fmt.Sprintf(`{"id":%d}`, k) }) + "]"
		},
	},
	{
		name: "jframework", paged: true, tiny: `{"id":"1"}`,
		list: func(base string, size int) ([]string, []error) {
			c, err := jframework.NewClient("shop.example.com", secretToken, jframework.WithBaseURL(base))
			if err != nil {
				return nil, []error{err}
			}
			return take(c.ListCoupons(context.Background(), &jframework.ListCouponsOptions{PageSize: size}),
				func(c jframework.Coupon) string { return c.ID })
		},
		body: func(r *http.Request, keys []int, size, total int) string {
			totalItems := ""
			if total > 0 {
				totalItems = fmt.Sprintf(`"totalItems":%d,`, total*size)
			}
			return fmt.Sprintf(`{"success":true,"statusCode":200,"data":{"items":[%s],%s"pageNumber":%s,"pageSize":%d},"errors":[]}`,
				joined(keys, func(k int) string { return fmt.Sprintf(`{"id":"%d"}`, k) }), totalItems, r.URL.Query().Get("pageNumber"), size)
		},
	},
	{
		name: "partnero", paged: true, tiny: `{"uuid_code":"1"}`,
		list: func(base string, size int) ([]string, []error) {
			c, err := partnero.NewClient(secretToken, partnero.WithBaseURL(base))
			if err != nil {
				return nil, []error{err}
			}
			return take(c.ListCoupons(context.Background(), &partnero.ListCouponsOptions{PerPage: size}),
				func(c partnero.Coupon) string { return c.UUIDCode })
		},
		body: func(r *http.Request, keys []int, size, total int) string {
			meta := ""
			if total > 0 {
				// current_page echoes the page asked, as a proxy that
				// rewrites answers could: only the pages' keys show the
				// fault.
				meta = fmt.Sprintf(`,"meta":{"current_page":%s,"last_page":%d,"per_page":%d}`, r.URL.Query().Get("page"), total, size)
			}
			return fmt.Sprintf(`{"data":[%s]%s,"status":1}`,
				joined(keys, func(k int) string { return fmt.Sprintf(`{"uuid_code":"%d"}`, k) }), meta)
		},
	},
	{
		name: "paddle", tiny: `{"coupon":"1"}`,
		list: func(base string, _ int) ([]string, []error) {
			c, err := paddle.NewClient(4321, secretHex, paddle.WithBaseURL(base))
			if err != nil {
				return nil, []error{err}
			}
			return take(c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}),
				func(c paddle.Coupon) string { return c.Code })
		},
		body: func(_ *http.Request, keys []int, _, _ int) string {
			return `{"success":true,"response":[` + joined(keys, func(k int) string { return fmt.Sprintf(`{"coupon":"%d"}`, k) }) + `]}`
		},
	},
	{
		name: "utmcoupon", tiny: `{"couponCode":"1"}`,
		list: func(base string, _ int) ([]string, []error) {
			c, err := utmcoupon.NewClient("mystore", secretKey, secretToken, utmcoupon.WithBaseURL(base))
			if err != nil {
				return nil, []error{err}
			}
			return take(c.ListCoupons(context.Background(), nil), func(c utmcoupon.Coupon) string { return c.CouponCode })
		},
		body: func(_ *http.Request, keys []int, _, _ int) string {
			return "[" + joined(keys, func(k int) string { return fmt.Sprintf(`{"couponCode":"%d"}`, k) }) + "]"
		},
	},
}

// hostile serves page n (counted from 0 in the order requests arrive,
// whatever they ask for) as page(n) says: its keys and the total it
// announces.
func hostile(t *testing.T, l lister, size int, page func(n int) (keys []int, total int)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		keys, total := page(int(n.Add(1)) - 1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(l.body(r, keys, size, total)))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// ids returns the keys from..from+n-1.
func ids(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

// strs is ids as strings.
func strs(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(from + i)
	}
	return out
}

// oneListingError checks that errs is the one error that ended a listing
// at page: a *pager.Error (never an *APIError) naming the vendor, the page
// and the problem.
func oneListingError(t *testing.T, errs []error, vendor string, page int, problem string) {
	t.Helper()
	require.Len(t, errs, 1, "one error ends the listing")
	var e *pager.Error
	require.ErrorAs(t, errs[0], &e, "%v", errs[0])
	assert.Equal(t, vendor, e.Vendor)
	assert.Equal(t, page, e.Page)
	var ae *api.APIError
	assert.False(t, errors.As(errs[0], &ae), "not an *APIError: every answer was valid on its own")
	msg := errs[0].Error()
	assert.True(t, strings.HasPrefix(msg, vendor+": listing coupons: page "+strconv.Itoa(page)+" ("), msg)
	assert.Contains(t, msg, problem)
}

// TestListingMisbehavingServers: hostile loopback servers, each answering
// valid pages that together cannot be trusted; every paged listing ends
// with one error naming the vendor and the page, at that page, having
// yielded each earlier coupon once.
//
//   - A server (or proxy) that ignores the page parameter answers the
//     first page again and again: BigCommerce's and JFramework's listings
//     used to request it forever (thousands of requests a second until ctx
//     ended).
//   - A page with more coupons than asked.
//   - A server that keeps answering with new coupons (one a page, as if it
//     served smaller pages than it says) while its announced total says
//     there are no more pages. BigCommerce announces no total.
//   - A server whose announced total grows by a page on every page would
//     be followed forever; the listing follows it to ten times the pages
//     the first page announced.
func TestListingMisbehavingServers(t *testing.T) {
	announcing := []string{"jframework", "partnero"}
	scenarios := []struct {
		name string
		// vendors are the vendors it applies to; nil: every paged one.
		vendors []string
		page    func(n int) (keys []int, total int)
		keys    []string
		errPage int
		problem string
	}{
		{"ignored page parameter", nil, func(int) ([]int, int) { return ids(1, 3), 0 },
			strs(1, 3), 2, "repeats the previous page's 3 coupons"},
		{"oversized page", nil, func(p int) ([]int, int) {
			if p == 1 {
				return ids(4, 5), 0
			}
			return ids(1, 3), 0
		}, strs(1, 3), 2, "holds more than the 3 coupons asked for"},
		{"past the announced total", announcing, func(p int) ([]int, int) {
			if p == 0 {
				return ids(1, 3), 2
			}
			return ids(3*p+1, 1), 1
		}, strs(1, 3), 2, "is past the 1 pages the server announced"},
		{"growing total", announcing, func(p int) ([]int, int) { return ids(3*p+1, 3), p + 2 },
			strs(1, 60), 21, "keeps growing (2 pages on the first page, 22 now)"},
	}
	for _, sc := range scenarios {
		for _, l := range listers {
			if !l.paged || sc.vendors != nil && !slices.Contains(sc.vendors, l.name) {
				continue
			}
			t.Run(sc.name+"/"+l.name, func(t *testing.T) {
				srv, n := hostile(t, l, 3, sc.page)
				keys, errs := l.list(srv.URL, 3)
				assert.Equal(t, sc.keys, keys, "each coupon before the bad page, once")
				oneListingError(t, errs, l.name, sc.errPage, sc.problem)
				assert.EqualValues(t, sc.errPage, n.Load(), "no page asked after the bad one")
			})
		}
	}
}

// tinyBody is a body of about size bytes holding one tiny coupon after
// another (the same one), as l's answer.
func tinyBody(l lister, size int) []byte {
	one := l.body(httptest.NewRequest(http.MethodGet, "/?page=1&pageNumber=0", nil), []int{1}, 50, 0)
	i := strings.Index(one, l.tiny)
	var b bytes.Buffer
	b.Grow(size + 100)
	b.WriteString(one[:i])
	b.WriteString(l.tiny)
	for b.Len() < size {
		b.WriteByte(',')
		b.WriteString(l.tiny)
	}
	b.WriteString(one[i+len(l.tiny):])
	return b.Bytes()
}

// TestListingTinyElementsCostTheBodyNotAStructEach: a page of 50 asked for
// that holds just under 10 MiB of tiny coupons (over a million) ends the
// listing after 51 have been decoded; it used to cost 912 MiB of heap. An
// unpaged answer (Paddle, VTEX) is decoded one coupon at a time: the live
// heap while it is listed stays near the body's size, not one decoded
// coupon per element (1 MiB of tiny coupons here, over 50,000). Under the
// race detector the bodies are an eighth of that.
func TestListingTinyElementsCostTheBodyNotAStructEach(t *testing.T) {
	for _, l := range listers {
		t.Run(l.name, func(t *testing.T) {
			size := 10<<20 - 200
			if !l.paged {
				size = 1 << 20
			}
			if testutil.RaceEnabled {
				size /= 8 // the race detector makes scanning megabytes slow
			}
			body := tinyBody(l, size)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(body)
			}))
			defer srv.Close()
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			if l.paged {
				keys, errs := l.list(srv.URL, 50)
				runtime.ReadMemStats(&m1)
				assert.Empty(t, keys)
				oneListingError(t, errs, l.name, 1, "holds more than the 50 coupons asked for")
				// The body is read whole (twice while it is joined from
				// its parts, once more where the vendor keeps its array
				// raw); decoding adds 51 coupons. It used to be ~90 times
				// the body.
				allocated := m1.TotalAlloc - m0.TotalAlloc
				t.Logf("%s: %d KiB allocated for a %d KiB page", l.name, allocated>>10, len(body)>>10)
				assert.Less(t, allocated, uint64(4*len(body)+8<<20))
				return
			}
			var live uint64
			keysSeen := 0
			for key, err := range listOnce(l, srv.URL) {
				require.NoError(t, err)
				if key != "1" {
					t.Fatalf("coupon %d is %q", keysSeen, key)
				}
				if keysSeen == 0 {
					runtime.GC()
					runtime.ReadMemStats(&m1)
					live = m1.HeapAlloc
				}
				keysSeen++
			}
			elements := bytes.Count(body, []byte(l.tiny))
			require.Equal(t, elements, keysSeen, "every element listed")
			grown := int64(live) - int64(m0.HeapAlloc)
			t.Logf("%s: live heap %d KiB above the start while listing %d tiny coupons from a %d KiB answer", l.name, grown>>10, elements, len(body)>>10)
			assert.Less(t, grown, int64(2*len(body)+256<<10), "the live heap is about the body, not a coupon per element")
		})
	}
}

// listOnce is l's listing without take's cap, yielding each coupon's key:
// unpaged answers hold many thousands. (The key is used by the caller, so
// that the compiler cannot drop the coupons' loads and with them what keeps
// a decoded answer alive.)
func listOnce(l lister, base string) func(func(string, error) bool) {
	return func(yield func(string, error) bool) {
		switch l.name {
		case "paddle":
			c, err := paddle.NewClient(4321, secretHex, paddle.WithBaseURL(base))
			if err != nil {
				yield("", err)
				return
			}
			for cp, err := range c.ListCoupons(context.Background(), &paddle.ListCouponsOptions{ProductID: 7}) {
				if !yield(cp.Code, err) {
					return
				}
			}
		case "utmcoupon":
			c, err := utmcoupon.NewClient("mystore", secretKey, secretToken, utmcoupon.WithBaseURL(base))
			if err != nil {
				yield("", err)
				return
			}
			for cp, err := range c.ListCoupons(context.Background(), nil) {
				if !yield(cp.CouponCode, err) {
					return
				}
			}
		}
	}
}

// TestListingUnpagedAnswerOverTheBodyLimit: Paddle's and VTEX's one answer
// is bounded by the 10 MiB body limit: a larger one is one *APIError and
// no coupon, never an out-of-memory.
func TestListingUnpagedAnswerOverTheBodyLimit(t *testing.T) {
	for _, l := range listers {
		if l.paged {
			continue
		}
		t.Run(l.name, func(t *testing.T) {
			body := tinyBody(l, 10<<20+1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write(body)
			}))
			defer srv.Close()
			keys, errs := l.list(srv.URL, 0)
			assert.Empty(t, keys)
			require.Len(t, errs, 1)
			var ae *api.APIError
			require.ErrorAs(t, errs[0], &ae)
			assert.Contains(t, ae.Message, "exceeds the 10485760 byte limit")
		})
	}
}
