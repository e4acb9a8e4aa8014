package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/jframework"
)

func TestParseKeys(t *testing.T) {
	numeric := keySyntax{name: "id", numeric: true}
	codes := keySyntax{name: "code"}
	files := map[string]string{
		"ids.txt":   "# ids\n7\n\n12, 40-42\n",
		"codes.txt": "SUMMER,1\n  WINTER  \n",
		"empty.txt": "# nothing\n",
	}
	read := func(name string) ([]byte, error) {
		s, ok := files[name]
		if !ok {
			return nil, os.ErrNotExist
		}
		return []byte(s), nil
	}
	for _, tc := range []struct {
		spec string
		ks   keySyntax
		want []string
		err  string
	}{
		{"7,12,40-42", numeric, []string{"7", "12", "40", "41", "42"}, ""},
		{" 007 , 8 ", numeric, []string{"7", "8"}, ""},
		{"@ids.txt", numeric, []string{"7", "12", "40", "41", "42"}, ""},
		{"A-1,B-2", codes, []string{"A-1", "B-2"}, ""},
		{"@codes.txt", codes, []string{"SUMMER,1", "WINTER"}, ""},
		{"", numeric, nil, "empty"},
		{"1,,2", numeric, nil, "empty id"},
		{"0", numeric, nil, "not an id"},
		{"x", numeric, nil, "not an id"},
		{"9-3", numeric, nil, "backwards"},
		{"1-200000", numeric, nil, "more than"},
		{"3,1-4", numeric, nil, "given twice"},
		{"@missing.txt", numeric, nil, "file does not exist"},
		{"@empty.txt", numeric, nil, "holds no keys"},
		{"abc", keySyntax{name: "code", check: func(s string) error { return errors.New("too short") }}, nil, "too short"},
	} {
		got, err := parseKeys(tc.spec, tc.ks, read)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, "spec %q", tc.spec)
			continue
		}
		require.NoError(t, err, "spec %q", tc.spec)
		assert.Equal(t, tc.want, got, "spec %q", tc.spec)
	}
}

func TestParseSetting(t *testing.T) {
	v := bigcommerceVendor
	for _, tc := range []struct {
		in   string
		want value
		err  string
	}{
		{"amount=15.00", value{s: "15.00"}, ""},
		{"amount=1e3", value{}, "not a decimal"},
		{"amount=-1", value{}, "must be a decimal string"},
		{"expires=2027-01-31", value{t: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}, ""},
		{"expires=2027-01-31T10:00:00+02:00", value{t: time.Date(2027, 1, 31, 8, 0, 0, 0, time.UTC)}, ""},
		{"expires=+7d", value{rel: true, d: 7 * 24 * time.Hour}, ""},
		{"expires+=7d", value{rel: true, d: 7 * 24 * time.Hour}, ""},
		{"expires-=12h", value{rel: true, d: -12 * time.Hour}, ""},
		{"expires=-12h", value{rel: true, d: -12 * time.Hour}, ""},
		{"expires=+2w", value{rel: true, d: 14 * 24 * time.Hour}, ""},
		{"expires=+7y", value{}, "not a step"},
		{"expires+=-7d", value{}, "not a step"},
		{"expires=none", value{null: true}, ""},
		{"expires=31/01/2027", value{}, "not YYYY-MM-DD"},
		{"enabled=no", value{b: false}, ""},
		{"enabled=TRUE", value{b: true}, ""},
		{"enabled+=1", value{}, "cannot be changed by an amount"},
		{"max_uses+=5", value{rel: true, i: 5}, ""},
		{"max_uses-=5", value{rel: true, i: -5}, ""},
		{"max_uses=5", value{i: 5}, ""},
		{"max_uses=0", value{i: 0}, ""},
		{"max_uses=+5", value{}, "ambiguous: write max_uses+=5"},
		{"max_uses=-1", value{}, "must not be negative (bigcommerce's rule): a negative value is not a change by that much; 0 means unlimited; to lower the current value write max_uses-=1"},
		{"max_uses+=-1", value{}, "not an amount"},
		{"max_uses=5.5", value{}, "not a whole number"},
		{"type=free_shipping", value{s: "free_shipping"}, ""},
		{"type=FREE_SHIPPING", value{s: "free_shipping"}, ""},
		{"type=bogus", value{}, "must be one of"},
		{"name=none", value{}, "required"},
		{"name=" + strings.Repeat("x", 101), value{}, "at most 100"},
		{"codes=X", value{}, `no settable field "codes"`},
		{"code=SUMMER 10_A-1", value{s: "SUMMER 10_A-1"}, ""},
		{"code=SUMMER!", value{}, "may contain only letters"},
	} {
		name, raw, _ := strings.Cut(tc.in, "=")
		op := opSet
		if n, ok := strings.CutSuffix(name, "+"); ok {
			name, op = n, opAdd
		} else if n, ok := strings.CutSuffix(name, "-"); ok {
			name, op = n, opSub
		}
		s, err := v.parseSetting(name, op, raw)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.True(t, s.v.t.Equal(tc.want.t), tc.in)
		s.v.t, tc.want.t = time.Time{}, time.Time{}
		assert.Equal(t, tc.want, s.v, tc.in)
	}
}

// Every vendor rule couponctl applies is the vendor package's Validate:
// each vendor refuses here what its Validate refuses, with its words.
func TestValuesAreCheckedByTheVendorsValidate(t *testing.T) {
	for _, tc := range []struct {
		v        vendor
		set, err string
	}{
		{paddleVendor, "discount_amount=0", "discount_amount=0: must be a positive number (paddle's rule)"},
		{paddleVendor, "currency=JPY", "must be one of"},
		{paddleVendor, "product_ids=0,5", "must be positive product ids (paddle's rule)"},
		{partneroVendor, "name=  ", "must not be blank when set (partnero's rule)"},
		{jframeworkVendor, "percentage=150", "must be between 0 and 100 (jframework's rule)"},
		{jframeworkVendor, "quantity=-2", "must not be negative (jframework's rule): a negative value is not a change by that much; none means no cap; to lower the current value write quantity-=2"},
		{utmcouponVendor, "expirationIntervalPerUse=-00:01:00", "must not be negative (utmcoupon's rule)"},
		{utmcouponVendor, "utmSource=", "is required (utmcoupon's rule)"},
	} {
		name, raw, _ := strings.Cut(tc.set, "=")
		_, err := tc.v.parseSetting(name, opSet, raw)
		assert.ErrorContains(t, err, tc.err, "%s %s", tc.v.name(), tc.set)
	}
	// keys too: Paddle's codes have 5 to 300 characters
	_, err := parseKeys("ABCD", paddleVendor.keys(), nil)
	assert.ErrorContains(t, err, `"ABCD": must be at least 5 characters (paddle's rule)`)
}

func TestDurations(t *testing.T) {
	for s, d := range map[string]time.Duration{"14d": 14 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute,
		"2w": 14 * 24 * time.Hour, "1.12:00:00": 36 * time.Hour, "00:00:01.5000000": 1500 * time.Millisecond} {
		got, err := parseDuration(s)
		require.NoError(t, err, s)
		assert.Equal(t, d, got, s)
	}
	for _, bad := range []string{"1:2", "24:00:00", "00:60:00", "x.00:00:00", "3y"} {
		_, err := parseDuration(bad)
		assert.Error(t, err, bad)
	}
}

func TestChangerSetAndUndo(t *testing.T) {
	exp := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	req := func() *bigcommerce.UpdateCouponRequest {
		c := bigcommerce.Coupon{ID: 7, Name: "n", Code: "c", Type: bigcommerce.PercentageDiscount, Amount: "10.0000", Expires: &exp,
			AppliesTo: &bigcommerce.AppliesTo{Entity: "categories", IDs: []int{0}}}
		return c.UpdateRequest()
	}
	parse := func(s string) setting {
		name, raw, _ := strings.Cut(s, "=")
		st, err := bigcommerceVendor.parseSetting(name, opSet, raw)
		require.NoError(t, err)
		return st
	}
	var marks [][]change
	ch := &changer[bigcommerce.UpdateCouponRequest]{
		vendor: "bigcommerce", fields: bcFields, check: bigcommerceVendor.checkValue,
		key:     func(r *bigcommerce.UpdateCouponRequest) string { return "7" },
		sending: func(_ string, cs []change) { marks = append(marks, cs) },
	}

	// set: relative date, a decimal equal to the current one is no change
	ch.items = map[string]*item{"7": {key: "7", sets: []setting{parse("expires=+7d"), parse("amount=10")}}}
	r := req()
	require.NoError(t, ch.change(r))
	assert.True(t, r.Expires.Equal(exp.AddDate(0, 0, 7)))
	assert.Equal(t, "10.0000", r.Amount, "10 equals 10.0000: the vendor's spelling is kept")
	require.Len(t, marks, 1)
	assert.Equal(t, []change{newChange("expires", `"2026-09-01T00:00:00Z"`, `"2026-09-08T00:00:00Z"`)}, marks[0])

	// set: a relative value on a coupon without one
	r = req()
	r.Expires = new(time.Time)
	err := ch.change(r)
	assert.ErrorContains(t, err, "expires has no current value to change by +7d")

	// undo: the old value goes back where the new one still is
	run := []change{newChange("expires", `"Tue, 01 Sep 2026 00:00:00 +0000"`, `"Tue, 08 Sep 2026 00:00:00 +0000"`),
		newChange("amount", `"10.0000"`, `"15.00"`)}
	ch.items = map[string]*item{"7": {key: "7", mode: modeUndo, changes: run}}
	r = req()
	r.Expires = ptrTime(exp.AddDate(0, 0, 7))
	r.Amount = "15.0000" // the vendor's spelling of 15.00
	require.NoError(t, ch.change(r))
	assert.True(t, r.Expires.Equal(exp))
	assert.Equal(t, "10.0000", r.Amount)

	// undo: a field changed since is a conflict, and nothing is changed
	r = req()
	r.Expires = ptrTime(exp.AddDate(0, 0, 7))
	r.Amount = "17.00"
	err = ch.change(r)
	var ce *conflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, `changed since the run, left alone: amount now "17.00", the run wrote "15.00"`, err.Error())
	assert.True(t, r.Expires.Equal(exp.AddDate(0, 0, 7)), "a conflicting coupon is left alone entirely")

	// finish: the new values mean applied; the old ones mean send; else unknown
	ch.items = map[string]*item{"7": {key: "7", mode: modeFinish, changes: run[:1]}}
	r = req()
	marks = nil
	require.NoError(t, ch.change(r))
	assert.True(t, r.Expires.Equal(exp.AddDate(0, 0, 7)), "the journaled new value, absolute")
	assert.Len(t, marks, 1)
	r = req()
	r.Expires = ptrTime(exp.AddDate(0, 0, 7))
	marks = nil
	require.NoError(t, ch.change(r))
	assert.Empty(t, marks, "already applied: nothing to send")
	r = req()
	r.Expires = ptrTime(exp.AddDate(0, 0, 3))
	assert.ErrorIs(t, ch.change(r), errStillUnknown)

	// check: never sends, even when the old values are there
	ch.items = map[string]*item{"7": {key: "7", mode: modeCheck, changes: run[:1]}}
	assert.ErrorIs(t, ch.change(req()), errStillUnknown)

	// stopping: read, not sent
	ch.items = map[string]*item{"7": {key: "7", sets: []setting{parse("amount=12")}}}
	ch.stopping = func() bool { return true }
	assert.ErrorIs(t, ch.change(req()), errStop)
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestJFrameworkDatesKeepTheirOffset(t *testing.T) {
	zone := time.FixedZone("", 7*3600)
	end := time.Date(2026, 6, 30, 9, 0, 0, 0, zone)
	r := &jframework.UpdateCouponRequest{EndDate: end}
	f := jfFields.lookup("endDate")
	v, err := f.parseValue(opSet, "2027-01-31")
	require.NoError(t, err)
	require.NoError(t, f.set(r, v))
	assert.Equal(t, "2027-01-31T07:00:00+07:00", r.EndDate.Format(time.RFC3339))
}

func TestJournalRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.jsonl")
	now := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	j, err := openJournal(path, true, runHeader{Command: "set", Vendor: "bigcommerce", Plan: "expires=+7d"}, now, false)
	require.NoError(t, err)
	cs := []change{newChange("expires", `"a"`, `"b"`), newChange("tags", "", "not json")}
	j.write(entry{Key: "1", Outcome: outSending, Changes: cs[:1]})
	j.write(entry{Key: "1", Outcome: outApplied, Changes: cs})
	j.write(entry{Key: "2", Outcome: outUnknown, Error: "bigcommerce: 503"})
	require.NoError(t, j.Close())
	_, err = openJournal(path, true, runHeader{}, now, false)
	assert.ErrorContains(t, err, "exists already")

	// a torn last line, as a kill -9 in the middle of a write can leave
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"key":"3","outc`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	st, err := readJournal(path)
	require.NoError(t, err)
	assert.Equal(t, 1, st.damaged)
	assert.Equal(t, "bigcommerce", st.vendor())
	assert.Equal(t, []string{"1", "2"}, st.order)
	assert.Equal(t, outApplied, st.keys["1"].last.Outcome)
	assert.Equal(t, `"not json"`, string(st.keys["1"].applied[0][1].New), "text that is not JSON is kept as a JSON string")
	assert.Nil(t, st.keys["1"].applied[0][1].Old)
	assert.Equal(t, "2026-01-02T03:04:05Z", st.keys["1"].last.Time)

	// resuming ends the torn line; the journal stays readable
	j, err = openJournal(path, false, runHeader{Command: "set", Vendor: "bigcommerce", Plan: "expires=+7d"}, now, true)
	require.NoError(t, err)
	j.write(entry{Key: "3", Outcome: outApplied})
	require.NoError(t, j.Close())
	st, err = readJournal(path)
	require.NoError(t, err)
	assert.Equal(t, 1, st.damaged)
	assert.Len(t, st.runs, 2)
	assert.Equal(t, outApplied, st.keys["3"].last.Outcome)

	_, err = parseJournal(strings.NewReader(`{"run":{"journal":"couponctl/1"}}` + "\nnot json\n{\"key\":\"1\"}\n"))
	assert.ErrorContains(t, err, "line 2")
	_, err = parseJournal(strings.NewReader("not json\n{\"key\":\"1\"}\n"))
	assert.ErrorContains(t, err, "line 1")
	_, err = parseJournal(strings.NewReader(`{"key":"1","outcome":"applied"}` + "\n"))
	assert.ErrorContains(t, err, "run header")
}

func TestUndoChangesMergeRuns(t *testing.T) {
	ks := &keyState{applied: [][]change{
		{newChange("amount", `"10"`, `"12"`), newChange("enabled", "true", "false")},
		{newChange("amount", `"12"`, `"15"`), newChange("enabled", "false", "true")},
	}, last: entry{Outcome: outApplied}}
	assert.Equal(t, []change{newChange("amount", `"10"`, `"15"`)}, ks.undoChanges(), "enabled ends where it started")

	ks = &keyState{sending: []change{newChange("amount", `"10"`, `"12"`)}, last: entry{Outcome: outUnknown}}
	assert.Len(t, ks.undoChanges(), 1, "an unknown outcome is undone if it landed")
}

func TestConsoleOnATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := newTracker("set bigcommerce", 3, false, func() time.Time { return now })
	c := &console{out: &out, err: &errOut, tty: true, width: func() int { return 30 }}
	c.progress(tr)
	tr.add(result{key: "2", outcome: outApplied})
	c.progress(tr)
	c.result("2 applied")
	c.note("a note")
	c.progress(tr)
	c.clear()
	assert.Equal(t, "2 applied\n", out.String())
	assert.Equal(t, "\r\x1b[Kset bigcommerce: 0/3 failed 0\r\x1b[Kset bigcommerce: 1/3 failed 0\r\x1b[Ka note\n"+
		"\r\x1b[Kset bigcommerce: 1/3 failed 0\r\x1b[K", errOut.String())
}

func TestProgressLine(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	tr := newTracker("set bigcommerce", 10, false, clock)
	now = now.Add(2 * time.Second)
	for _, o := range []string{outApplied, outApplied, outUnchanged, outFailed} {
		tr.add(result{key: "k", outcome: o})
	}
	tr.setRate(150, 42, 12*time.Second)
	full := "set bigcommerce: 4/10  changed 2  unchanged 1  failed 1  2.0/s  quota 42/150  ETA 3s"
	assert.Equal(t, full, tr.line())
	// on a terminal the line fits in its width: the least useful pieces go first
	for width, want := range map[int]string{
		100: "set bigcommerce: 4/10 changed 2 unchanged 1 failed 1 2.0/s quota 42/150 ETA 3s",
		79:  "set bigcommerce: 4/10 changed 2 unchanged 1 failed 1 2.0/s quota 42/150 ETA 3s",
		60:  "set bigcommerce: 4/10 changed 2 unchanged 1 failed 1 ETA 3s",
		45:  "set bigcommerce: 4/10 changed 2 failed 1",
		30:  "set bigcommerce: 4/10 failed 1",
		25:  "set bigcommerce: 4/10",
		10:  "set bigcom",
	} {
		got := tr.fit(width)
		assert.Equal(t, want, got, "width %d", width)
		assert.LessOrEqual(t, len(got), width)
	}
}

func TestParsePlanAcceptsSpreadsheetExports(t *testing.T) {
	content := "\ufeffid, amount ,expires\r\n# a comment\r\n\"1\",\"12.50\",\r\n2,,none\r\n"
	items, text, notes, err := parsePlan(bigcommerceVendor, "dir/plan.csv", []byte(content))
	require.NoError(t, err)
	require.Len(t, items, 2)
	assert.Equal(t, "1", items[0].key)
	assert.Equal(t, "amount", items[0].sets[0].Field)
	assert.Equal(t, "expires", items[1].sets[0].Field)
	assert.True(t, items[1].sets[0].v.null)
	assert.Regexp(t, `^plan.csv sha256:[0-9a-f]{16}$`, text)
	assert.Empty(t, notes)

	// a row of empty cells is skipped with a notice; a ';' file gets a hint
	items, _, notes, err = parsePlan(bigcommerceVendor, "plan.csv", []byte("id,amount\n1,12\n,\n2,13\n"))
	require.NoError(t, err)
	assert.Len(t, items, 2)
	assert.Equal(t, []string{"plan.csv: row 3 is empty: skipped"}, notes)
	_, _, _, err = parsePlan(bigcommerceVendor, "plan.csv", []byte("id;amount\n1;12\n"))
	assert.ErrorContains(t, err, "looks ';'-separated")
}

func FuzzParseJournal(f *testing.F) {
	f.Add([]byte(`{"run":{"journal":"couponctl/1","command":"set","vendor":"bigcommerce"}}` + "\n" +
		`{"key":"1","outcome":"sending","changes":[{"field":"expires","old":"a","new":"b"}]}` + "\n"))
	f.Add([]byte("{\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseJournal(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, k := range st.order {
			st.keys[k].undoChanges()
		}
	})
}

func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"+7d", "2027-01-31", "none", "1.12:00:00", "-5", "15.00", "true"} {
		f.Add("expires", s)
		f.Add("expirationIntervalPerUse", s)
	}
	f.Fuzz(func(t *testing.T, field, raw string) {
		for _, v := range vendors() {
			s, err := v.parseSetting(field, opSet, raw)
			if err == nil && s.Field != field {
				t.Fatalf("%s: parsed %q as field %q", v.name(), field, s.Field)
			}
		}
	})
}

func TestClassify(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("bigcommerce: PUT: %w", err) }
	for _, tc := range []struct {
		err      error
		released bool
		want     string
	}{
		{wrap(bigcommerce.ErrNotSent), true, outNotSent},
		{wrap(bigcommerce.ErrOutcomeUnknown), false, outUnknown},
		{wrap(bigcommerce.ErrNotFound), true, outFailed},
		{wrap(bigcommerce.ErrUnauthorized), true, outFailed},
		{wrap(bigcommerce.ErrServer), true, outUnknown}, // a 5xx after the update left: may have landed
		{wrap(bigcommerce.ErrServer), false, outFailed}, // a 5xx on the read: nothing was sent
		{errors.New("connection reset"), true, outUnknown},
		{wrap(&conflictError{fields: []string{"amount"}}), true, outConflict},
		{wrap(errStillUnknown), false, outUnknown},
		{wrap(errStop), false, outNotSent},
	} {
		assert.Equal(t, tc.want, classify(tc.err, tc.released), "%v released=%v", tc.err, tc.released)
	}
	assert.True(t, isFatal(wrap(bigcommerce.ErrForbidden)))
	assert.False(t, isFatal(wrap(bigcommerce.ErrNotFound)))
}

func TestPlanTextSpellsRelativeValuesOneWay(t *testing.T) {
	parse := func(args ...string) string {
		ss, err := parseSettings(bigcommerceVendor, args)
		require.NoError(t, err)
		return settingsText(ss)
	}
	assert.Equal(t, "expires+=7d max_uses+=5", parse("max_uses+=5", "expires=+7d"))
	assert.Equal(t, parse("expires+=7d"), parse("expires=+7d"))
	assert.Equal(t, "expires-=12h", parse("expires=-12h"))
	assert.True(t, samePlan("expires=+7d", "expires+=7d"), "a journal of the old spelling resumes")
	assert.False(t, samePlan("expires+=7d", "expires+=8d"))
	assert.True(t, samePlan("expires=-12h", "expires-=12h"))
	assert.False(t, samePlan("max_uses=-1", "max_uses-=1"), "minus one is not a decrement")
}
