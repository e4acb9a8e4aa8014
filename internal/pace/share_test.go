package pace

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShareAloneIsOne(t *testing.T) {
	s := newShare()
	s.observe(true, 150, 149, 0)
	s.observe(false, 150, 148, 0)
	assert.Equal(t, 1.0, s.factor)
	assert.Equal(t, 148.0, s.left(148, 0))
	assert.Equal(t, 145.0, s.left(148, 3), "requests in flight are already spent")
}

func TestShareCountsOthersUse(t *testing.T) {
	s := newShare()
	// 20 in the window, 12 left after our first answer: 8 used, 1 ours.
	s.observe(true, 20, 12, 0)
	assert.InDelta(t, 8.0, s.factor, 1e-9)
	assert.InDelta(t, 1.5, s.left(12, 0), 1e-9)
	// Our second answer, 2 in flight (half of them taken as counted):
	// 20-2 = 18 used, 2+1 ours.
	s.observe(false, 20, 2, 2)
	assert.InDelta(t, 6.0, s.factor, 1e-9)
	// A new window forgets our count, not the limit's meaning.
	s.observe(true, 20, 19, 0)
	assert.Equal(t, 1.0, s.factor)
}

func TestShareWithoutQuotaIsOne(t *testing.T) {
	s := newShare()
	s.observe(true, 0, 0, 0)
	assert.Equal(t, 1.0, s.factor, "quota 0 tells nothing of others")
	s.observe(false, 10, 50, 0)
	assert.Equal(t, 1.0, s.factor, "Remaining above the quota tells nothing either")
}
