package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// demo is a program for the tests.
var demo = &Program{
	Name:     "demo",
	About:    "Does nothing.",
	Env:      []EnvVar{{Name: "DEMO_KEY", Doc: "the key"}, {Name: "DEMO_URL", Doc: "the URL"}},
	EnvWidth: 10,
}

// TestExitCode checks the exit status for each kind of error and the
// usage error's message.
func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{Usage("bad"), 2},
		{fmt.Errorf("wrapped: %w", Usage("bad")), 2},
		{errors.New("update failed"), 1},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if got, want := Usage("bad").Error(), "bad (run with -h for help)"; got != want {
		t.Errorf("Usage error = %q, want %q", got, want)
	}
}

// TestParse checks -h, flag mistakes, stray arguments and the common
// flags.
func TestParse(t *testing.T) {
	newFlags := func() (*flag.FlagSet, *Common) {
		fs, c := demo.NewFlagSet(), &Common{}
		c.Register(fs, "send requests to this `URL`")
		return fs, c
	}

	fs, _ := newFlags()
	var out bytes.Buffer
	if err := demo.Parse(fs, []string{"-h"}, &out); !errors.Is(err, flag.ErrHelp) || UnlessHelp(err) != nil {
		t.Errorf("-h: err = %v, want flag.ErrHelp, which UnlessHelp drops", err)
	}
	want := `Usage: go run ./examples/demo [flags]

Does nothing.

Environment:
  DEMO_KEY   the key
  DEMO_URL   the URL

Flags:
  -base-url URL
    	send requests to this URL
  -timeout duration
    	give up after this duration, retries included (default 30s)
  -verbose
    	log every HTTP attempt to stderr (slog, debug level)
`
	if out.String() != want {
		t.Errorf("usage =\n%s\nwant\n%s", out.String(), want)
	}

	fs, _ = newFlags()
	out.Reset()
	err := demo.Parse(fs, []string{"--nope"}, &out)
	var ue *UsageError
	if !errors.As(err, &ue) || UnlessHelp(err) != err || out.Len() != 0 {
		t.Errorf("unknown flag: err = %v, output %q; want a usage error and no output", err, out.String())
	}
	fs, _ = newFlags()
	err = demo.Parse(fs, []string{"--verbose", "stray"}, &out)
	if !errors.As(err, &ue) || ue.Msg != `unexpected argument "stray": every value is a flag` {
		t.Errorf("stray argument: err = %v", err)
	}

	fs, c := newFlags()
	if err := demo.Parse(fs, []string{"--timeout", "2s", "--verbose", "--base-url", "http://x"}, &out); err != nil {
		t.Fatalf("parse: %v", err)
	}
	if c.Timeout != 2*time.Second || !c.Verbose || c.BaseURL != "http://x" || c.Check() != nil {
		t.Errorf("common = %+v", c)
	}
	ctx, cancel := c.Context()
	defer cancel()
	if d, ok := ctx.Deadline(); !ok || time.Until(d) > 2*time.Second {
		t.Errorf("context deadline = %v, %v; want within --timeout", d, ok)
	}
	c.Timeout = 0
	if err := c.Check(); !errors.As(err, &ue) || !strings.Contains(err.Error(), "--timeout must be positive") {
		t.Errorf("zero timeout: err = %v", err)
	}
}

// TestDebugLogger checks that the logger writes debug lines.
func TestDebugLogger(t *testing.T) {
	var buf bytes.Buffer
	DebugLogger(&buf).Debug("attempt", "status", 200)
	if !strings.Contains(buf.String(), "level=DEBUG msg=attempt status=200") {
		t.Errorf("log = %q", buf.String())
	}
}

// TestParseTime checks both accepted forms and the error for neither.
func TestParseTime(t *testing.T) {
	if got, err := ParseTime("2026-09-30"); err != nil || !got.Equal(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date: %v, %v", got, err)
	}
	if got, err := ParseTime("2026-08-31T23:59:59+07:00"); err != nil || got.Unix() != time.Date(2026, 8, 31, 16, 59, 59, 0, time.UTC).Unix() {
		t.Errorf("RFC 3339: %v, %v", got, err)
	}
	if _, err := ParseTime("next week"); err == nil || err.Error() != `"next week" is neither YYYY-MM-DD nor an RFC 3339 time` {
		t.Errorf("bad time: err = %v", err)
	}
}

// apiError returns an APIError that matches kind.
func apiError(kind error, status int) *api.APIError {
	e := &api.APIError{Vendor: "demo", StatusCode: status, Message: "no", Attempts: 2}
	api.SetKind(e, kind)
	return e
}

// TestExplain checks the message for every sentinel, the field errors, a
// vendor Detail, a timeout and a validation error, and that the original
// error stays in the chain.
func TestExplain(t *testing.T) {
	h := Hints{
		Unauthorized: "unauthorized hint", Forbidden: "forbidden hint", NotFound: "not found hint",
		Conflict: "conflict hint", Server: "server hint", InvalidRequest: "invalid hint",
	}
	for kind, hint := range map[error]string{
		api.ErrUnauthorized: h.Unauthorized, api.ErrForbidden: h.Forbidden, api.ErrNotFound: h.NotFound,
		api.ErrConflict: h.Conflict, api.ErrRateLimited: RateLimited, api.ErrServer: h.Server,
		api.ErrInvalidRequest: h.InvalidRequest, nil: "the update failed",
	} {
		orig := apiError(kind, 418)
		err := Explain(fmt.Errorf("call: %w", orig), time.Second, h)
		want := hint + " (HTTP 418, 2 attempt(s)):\n  call: " + orig.Error()
		var got *api.APIError
		if err.Error() != want || !errors.As(err, &got) || got != orig || (kind != nil && !errors.Is(err, kind)) {
			t.Errorf("%v: err = %q, want %q wrapping the APIError", kind, err, want)
		}
	}

	withFields := apiError(api.ErrInvalidRequest, 422)
	withFields.FieldErrors = map[string][]string{"name": {"is taken.", "is long."}, "code": {"is bad."}}
	want := "invalid hint (HTTP 422, 2 attempt(s))\n  code: is bad.\n  name: is taken. is long.:\n  " + withFields.Error()
	if err := Explain(withFields, time.Second, h); err.Error() != want {
		t.Errorf("field errors: %q, want %q", err, want)
	}

	h.Detail = func(e *api.APIError) string { return fmt.Sprintf(" (status %d)", e.StatusCode) }
	if err := Explain(apiError(api.ErrNotFound, 404), time.Second, h); !strings.HasPrefix(err.Error(), "not found hint (status 404):\n  ") {
		t.Errorf("custom detail: %q", err)
	}

	err := Explain(fmt.Errorf("send: %w", context.DeadlineExceeded), 3*time.Second, h)
	if err.Error() != "no answer within --timeout 3s:\n  send: context deadline exceeded" || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %q", err)
	}

	ve := &api.ValidationError{Fields: []api.FieldError{{Field: "code", Problem: "is required"}, {Field: "amount", Problem: "is not a number"}}}
	err = Explain(ve, time.Second, h)
	if err.Error() != "invalid request, nothing was sent:\n  code is required\n  amount is not a number" || !errors.Is(err, api.ErrInvalidRequest) {
		t.Errorf("validation: %q", err)
	}
	ve.Vendor, ve.Operation = "demo", "PUT /coupons/7"
	err = Explain(ve, time.Second, h)
	if err.Error() != "invalid request for PUT /coupons/7, nothing was sent:\n  code is required\n  amount is not a number" {
		t.Errorf("validation with its operation: %q", err)
	}
}

// fakeT records what the helpers report instead of failing the test.
type fakeT struct {
	failures []string
	fatal    bool
}

// Helper does nothing.
func (f *fakeT) Helper() {}

// Errorf records a failure.
func (f *fakeT) Errorf(format string, args ...any) {
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

// Fatalf records a failure and marks it fatal.
func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
}

// Run runs fn with a fresh fakeT and copies its failures into f.
func (f *fakeT) Run(name string, fn func(*fakeT)) bool {
	sub := &fakeT{}
	fn(sub)
	for _, s := range sub.failures {
		f.failures = append(f.failures, name+": "+s)
	}
	return len(sub.failures) == 0
}

// fakeRun prints the offline notice, a usage for -h, a result, and
// returns a usage error for --bad.
func fakeRun(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == "-h":
		fmt.Fprintln(stdout, "Usage: -timeout")
	case len(args) > 0 && args[0] == "--bad":
		return Usage("bad flag")
	case getenv("KEY") == "":
		fmt.Fprintln(stderr, "no KEY set")
		fmt.Fprintln(stdout, "updated coupon 1")
	case getenv("KEY") == "fail":
		return errors.New("update failed")
	}
	return nil
}

// TestHelpers checks the test helpers on a fake program, both passing
// and, through fakeT, failing.
func TestHelpers(t *testing.T) {
	stdout, stderr, err := RunForTest(fakeRun, nil, EnvOf(map[string]string{"KEY": "fail"}))
	if stdout != "" || stderr != "" || err == nil || err.Error() != "update failed" {
		t.Errorf("RunForTest = %q, %q, %v", stdout, stderr, err)
	}
	if NoEnv("KEY") != "" || EnvOf(nil)("KEY") != "" {
		t.Error("NoEnv or EnvOf(nil) is not empty")
	}

	CheckOffline(t, fakeRun, "no KEY set\n", "updated coupon 1")
	CheckHelp(t, fakeRun, "-timeout")
	CheckUsageErrors(t, fakeRun, map[string]UsageCase{"bad flag": {Args: []string{"--bad"}}})

	f := &fakeT{}
	CheckOffline(f, fakeRun, "other notice\n", "updated coupon 2")
	CheckHelp(f, fakeRun, "-verbose")
	CheckUsageErrors(f, fakeRun, map[string]UsageCase{"fine": {Env: map[string]string{"KEY": "x"}}})
	want := []string{
		`stderr = "no KEY set\n", want exactly the one-line notice "other notice\n"`,
		"stdout lacks \"updated coupon 2\":\nupdated coupon 1\n",
		`usage lacks "-verbose"`,
		"fine: err = <nil>, want a usage error",
	}
	if strings.Join(f.failures, "|") != strings.Join(want, "|") {
		t.Errorf("failures =\n%q\nwant\n%q", f.failures, want)
	}
}

// TestReportPrintsOnePrefix checks the line a failed program prints: the
// program's name once, even when the error already starts with it (every
// couponkit error names its vendor, and the programs are named after them).
func TestReportPrintsOnePrefix(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
		code int
	}{
		{errors.New("demo: accountName must be a DNS label"), "demo: accountName must be a DNS label\n", 1},
		{Usage("demo: accountName must be a DNS label"), "demo: accountName must be a DNS label (run with -h for help)\n", 2},
		{Usage("--timeout must be positive"), "demo: --timeout must be positive (run with -h for help)\n", 2},
		{errors.New("demonstration failed"), "demo: demonstration failed\n", 1},
		{&api.ValidationError{Vendor: "demo", Fields: []api.FieldError{{Field: "code", Problem: "is required"}}},
			"demo: invalid request: code is required\n", 1},
		{nil, "", 0},
	} {
		var out bytes.Buffer
		if code := demo.Report(&out, tc.err); code != tc.code || out.String() != tc.want {
			t.Errorf("Report(%v) = %d, %q; want %d, %q", tc.err, code, out.String(), tc.code, tc.want)
		}
	}
}
