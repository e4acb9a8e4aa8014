package pace

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestShareAloneIsOne(t *testing.T) {
	s := newShare()
	s.observe(true, 150, 149, 0)
	s.observe(false, 150, 148, 0)
	assert.Equal(t, 1.0, s.factor)
	assert.Equal(t, 148.0, s.left(148, 0, t0, t0, t0.Add(time.Second)))
	assert.Equal(t, 145.0, s.left(148, 3, t0, t0, t0.Add(time.Second)), "requests in flight are already spent")
}

func TestShareCountsOthersUse(t *testing.T) {
	s := newShare()
	// 20 in the window, 12 left after our first answer: 8 used, 1 ours.
	s.observe(true, 20, 12, 0)
	assert.InDelta(t, 8.0, s.factor, 1e-9)
	// 12/8 of what is left is ours, taken as 12/8^0.6 (see left).
	assert.InDelta(t, 12/math.Pow(8, shareExponent), s.left(12, 0, t0, t0, t0.Add(time.Second)), 1e-9)
	// Half-way from that count to the reset, the others have used their
	// 7/8 of half of it.
	assert.InDelta(t, (12-12*7.0/8/2)/math.Pow(8, shareExponent), s.left(12, 0, t0, t0.Add(500*time.Millisecond), t0.Add(time.Second)), 1e-9)
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
