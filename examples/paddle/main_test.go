package main

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/examples/internal/cli"
	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// TestRunOffline runs the program as `go run ./examples/paddle` would with
// no flags and no credentials.
func TestRunOffline(t *testing.T) {
	cli.CheckOffline(t, run, "no PADDLE_* credentials set: running against an in-process paddletest server\n",
		"updated coupon SUMMER2026: Paddle changed 1 coupon(s)", "discount      15%", "attempts      1")
}

// TestRunGroup checks a group update with removals in the demo.
func TestRunGroup(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--group", "spring", "--new-group", "archive", "--remove-products", "--remove-expiry", "--verbose"}
	if err := run(args, cli.NoEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, s := range []string{"changed 2 coupon(s)", "archive", "products      []", "expires       never"} {
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
	cli.CheckHelp(t, run, envVendorID, envAuthCode, "-sandbox", "-remove-expiry", "-timeout", "in-process")
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	cli.CheckUsageErrors(t, run, map[string]cli.UsageCase{
		"unknown flag":     {Args: []string{"--nope"}},
		"bad amount":       {Args: []string{"--discount-amount", "lots"}},
		"bad product ids":  {Args: []string{"--product-ids", "1,two"}},
		"bad date":         {Args: []string{"--expires", "30/09/2026"}},
		"half credentials": {Env: map[string]string{envAuthCode: "abc"}},
		"implicit code":    {Env: map[string]string{envVendorID: "1", envAuthCode: "abc"}},
		"bad vendor id":    {Args: []string{"--coupon-code", "ABCDEF"}, Env: map[string]string{envVendorID: "x", envAuthCode: "abc"}},
	})
}

// TestRunWithCredentials runs the credentials path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "LAUNCH-DAY", DiscountAmount: 5})
	env := cli.EnvOf(map[string]string{envVendorID: strconv.Itoa(srv.VendorID), envAuthCode: srv.AuthCode})

	var stdout, stderr bytes.Buffer
	if err := run([]string{"--base-url", srv.URL, "--coupon-code", "LAUNCH-DAY", "--allowed-uses", "3"}, env, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if c, _ := srv.Coupon("LAUNCH-DAY"); c.DiscountAmount != 15 || c.AllowedUses != 3 {
		t.Errorf("server coupon = %+v", c)
	}
	if stderr.Len() != 0 || !strings.Contains(stdout.String(), "changed 1 coupon(s)") {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}

	err := run([]string{"--base-url", srv.URL, "--coupon-code", "NO-SUCH-CODE"}, env, &stdout, &stderr)
	var apiErr *paddle.APIError
	if !errors.Is(err, paddle.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Code != "135" {
		t.Errorf("unknown code: err = %v, want ErrNotFound with Paddle code 135", err)
	}
	if strings.Contains(err.Error(), srv.AuthCode) {
		t.Errorf("error quotes the auth code: %v", err)
	}
}
