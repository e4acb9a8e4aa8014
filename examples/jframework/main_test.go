package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// TestRunOffline runs the program as `go run ./examples/jframework` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	cli.CheckOffline(t, run, "no JFRAMEWORK_* credentials set: running against an in-process jframeworktest server\n",
		"updated coupon sApKpllz4sAplsmzha", "percentage  15%", "start       "+today.Format(time.RFC3339),
		"end         "+today.AddDate(0, 0, 90).Format(time.RFC3339), "attempts    1")
}

// TestDefaultDatesFollowToday: the default dates are relative to the day
// the program runs, so the demo never sends a coupon that ended long ago.
func TestDefaultDatesFollowToday(t *testing.T) {
	now := time.Date(2026, 11, 29, 15, 4, 5, 0, time.FixedZone("", -8*3600)) // 23:04:05 UTC
	for _, tc := range []struct {
		args       []string
		start, end string
	}{
		{nil, "2026-11-29T00:00:00Z", "2027-02-27T00:00:00Z"},
		{[]string{"--start", "2027-01-01"}, "2027-01-01T00:00:00Z", "2027-04-01T00:00:00Z"},
		{[]string{"--end", "2026-12-24T23:59:59+01:00"}, "2026-11-29T00:00:00Z", "2026-12-24T23:59:59+01:00"},
		{[]string{"--start", "2026-06-01", "--end", "2026-08-31T23:59:59Z"}, "2026-06-01T00:00:00Z", "2026-08-31T23:59:59Z"},
	} {
		o, err := parseFlags(tc.args, io.Discard, now)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		if got := o.req.StartDate.Format(time.RFC3339); got != tc.start {
			t.Errorf("%v: start %s, want %s", tc.args, got, tc.start)
		}
		if got := o.req.EndDate.Format(time.RFC3339); got != tc.end {
			t.Errorf("%v: end %s, want %s", tc.args, got, tc.end)
		}
	}
	var help bytes.Buffer
	if _, err := parseFlags([]string{"-h"}, &help, now); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	for _, s := range []string{"today", "90 days after --start"} {
		if !strings.Contains(help.String(), s) {
			t.Errorf("-h does not say %q:\n%s", s, help.String())
		}
	}
}

// TestRunNulls checks that -1 sends null and --verbose logs.
func TestRunNulls(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"--percentage", "-1", "--quantity", "-1", "--verbose"}, cli.NoEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(stdout.String(), "percentage  null") || !strings.Contains(stdout.String(), "quantity    null") {
		t.Errorf("want null percentage and quantity:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "level=DEBUG") {
		t.Errorf("--verbose logged nothing:\n%s", stderr.String())
	}
}

// TestRunHelp checks that -h succeeds and documents the environment.
func TestRunHelp(t *testing.T) {
	cli.CheckHelp(t, run, envBrandURL, envAuthKey, "-start", "-end", "-timeout", "in-process")
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	cli.CheckUsageErrors(t, run, map[string]cli.UsageCase{
		"unknown flag":     {Args: []string{"--nope"}},
		"bad percentage":   {Args: []string{"--percentage", "half"}},
		"bad start":        {Args: []string{"--start", "June 1"}},
		"half credentials": {Env: map[string]string{envBrandURL: "https://shop.example.com"}},
		"implicit id":      {Env: map[string]string{envBrandURL: "https://shop.example.com", envAuthKey: "k"}},
	})
}

// TestRunWithCredentials runs the credentials path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(jframework.Coupon{ID: "c1", Code: "ONE", Name: "One", StartDate: start, EndDate: start.AddDate(0, 1, 0)})
	srv.AddCoupon(jframework.Coupon{ID: "c2", Code: "TWO", Name: "Two", StartDate: start, EndDate: start.AddDate(0, 1, 0)})
	env := cli.EnvOf(map[string]string{envBrandURL: srv.BrandURL, envAuthKey: srv.AuthKey})

	var stdout, stderr bytes.Buffer
	if err := run([]string{"--base-url", srv.URL, "--id", "c1", "--code", "ONE", "--percentage", "30"}, env, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if c, _ := srv.Coupon("c1"); c.Percentage == nil || *c.Percentage != 30 {
		t.Errorf("server coupon = %+v", c)
	}

	err := run([]string{"--base-url", srv.URL, "--id", "c1", "--code", "TWO"}, env, &stdout, &stderr)
	var apiErr *jframework.APIError
	if !errors.Is(err, jframework.ErrConflict) || !errors.As(err, &apiErr) || !strings.Contains(err.Error(), "correlation id") {
		t.Errorf("duplicate code: err = %v, want ErrConflict with a correlation id", err)
	}
	err = run([]string{"--base-url", srv.URL, "--id", "nope"}, env, &stdout, &stderr)
	if !errors.Is(err, jframework.ErrNotFound) {
		t.Errorf("unknown id: err = %v, want ErrNotFound", err)
	}
}
