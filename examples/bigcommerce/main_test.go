package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/examples/internal/cli"
)

// TestRunOffline runs the program as `go run ./examples/bigcommerce` would
// with no flags and no credentials.
func TestRunOffline(t *testing.T) {
	cli.CheckOffline(t, run, "no BIGCOMMERCE_* credentials set: running against an in-process bigcommercetest server\n",
		"updated coupon 1", "SUMMER15", "15.0000", "categories [0]", "attempts    1")
}

// TestRunVerbose checks that --verbose logs the HTTP attempt to stderr.
func TestRunVerbose(t *testing.T) {
	stdout, stderr, err := cli.RunForTest(run, []string{"--verbose", "--expires", "2030-01-02", "--max-uses", "5"}, cli.NoEnv)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !strings.Contains(stderr, "level=DEBUG") || !strings.Contains(stderr, "status=200") {
		t.Errorf("no debug log line on stderr:\n%s", stderr)
	}
	if !strings.Contains(stdout, "02 Jan 2030") || !strings.Contains(stdout, "0 of 5") {
		t.Errorf("expiry or max uses not applied:\n%s", stdout)
	}
}

// TestRunHelp checks that -h succeeds and documents the environment.
func TestRunHelp(t *testing.T) {
	cli.CheckHelp(t, run, envStoreHash, envAccessToken, "-applies-to", "-timeout", "-verbose", "in-process")
}

// TestRunBadCommandLine checks that flag and environment mistakes are
// usage errors and send nothing.
func TestRunBadCommandLine(t *testing.T) {
	cli.CheckUsageErrors(t, run, map[string]cli.UsageCase{
		"unknown flag":     {Args: []string{"--nope"}},
		"bad int":          {Args: []string{"--id", "seven"}},
		"bad applies-to":   {Args: []string{"--applies-to", "everything"}},
		"bad date":         {Args: []string{"--expires", "next week"}},
		"half credentials": {Env: map[string]string{envStoreHash: "abc123"}},
		"implicit id":      {Env: map[string]string{envStoreHash: "abc123", envAccessToken: "token"}},
	})
}

// TestRunWithCredentials runs the credentials path against a test server
// reached through --base-url, and checks how API and validation errors are
// reported.
func TestRunWithCredentials(t *testing.T) {
	srv := bigcommercetest.NewServer()
	defer srv.Close()
	srv.AddCoupon(bigcommerce.Coupon{ID: 42, Name: "Old", Code: "OLD", Type: bigcommerce.PerTotalDiscount, Amount: "5"})
	env := cli.EnvOf(map[string]string{envStoreHash: srv.StoreHash, envAccessToken: srv.AccessToken})
	base := []string{"--base-url", srv.URL, "--name", "New", "--code", "NEW", "--type", "per_total_discount"}

	_, stderr, err := cli.RunForTest(run, append(base, "--id", "42"), env)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing with credentials", stderr)
	}
	if c, _ := srv.Coupon(42); c.Code != "NEW" || c.Amount != "15.0000" {
		t.Errorf("server coupon = %+v", c)
	}

	_, _, err = cli.RunForTest(run, append(base, "--id", "999"), env)
	if !errors.Is(err, bigcommerce.ErrNotFound) || !strings.Contains(err.Error(), "no coupon with that --id") {
		t.Errorf("unknown id: err = %v, want ErrNotFound explained", err)
	}
	before := srv.Requests()
	_, _, err = cli.RunForTest(run, append(base, "--id", "42", "--amount", "ten"), env)
	var ve *bigcommerce.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "nothing was sent") || srv.Requests() != before {
		t.Errorf("bad amount: err = %v, want a ValidationError and no request", err)
	}
}
