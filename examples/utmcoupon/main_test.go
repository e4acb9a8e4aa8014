package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// TestRunOffline runs the program as `go run ./examples/utmcoupon` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	cli.CheckOffline(t, run, "no VTEX_* credentials set: running against an in-process utmcoupontest server\n",
		"coupon SUMMER15 replaced", "summer-2026", "interval per use      14d", "attempts              1")
}

// TestRunNulls checks that empty and -1 values send null, and --verbose logs.
func TestRunNulls(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--utm-campaign", "", "--max-usage", "-1", "--expiration-interval", "36h", "--verbose"}
	if err := run(args, cli.NoEnv, &stdout, &stderr); err != nil {
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
	cli.CheckHelp(t, run, envAccount, envAppKey, envAppToken, "-environment", "-timeout", "in-process")
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	full := map[string]string{envAccount: "mystore", envAppKey: "k", envAppToken: "t"}
	cli.CheckUsageErrors(t, run, map[string]cli.UsageCase{
		"unknown flag":     {Args: []string{"--nope"}},
		"bad interval":     {Args: []string{"--expiration-interval", "two weeks"}},
		"bad max usage":    {Args: []string{"--max-usage", "many"}},
		"half credentials": {Env: map[string]string{envAppKey: "k"}},
		"implicit code":    {Env: full},
		"bad environment":  {Args: []string{"--coupon-code", "X", "--environment", "evil.com/x"}, Env: full},
	})
}

// TestRunWithCredentials runs the credentials path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := utmcoupontest.NewServer()
	defer srv.Close()
	env := map[string]string{envAccount: srv.Account, envAppKey: srv.AppKey, envAppToken: srv.AppToken}

	var stdout, stderr bytes.Buffer
	if err := run([]string{"--base-url", srv.URL, "--coupon-code", "FRESH"}, cli.EnvOf(env), &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(stdout.String(), "coupon FRESH created") {
		t.Errorf("want the upsert to report a created coupon:\n%s", stdout.String())
	}
	if c, ok := srv.Coupon("FRESH"); !ok || c.ExpirationIntervalPerUse != 14*24*time.Hour {
		t.Errorf("server coupon = %+v, %v", c, ok)
	}

	env[envAppToken] = "wrong-token"
	err := run([]string{"--base-url", srv.URL, "--coupon-code", "FRESH"}, cli.EnvOf(env), &stdout, &stderr)
	var apiErr *utmcoupon.APIError
	if !errors.Is(err, utmcoupon.ErrForbidden) || !errors.As(err, &apiErr) || strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("wrong token: err = %v, want ErrForbidden without the token", err)
	}
}

// TestBadAccountNameIsReportedOnce: the client's own error already names
// the vendor, and the program is named after it: one prefix, not two.
func TestBadAccountNameIsReportedOnce(t *testing.T) {
	_, _, err := cli.RunForTest(run, []string{"--coupon-code", "SUMMER15"},
		cli.EnvOf(map[string]string{envAccount: "my_store", envAppKey: "k", envAppToken: "t"}))
	var out bytes.Buffer
	code := program.Report(&out, err)
	want := "utmcoupon: accountName must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen (run with -h for help)\n"
	if code != 2 || out.String() != want {
		t.Errorf("reported %d %q, want 2 %q", code, out.String(), want)
	}
}
