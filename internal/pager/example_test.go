package pager_test

import (
	"context"
	"fmt"

	"github.com/couponkit/couponkit/internal/pager"
)

func ExampleSeq() {
	requests := 0
	pages := [][]string{{"A", "B"}, {"C", "D"}, {"E"}}
	seq := pager.Seq(context.Background(), func(_ context.Context, page int) (pager.Page[string], error) {
		requests++
		return pager.Page[string]{Items: pages[page], More: page+1 < len(pages)}, nil
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
