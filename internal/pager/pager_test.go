package pager

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// server serves pages as fetch, recording the pages asked for.
type server struct {
	calls []int
	page  func(n int) Page[int]
}

func (s *server) list(size int, less func(a, b int) bool) ([]int, []error) {
	var got []int
	var errs []error
	seq := List(context.Background(), Pages[int, int]{
		Vendor: "acme",
		Size:   size,
		Key:    func(v *int) int { return *v },
		Less:   less,
		Fetch: func(_ context.Context, n int) (Page[int], error) {
			s.calls = append(s.calls, n)
			if len(s.calls) > 1000 {
				return Page[int]{}, errors.New("the listing did not stop")
			}
			p := s.page(n)
			p.Request = fmt.Sprintf("page=%d", n+1)
			return p, nil
		},
	})
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, v)
	}
	return got, errs
}

// ints returns the page of size items of a listing of n, from 0.
func ints(n, size int) func(int) Page[int] {
	return func(page int) Page[int] {
		var items []int
		for i := 0; i < size && page*size+i < n; i++ {
			items = append(items, page*size+i)
		}
		return Page[int]{Items: items, More: (page+1)*size < n, Total: (n + size - 1) / size}
	}
}

func TestListAllPages(t *testing.T) {
	s := &server{page: ints(7, 3)}
	got, errs := s.list(3, nil)
	assert.Empty(t, errs)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6}, got)
	assert.Equal(t, []int{0, 1, 2}, s.calls, "stops after the page that says no more")
}

func TestListBreakAfterFirstItemFetchesOnePage(t *testing.T) {
	s := &server{page: ints(100, 10)}
	seq := List(context.Background(), Pages[int, int]{Vendor: "acme", Size: 10, Key: func(v *int) int { return *v },
		Fetch: func(_ context.Context, n int) (Page[int], error) { s.calls = append(s.calls, n); return s.page(n), nil }})
	for range seq {
		break
	}
	assert.Equal(t, []int{0}, s.calls)
}

func TestListEmptyPageEnds(t *testing.T) {
	s := &server{page: func(int) Page[int] { return Page[int]{More: true, Total: 1} }}
	got, errs := s.list(3, nil)
	assert.Empty(t, got)
	assert.Empty(t, errs)
	assert.Equal(t, []int{0}, s.calls)
}

func TestListFailedPageYieldsOneErrorAndEnds(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	seq := List(context.Background(), Pages[int, int]{Vendor: "acme", Size: 2, Key: func(v *int) int { return *v },
		Fetch: func(_ context.Context, page int) (Page[int], error) {
			n++
			if page == 1 {
				return Page[int]{}, boom
			}
			return Page[int]{Items: []int{1, 2}, More: true}, nil
		}})
	var errs []error
	var items []int
	for v, err := range seq {
		if err != nil {
			errs = append(errs, err)
			assert.Zero(t, v)
			continue
		}
		items = append(items, v)
	}
	assert.Equal(t, []int{1, 2}, items)
	assert.Equal(t, []error{boom}, errs)
	assert.Equal(t, 2, n)
}

// listingError checks that errs is one *Error naming the vendor, the page
// and the problem, and no *api.APIError.
func listingError(t *testing.T, errs []error, page int, problem string) {
	t.Helper()
	require.Len(t, errs, 1, "one error ends the listing")
	var e *Error
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, "acme", e.Vendor)
	assert.Equal(t, page, e.Page)
	assert.Equal(t, fmt.Sprintf("page=%d", page), e.Request)
	assert.Contains(t, e.Problem, problem)
	var ae *api.APIError
	assert.False(t, errors.As(errs[0], &ae), "not an *APIError")
	assert.Contains(t, errs[0].Error(), fmt.Sprintf("acme: listing coupons: page %d (page=%d): ", page, page))
}

// A server that ignores the page parameter: the second page repeats the
// first; without the check the listing never ends.
func TestListRepeatedPageEnds(t *testing.T) {
	s := &server{page: func(int) Page[int] { return Page[int]{Items: []int{1, 2}, More: true} }}
	got, errs := s.list(2, nil)
	assert.Equal(t, []int{1, 2}, got)
	listingError(t, errs, 2, "repeats the previous page's 2 coupons")
	assert.Equal(t, []int{0, 1}, s.calls)
}

// A coupon created before the offset while an offset listing runs shifts
// the previous page's last coupon onto this page: it is yielded once.
func TestListSkipsTheCopyOfAShiftedCoupon(t *testing.T) {
	pages := [][]int{{1, 2, 3}, {3, 4, 5}, {5, 6}}
	s := &server{page: func(n int) Page[int] { return Page[int]{Items: pages[n], More: n < 2} }}
	got, errs := s.list(3, nil)
	assert.Empty(t, errs)
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, got)
}

func TestListOversizedPageEnds(t *testing.T) {
	s := &server{page: func(n int) Page[int] {
		if n == 1 {
			return Page[int]{Items: []int{3, 4, 5}, More: true}
		}
		return Page[int]{Items: []int{1, 2}, More: true}
	}}
	got, errs := s.list(2, nil)
	assert.Equal(t, []int{1, 2}, got, "none of the oversized page's coupons")
	listingError(t, errs, 2, "holds more than the 2 coupons asked for")
}

// A server that serves ever new pages while announcing 3 in all.
func TestListPastTheAnnouncedTotalEnds(t *testing.T) {
	s := &server{page: func(n int) Page[int] { return Page[int]{Items: []int{2 * n, 2*n + 1}, More: true, Total: 3} }}
	got, errs := s.list(2, nil)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, got)
	listingError(t, errs, 4, "is past the 3 pages the server announced")
	assert.Len(t, s.calls, 4)
}

// A total that grows by a page on every page is followed up to ten times
// the first announcement, then the listing ends.
func TestListGrowingTotalEndsAtTenTimesTheFirst(t *testing.T) {
	s := &server{page: func(n int) Page[int] { return Page[int]{Items: []int{2 * n, 2*n + 1}, More: true, Total: 3 + n} }}
	got, errs := s.list(2, nil)
	assert.Len(t, got, 2*30)
	listingError(t, errs, 31, "keeps growing (3 pages on the first page, 33 now)")
	assert.Len(t, s.calls, 31)
}

// A total that grows a little (coupons created while listing) is followed.
func TestListFollowsATotalThatGrowsALittle(t *testing.T) {
	totals := []int{2, 3, 3}
	s := &server{page: func(n int) Page[int] { return Page[int]{Items: []int{2 * n, 2*n + 1}, More: n < 2, Total: totals[n]} }}
	got, errs := s.list(2, nil)
	assert.Empty(t, errs)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5}, got)
}

func TestListCursorOrder(t *testing.T) {
	pages := [][]int{{1, 3}, {4, 2}}
	s := &server{page: func(n int) Page[int] { return Page[int]{Items: pages[n], More: true} }}
	got, errs := s.list(2, cmp.Less[int])
	assert.Equal(t, []int{1, 3}, got)
	listingError(t, errs, 2, "coupon 2 comes after 4: not in ascending order")
}

// Each range over a listing starts again: nothing is remembered from the
// previous one.
func TestListRangesAgain(t *testing.T) {
	s := &server{page: ints(4, 2)}
	for range 2 {
		got, errs := s.list(2, cmp.Less[int])
		assert.Empty(t, errs)
		assert.Equal(t, []int{0, 1, 2, 3}, got)
	}
}

// code is a listed item of 16 bytes (unsafe.Sizeof), and codeJSON its
// wire form.
type code struct{ s string }

type codeJSON struct{ Code string }

// unpaged lists body through Check and Unpaged, counting conversions.
func unpaged(body string, fail func(calls int, w *codeJSON) bool) (got []string, calls int, err error) {
	conv := func(t *code, w *codeJSON) error {
		calls++
		if w.Code == "" || fail != nil && fail(calls, w) {
			return errors.New("no code")
		}
		t.s = w.Code
		return nil
	}
	seq := Unpaged(context.Background(), "acme", func(context.Context) (Checked[code], error) {
		return Check([]byte(body), "response", conv)
	})
	for c, e := range seq {
		if e != nil {
			return got, calls, e
		}
		got = append(got, c.s)
	}
	return got, calls, nil
}

// TestUnpagedDecodesAUsualAnswerOnce: items that take no more memory than
// the answer are kept from the check and yielded.
func TestUnpagedDecodesAUsualAnswerOnce(t *testing.T) {
	got, calls, err := unpaged(`[{"Code":"SUMMER-2026-A"},{"Code":"SUMMER-2026-B"}]`, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"SUMMER-2026-A", "SUMMER-2026-B"}, got)
	assert.Equal(t, 2, calls, "each element decoded once")
}

// TestUnpagedDecodesTinyElementsAgain: elements smaller than a decoded item
// are checked, dropped and decoded again as the loop runs, so that the
// decoded items never outweigh the answer.
func TestUnpagedDecodesTinyElementsAgain(t *testing.T) {
	body := "[" + strings.Repeat(`{"Code":"a"},`, 999) + `{"Code":"b"}]`
	got, calls, err := unpaged(body, nil)
	require.NoError(t, err)
	require.Len(t, got, 1000)
	assert.Equal(t, "b", got[999])
	assert.Equal(t, 2000, calls, "checked, then decoded again")
}

func TestUnpagedFailures(t *testing.T) {
	// A bad element fails the check: no item is yielded.
	got, _, err := unpaged(`[{"Code":"SUMMER-2026-A"},{}]`, nil)
	assert.Empty(t, got)
	assert.EqualError(t, err, "response[1]: no code")
	_, _, err = unpaged("["+strings.Repeat(`{"Code":"a"},`, 99)+`{}]`, nil)
	assert.EqualError(t, err, "response[99]: no code")

	got, _, err = unpaged(``, nil)
	assert.NoError(t, err)
	assert.Empty(t, got)

	boom := errors.New("boom")
	_, err = testutil.Collect(Unpaged(context.Background(), "acme", func(context.Context) (Checked[code], error) {
		return Checked[code]{}, boom
	}))
	assert.Equal(t, boom, err)

	// Decoding again cannot fail on the bytes the check passed; if it
	// does, the listing says so after the items before.
	got, _, err = unpaged("["+strings.Repeat(`{"Code":"a"},`, 99)+`{"Code":"b"}]`, func(calls int, w *codeJSON) bool {
		return calls > 100 && w.Code == "b"
	})
	assert.Len(t, got, 99)
	assert.EqualError(t, err, "acme: listing coupons: page 1: response[99]: no code; listing stopped")
}

func TestUnpagedStopsWithTheLoop(t *testing.T) {
	for body, wantCalls := range map[string]int{
		`[{"Code":"SUMMER-2026-A"},{"Code":"SUMMER-2026-B"}]`:       2,
		"[" + strings.Repeat(`{"Code":"a"},`, 99) + `{"Code":"b"}]`: 100 + 1, // the check, then one decoded again
	} {
		calls := 0
		seq := Unpaged(context.Background(), "acme", func(context.Context) (Checked[code], error) {
			return Check([]byte(body), "", func(t *code, w *codeJSON) error { calls++; t.s = w.Code; return nil })
		})
		n := 0
		for range seq {
			n++
			break
		}
		assert.Equal(t, 1, n)
		assert.Equal(t, wantCalls, calls, "nothing decoded after the loop stopped")
	}
}
