package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/examples/internal/cli"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// TestRunOffline runs the program as `go run ./examples/partnero` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	cli.CheckOffline(t, run, "no PARTNERO_API_KEY set: running against an in-process partnerotest server\n",
		"updated coupon coupon_123", "campaign=spring updated_by=couponkit-example", "attempts        1")
}

// TestRunRedeem records a keyed redemption in the demo.
func TestRunRedeem(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--redeem", "--transaction-key", "order_4561", "--metadata=", "--verbose"}
	if err := run(args, cli.NoEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, s := range []string{"times redeemed   1", "(order_4561)"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "updated_by") {
		t.Errorf("--metadata= still sent the default metadata:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "level=DEBUG") {
		t.Errorf("--verbose logged nothing:\n%s", stderr.String())
	}
}

// TestRunHelp checks that -h succeeds and documents the environment.
func TestRunHelp(t *testing.T) {
	cli.CheckHelp(t, run, envAPIKey, "-transaction-key", "-metadata", "-timeout", "in-process")
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors.
func TestRunBadCommandLine(t *testing.T) {
	cli.CheckUsageErrors(t, run, map[string]cli.UsageCase{
		"unknown flag":         {Args: []string{"--nope"}},
		"bad metadata":         {Args: []string{"--metadata", "novalue"}},
		"key without redeem":   {Args: []string{"--transaction-key", "order_1"}},
		"stray argument":       {Args: []string{"coupon_123"}},
		"implicit uuid code":   {Env: map[string]string{envAPIKey: "key"}},
		"non-positive timeout": {Args: []string{"--timeout", "0s"}},
	})
}

// TestRunWithCredentials runs the API-key path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "coupon_9", Name: "NINE", Active: true})
	env := cli.EnvOf(map[string]string{envAPIKey: srv.APIKey})

	var stdout, stderr bytes.Buffer
	if err := run([]string{"--base-url", srv.URL, "--uuid-code", "coupon_9", "--name", "Nine"}, env, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if c, _ := srv.Coupon("coupon_9"); c.Name != "Nine" || c.Metadata["updated_by"] != "couponkit-example" {
		t.Errorf("server coupon = %+v", c)
	}

	err := run([]string{"--base-url", srv.URL, "--uuid-code", "coupon_404"}, env, &stdout, &stderr)
	if !errors.Is(err, partnero.ErrNotFound) || !strings.Contains(err.Error(), "no coupon with that --uuid-code") {
		t.Errorf("unknown coupon: err = %v, want ErrNotFound explained", err)
	}
	err = run([]string{"--base-url", srv.URL, "--uuid-code", "coupon_9"}, cli.EnvOf(map[string]string{envAPIKey: "wrong"}), &stdout, &stderr)
	if !errors.Is(err, partnero.ErrUnauthorized) || strings.Contains(err.Error(), srv.APIKey) {
		t.Errorf("wrong key: err = %v, want ErrUnauthorized without the key", err)
	}
}
