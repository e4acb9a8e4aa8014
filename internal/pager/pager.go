// Package pager is the one lazy pager behind every vendor's ListCoupons:
// one request per page, only as far as the caller's loop goes.
package pager

import (
	"context"
	"iter"
)

// Page is what one page request returned: its items, and whether another
// page may follow.
type Page[T any] struct {
	Items []T
	More  bool
}

// Seq iterates over the items of pages 0, 1, 2, ... as fetch returns them.
// It requests a page only when the caller's loop has consumed the previous
// one, stops requesting as soon as the loop stops, and ends after a page
// with More false or no items. A failed page yields (zero value, err) once and ends the sequence.
func Seq[T any](ctx context.Context, fetch func(ctx context.Context, page int) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := 0; ; page++ {
			p, err := fetch(ctx, page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for i := range p.Items {
				if !yield(p.Items[i], nil) {
					return
				}
			}
			if !p.More || len(p.Items) == 0 {
				return
			}
		}
	}
}
