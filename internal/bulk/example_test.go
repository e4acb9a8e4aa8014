package bulk_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/bulk"
)

func ExampleUpdates() {
	reqs := []*string{new(string), new(string), new(string)}
	update := func(_ context.Context, r *string) (*string, error) {
		*r = "done"
		return r, nil
	}
	var done []int
	last := api.Progress{}
	opts := &api.BulkOptions{Concurrency: 2, Progress: func(p api.Progress) { last = p }}
	for r := range bulk.Updates(context.Background(), "example", reqs, opts, update, nil) {
		done = append(done, r.Index) // completion order
	}
	slices.Sort(done)
	fmt.Println(done, last.Done, last.Changed, last.Total)
	// Output:
	// [0 1 2] 3 3 3
}
