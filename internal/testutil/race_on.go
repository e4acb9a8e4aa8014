//go:build race

package testutil

// RaceEnabled is true when the tests run under the race detector, which
// changes allocation counts: allocation-ratio tests skip themselves then.
const RaceEnabled = true
