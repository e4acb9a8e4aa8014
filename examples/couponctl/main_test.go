package main

import (
	"bufio"
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
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/internal/testutil"
	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
	"github.com/couponkit/couponkit/paddle/paddletest"
	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// These tests build couponctl and run it as a user does, against the
// vendors' test servers started in the test process: the server's URL
// goes in COUPONCTL_BASE_URL and its credentials in the vendor's
// environment variables.

// ctlPath is the couponctl binary TestMain builds.
var ctlPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "couponctl-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctlPath = filepath.Join(dir, "couponctl")
	if out, err := exec.Command("go", "build", "-o", ctlPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// ran is one finished couponctl run.
type ran struct {
	stdout, stderr string
	code           int
}

// command returns the couponctl command with args and exactly the
// environment env (nothing inherited, so no real credential leaks in).
func command(ctx context.Context, env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, ctlPath, args...)
	cmd.Env = []string{}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// ctl runs couponctl to the end.
func ctl(t *testing.T, env map[string]string, args ...string) ran {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := command(ctx, env, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "running couponctl: %v", err)
		code = ee.ExitCode()
	}
	return ran{out.String(), errOut.String(), code}
}

// base is the first expiry of the seeded coupons.
var base = time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)

// bcStore starts a bigcommercetest server with coupons 1..n and returns it
// with the environment that points couponctl at it.
func bcStore(t *testing.T, n int) (*bigcommercetest.Server, map[string]string) {
	t.Helper()
	srv := bigcommercetest.NewServer()
	t.Cleanup(srv.Close)
	for i := 1; i <= n; i++ {
		exp := base.AddDate(0, 0, i)
		srv.AddCoupon(bigcommerce.Coupon{
			ID: i, Name: fmt.Sprintf("Summer %d", i), Code: fmt.Sprintf("SUMMER-%d", i),
			Type: bigcommerce.PercentageDiscount, Amount: "10.0000", MinPurchase: "25.0000", Expires: &exp, Enabled: true,
			AppliesTo: &bigcommerce.AppliesTo{Entity: bigcommerce.EntityCategories, IDs: []int{0}},
			MaxUses:   100, RestrictedTo: &bigcommerce.RestrictedTo{Countries: []string{"AU"}},
		})
	}
	return srv, map[string]string{
		envBaseURL:                 srv.URL,
		"BIGCOMMERCE_STORE_HASH":   srv.StoreHash,
		"BIGCOMMERCE_ACCESS_TOKEN": srv.AccessToken,
	}
}

// bcCoupon returns coupon id's current state.
func bcCoupon(t *testing.T, srv *bigcommercetest.Server, id int) bigcommerce.Coupon {
	t.Helper()
	c, ok := srv.Coupon(id)
	require.True(t, ok, "coupon %d", id)
	return c
}

// journalLines reads a journal's item lines (not the run headers).
func journalLines(t *testing.T, path string) []entry {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []entry
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var e entry
		require.NoError(t, json.Unmarshal([]byte(line), &e), "journal line %q", line)
		if e.Run == nil {
			out = append(out, e)
		}
	}
	return out
}

// noSecret fails t if any output holds one of the secrets.
func noSecret(t *testing.T, r ran, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		assert.NotContains(t, r.stdout, s)
		assert.NotContains(t, r.stderr, s)
	}
}

func TestSetExtendsExpiryKeepingEveryOtherField(t *testing.T) {
	srv, env := bcStore(t, 12)
	srv.SetRateLimit(20, 100*time.Millisecond)
	journal := filepath.Join(t.TempDir(), "run.jsonl")

	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-5,9", "-journal", journal, "expires=+7d", "amount=15")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)

	for i := 1; i <= 12; i++ {
		c := bcCoupon(t, srv, i)
		want, amount := base.AddDate(0, 0, i), "10.0000"
		if i <= 5 || i == 9 {
			want, amount = want.AddDate(0, 0, 7), "15.0000"
		}
		require.NotNil(t, c.Expires)
		assert.True(t, c.Expires.Equal(want), "coupon %d expires %v, want %v", i, c.Expires, want)
		assert.Equal(t, amount, c.Amount, "coupon %d", i)
		// the PUT replaced the whole coupon: nothing else may be lost
		assert.Equal(t, &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}, c.AppliesTo, "coupon %d", i)
		assert.Equal(t, "25.0000", c.MinPurchase)
		assert.Equal(t, 100, c.MaxUses)
		assert.True(t, c.Enabled)
		require.NotNil(t, c.RestrictedTo)
		assert.Equal(t, []string{"AU"}, c.RestrictedTo.Countries)
	}

	// stdout: one line per coupon, nothing else
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	assert.Len(t, lines, 6)
	assert.Contains(t, r.stdout, `expires 2026-09-03 00:00 UTC -> 2026-09-10 00:00 UTC`, "dates for people: one ISO format")
	assert.NotContains(t, r.stdout, "+0000", "the vendor's RFC 2822 text only in -json")
	assert.Contains(t, r.stdout, `amount "10.0000" -> "15"`)
	assert.Contains(t, r.stderr, "applied                6")
	assert.Contains(t, r.stderr, "requests               12 ")
	assert.Equal(t, 0, srv.RateLimited(), "the pacer must keep under the limit")

	// the journal: one applied line per coupon with old and new wire values
	es := journalLines(t, journal)
	applied := map[string]entry{}
	for _, e := range es {
		if e.Outcome == outApplied {
			applied[e.Key] = e
		}
	}
	assert.Len(t, applied, 6)
	e := applied["2"]
	require.Len(t, e.Changes, 2)
	assert.Equal(t, "amount", e.Changes[0].Field)
	assert.JSONEq(t, `"10.0000"`, string(e.Changes[0].Old))
	assert.JSONEq(t, `"15"`, string(e.Changes[0].New))
	assert.Equal(t, "expires", e.Changes[1].Field)
	noSecret(t, r, srv.AccessToken)

	// the same command again changes nothing for absolute values... but
	// +7d is relative: resuming the finished journal skips every coupon.
	r = ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-5,9", "-resume", journal, "expires=+7d", "amount=15")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "done before (journal)  6")
	assert.Empty(t, r.stdout)
	assert.True(t, bcCoupon(t, srv, 1).Expires.Equal(base.AddDate(0, 0, 8)))
}

func TestSetSelect(t *testing.T) {
	srv, env := bcStore(t, 30)
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-select", "code-like=SUMMER-1*", "-select", "max-id=15", "enabled=false")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "-select chose 7 coupon(s)") // 1, 10..15
	for i := 1; i <= 30; i++ {
		want := !(i == 1 || (i >= 10 && i <= 15))
		assert.Equal(t, want, bcCoupon(t, srv, i).Enabled, "coupon %d", i)
	}
}

func TestDryRunSendsNoUpdate(t *testing.T) {
	srv, env := bcStore(t, 8)
	before := map[int]bigcommerce.Coupon{}
	for i := 1; i <= 8; i++ {
		before[i] = bcCoupon(t, srv, i)
	}
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-8", "-dry-run", "expires=2027-01-31", "max_uses=100")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	for i := 1; i <= 8; i++ {
		assert.Equal(t, before[i], bcCoupon(t, srv, i), "coupon %d changed by a dry run", i)
	}
	assert.Equal(t, 8, srv.Requests(), "one read per coupon, no update")
	assert.Contains(t, r.stdout, `1          would_change expires 2026-09-02 00:00 UTC -> 2027-01-31 00:00 UTC`)
	assert.NotContains(t, r.stdout, "max_uses", "max_uses is 100 already: not a change")
	assert.Contains(t, r.stderr, "would change           8")
}

func TestApplyPlan(t *testing.T) {
	srv, env := bcStore(t, 6)
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.csv")
	require.NoError(t, os.WriteFile(plan, []byte("id,amount,expires,enabled\n"+
		"1,12.50,,\n"+
		"2,,none,false\n"+
		"3,20,2027-03-01,\n"), 0o644))
	r := ctl(t, env, "apply", "-vendor", "bigcommerce", plan)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)

	c1, c2, c3, c4 := bcCoupon(t, srv, 1), bcCoupon(t, srv, 2), bcCoupon(t, srv, 3), bcCoupon(t, srv, 4)
	assert.Equal(t, "12.5000", c1.Amount)
	assert.True(t, c1.Expires.Equal(base.AddDate(0, 0, 1)))
	assert.Nil(t, c2.Expires, "none removes the expiry")
	assert.False(t, c2.Enabled)
	assert.Equal(t, "10.0000", c2.Amount)
	assert.Equal(t, "20.0000", c3.Amount)
	assert.True(t, c3.Expires.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "10.0000", c4.Amount, "not in the plan")
	assert.Equal(t, 6, srv.Requests())
}

func TestUndoRestoresAndReportsConflicts(t *testing.T) {
	srv, env := bcStore(t, 6)
	dir := t.TempDir()
	run, undo := filepath.Join(dir, "run.jsonl"), filepath.Join(dir, "undo.jsonl")
	before := map[int]bigcommerce.Coupon{}
	for i := 1; i <= 6; i++ {
		before[i] = bcCoupon(t, srv, i)
	}
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-4", "-journal", run, "expires=+7d", "amount=15.00")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)

	// someone changes coupon 3's amount after the run
	c3 := bcCoupon(t, srv, 3)
	c3.Amount = "17.0000"
	srv.AddCoupon(c3)

	// a dry undo changes nothing and says what it would do
	r = ctl(t, env, "undo", "-dry-run", run)
	require.Equal(t, 1, r.code, "a conflict is reported; stderr:\n%s", r.stderr)
	assert.Contains(t, r.stdout, "would_change")
	assert.Equal(t, "15.0000", bcCoupon(t, srv, 1).Amount)

	// -keys undoes some coupons only
	r = ctl(t, env, "undo", "-dry-run", "-keys", "2", run)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Regexp(t, `^2 +would_change +amount "15.0000" -> "10.0000", expires`, r.stdout)
	assert.Equal(t, 1, strings.Count(r.stdout, "\n"))

	r = ctl(t, env, "undo", "-journal", undo, run)
	require.Equal(t, 1, r.code, "stderr:\n%s", r.stderr)
	for _, i := range []int{1, 2, 4, 5, 6} {
		c := bcCoupon(t, srv, i)
		assert.Equal(t, before[i].Amount, c.Amount, "coupon %d", i)
		assert.True(t, before[i].Expires.Equal(*c.Expires), "coupon %d", i)
	}
	got3 := bcCoupon(t, srv, 3)
	assert.Equal(t, "17.0000", got3.Amount, "a later change is never overwritten")
	assert.True(t, got3.Expires.Equal(base.AddDate(0, 0, 10)), "the conflicting coupon is left alone entirely")
	assert.Regexp(t, `(?m)^3 +conflict +changed since the run, left alone: amount now "17.0000", the run wrote "15.00"`, r.stdout)
	assert.Contains(t, r.stderr, "conflicts, left alone (changed since the run):\n  3")

	es := journalLines(t, undo)
	outcomes := map[string]string{}
	for _, e := range es {
		outcomes[e.Key] = e.Outcome
	}
	assert.Equal(t, map[string]string{"1": outApplied, "2": outApplied, "3": outConflict, "4": outApplied}, outcomes)

	// undoing the undo (a redo) works the same way
	r = ctl(t, env, "undo", undo)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Equal(t, "15.0000", bcCoupon(t, srv, 1).Amount)
}

func TestBadInputSendsNothing(t *testing.T) {
	srv, env := bcStore(t, 3)
	dir := t.TempDir()
	existing := filepath.Join(dir, "exists.jsonl")
	require.NoError(t, os.WriteFile(existing, []byte("{}\n"), 0o644))
	badPlan := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(badPlan, []byte("id,amount,expires\n1,10,2027-01-01\n2,ten,\n1,5,\nx,1,\n3,,\n"), 0o644))
	unknownCol := filepath.Join(dir, "col.csv")
	require.NoError(t, os.WriteFile(unknownCol, []byte("id,amout\n1,10\n"), 0o644))
	dupCodes := filepath.Join(dir, "codes.csv")
	require.NoError(t, os.WriteFile(dupCodes, []byte("id,code\n1,NEW-A\n2,NEW-B\n3,NEW-A\n"), 0o644))
	keysFile := filepath.Join(dir, "keys.txt")
	require.NoError(t, os.WriteFile(keysFile, []byte("1\n# a comment\n2\nthree\n"), 0o644))

	for name, tc := range map[string]struct {
		args []string
		env  map[string]string
		want []string
	}{
		"unknown field":      {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "amout=5"}, want: []string{`no settable field "amout"`, "valid fields: name, code, type, amount"}},
		"bad value":          {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "amount=ten", "expires=tomorrow", "enabled=maybe"}, want: []string{`"ten" is not a decimal`, `"tomorrow" is not YYYY-MM-DD`, `"maybe" is not true or false`}},
		"empty value":        {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "expires="}, want: []string{"expires=: no value"}},
		"none for required":  {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "amount=none"}, want: []string{"cannot be none"}},
		"negative":           {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "max_uses=-1x"}, want: []string{"max_uses"}},
		"no keys":            {args: []string{"set", "-vendor", "bigcommerce", "amount=5"}, want: []string{"-keys"}},
		"duplicate key":      {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1,2,1", "amount=5"}, want: []string{"given twice"}},
		"bad range":          {args: []string{"set", "-vendor", "bigcommerce", "-keys", "5-2", "amount=5"}, want: []string{"backwards"}},
		"bad key file":       {args: []string{"set", "-vendor", "bigcommerce", "-keys", "@" + keysFile, "amount=5"}, want: []string{"line 4", `"three"`}},
		"unique on many":     {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1,2", "code=SAME"}, want: []string{"code must be unique per coupon"}},
		"unknown vendor":     {args: []string{"set", "-vendor", "shopify", "-keys", "1", "amount=5"}, want: []string{"unknown -vendor"}},
		"bad plan rows":      {args: []string{"apply", "-vendor", "bigcommerce", badPlan}, want: []string{"row 3", `"ten"`, "row 4: id 1 is planned already on row 2", `row 5: "x" is not`, "row 6 (id 3) sets no field"}},
		"plan repeats codes": {args: []string{"apply", "-vendor", "bigcommerce", dupCodes}, want: []string{`code "NEW-A" is planned for id 1 and 3: it must be unique`}},
		"bad plan header":    {args: []string{"apply", "-vendor", "bigcommerce", unknownCol}, want: []string{`no settable field "amout"`}},
		"journal exists":     {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "-journal", existing, "amount=5"}, want: []string{"exists already", "-resume"}},
		"dry run journal":    {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "-dry-run", "-journal", filepath.Join(dir, "n.jsonl"), "amount=5"}, want: []string{"nothing to journal"}},
		"missing credential": {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "amount=5"}, env: map[string]string{envBaseURL: srv.URL, "BIGCOMMERCE_STORE_HASH": srv.StoreHash}, want: []string{"BIGCOMMERCE_ACCESS_TOKEN", "-demo"}},
		"bad flag":           {args: []string{"set", "-vendor", "bigcommerce", "-keys", "1", "-concurrency", "0", "amount=5"}, want: []string{"-concurrency"}},
		"unknown filter":     {args: []string{"set", "-vendor", "bigcommerce", "-select", "status=Active", "amount=5"}, want: []string{"no filter status"}},
		"undo not a journal": {args: []string{"undo", existing}, want: []string{"journal"}},
		"no command":         {args: []string{}, want: []string{"no command"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := env
			if tc.env != nil {
				e = tc.env
			}
			r := ctl(t, e, tc.args...)
			assert.Equal(t, 2, r.code, "stderr:\n%s", r.stderr)
			for _, w := range tc.want {
				assert.Contains(t, r.stderr, w)
			}
			assert.Empty(t, r.stdout)
			assert.Equal(t, 0, srv.Requests(), "bad input must send nothing")
		})
	}
}

func TestRelativeValuesRefusedWithoutReads(t *testing.T) {
	srv := paddletest.NewServer()
	defer srv.Close()
	env := map[string]string{envBaseURL: srv.URL, "PADDLE_VENDOR_ID": strconv.Itoa(srv.VendorID), "PADDLE_VENDOR_AUTH_CODE": srv.AuthCode}
	r := ctl(t, env, "set", "-vendor", "paddle", "-keys", "SUMMER01", "expires=+7d")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "Paddle Classic has no read of one coupon")
	r = ctl(t, env, "undo", writeJournal(t, runHeader{Command: "set", Vendor: "paddle", Plan: "expires=2027-01-01"}))
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "undo is not available for paddle")
	assert.Equal(t, 0, srv.Requests())
}

// writeJournal writes a journal with header h and the given item lines.
func writeJournal(t *testing.T, h runHeader, items ...entry) string {
	t.Helper()
	h.Journal = journalVersion
	var b bytes.Buffer
	for _, e := range append([]entry{{Run: &h}}, items...) {
		line, err := json.Marshal(e)
		require.NoError(t, err)
		b.Write(line)
		b.WriteByte('\n')
	}
	path := filepath.Join(t.TempDir(), "run.jsonl")
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
	return path
}

// countOutcomes counts each key's final outcome in a journal.
func finalOutcomes(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, e := range journalLines(t, path) {
		out[e.Key] = e.Outcome
	}
	return out
}

// pacedRun is a store of 60 coupons paced at 150 requests per second (a
// run of all of them takes ~0.8 s), the arguments of a run adding 7 days
// to each (op "=+" or "+="), a journal path and a deadline.
func pacedRun(t *testing.T, relative string) (*bigcommercetest.Server, map[string]string, []string, string, context.Context) {
	srv, env := bcStore(t, 60)
	srv.SetRateLimit(6, 40*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	args := []string{"set", "-vendor", "bigcommerce", "-keys", "1-60", relative}
	return srv, env, args, filepath.Join(t.TempDir(), "run.jsonl"), ctx
}

func TestKilledRunResumesExactlyOnce(t *testing.T) {
	srv, env, args, journal, ctx := pacedRun(t, "expires=+7d")
	cmd, _ := startCtl(t, ctx, env, append(args, "-journal", journal)...)
	waitApplied(t, ctx, journal, 8) // kill -9 once some items are journaled
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	require.Less(t, len(finalOutcomes(t, journal)), 60, "killed before the end")

	r := ctl(t, env, append(args, "-resume", journal)...)
	require.Equal(t, 0, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	assertExactlyOnce(t, srv, 60)
	after := finalOutcomes(t, journal)
	assert.Len(t, after, 60)
	for k, o := range after {
		assert.Equal(t, outApplied, o, "coupon %s", k)
	}
}

func TestResumeFinishesUpdatesLeftInFlight(t *testing.T) {
	// A journal as kill -9 leaves it: coupons 1 and 2 have a write-ahead
	// "sending" mark and no answer. Coupon 1's update landed, coupon 2's
	// did not; coupon 3 was never reached. Coupon 4's update was answered
	// with an error, yet the vendor applied it.
	srv, env := bcStore(t, 4)
	for _, id := range []int{1, 4} {
		c := bcCoupon(t, srv, id)
		landed := base.AddDate(0, 0, id+7)
		c.Expires = &landed
		srv.AddCoupon(c)
	}
	mark := func(i int) entry {
		return entry{Key: strconv.Itoa(i), Outcome: outSending, Changes: []change{newChange("expires",
			quote(base.AddDate(0, 0, i).Format(time.RFC3339)), quote(base.AddDate(0, 0, i+7).Format(time.RFC3339)))}}
	}
	journal := writeJournal(t, runHeader{Command: "set", Vendor: "bigcommerce", Plan: "expires=+7d"},
		mark(1), mark(2), mark(4), entry{Key: "4", Outcome: outFailed, Error: "bigcommerce: 400"})

	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-4", "-resume", journal, "expires=+7d")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	for i := 1; i <= 4; i++ {
		assert.True(t, bcCoupon(t, srv, i).Expires.Equal(base.AddDate(0, 0, i+7)), "coupon %d applied exactly once", i)
	}
	assert.Equal(t, 6, srv.Requests(), "four reads, and updates for 2 and 3 only")
	assert.Equal(t, map[string]string{"1": outApplied, "2": outApplied, "3": outApplied, "4": outApplied}, finalOutcomes(t, journal))
}

func TestResumeNeverResendsUnknownOutcomes(t *testing.T) {
	t.Run("bigcommerce confirms by reading", func(t *testing.T) {
		srv, env := bcStore(t, 3)
		c1 := bcCoupon(t, srv, 1)
		landed := base.AddDate(0, 0, 8)
		c1.Expires = &landed
		srv.AddCoupon(c1)
		lines := []entry{}
		for i := 1; i <= 2; i++ {
			ch := []change{newChange("expires", quote(base.AddDate(0, 0, i).Format(time.RFC3339)), quote(base.AddDate(0, 0, i+7).Format(time.RFC3339)))}
			lines = append(lines, entry{Key: strconv.Itoa(i), Outcome: outSending, Changes: ch},
				entry{Key: strconv.Itoa(i), Outcome: outUnknown, Error: "bigcommerce: 503"})
		}
		journal := writeJournal(t, runHeader{Command: "set", Vendor: "bigcommerce", Plan: "expires=+7d"}, lines...)
		r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-3", "-resume", journal, "expires=+7d")
		assert.Equal(t, 1, r.code, "an unknown outcome is left for a human")
		assert.True(t, bcCoupon(t, srv, 1).Expires.Equal(landed), "confirmed applied, not resent")
		assert.True(t, bcCoupon(t, srv, 2).Expires.Equal(base.AddDate(0, 0, 2)), "unknown: not resent")
		assert.True(t, bcCoupon(t, srv, 3).Expires.Equal(base.AddDate(0, 0, 10)))
		assert.Equal(t, 4, srv.Requests(), "reads of 1, 2, 3 and one update (3)")
		assert.Contains(t, r.stderr, "outcome unknown, not resent: check these coupons by hand:\n  2")
		assert.Equal(t, map[string]string{"1": outApplied, "2": outUnknown, "3": outApplied}, finalOutcomes(t, journal))
	})
	t.Run("paddle lists them", func(t *testing.T) {
		srv := paddletest.NewServer()
		defer srv.Close()
		for _, code := range []string{"SUMMER01", "SUMMER02", "SUMMER03"} {
			srv.AddCoupon(paddletest.Coupon{Code: code, AllowedUses: 10, DiscountAmount: 10})
		}
		env := map[string]string{envBaseURL: srv.URL, "PADDLE_VENDOR_ID": strconv.Itoa(srv.VendorID), "PADDLE_VENDOR_AUTH_CODE": srv.AuthCode}
		journal := writeJournal(t, runHeader{Command: "set", Vendor: "paddle", Plan: "allowed_uses=50"},
			entry{Key: "SUMMER01", Outcome: outApplied}, entry{Key: "SUMMER02", Outcome: outUnknown})
		r := ctl(t, env, "set", "-vendor", "paddle", "-keys", "SUMMER01,SUMMER02,SUMMER03", "-resume", journal, "allowed_uses=50")
		assert.Equal(t, 1, r.code, "stderr:\n%s", r.stderr)
		assert.Equal(t, 1, srv.Requests(), "only SUMMER03 is sent")
		c3, _ := srv.Coupon("SUMMER03")
		assert.Equal(t, 50, c3.AllowedUses)
		c2, _ := srv.Coupon("SUMMER02")
		assert.Equal(t, 10, c2.AllowedUses)
		assert.Contains(t, r.stderr, "check these coupons by hand:\n  SUMMER02")
	})
}

func TestInterruptStopsSendingAndResumeFinishes(t *testing.T) {
	const n = 40
	srv, env := bcStore(t, n)
	srv.SetRateLimit(6, 50*time.Millisecond)
	journal := filepath.Join(t.TempDir(), "run.jsonl")
	args := []string{"set", "-vendor", "bigcommerce", "-keys", "1-40", "amount=15"}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := command(ctx, env, append(args, "-journal", journal)...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Start())
	for {
		b, _ := os.ReadFile(journal)
		if bytes.Count(b, []byte(`"outcome":"applied"`)) >= 5 {
			break
		}
		require.NoError(t, ctx.Err())
		time.Sleep(2 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, exitInterrupted, ee.ExitCode())
	assert.Contains(t, errOut.String(), "interrupted")
	assert.Contains(t, errOut.String(), "set bigcommerce interrupted in")
	assert.Contains(t, errOut.String(), "to continue: run the same command with -resume "+journal)

	// every coupon the journal says was applied was, and nothing else was
	// changed except updates left in flight (marked "sending")
	outcomes := finalOutcomes(t, journal)
	require.Less(t, len(outcomes), n)
	requestsAtStop := srv.Requests()
	for i := 1; i <= n; i++ {
		c := bcCoupon(t, srv, i)
		switch outcomes[strconv.Itoa(i)] {
		case outApplied:
			assert.Equal(t, "15.0000", c.Amount, "coupon %d", i)
		case "":
			assert.Equal(t, "10.0000", c.Amount, "coupon %d was never reached", i)
		}
	}
	// nothing is sent after the program ended
	time.Sleep(20 * time.Millisecond)
	assert.Equal(t, requestsAtStop, srv.Requests())

	r := ctl(t, env, append(args, "-resume", journal)...)
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	for i := 1; i <= n; i++ {
		assert.Equal(t, "15.0000", bcCoupon(t, srv, i).Amount, "coupon %d", i)
	}
}

func TestProgressLinesWhenNotATerminal(t *testing.T) {
	srv, env := bcStore(t, 20)
	srv.SetRateLimit(4, 30*time.Millisecond)
	r := ctl(t, env, "set", "-vendor", "bigcommerce", "-keys", "1-20", "-progress-every", "20ms", "enabled=false")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Regexp(t, `(?m)^set bigcommerce: \d+/20  changed \d+  unchanged 0  failed 0  [0-9.]+/s  quota \d+/4`, r.stderr)
	assert.NotContains(t, r.stderr, "\r", "plain lines, no redrawing, when stderr is not a terminal")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		assert.Regexp(t, `^\d+ +applied +enabled true -> false$`, line, "stdout holds results only")
	}
}

func TestList(t *testing.T) {
	srv, env := bcStore(t, 5)
	r := ctl(t, env, "list", "-vendor", "bigcommerce", "-per-page", "2")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 6)
	assert.Regexp(t, `^ID +CODE +NAME +TYPE +AMOUNT +EXPIRES +ENABLED +NUM_USES +MAX_USES$`, lines[0])
	assert.Regexp(t, `^1 +SUMMER-1 +Summer 1 +percentage_discount +10.0000 +2026-09-02 00:00 UTC +true +0 +100$`, lines[1])
	assert.Contains(t, r.stderr, "5 coupon(s), 3 request(s)")

	r = ctl(t, env, "list", "-vendor", "bigcommerce", "-json", "-code-like", "SUMMER-[24]")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	var codes []string
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m))
		codes = append(codes, m["code"].(string))
		n, _ := strconv.Atoi(strings.TrimPrefix(m["code"].(string), "SUMMER-"))
		assert.Equal(t, base.AddDate(0, 0, n).Format(time.RFC3339), m["expires"])
	}
	assert.Equal(t, []string{"SUMMER-2", "SUMMER-4"}, codes)
	noSecret(t, r, srv.AccessToken)
}

func TestEveryVendor(t *testing.T) {
	t.Run("jframework", func(t *testing.T) {
		srv := jframeworktest.NewServer()
		defer srv.Close()
		start := time.Date(2026, 6, 1, 9, 0, 0, 0, time.FixedZone("", 7*3600))
		for i := 1; i <= 4; i++ {
			srv.AddCoupon(jframework.Coupon{ID: fmt.Sprintf("c%d", i), Code: fmt.Sprintf("JF%d", i), Name: "JF", Percentage: jframework.Ptr(10.0),
				StartDate: start, EndDate: start.AddDate(0, 1, 0), Status: jframework.StatusActive, Tags: "a, b"})
		}
		env := map[string]string{envBaseURL: srv.URL, "JFRAMEWORK_BRAND_URL": srv.BrandURL, "JFRAMEWORK_AUTH_KEY": srv.AuthKey}
		run := filepath.Join(t.TempDir(), "jf.jsonl")
		r := ctl(t, env, "set", "-vendor", "jframework", "-keys", "c1,c2,c3", "-journal", run, "endDate=+7d", "percentage=12.5", "quantity=none")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		c, _ := srv.Coupon("c2")
		assert.True(t, c.EndDate.Equal(start.AddDate(0, 1, 7)))
		assert.Equal(t, 12.5, *c.Percentage)
		assert.Equal(t, "a, b", c.Tags)
		c4, _ := srv.Coupon("c4")
		assert.Equal(t, 10.0, *c4.Percentage)
		r = ctl(t, env, "list", "-vendor", "jframework", "-json")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		assert.Equal(t, 4, strings.Count(r.stdout, "\n"))
		r = ctl(t, env, "undo", run)
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		c, _ = srv.Coupon("c2")
		assert.True(t, c.EndDate.Equal(start.AddDate(0, 1, 0)))
		assert.Equal(t, 10.0, *c.Percentage)
		noSecret(t, r, srv.AuthKey)
	})
	t.Run("utmcoupon", func(t *testing.T) {
		srv := utmcoupontest.NewServer()
		defer srv.Close()
		for _, code := range []string{"A-1", "A-2", "B-1"} {
			srv.AddCoupon(utmcoupon.Coupon{CouponCode: code, UtmSource: "news", UtmCampaign: "spring", MaxItemsPerClient: 1,
				ExpirationIntervalPerUse: 24 * time.Hour, MaxUsage: utmcoupon.Ptr(5)})
		}
		env := map[string]string{envBaseURL: srv.URL, "VTEX_ACCOUNT_NAME": srv.Account, "VTEX_APP_KEY": srv.AppKey, "VTEX_APP_TOKEN": srv.AppToken}
		r := ctl(t, env, "set", "-vendor", "utmcoupon", "-select", "code-like=A-*", "utmCampaign=none", "maxUsage+=10", "expirationIntervalPerUse+=1d")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		c, _ := srv.Coupon("A-2")
		assert.Equal(t, "", c.UtmCampaign)
		assert.Equal(t, 15, *c.MaxUsage)
		assert.Equal(t, 48*time.Hour, c.ExpirationIntervalPerUse)
		b, _ := srv.Coupon("B-1")
		assert.Equal(t, "spring", b.UtmCampaign)
		noSecret(t, r, srv.AppKey, srv.AppToken)
	})
	t.Run("paddle", func(t *testing.T) {
		srv := paddletest.NewServer()
		defer srv.Close()
		exp := base
		srv.AddCoupon(paddletest.Coupon{Code: "SUMMER01", ProductIDs: []int{7}, AllowedUses: 10, DiscountAmount: 10, Expires: &exp})
		srv.AddCoupon(paddletest.Coupon{Code: "SUMMER02", ProductIDs: []int{7}, AllowedUses: 10, DiscountAmount: 10})
		env := map[string]string{envBaseURL: srv.URL, "PADDLE_VENDOR_ID": strconv.Itoa(srv.VendorID), "PADDLE_VENDOR_AUTH_CODE": srv.AuthCode}
		r := ctl(t, env, "set", "-vendor", "paddle", "-keys", "SUMMER01,SUMMER02", "-dry-run", "expires=none", "allowed_uses=20")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		assert.Contains(t, r.stdout, "SUMMER01   would_send   expires -> none, allowed_uses -> 20")
		assert.Contains(t, r.stderr, "cannot be checked against the current values")
		assert.Contains(t, r.stderr, "would send (unchecked) 2")
		assert.Equal(t, 0, srv.Requests())
		r = ctl(t, env, "set", "-vendor", "paddle", "-select", "product=7", "expires=none", "allowed_uses=20")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		c, _ := srv.Coupon("SUMMER01")
		assert.Nil(t, c.Expires)
		assert.Equal(t, 20, c.AllowedUses)
		r = ctl(t, env, "list", "-vendor", "paddle")
		assert.Equal(t, 2, r.code)
		assert.Contains(t, r.stderr, "-product")
		noSecret(t, r, srv.AuthCode)
	})
	t.Run("partnero", func(t *testing.T) {
		srv := partnerotest.NewServer()
		defer srv.Close()
		for _, code := range []string{"p1", "p2"} {
			srv.AddCoupon(partnero.Coupon{UUIDCode: code, Name: "Old", Metadata: map[string]any{"keep": "me"}})
		}
		env := map[string]string{envBaseURL: srv.URL, "PARTNERO_API_KEY": srv.APIKey}
		r := ctl(t, env, "set", "-vendor", "partnero", "-keys", "p1,p2", "name=New name", "metadata.tier=2", "metadata.season=summer")
		require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
		c, _ := srv.Coupon("p2")
		assert.Equal(t, "New name", c.Name)
		assert.Equal(t, map[string]any{"keep": "me", "tier": float64(2), "season": "summer"}, c.Metadata)
		noSecret(t, r, srv.APIKey)
	})
}

func TestNoCredentialInAnyOutput(t *testing.T) {
	srv, env := bcStore(t, 2)
	bad := map[string]string{}
	for k, v := range env {
		bad[k] = v
	}
	bad["BIGCOMMERCE_ACCESS_TOKEN"] = "secret-token-that-must-not-leak"
	journal := filepath.Join(t.TempDir(), "run.jsonl")
	r := ctl(t, bad, "set", "-vendor", "bigcommerce", "-keys", "1,2", "-verbose", "-journal", journal, "amount=5")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stdout, "failed")
	assert.Contains(t, r.stderr, "bigcommerce refused the credentials")
	noSecret(t, r, "secret-token-that-must-not-leak", srv.AccessToken)
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "secret-token-that-must-not-leak")

	r = ctl(t, env, "list", "-vendor", "bigcommerce", "-verbose")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stderr, "GET") // the debug log is there...
	noSecret(t, r, srv.AccessToken)     // ...without the token
}

func TestDemo(t *testing.T) {
	r := ctl(t, nil, "-demo", "set", "-vendor", "utmcoupon", "-select", "code-like=VIP-0*", "maxItemsPerClient+=1")
	require.Equal(t, 0, r.code, "stderr:\n%s", r.stderr)
	assert.Contains(t, r.stderr, "-demo: an in-process utmcoupontest account")
	assert.Equal(t, 20, strings.Count(r.stdout, "applied"))
}

func TestHelp(t *testing.T) {
	r := ctl(t, nil, "-h")
	require.Equal(t, 0, r.code)
	for _, s := range []string{"couponctl set", "-resume FILE", "Exit status", "BIGCOMMERCE_ACCESS_TOKEN", "VTEX_APP_TOKEN"} {
		assert.Contains(t, r.stdout, s)
	}
	r = ctl(t, nil, "fields", "-vendor", "paddle")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "discount_amount")
	assert.Contains(t, r.stdout, "undo are not available")
}

func TestInterruptWhileSelecting(t *testing.T) {
	srv, env := bcStore(t, 100)
	srv.SetRateLimit(2, 50*time.Millisecond) // a page per 25 ms: listing 100 pages takes 2.5 s
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := command(ctx, env, "set", "-vendor", "bigcommerce", "-select", "per-page=1", "amount=15")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	require.NoError(t, cmd.Start())
	for srv.Requests() < 3 {
		require.NoError(t, ctx.Err())
		time.Sleep(2 * time.Millisecond)
	}
	start := time.Now()
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	err := cmd.Wait()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, exitInterrupted, ee.ExitCode())
	assert.Less(t, time.Since(start), time.Second, "the listing stops at once")
	assert.Contains(t, errOut.String(), "nothing was changed")
	for i := 1; i <= 100; i++ {
		assert.Equal(t, "10.0000", bcCoupon(t, srv, i).Amount)
	}
}

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
	srv, env, args, journal, ctx := pacedRun(t, "expires+=7d")
	srv.SetRateLimit(3, 40*time.Millisecond) // ~1.6 s: time for the other runs to start beside it

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
// of cols columns (0: a terminal that reports no size) that is its
// controlling terminal; input is typed once the y/N question shows.
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
	cmd.SysProcAttr = terminalAttr()
	var shown testutil.SyncBuffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(&shown, master) // ends with EIO once the terminal is closed
	}()
	require.NoError(t, cmd.Start())
	if input != "" {
		for !strings.Contains(shown.String(), "[y/N] ") {
			require.NoError(t, ctx.Err(), "no question asked; terminal:\n%s", shown.String())
			time.Sleep(time.Millisecond)
		}
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
	// Ctrl-C at the question ends the run at once
	tr = ctlOnTerminal(t, env2, 80, "\x03", "set", "-vendor", "bigcommerce", "-keys", "1,2", "expires=2020-01-01")
	assert.Equal(t, exitInterrupted, tr.code, "terminal:\n%s", tr.tty)
	assert.Contains(t, tr.tty, "interrupted at the question: nothing was sent")
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
