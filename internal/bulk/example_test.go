package bulk_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/bulk"
	"github.com/couponkit/couponkit/internal/transport"
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
	t, err := transport.New(transport.Vendor{Name: "example"}, transport.NewSettings("https://api.example.test"))
	if err != nil {
		panic(err)
	}
	ops := bulk.UpdateOps[string, string, *string]{
		Update:  update,
		Request: func(*string) *transport.Request { return nil },
		Key:     func(r *string) *string { return r }, // every request its own key
	}
	for r := range bulk.Updates(context.Background(), t, reqs, opts, ops) {
		done = append(done, r.Index) // completion order
	}
	slices.Sort(done)
	fmt.Println(done, last.Done, last.Changed, last.Total)
	// Output:
	// [0 1 2] 3 3 3
}
