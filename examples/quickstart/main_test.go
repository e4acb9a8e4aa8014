package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// columns splits a table row on the runs of two or more spaces that
// tabwriter puts between cells.
var columns = regexp.MustCompile(`\s{2,}`)

// TestRun runs the whole quickstart and checks the table it prints: one row
// per vendor, the rate-limited row with two attempts, and the invalid
// request with none.
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	start := time.Now()
	if err := run(&buf); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, buf.String())
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("run took %v, want well under 2s", d)
	}
	out := buf.String()

	rows := map[string][][]string{} // vendor -> cells of its rows
	for _, line := range strings.Split(out, "\n") {
		cells := columns.Split(strings.TrimSpace(line), -1)
		if len(cells) == 5 && cells[0] != "VENDOR" {
			rows[cells[0]] = append(rows[cells[0]], cells)
		}
	}
	for _, vendor := range []string{"bigcommerce", "paddle", "partnero", "jframework", "utmcoupon (VTEX)"} {
		got := rows[vendor]
		if len(got) == 0 {
			t.Errorf("no row for %s in:\n%s", vendor, out)
			continue
		}
		if !strings.HasPrefix(got[0][2], "ok") {
			t.Errorf("%s: result %q, want ok", vendor, got[0][2])
		}
		if !regexp.MustCompile(`^\d+\.\dms$`).MatchString(got[0][4]) {
			t.Errorf("%s: latency %q, want e.g. 1.2ms", vendor, got[0][4])
		}
	}
	if jf := rows["jframework"]; len(jf) == 1 && (jf[0][3] != "2" || !strings.Contains(jf[0][2], "429")) {
		t.Errorf("rate-limited row = %q, want a 429 retried with 2 attempts", jf[0])
	}
	for _, vendor := range []string{"bigcommerce", "paddle", "partnero", "utmcoupon (VTEX)"} {
		if r := rows[vendor]; len(r) > 0 && r[0][3] != "1" {
			t.Errorf("%s: attempts %q, want 1", vendor, r[0][3])
		}
	}
	if bc := rows["bigcommerce"]; len(bc) != 2 {
		t.Errorf("want 2 bigcommerce rows (update, invalid request), got %d", len(bc))
	} else if inv := bc[1]; !strings.Contains(inv[2], "invalid, not sent") || inv[3] != "0" || inv[4] != "-" {
		t.Errorf("validation row = %q, want invalid, not sent, 0 attempts, no latency", inv)
	}
	for _, want := range []string{
		"applies_to  is required",
		"bigcommercetest received 0 requests",
		"Summary: 5 of 5 updates applied",
		"go run ./examples/couponctl -demo set -vendor bigcommerce",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
