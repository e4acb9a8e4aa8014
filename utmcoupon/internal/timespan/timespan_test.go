package timespan

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dayD = 24 * time.Hour

func TestFormat(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00"},
		{time.Second, "00:00:01"},
		{59 * time.Second, "00:00:59"},
		{time.Minute, "00:01:00"},
		{90 * time.Minute, "01:30:00"},
		{23*time.Hour + 59*time.Minute + 59*time.Second, "23:59:59"},
		{dayD, "1.00:00:00"},
		{36 * time.Hour, "1.12:00:00"},
		{14 * dayD, "14.00:00:00"},
		{365*dayD + 5*time.Hour + 4*time.Minute + 3*time.Second, "365.05:04:03"},
		{-36 * time.Hour, "-1.12:00:00"},
		{-time.Second, "-00:00:01"},
		// Fractions are written as .NET writes them: seven digits.
		{1500 * time.Millisecond, "00:00:01.5000000"},
		{Tick, "00:00:00.0000001"},
		{-Tick, "-00:00:00.0000001"},
		{time.Second + 123456789, "00:00:01.1234567"}, // finer than a tick: truncated
		{99 * time.Nanosecond, "00:00:00"},
		{math.MaxInt64, "106751.23:47:16.8547758"},
		{math.MinInt64, "-106751.23:47:16.8547758"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Format(tt.d), "%d", int64(tt.d))
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		s    string
		want time.Duration
	}{
		{"00:00:00", 0},
		{"-00:00:00", 0},
		{"00:00:01", time.Second},
		{"01:30:00", 90 * time.Minute},
		{"23:59:59", 23*time.Hour + 59*time.Minute + 59*time.Second},
		{"1.00:00:00", dayD},
		{"1.12:00:00", 36 * time.Hour},
		{"14.00:00:00", 14 * dayD},
		{"014.00:00:00", 14 * dayD},
		{"10675.00:00:00", 10675 * dayD},
		{"-1.12:00:00", -36 * time.Hour},
		{"-00:00:01", -time.Second},
		{"00:00:01.5", 1500 * time.Millisecond},
		{"00:00:01.50", 1500 * time.Millisecond},
		{"00:00:01.5000000", 1500 * time.Millisecond},
		{"00:00:00.0000001", Tick},
		{"00:00:00.1234567", 123456700},
		{"2.03:04:05.06", 2*dayD + 3*time.Hour + 4*time.Minute + 5*time.Second + 60*time.Millisecond},
		{"-2.03:04:05.06", -(2*dayD + 3*time.Hour + 4*time.Minute + 5*time.Second + 60*time.Millisecond)},
		{"106751.23:47:16.8547758", math.MaxInt64 - 7},
		{"-106751.23:47:16.8547758", math.MinInt64 + 8},
	}
	for _, tt := range tests {
		got, err := Parse(tt.s)
		if assert.NoError(t, err, tt.s) {
			assert.Equal(t, tt.want, got, tt.s)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{
		"", "-", "0", "1", "14", "garbage", "00:00", "0:00:00", "00:0:00", "00:00:0",
		"24:00:00",             // hours over 23: .NET rejects it, a day is 1.00:00:00
		"25:00:00", "99:00:00", // likewise
		"1.24:00:00",
		"00:60:00", "00:00:60", "00:99:99",
		"00:00:00.", "00:00:00.12345678", "00:00:00.1a", "00:00:00,5", "00:00:00 ", " 00:00:00",
		"+00:00:00", "--00:00:00", "-.00:00:00", ".00:00:00", "1..00:00:00", "1.2.00:00:00",
		"1:00:00:00", // the "g" format's day separator is not "c"
		"123456789.00:00:00",
		"106752.00:00:00",         // beyond time.Duration
		"106751.23:47:16.8547759", // one tick past MaxInt64... not representable
		"-106751.23:47:16.8547759",
		"a.00:00:00", "00:00:00Z", "P1D", "1d", "1h",
		"\x00\x00:00:00", "００:00:00",
	} {
		_, err := Parse(s)
		assert.Error(t, err, "%q", s)
	}
	_, err := Parse("25:00:00")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"25:00:00"`)
	assert.Contains(t, err.Error(), "hours must be 00 to 23")
}

func TestRoundTripWholeSeconds(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 36 * time.Hour, 14 * dayD, 10000*dayD + 17*time.Second, -dayD} {
		got, err := Parse(Format(d))
		require.NoError(t, err)
		assert.Equal(t, d, got)
	}
}
