package pager_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/internal/pager"
)

func ExampleList() {
	requests := 0
	pages := [][]string{{"A", "B"}, {"C", "D"}, {"E"}}
	seq := pager.List(context.Background(), pager.Pages[string, string]{
		Vendor: "example",
		Size:   2,
		Key:    func(s *string) string { return *s },
		Fetch: func(_ context.Context, n int) (pager.Page[string], error) {
			requests++
			return pager.Page[string]{Items: pages[n], More: n+1 < len(pages)}, nil
		},
	})
	var got []string
	for code, err := range seq {
		if err != nil {
			panic(err)
		}
		got = append(got, code)
		if code == "C" {
			break // no further page is requested
		}
	}
	fmt.Println(got, "requests:", requests)
	// Output:
	// [A B C] requests: 2
}

// A server that ignores the page parameter answers the same page again:
// the listing ends with one error instead of looping forever.
func ExampleList_repeatedPage() {
	seq := pager.List(context.Background(), pager.Pages[string, string]{
		Vendor: "example",
		Size:   2,
		Key:    func(s *string) string { return *s },
		Fetch: func(_ context.Context, n int) (pager.Page[string], error) {
			return pager.Page[string]{Items: []string{"A", "B"}, More: true, Request: fmt.Sprintf("page=%d", n+1)}, nil
		},
	})
	for code, err := range seq {
		fmt.Println(code, err)
	}
	// Output:
	// A <nil>
	// B <nil>
	//  example: listing coupons: page 2 (page=2): repeats the previous page's 2 coupons (the server may be ignoring the page parameter); listing stopped
}
