package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// noEnv is an environment without credentials.
func noEnv(string) string { return "" }

// envOf returns a getenv reading m.
func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRunOffline runs the program as `go run ./examples/bigcommerce` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(nil, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr.String())
	}
	want := "no BIGCOMMERCE_* credentials set: running against an in-process bigcommercetest server\n"
	if stderr.String() != want {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr.String(), want)
	}
	for _, s := range []string{"updated coupon 1", "SUMMER15", "15.0000", "categories [0]", "attempts    1"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
		}
	}
}

// TestRunVerbose checks that --verbose logs the HTTP attempt to stderr.
func TestRunVerbose(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"--verbose", "--expires", "2030-01-02", "--max-uses", "5"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(stderr.String(), "level=DEBUG") || !strings.Contains(stderr.String(), "status=200") {
		t.Errorf("no debug log line on stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stdout.String(), "02 Jan 2030") || !strings.Contains(stdout.String(), "0 of 5") {
		t.Errorf("expiry or max uses not applied:\n%s", stdout.String())
	}
}

// TestRunHelp checks that -h succeeds and documents the environment.
func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run([]string{"-h"}, noEnv, &stdout, &stderr); err != nil {
		t.Fatalf("run -h: %v", err)
	}
	for _, s := range []string{envStoreHash, envAccessToken, "-applies-to", "-timeout", "-verbose", "in-process"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("usage lacks %q", s)
		}
	}
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors and send nothing.
func TestRunBadCommandLine(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
	}{
		"unknown flag":     {args: []string{"--nope"}},
		"bad int":          {args: []string{"--id", "seven"}},
		"bad applies-to":   {args: []string{"--applies-to", "everything"}},
		"bad date":         {args: []string{"--expires", "next week"}},
		"half credentials": {env: map[string]string{envStoreHash: "abc123"}},
		"implicit id":      {env: map[string]string{envStoreHash: "abc123", envAccessToken: "token"}},
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
// reached through --base-url, and checks how API and validation errors are
// reported.
func TestRunWithCredentials(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 42, Name: "Old", Code: "OLD", Type: bigcommerce.PerTotalDiscount, Amount: "5"})
	env := envOf(map[string]string{envStoreHash: srv.StoreHash, envAccessToken: srv.AccessToken})
	base := []string{"--base-url", srv.URL, "--name", "New", "--code", "NEW", "--type", "per_total_discount"}

	var stdout, stderr bytes.Buffer
	if err := run(append(base, "--id", "42"), env, &stdout, &stderr); err != nil {
		t.Fatalf("run: %v", err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing with credentials", stderr.String())
	}
	if c, _ := srv.Coupon(42); c.Code != "NEW" || c.Amount != "15.0000" {
		t.Errorf("server coupon = %+v", c)
	}

	err := run(append(base, "--id", "999"), env, &stdout, &stderr)
	if !errors.Is(err, bigcommerce.ErrNotFound) || !strings.Contains(err.Error(), "no coupon with that --id") {
		t.Errorf("unknown id: err = %v, want ErrNotFound explained", err)
	}
	before := srv.Requests()
	err = run(append(base, "--id", "42", "--amount", "ten"), env, &stdout, &stderr)
	var ve *bigcommerce.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "nothing was sent") || srv.Requests() != before {
		t.Errorf("bad amount: err = %v, want a ValidationError and no request", err)
	}
}
