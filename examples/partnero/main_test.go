package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// noEnv is an environment without credentials.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRunOffline runs the program as `go run ./examples/partnero` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	want := "no PARTNERO_API_KEY set: running against an in-process partnerotest server\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr.String(), want)
	}
	for _, s := range []string{"updated coupon coupon_123", "campaign=spring updated_by=couponkit-example", "attempts        1"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
}

// TestRunRedeem records a keyed redemption in the demo.
func TestRunRedeem(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"--redeem", "--transaction-key", "order_4561", "--metadata=", "--verbose"}
	if err := run(args, noEnv, &stdout, &stderr); err != nil {
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
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run -h: %v", err)
	}
	for _, s := range []string{envAPIKey, "-transaction-key", "-metadata", "-timeout", "in-process"} {
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
		"unknown flag":         {args: []string{"--nope"}},
		"bad metadata":         {args: []string{"--metadata", "novalue"}},
		"key without redeem":   {args: []string{"--transaction-key", "order_1"}},
		"stray argument":       {args: []string{"coupon_123"}},
		"implicit uuid code":   {env: map[string]string{envAPIKey: "key"}},
		"non-positive timeout": {args: []string{"--timeout", "0s"}},
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

// TestRunWithCredentials runs the API-key path against a test server
// reached through --base-url, and checks how errors are reported.
func TestRunWithCredentials(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "coupon_9", Name: "NINE", Active: true})
	env := envOf(map[string]string{envAPIKey: srv.APIKey})

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
	err = run([]string{"--base-url", srv.URL, "--uuid-code", "coupon_9"}, envOf(map[string]string{envAPIKey: "wrong"}), &stdout, &stderr)
	if !errors.Is(err, partnero.ErrUnauthorized) || strings.Contains(err.Error(), srv.APIKey) {
		t.Errorf("wrong key: err = %v, want ErrUnauthorized without the key", err)
	}
}
