package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// noEnv is an environment without credentials.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRunOffline runs the program as `go run ./examples/jframework` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	want := "no JFRAMEWORK_* credentials set: running against an in-process jframeworktest server\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr.String(), want)
	}
	for _, s := range []string{"updated coupon sApKpllz4sAplsmzha", "percentage  15%", "end         2026-08-31T23:59:59Z", "attempts    1"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
}

// TestRunNulls checks that -1 sends null and --verbose logs.
func TestRunNulls(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"--percentage", "-1", "--quantity", "-1", "--verbose"}, noEnv, &stdout, &stderr); err != nil {
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
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run -h: %v", err)
	}
	for _, s := range []string{envBrandURL, envAuthKey, "-start", "-end", "-timeout", "in-process"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("usage lacks %q", s)
		}
	}
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"unknown flag":     {args: []string{"--nope"}},
		"bad percentage":   {args: []string{"--percentage", "half"}},
		"bad start":        {args: []string{"--start", "June 1"}},
		"half credentials": {env: map[string]string{envBrandURL: "https://shop.example.com"}},
		"implicit id":      {env: map[string]string{envBrandURL: "https://shop.example.com", envAuthKey: "k"}},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(tc.args, envOf(tc.env), &stdout, &stderr)
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
}

// TestRunWithCredentials runs the credentials path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := jframeworktest.NewServer()
	defer srv.Close()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.AddCoupon(jframework.Coupon{ID: "c1", Code: "ONE", Name: "One", StartDate: start, EndDate: start.AddDate(0, 1, 0)})
	srv.AddCoupon(jframework.Coupon{ID: "c2", Code: "TWO", Name: "Two", StartDate: start, EndDate: start.AddDate(0, 1, 0)})
	env := envOf(map[string]string{envBrandURL: srv.BrandURL, envAuthKey: srv.AuthKey})

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
