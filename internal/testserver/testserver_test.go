package testserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestAdmit(t *testing.T) {
	now := time.Unix(1000, 0)
	b := &Base{now: func() time.Time { return now }}
	assert.Equal(t, Admission{}, b.Admit())
	b.SetRateLimit(2, time.Second)
	b.FailNext(1, 503)
	a := b.Admit()
	assert.Equal(t, 503, a.FailStatus)
	assert.False(t, a.Limited)
	assert.Equal(t, 2, a.Remaining, "an injected failure uses no quota")
	assert.False(t, b.Admit().Limited)
	now = now.Add(100 * time.Millisecond)
	a = b.Admit()
	assert.False(t, a.Limited)
	assert.Equal(t, 0, a.Remaining)
	assert.Equal(t, 900*time.Millisecond, a.ResetIn)
	a = b.Admit()
	assert.True(t, a.Limited)
	now = now.Add(time.Second)
	assert.False(t, b.Admit().Limited, "a new window")
	assert.Equal(t, 6, b.Requests())
}
