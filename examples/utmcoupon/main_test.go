package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// noEnv is an environment without credentials.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRunOffline runs the program as `go run ./examples/utmcoupon` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	want := "no VTEX_* credentials set: running against an in-process utmcoupontest server\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr.String(), want)
	}
	for _, s := range []string{"coupon SUMMER15 replaced", "summer-2026", "interval per use      14d", "attempts              1"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
}

// TestRunNulls checks that empty and -1 values send null, and --verbose logs.
func TestRunNulls(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--utm-campaign", "", "--max-usage", "-1", "--expiration-interval", "36h", "--verbose"}
	if err := run(args, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, s := range []string{"utm campaign          none", "max usage             no cap", "36h0m0s"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
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
	for _, s := range []string{envAccount, envAppKey, envAppToken, "-environment", "-timeout", "in-process"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("usage lacks %q", s)
		}
	}
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	full := map[string]string{envAccount: "mystore", envAppKey: "k", envAppToken: "t"}
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"unknown flag":     {args: []string{"--nope"}},
		"bad interval":     {args: []string{"--expiration-interval", "two weeks"}},
		"bad max usage":    {args: []string{"--max-usage", "many"}},
		"half credentials": {env: map[string]string{envAppKey: "k"}},
		"implicit code":    {env: full},
		"bad environment":  {args: []string{"--coupon-code", "X", "--environment", "evil.com/x"}, env: full},
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
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	env := map[string]string{envAccount: srv.Account, envAppKey: srv.AppKey, envAppToken: srv.AppToken}

	var stdout, stderr bytes.Buffer
	if err := run([]string{"--base-url", srv.URL, "--coupon-code", "FRESH"}, envOf(env), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(stdout.String(), "coupon FRESH created") {
		t.Errorf("want the upsert to report a created coupon:\n%s", stdout.String())
	}
	if c, ok := srv.Coupon("FRESH"); !ok || c.ExpirationIntervalPerUse != 14*24*time.Hour {
		t.Errorf("server coupon = %+v, %v", c, ok)
	}

	env[envAppToken] = "wrong-token"
	err := run([]string{"--base-url", srv.URL, "--coupon-code", "FRESH"}, envOf(env), &stdout, &stderr)
	var apiErr *utmcoupon.APIError
	if !errors.Is(err, utmcoupon.ErrForbidden) || !errors.As(err, &apiErr) || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("wrong token: err = %v, want ErrForbidden without the token", err)
	}
}
