package testserver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSecondsAndEpoch(t *testing.T) {
	ms := time.Millisecond
	assert.Equal(t, "1", Seconds(20*ms, time.Minute))
	assert.Equal(t, "2", Seconds(1001*ms, time.Minute))
	assert.Equal(t, "1", Seconds(0, time.Second))
	assert.Equal(t, "0.020", Seconds(20*ms, 50*ms))
	assert.Equal(t, "0.001", Seconds(0, 0))
	assert.Equal(t, "0.002", Seconds(1500*time.Microsecond, 0))

	at := time.Unix(1767225612, int64(20*ms))
	assert.Equal(t, "1767225613", Epoch(at, time.Minute))
	assert.Equal(t, "1767225612", Epoch(time.Unix(1767225612, 0), time.Minute))
	assert.Equal(t, "1767225612.020", Epoch(at, 50*ms))
}
