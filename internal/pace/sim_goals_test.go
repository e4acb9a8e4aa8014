package pace

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/couponkit/couponkit/internal/testutil"
)

// The goals (issue 21 item 4), asserted on the simulator's
// figures for every vendor model and client count.
const (
	goalQuotaUseAlone  = 0.95 // one client
	goalQuotaUseShared = 0.90 // 2 to 16 clients
	goalLimitedHeaders = 1.0  // rate-limit answers per 100, vendors with headers
	goalLimitedBlind   = 5.0  // Paddle and Partnero, after each client's first minute
	goalPace           = 0.90 // JFramework's and VTEX's real windows
	goalMinShare       = 0.5  // no client starved
)

// TestSimulatedPacingGoals asserts every goal on every scenario of seed
// 1; TestSimulatedPacingSeeds replays other seeds. Without headers,
// refusals count after each client's first minute: a client that starts
// into a window the others have spent can learn nothing until it ends, up
// to a window later. See README "Many coupons".
func TestSimulatedPacingGoals(t *testing.T) {
	clients := simClients
	if testutil.RaceEnabled {
		// The simulator runs in one goroutine: the race detector finds
		// nothing in it and slows it tenfold. One and many clients.
		clients = []int{1, 16}
	}
	var table strings.Builder
	for _, v := range simVendors {
		for _, n := range clients {
			name := fmt.Sprintf("vendor=%s/clients=%d", v.name, n)
			r := simulate(v, n, false, 1)
			fmt.Fprintf(&table, "%-34s %v\n", name, r)
			g := goalsFor(v, n)
			assert.GreaterOrEqual(t, r.quotaUse, g.quotaUse, "%s quota use", name)
			assert.LessOrEqual(t, r.limitedPct, g.limitedPct, "%s rate-limit answers", name)
			assert.GreaterOrEqual(t, r.pace, g.pace, "%s pace", name)
			assert.GreaterOrEqual(t, r.minShare, g.minShare, "%s smallest client", name)
		}
	}
	t.Log("\n" + table.String())
}

// The simulator is deterministic: one seed, one result.
func TestSimulatorIsDeterministic(t *testing.T) {
	v := simVendors[2] // JFramework: the fewest requests
	assert.Equal(t, simulate(v, 4, false, 7), simulate(v, 4, false, 7))
	assert.NotEqual(t, simulate(v, 4, false, 7), simulate(v, 4, false, 8), "the seed draws latencies and window phase")
}

// The baseline (a fixed-rate bucket per client at the documented quota)
// is what the pacer is compared with: alone it fits a fixed window, but
// several clients each at the full quota overrun it.
func TestSimulatedBaselineOverrunsWhenShared(t *testing.T) {
	alone := simulate(simVendors[2], 1, true, 1)
	shared := simulate(simVendors[2], 4, true, 1)
	t.Logf("alone %v\nshared %v", alone, shared)
	assert.Less(t, alone.limitedPct, 2.0)
	assert.Greater(t, shared.limitedPct, 50.0)
}

// TestSimulatedPacingSeeds replays every scenario over several seeds (the
// seed draws latencies and the window's phase) and prints, per scenario,
// the worst figure of each metric and how many seeds miss a goal. It is
// a tuning aid, skipped unless COUPONKIT_SIM_SEEDS names the seed count:
//
//	COUPONKIT_SIM_SEEDS=8 go test -run SimulatedPacingSeeds -v ./internal/pace
func TestSimulatedPacingSeeds(t *testing.T) {
	seeds, _ := strconv.Atoi(os.Getenv("COUPONKIT_SIM_SEEDS"))
	if seeds <= 0 {
		t.Skip("set COUPONKIT_SIM_SEEDS to the number of seeds")
	}
	only := os.Getenv("COUPONKIT_SIM_VENDOR") // a vendor model's name, or all
	var table strings.Builder
	misses := 0
	for _, v := range simVendors {
		if only != "" && v.name != only {
			continue
		}
		for _, n := range simClients {
			worst := simResult{quotaUse: math.Inf(1), pace: math.Inf(1), minShare: math.Inf(1)}
			var mean simResult
			miss := 0
			for s := 1; s <= seeds; s++ {
				r := simulate(v, n, false, uint64(s))
				worst.quotaUse = min(worst.quotaUse, r.quotaUse)
				worst.pace = min(worst.pace, r.pace)
				worst.minShare = min(worst.minShare, r.minShare)
				worst.limitedPct = max(worst.limitedPct, r.limitedPct)
				worst.limitedRunPct = max(worst.limitedRunPct, r.limitedRunPct)
				mean.quotaUse += r.quotaUse / float64(seeds)
				mean.limitedPct += r.limitedPct / float64(seeds)
				mean.limitedRunPct += r.limitedRunPct / float64(seeds)
				mean.minShare += r.minShare / float64(seeds)
				if !meetsGoals(v, n, r) {
					miss++
				}
			}
			misses += miss
			fmt.Fprintf(&table, "%-34s worst: use %.3f  limited %5.2f (run %5.2f)  pace %.3f  min_share %.2f | mean: use %.3f  limited %5.2f (run %5.2f)  min_share %.2f | %d/%d seeds miss\n",
				fmt.Sprintf("vendor=%s/clients=%d", v.name, n), worst.quotaUse, worst.limitedPct, worst.limitedRunPct, worst.pace, worst.minShare,
				mean.quotaUse, mean.limitedPct, mean.limitedRunPct, mean.minShare, miss, seeds)
		}
	}
	t.Logf("\n%s%d scenario runs miss a goal", table.String(), misses)
}

// meetsGoals reports whether one scenario's result meets every goal.
func meetsGoals(v vendorModel, n int, r simResult) bool {
	g := goalsFor(v, n)
	return r.quotaUse >= g.quotaUse && r.limitedPct <= g.limitedPct && r.pace >= g.pace && r.minShare >= g.minShare
}

// goalsFor is the goals of one scenario: the least quota use, pace and
// smallest share, and the most rate-limit answers (pace is asserted on
// JFramework's and VTEX's real windows only).
func goalsFor(v vendorModel, n int) simResult {
	g := simResult{quotaUse: goalQuotaUseShared, limitedPct: goalLimitedHeaders, minShare: goalMinShare}
	if n == 1 {
		g.quotaUse = goalQuotaUseAlone
	}
	if !v.headers {
		g.limitedPct = goalLimitedBlind
	}
	if v.name == "jframework" || v.name == "vtex" {
		g.pace = goalPace
	}
	return g
}

// TestSimulatedPacingSeedDetail is the tuning aid for one scenario: a
// line per seed with its figures and its refusals after the first minute
// by what the client's back-off was doing (unlearned, refusing,
// provisional, measuring, probe, phase, other), or, with
// COUPONKIT_SIM_TRACE=seed[:client], that seed's every refusal and the
// client's every answer:
//
//	COUPONKIT_SIM_DETAIL=paddle/16 COUPONKIT_SIM_SEEDS=16 go test -run SimulatedPacingSeedDetail -v ./internal/pace
func TestSimulatedPacingSeedDetail(t *testing.T) {
	name, clients, ok := strings.Cut(os.Getenv("COUPONKIT_SIM_DETAIL"), "/")
	if !ok {
		t.Skip("set COUPONKIT_SIM_DETAIL to vendor/clients")
	}
	n, _ := strconv.Atoi(clients)
	var v vendorModel
	for _, m := range simVendors {
		if m.name == name {
			v = m
		}
	}
	if v.new == nil || n <= 0 {
		t.Fatalf("no scenario %q", os.Getenv("COUPONKIT_SIM_DETAIL"))
	}
	if seed, client, _ := strings.Cut(os.Getenv("COUPONKIT_SIM_TRACE"), ":"); seed != "" {
		s, _ := strconv.Atoi(seed)
		trace, _ := strconv.Atoi(client)
		t.Log(simulateTuned(v, n, false, uint64(s), &simTuning{trace: trace}))
		return
	}
	seeds, _ := strconv.Atoi(os.Getenv("COUPONKIT_SIM_SEEDS"))
	for s := 1; s <= max(seeds, 1); s++ {
		tune := &simTuning{trace: -1, causes: map[string]int{}}
		r := simulateTuned(v, n, false, uint64(s), tune)
		t.Logf("seed %2d  %v  miss=%v  late refused %d/%d %v", s, r, !meetsGoals(v, n, r), r.lateRefus, r.lateSent, tune.causes)
	}
}
