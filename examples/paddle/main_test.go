package main

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// noEnv is an environment without credentials.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRunOffline runs the program as `go run ./examples/paddle` would with
// no flags and no credentials.
func TestRunOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	want := "no PADDLE_* credentials set: running against an in-process paddletest server\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr.String(), want)
	}
	for _, s := range []string{"updated coupon SUMMER2026: Paddle changed 1 coupon(s)", "discount      15%", "attempts      1"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
}

// TestRunGroup checks a group update with removals in the demo.
func TestRunGroup(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--group", "spring", "--new-group", "archive", "--remove-products", "--remove-expiry", "--verbose"}
	if err := run(args, noEnv, &stdout, &stderr); err != nil {
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
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run -h: %v", err)
	}
	for _, s := range []string{envVendorID, envAuthCode, "-sandbox", "-remove-expiry", "-timeout", "in-process"} {
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
		"bad amount":       {args: []string{"--discount-amount", "lots"}},
		"bad product ids":  {args: []string{"--product-ids", "1,two"}},
		"bad date":         {args: []string{"--expires", "30/09/2026"}},
		"half credentials": {env: map[string]string{envAuthCode: "abc"}},
		"implicit code":    {env: map[string]string{envVendorID: "1", envAuthCode: "abc"}},
		"bad vendor id":    {args: []string{"--coupon-code", "ABCDEF"}, env: map[string]string{envVendorID: "x", envAuthCode: "abc"}},
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
	srv := paddletest.NewServer()
	defer srv.Close()
	srv.AddCoupon(paddletest.Coupon{Code: "LAUNCH-DAY", DiscountAmount: 5})
	env := envOf(map[string]string{envVendorID: strconv.Itoa(srv.VendorID), envAuthCode: srv.AuthCode})

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
