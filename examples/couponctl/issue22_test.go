package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// End-to-end tests of the rough edges issue 22 lists: each runs the built
// couponctl as a promotion team would.

// startCtl starts couponctl in the background with its output captured.
func startCtl(t *testing.T, ctx context.Context, env map[string]string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := command(ctx, env, args...)
	var errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &errOut
	require.NoError(t, cmd.Start())
	return cmd, &errOut
}

// waitApplied waits until the journal at path records n applied items.
func waitApplied(t *testing.T, ctx context.Context, path string, n int) {
	t.Helper()
	for {
		b, _ := os.ReadFile(path)
		if bytes.Count(b, []byte(`"outcome":"applied"`)) >= n {
			return
		}
		require.NoError(t, ctx.Err(), "the run journaled too little")
		time.Sleep(2 * time.Millisecond)
	}
}

// exitCode is the exit status Wait reported.
func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// assertExactlyOnce checks that coupons 1..n expire 7 days after their
// seeded date: +7d applied exactly once.
func assertExactlyOnce(t *testing.T, srv interface {
	Coupon(int) (bigcommerce.Coupon, bool)
}, n int) {
	t.Helper()
	for i := 1; i <= n; i++ {
		c, ok := srv.Coupon(i)
		require.True(t, ok)
		assert.True(t, c.Expires.Equal(base.AddDate(0, 0, i+7)), "coupon %d expires %v: +7d must be applied exactly once", i, c.Expires)
	}
}

func TestTwoProcessesOnOneJournal(t *testing.T) {
	t.Parallel() // paced by the test server: mostly waiting
	const n = 60
	srv, env := bcStore(t, n)
	srv.SetRateLimit(6, 40*time.Millisecond) // 150 requests per second: a run takes ~0.8 s
	journal := filepath.Join(t.TempDir(), "live.jsonl")
	args := []string{"set", "-vendor", "bigcommerce", "-keys", "1-60", "expires+=7d"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// one terminal starts the run; another resumes the same journal
	first, _ := startCtl(t, ctx, env, append(args, "-journal", journal)...)
	waitApplied(t, ctx, journal, 3)
	before := srv.Requests()
	r := ctl(t, env, append(args, "-resume", journal)...)
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, fmt.Sprintf("journal %s is in use by couponctl pid %d", journal, first.Process.Pid))
	assert.Contains(t, r.stderr, "nothing was sent")
	// the same command with -journal is refused too (the file exists)
	r = ctl(t, env, append(args, "-journal", journal)...)
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.LessOrEqual(t, srv.Requests()-before, 2*n, "the refused runs sent nothing (the first run's requests only)")

	// kill -9 leaves no stale lock: one resume runs, a second one beside it
	// is refused, naming the first resume's pid
	waitApplied(t, ctx, journal, 8)
	require.NoError(t, first.Process.Signal(syscall.SIGKILL))
	_ = first.Wait()
	resume, resumeErr := startCtl(t, ctx, env, append(args, "-resume", journal)...)
	for {
		b, _ := os.ReadFile(journal + lockSuffix)
		if strings.TrimSpace(string(b)) == strconv.Itoa(resume.Process.Pid) {
			break
		}
		require.NoError(t, ctx.Err(), "the resume never took the lock")
		time.Sleep(time.Millisecond)
	}
	r = ctl(t, env, append(args, "-resume", journal)...)
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, fmt.Sprintf("in use by couponctl pid %d", resume.Process.Pid))
	require.Equal(t, 0, exitCode(resume.Wait()), "stderr:\n%s", resumeErr)

	assertExactlyOnce(t, srv, n)
	assert.Len(t, finalOutcomes(t, journal), n)
	_, err := os.Stat(journal + lockSuffix)
	assert.ErrorIs(t, err, os.ErrNotExist, "a run that ends removes its lock file")
}

func TestJournalIsTiedToItsStore(t *testing.T) {
	dir := t.TempDir()
	demoJournal := filepath.Join(dir, "demo.jsonl")
	r := ctl(t, nil, "-demo", "set", "-vendor", "bigcommerce", "-keys", "1-5", "-journal", demoJournal, "max_uses+=1")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	var h entry
	b, err := os.ReadFile(demoJournal)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b[:bytes.IndexByte(b, '\n')], &h))
	require.NotNil(t, h.Run)
	assert.Equal(t, "demo", h.Run.Store)
	assert.Equal(t, "bigcommerce", h.Run.Vendor)
	assert.Positive(t, h.Run.PID)

	// resumed or undone against a real store: refused, nothing sent
	srv, env := bcStore(t, 5)
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-5", "-resume", demoJournal, "max_uses+=1")
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "journals a run on bigcommerce demo, but this command reaches bigcommerce store teststore")
	assert.Contains(t, r.stderr, "(or with -demo)")
	r = ctl(t, env, "undo", demoJournal)
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "journals a run on bigcommerce demo")
	assert.Equal(t, 0, srv.Requests())

	// a real store's journal names that store (never the token), and
	// another store is refused
	real := filepath.Join(dir, "real.jsonl")
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-3", "-journal", real, "enabled=false")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	b, err = os.ReadFile(real)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"store":"store teststore"`)
	assert.NotContains(t, string(b), srv.AccessToken)
	other, otherEnv := bcStore(t, 5)
	other.StoreHash = "otherstore"
	otherEnv["BIGCOMMERCE_STORE_HASH"] = "otherstore"
	r = ctl(t, otherEnv, "undo", real)
	assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "journals a run on bigcommerce store teststore, but this command reaches bigcommerce store otherstore")
	r = ctl(t, otherEnv, "-demo", "undo", real)
	assert.Equal(t, 2, r.code, "a real journal is not undone on the demo either")
	assert.Equal(t, 0, other.Requests())
	// the right store undoes it
	r = ctl(t, env, "undo", real)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.True(t, bcCoupon(t, srv, 2).Enabled)
}

// ttyRun is a couponctl run whose stdin and stderr are a terminal.
type ttyRun struct {
	stdout, tty string // tty: what the terminal showed (stderr and echo)
	code        int
}

// ctlOnTerminal runs couponctl with stdin and stderr on a pseudo-terminal
// of cols columns (0: a terminal that reports no size), typing input.
func ctlOnTerminal(t *testing.T, env map[string]string, cols int, input string, args ...string) ttyRun {
	t.Helper()
	master, slave, err := openPTY(cols)
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	defer master.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := command(ctx, env, args...)
	var out bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, &out, slave
	var shown bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(&shown, master) // ends with EIO once the terminal is closed
	}()
	require.NoError(t, cmd.Start())
	if input != "" {
		_, err := master.Write([]byte(input))
		require.NoError(t, err)
	}
	err = cmd.Wait()
	slave.Close()
	<-done
	return ttyRun{out.String(), strings.ReplaceAll(shown.String(), "\r\n", "\n"), exitCode(err)}
}

// progressRows returns each progress line a terminal showed: the text
// after each "clear the row" and before the next control or newline.
func progressRows(tty string) []string {
	var rows []string
	for _, piece := range strings.Split(tty, "\r\x1b[K")[1:] {
		row, _, _ := strings.Cut(piece, "\n")
		if row != "" {
			rows = append(rows, row)
		}
	}
	return rows
}

func TestProgressFitsTheTerminal(t *testing.T) {
	t.Parallel() // paced by the test server: mostly waiting
	for _, tc := range []struct {
		cols, max int
	}{{60, 59}, {0, 79}} {
		t.Run(fmt.Sprintf("%d columns", tc.cols), func(t *testing.T) {
			srv, env := bcStore(t, 40)
			srv.SetRateLimit(4, 40*time.Millisecond) // ~0.8 s: several redraws
			r := ctlOnTerminal(t, env, tc.cols, "", "set", "-vendor", "bigcommerce", "-keys", "1-40", "enabled=false")
			require.Equal(t, 0, r.code, "terminal:\n%s", r.tty)
			rows := progressRows(r.tty)
			require.NotEmpty(t, rows, "terminal:\n%q", r.tty)
			progress := 0
			for _, row := range rows {
				if strings.HasPrefix(row, "set bigcommerce: ") {
					progress++
					assert.LessOrEqual(t, utf8.RuneCountInString(row), tc.max, "a progress row wider than the terminal wraps and leaves a stale line: %q", row)
				}
			}
			assert.Positive(t, progress, "terminal:\n%q", r.tty)
			assert.Equal(t, 40, strings.Count(r.stdout, "applied"), "results on stdout only")
		})
	}
}

func TestRelativeSyntax(t *testing.T) {
	srv, env := bcStore(t, 3)
	// a negative number is a value, and BigCommerce refuses it: a hint, nothing sent
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1", "max_uses=-1")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "max_uses=-1: must not be negative (bigcommerce's rule)")
	assert.Contains(t, r.stderr, "0 means unlimited; to lower the current value write max_uses-=1")
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1", "max_uses=+5")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "ambiguous: write max_uses+=5")
	assert.Equal(t, 0, srv.Requests())

	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1,2", "max_uses+=5", "expires+=7d")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "2", "max_uses-=30", "expires-=1d")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "3", "max_uses=0")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	c1, c2, c3 := bcCoupon(t, srv, 1), bcCoupon(t, srv, 2), bcCoupon(t, srv, 3)
	assert.Equal(t, 105, c1.MaxUses)
	assert.True(t, c1.Expires.Equal(base.AddDate(0, 0, 8)))
	assert.Equal(t, 75, c2.MaxUses)
	assert.True(t, c2.Expires.Equal(base.AddDate(0, 0, 8)))
	assert.Equal(t, 0, c3.MaxUses, "0: unlimited")

	// a relative change that would break the vendor's rule is refused per coupon
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "3", "max_uses-=1")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "max_uses would become -1: must not be negative (bigcommerce's rule)")
	assert.Equal(t, 0, bcCoupon(t, srv, 3).MaxUses)

	r = ctl(t, nil, "set", "-h")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "field+=N")
	r = ctl(t, nil, "-h")
	assert.Contains(t, r.stdout, "max_uses+=5, expires+=7d")
	assert.Contains(t, r.stdout, "max_uses=-1 is\nminus one")
	r = ctl(t, nil, "fields", "-vendor", "bigcommerce")
	assert.Contains(t, r.stdout, "max_uses+=5 / max_uses-=5 from the current value")
	r = ctl(t, nil, "fields", "-vendor", "paddle")
	table, _, _ := strings.Cut(r.stdout, "\n\n")
	assert.NotContains(t, table, "+=", "no relative values without reads")
}

func TestBadFlagsAndFiltersExit2(t *testing.T) {
	jf := jframeworktest.NewServer()
	defer jf.Close()
	for i, st := range []jframework.Status{jframework.StatusActive, jframework.StatusInactive, jframework.StatusActive} {
		jf.AddCoupon(jframework.Coupon{ID: fmt.Sprintf("c%d", i+1), Code: fmt.Sprintf("C%d", i+1), Name: "n", Status: st,
			StartDate: base, EndDate: base.AddDate(0, 1, 0)})
	}
	jfEnv := map[string]string{envBaseURL: jf.URL, "JFRAMEWORK_BRAND_URL": jf.BrandURL, "JFRAMEWORK_AUTH_KEY": jf.AuthKey}
	srv, env := bcStore(t, 3)
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"bad status":       {jfEnv, []string{"list", "-vendor", "jframework", "-status", "Bogus"}, "status must be one of"},
		"min above max":    {env, []string{"list", "-vendor", "bigcommerce", "-min-id", "12", "-max-id", "10"}, "max_id must not be less than min_id"},
		"select bad":       {jfEnv, []string{"set", "-vendor", "jframework", "-select", "status=Bogus", "-journal", filepath.Join(dir, "j.jsonl"), "name=x"}, "status must be one of"},
		"apply has -keys?": {env, []string{"apply", "-vendor", "bigcommerce", "-keys", "1", "plan.csv"}, "flag provided but not defined: -keys"},
		"unknown flag":     {env, []string{"list", "-vendor", "bigcommerce", "-bogus"}, "flag provided but not defined: -bogus"},
		"plain http":       {map[string]string{envBaseURL: "http://api.example.com", "BIGCOMMERCE_STORE_HASH": "s", "BIGCOMMERCE_ACCESS_TOKEN": "t"}, []string{"list", "-vendor", "bigcommerce"}, "plain http:// would send the credentials unencrypted"},
		"bad help topic":   {nil, []string{"help", "bogus"}, `no command "bogus"`},
	} {
		t.Run(name, func(t *testing.T) {
			r := ctl(t, tc.env, tc.args...)
			assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
			assert.Contains(t, r.stderr, tc.want)
		})
	}
	assert.Equal(t, 0, jf.Requests(), "a filter the vendor refuses sends nothing")
	assert.Equal(t, 0, srv.Requests())
	_, err := os.Stat(filepath.Join(dir, "j.jsonl"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a run refused before sending leaves no journal")

	// the status filter is case-insensitive
	r := ctl(t, jfEnv, "list", "-vendor", "jframework", "-status", "active", "-json")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Equal(t, 2, strings.Count(r.stdout, `"status":"Active"`))
	assert.Equal(t, 2, strings.Count(r.stdout, "\n"))

	// fields -json; per-command -h lists only that command's flags;
	// help COMMAND; -version
	r = ctl(t, nil, "fields", "-vendor", "bigcommerce", "-json")
	require.Equal(t, 0, r.code)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, len(bcFields))
	var f struct{ Field, Values, Doc string }
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &f))
	assert.Equal(t, "name", f.Field)
	r = ctl(t, nil, "apply", "-h")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Usage: couponctl apply")
	assert.Contains(t, r.stdout, "-yes")
	assert.NotContains(t, r.stdout, "-keys")
	assert.NotContains(t, r.stdout, "-select")
	r = ctl(t, nil, "help", "set")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "Usage: couponctl set")
	assert.Contains(t, r.stdout, "-select")
	assert.NotContains(t, r.stdout, "Credentials (read from the environment", "not the general help")
	r = ctl(t, nil, "-version")
	require.Equal(t, 0, r.code)
	assert.Regexp(t, `^couponctl \(github.com/couponkit/couponkit\) \S+.* go1\.\d+`, r.stdout)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"), "one line, not the help")
}

func TestSecondUndoSaysAlreadyRestored(t *testing.T) {
	srv, env := bcStore(t, 4)
	run := filepath.Join(t.TempDir(), "run.jsonl")
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-4", "-journal", run, "amount=15", "expires+=7d")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	r = ctl(t, env, "undo", run)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Equal(t, 4, strings.Count(r.stdout, "applied"))
	requests := srv.Requests()

	r = ctl(t, env, "undo", run)
	require.Equal(t, 0, r.code, "a second undo is not a conflict; stderr:\n%s", r.stderr)
	assert.Equal(t, 4, strings.Count(r.stdout, "unchanged    already restored"), "stdout:\n%s", r.stdout)
	assert.NotContains(t, r.stdout, "conflict")
	assert.Equal(t, requests+4, srv.Requests(), "reads only")

	// a value someone else wrote is still a conflict
	c := bcCoupon(t, srv, 2)
	c.Amount = "12.0000"
	srv.AddCoupon(c)
	r = ctl(t, env, "undo", run)
	assert.Equal(t, 1, r.code)
	assert.Regexp(t, `(?m)^2 +conflict +changed since the run, left alone: amount now "12.0000", the run wrote "15"$`, r.stdout)
	assert.Equal(t, 3, strings.Count(r.stdout, "already restored"))
}

func TestCSVEmptyRowsAndSemicolons(t *testing.T) {
	srv, env := bcStore(t, 3)
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.csv")
	require.NoError(t, os.WriteFile(plan, []byte("id,amount,enabled\n1,12,\n,,\n , ,\n3,,false\n"), 0o644))
	r := ctl(t, env, "apply", "-vendor", "bigcommerce", plan)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "plan.csv: row 3 is empty: skipped")
	assert.Contains(t, r.stderr, "plan.csv: row 4 is empty: skipped")
	assert.Equal(t, "12.0000", bcCoupon(t, srv, 1).Amount)
	assert.False(t, bcCoupon(t, srv, 3).Enabled)

	semi := filepath.Join(dir, "semi.csv")
	require.NoError(t, os.WriteFile(semi, []byte("id;amount\n1;12,5\n"), 0o644))
	before := srv.Requests()
	r = ctl(t, env, "apply", "-vendor", "bigcommerce", semi)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "looks ';'-separated")
	assert.Contains(t, r.stderr, "save it as comma-separated CSV")
	assert.Equal(t, before, srv.Requests())
}

func TestOneDateFormatForPeople(t *testing.T) {
	_, env := bcStore(t, 2)
	r := ctl(t, env, "list", "-vendor", "bigcommerce")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "2026-09-02 00:00 UTC")
	journal := filepath.Join(t.TempDir(), "run.jsonl")
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1", "-journal", journal, "expires=2027-01-03")
	require.Equal(t, 0, r.code)
	assert.Equal(t, "1          applied      expires 2026-09-02 00:00 UTC -> 2027-01-03 00:00 UTC\n", r.stdout)
	// -json (and the journal) keep the vendor's own text
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "2", "-json", "expires=2027-01-03")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, `"old":"Thu, 03 Sep 2026 00:00:00 +0000","new":"Sun, 03 Jan 2027 00:00:00 +0000"`)
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"new":"Sun, 03 Jan 2027 00:00:00 +0000"`)
}

func TestDryRunWithoutReadsSaysUnchecked(t *testing.T) {
	srv := partnerotest.NewServer()
	defer srv.Close()
	srv.AddCoupon(partnero.Coupon{UUIDCode: "p1", Name: "Old"})
	env := map[string]string{envBaseURL: srv.URL, "PARTNERO_API_KEY": srv.APIKey}
	r := ctl(t, env, "set", "-vendor", "partnero", "-keys", "p1,no_such_code", "-dry-run", "name=New")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "partnero has no read of one coupon, so these changes cannot be checked against the current values")
	assert.Contains(t, r.stdout, "no_such_code would_send   name -> \"New\"")
	assert.NotContains(t, r.stdout, "would_change")
	assert.Equal(t, 0, srv.Requests())
}

func TestConfirmation(t *testing.T) {
	srv, env := bcStore(t, 101)
	// without a terminal: more than 100 coupons, or a past date, need -yes
	for _, args := range [][]string{
		{"set", "-vendor", "bigcommerce", "-keys", "1-101", "enabled=false"},
		{"set", "-vendor", "bigcommerce", "-keys", "1", "expires=2020-01-01"},
	} {
		r := ctl(t, env, args...)
		assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
		assert.Contains(t, r.stderr, "no terminal to ask on: nothing was sent; add -yes after the command name")
	}
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1", "expires=2020-01-01")
	assert.Contains(t, r.stderr, "it sets a date in the past: expires=2020-01-01 00:00 UTC")
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-101", "-dry-run", "enabled=false")
	assert.Equal(t, 0, r.code, "-dry-run never asks; stderr:\n%s", r.stderr)
	assert.Equal(t, 101, srv.Requests(), "reads only")
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-101", "-yes", "enabled=false")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.False(t, bcCoupon(t, srv, 101).Enabled)

	// on a terminal: it shows what will happen and asks
	srv2, env2 := bcStore(t, 2)
	tr := ctlOnTerminal(t, env2, 80, "n\n", "set", "-vendor", "bigcommerce", "-keys", "1,2", "expires=2020-01-01")
	assert.Equal(t, 1, tr.code)
	assert.Contains(t, tr.tty, "about to set expires=2020-01-01 on bigcommerce store teststore, 2 coupon(s): 1 2")
	assert.Contains(t, tr.tty, "Go ahead? [y/N]")
	assert.Contains(t, tr.tty, "not confirmed: nothing was sent")
	assert.Equal(t, 0, srv2.Requests())
	tr = ctlOnTerminal(t, env2, 80, "y\n", "set", "-vendor", "bigcommerce", "-keys", "1,2", "expires=2020-01-01")
	require.Equal(t, 0, tr.code, "terminal:\n%s", tr.tty)
	assert.True(t, bcCoupon(t, srv2, 2).Expires.Equal(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)))
}

func TestDemoStateRehearsesKillAndResume(t *testing.T) {
	t.Parallel() // paced by the demo's rate limit: mostly waiting
	dir := t.TempDir()
	state, journal := filepath.Join(dir, "demo.json"), filepath.Join(dir, "run.jsonl")
	// a first run makes the demo store and keeps it
	r := ctl(t, nil, "-demo-state", state, "list", "-vendor", "bigcommerce", "-limit", "1")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "a new demo store, kept in "+state)
	seeded := readDemoState(t, state)
	require.Len(t, seeded, 300)

	args := []string{"-demo-state", state, "set", "-vendor", "bigcommerce", "-keys", "1-60", "expires+=7d"}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd, _ := startCtl(t, ctx, nil, append(args, "-journal", journal)...)
	waitApplied(t, ctx, journal, 10)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.Less(t, len(finalOutcomes(t, journal)), 60, "killed before the end")

	r = ctl(t, nil, append(args, "-resume", journal)...)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "the demo store continues from "+state+" (300 coupons)")
	after := readDemoState(t, state)
	for id, c := range seeded {
		want := *c.Expires
		if id <= 60 {
			want = want.AddDate(0, 0, 7)
		}
		assert.True(t, after[id].Expires.Equal(want), "coupon %d expires %v, want %v (+7d exactly once)", id, after[id].Expires, want)
	}
	// the demo store of another vendor is refused
	r = ctl(t, nil, "-demo-state", state, "list", "-vendor", "jframework")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "holds a bigcommerce demo store, not jframework")
}

// readDemoState reads a BigCommerce -demo-state file, by coupon id.
func readDemoState(t *testing.T, path string) map[int]bigcommerce.Coupon {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var st demoState[bigcommerce.Coupon]
	require.NoError(t, json.Unmarshal(b, &st))
	out := map[int]bigcommerce.Coupon{}
	for _, c := range st.Coupons {
		out[c.ID] = c
	}
	return out
}
