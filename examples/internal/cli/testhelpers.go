package cli

import (
	"bytes"
	"errors"
	"strings"
)

// This file holds the helpers the examples' tests share. They take a TB
// rather than a *testing.T so that the programs do not link the testing
// package.

// TB is the part of *testing.T the test helpers use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// NoEnv is an environment without credentials.
func NoEnv(string) string { return "" }

// EnvOf returns a getenv reading m.
func EnvOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// RunForTest calls run with args and getenv and returns what it wrote to
// stdout and stderr, and its error.
func RunForTest(run RunFunc, args []string, getenv func(string) string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	err = run(args, getenv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// CheckOffline runs the program as `go run ./examples/<name>` would, with
// no flags and no credentials. It fails t unless the run succeeds, stderr
// is exactly the line notice (the offline-demo notice, with its newline)
// and stdout contains every string in want.
func CheckOffline(t TB, run RunFunc, notice string, want ...string) {
	t.Helper()
	stdout, stderr, err := RunForTest(run, nil, NoEnv)
	if err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, stderr)
	}
	if stderr != notice {
		t.Errorf("stderr = %q, want exactly the one-line notice %q", stderr, notice)
	}
	for _, s := range want {
		if !strings.Contains(stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, stdout)
		}
	}
}

// CheckHelp runs the program with -h and fails t unless the run succeeds
// and the usage on stdout contains every string in want.
func CheckHelp(t TB, run RunFunc, want ...string) {
	t.Helper()
	stdout, _, err := RunForTest(run, []string{"-h"}, NoEnv)
	if err != nil {
		t.Fatalf("run -h: %v", err)
	}
	for _, s := range want {
		if !strings.Contains(stdout, s) {
			t.Errorf("usage lacks %q", s)
		}
	}
}

// UsageCase is a command line and an environment that must give a usage
// error.
type UsageCase struct {
	// Args are the command-line arguments.
	Args []string
	// Env is the environment; nil for none.
	Env map[string]string
}

// CheckUsageErrors runs every case as a subtest of t (a *testing.T) and
// fails the subtest unless run returns a *UsageError.
func CheckUsageErrors[T interface {
	TB
	Run(name string, f func(T)) bool
}](t T, run RunFunc, cases map[string]UsageCase) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t T) {
			_, _, err := RunForTest(run, tc.Args, EnvOf(tc.Env))
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
		})
	}
}
