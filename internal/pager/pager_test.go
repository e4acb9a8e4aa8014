package pager

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pages(n, size int, calls *[]int) func(context.Context, int) (Page[int], error) {
	return func(_ context.Context, page int) (Page[int], error) {
		*calls = append(*calls, page)
		var items []int
		for i := 0; i < size && page*size+i < n; i++ {
			items = append(items, page*size+i)
		}
		return Page[int]{Items: items, More: (page+1)*size < n}, nil
	}
}

func TestSeqAllPages(t *testing.T) {
	var calls []int
	var got []int
	for v, err := range Seq(context.Background(), pages(7, 3, &calls)) {
		require.NoError(t, err)
		got = append(got, v)
	}
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6}, got)
	assert.Equal(t, []int{0, 1, 2}, calls, "stops after the page that says no more")
}

func TestSeqBreakAfterFirstItemFetchesOnePage(t *testing.T) {
	var calls []int
	for range Seq(context.Background(), pages(100, 10, &calls)) {
		break
	}
	assert.Equal(t, []int{0}, calls)
}

func TestSeqEmptyPageEnds(t *testing.T) {
	n := 0
	seq := Seq(context.Background(), func(context.Context, int) (Page[int], error) {
		n++
		return Page[int]{More: true}, nil
	})
	for range seq {
		t.Fatal("no items expected")
	}
	assert.Equal(t, 1, n)
}

func TestSeqFailedPageYieldsOneErrorAndEnds(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	seq := Seq(context.Background(), func(_ context.Context, page int) (Page[int], error) {
		n++
		if page == 1 {
			return Page[int]{}, boom
		}
		return Page[int]{Items: []int{1, 2}, More: true}, nil
	})
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
