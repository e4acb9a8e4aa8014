package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
)

// stopGrace is how long a Ctrl-C waits for the next answer before it
// cancels the requests still waiting for the vendor's pace (a hold until
// the rate-limit window resets can last tens of seconds).
const stopGrace = 3 * time.Second

// changeFlags are the flags of set, apply and undo.
type changeFlags struct {
	commonFlags
	keys          string
	sel           selectFlag
	dryRun        bool
	yes           bool
	journal       string
	resume        string
	concurrency   int
	rps           float64
	progressEvery time.Duration
}

// plan is what a run will do.
type plan struct {
	command string // set, apply, undo
	v       vendor
	text    string // the journal header's plan text
	items   []*item
	// sel is -select: the items are the coupons it lists, each with sets.
	sel  filterSet
	sets []setting
	// skipped counts items a resumed journal says are done.
	skipped int
	// unresolved are keys the journal says are unknown and that are not
	// checked again (vendors without reads).
	unresolved []string
	// source is the journal undo reads (undo only).
	source *journalState
	// notes are notices from reading the plan (empty CSV rows skipped).
	notes []string
}

// confirmAbove is how many coupons a run may change before it asks.
const confirmAbove = 100

// cmdChange runs set, apply and undo.
func cmdChange(e *env, command string, args []string) (int, error) {
	fs := newFlagSet(command, commandUsage[command])
	var f changeFlags
	f.register(fs, command != "undo")
	if command != "apply" {
		fs.StringVar(&f.keys, "keys", "", "the coupons: `keys` like 7,12,40-60 (ranges for numeric ids), or @file with one a line")
	}
	if command == "set" {
		fs.Var(&f.sel, "select", "choose the coupons with a list `filter=value` instead of -keys (repeatable), e.g. code-like='SUMMER*'")
	}
	fs.BoolVar(&f.dryRun, "dry-run", false, "read the coupons and print what would change; send no update (never asks)")
	fs.BoolVar(&f.yes, "yes", false, "do not ask before changing more than 100 coupons or setting a date in the past (needed without a terminal)")
	fs.StringVar(&f.journal, "journal", "", "append one JSON line per finished item to this new `file`")
	fs.StringVar(&f.resume, "resume", "", "continue the run this journal `file` records (and append to it)")
	fs.IntVar(&f.concurrency, "concurrency", 4, "most requests in flight at once (1..64)")
	fs.Float64Var(&f.rps, "rps", 0, "at most `R` requests per second (0: the vendor's rate-limit headers set the pace)")
	fs.DurationVar(&f.progressEvery, "progress-every", 5*time.Second, "progress line `interval` when stderr is not a terminal (0: none)")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := f.check(); err != nil {
		return exitUsage, err
	}
	if err := f.commonFlags.check(e); err != nil {
		return exitUsage, err
	}

	// undo reads the run it undoes under that journal's lock, so that it
	// never runs beside a -resume of it, or beside another undo of it.
	if command == "undo" && len(pos) == 1 {
		lk, err := lockJournal(pos[0])
		if err != nil {
			return exitUsage, err
		}
		defer lk.unlock()
	}
	p, notes, err := buildPlan(e, command, &f, pos)
	if err != nil {
		return exitUsage, err
	}
	for _, n := range notes {
		fmt.Fprintln(e.stderr, "couponctl:", n)
	}
	if !f.demo {
		// the store's identity comes from the credentials' variables
		if _, err := credentials(p.v, e.getenv); err != nil {
			return exitUsage, &usageError{err.Error()}
		}
	}
	store := p.v.identity(e.getenv, f.demo)
	if p.source != nil {
		if err := checkStore(p.source, p.v, store); err != nil {
			return exitUsage, err
		}
	}

	// The journal is locked, checked and opened before any request, so
	// that a second run on it, a journal of another store, or a path that
	// cannot be written stops the run with nothing sent.
	journalPath := f.journal
	if f.resume != "" {
		journalPath = f.resume
	}
	var resumed *journalState
	var j *journal
	if journalPath != "" {
		lk, err := lockJournal(journalPath)
		if err != nil {
			return exitUsage, err
		}
		defer lk.unlock()
	}
	if f.resume != "" {
		if resumed, err = readJournal(f.resume); err != nil {
			return exitUsage, &usageError{err.Error()}
		}
		if err := p.checkResume(resumed, store); err != nil {
			return exitUsage, err
		}
	} else if f.journal != "" {
		if _, err := os.Stat(f.journal); err == nil {
			return exitUsage, usagef("journal %s exists already: continue it with -resume %s, or pick a new file", f.journal, f.journal)
		}
	}
	if !f.dryRun && journalPath != "" {
		h := runHeader{Command: p.command, Vendor: p.v.name(), Store: store, PID: os.Getpid(), Plan: p.text}
		damaged := resumed != nil && resumed.damaged > 0
		if j, err = openJournal(journalPath, f.resume == "", h, e.now, damaged); err != nil {
			return exitUsage, &usageError{err.Error()}
		}
	}
	// abandon closes the journal of a run that stops before its first
	// item, removing a journal this run created (it holds only its header).
	abandon := func() {
		j.Close()
		if j != nil && f.resume == "" {
			os.Remove(f.journal)
		}
	}

	counter := newCountingTransport()
	sess, err := connect(e, p.v, &f.commonFlags, counter)
	if err != nil {
		abandon()
		return exitUsage, err
	}
	defer sess.close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	if p.sel != nil {
		// Ctrl-C while -select lists the coupons ends the listing; nothing
		// was changed.
		listCtx, stopList := context.WithCancel(ctx)
		watchDone, stopWatch := make(chan struct{}), make(chan struct{})
		var interrupted atomic.Bool
		go func() {
			defer close(watchDone)
			select {
			case <-e.interrupt:
				interrupted.Store(true)
				stopList()
			case <-stopWatch:
			}
		}()
		err := p.selectItems(listCtx, e, sess)
		close(stopWatch)
		<-watchDone
		stopList()
		if interrupted.Load() {
			abandon()
			fmt.Fprintln(e.stderr, "couponctl: interrupted while -select listed the coupons: nothing was changed")
			return exitInterrupted, nil
		}
		if err != nil {
			abandon()
			if refusedBeforeSending(err, counter) {
				return exitUsage, usagef("%v (nothing was sent)", err)
			}
			return exitFailed, err
		}
	}
	if resumed != nil {
		p.applyResume(resumed)
		if resumed.damaged > 0 {
			fmt.Fprintf(e.stderr, "couponctl: %s: ignored a torn line (written when a run was killed)\n", f.resume)
		}
	}
	if !f.dryRun {
		if code, err := confirm(e, p, &f, store); err != nil {
			abandon()
			if code == exitInterrupted {
				fmt.Fprintln(e.stderr, "couponctl:", err)
				return code, nil
			}
			return code, err
		}
	}
	code := execute(ctx, cancel, e, sess, p, &f, j, counter)
	if err := j.Close(); err != nil {
		fmt.Fprintln(e.stderr, "couponctl:", err)
		return exitFailed, nil
	}
	return code, nil
}

// refusedBeforeSending reports whether err is the vendor package refusing
// bad list options before any request (a bad filter): a usage error.
func refusedBeforeSending(err error, counter *countingTransport) bool {
	return errors.Is(err, bigcommerce.ErrInvalidRequest) && counter.requests() == 0
}

// checkStore refuses a journal of another store than the one the
// credentials (or -demo) reach.
func checkStore(st *journalState, v vendor, store string) error {
	h := st.runs[0]
	if h.Store != "" && h.Store != store {
		return usagef("%s journals a run on %s %s, but this command reaches %s %s: run it with that store's credentials%s; nothing was sent",
			st.path, h.Vendor, h.Store, v.name(), store, map[bool]string{true: " (or with -demo)", false: ""}[h.Store == "demo"])
	}
	return nil
}

// check validates the flags that need no vendor.
func (f *changeFlags) check() error {
	switch {
	case f.concurrency < 1 || f.concurrency > 64:
		return usagef("-concurrency must be between 1 and 64")
	case f.rps < 0:
		return usagef("-rps must not be negative")
	case f.dryRun && f.journal != "":
		return usagef("-dry-run sends nothing, so it has nothing to journal: drop -journal")
	case f.journal != "" && f.resume != "" && f.journal != f.resume:
		return usagef("-resume %s appends to that journal: drop -journal %s", f.resume, f.journal)
	}
	return nil
}

// buildPlan parses the command's input into a plan, checking all of it.
func buildPlan(e *env, command string, f *changeFlags, pos []string) (*plan, []string, error) {
	p, err := buildPlanOf(e, command, f, pos)
	if err != nil || p.command != "apply" {
		return p, nil, err
	}
	return p, p.notes, nil
}

// buildPlanOf is buildPlan without the notes.
func buildPlanOf(e *env, command string, f *changeFlags, pos []string) (*plan, error) {
	switch command {
	case "set":
		v, err := findVendor(f.vendor)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		p := &plan{command: command, v: v}
		sets, err := parseSettings(v, pos)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		p.sets, p.text = sets, settingsText(sets)
		// a value that must be unique per coupon (a code) cannot be set
		// on several coupons at once
		uniqueField := ""
		for _, s := range sets {
			if s.unique {
				uniqueField = s.Field
			}
		}
		notUnique := usagef("%s must be unique per coupon: set it on one coupon with -keys, or give each coupon its own value with apply plan.csv", uniqueField)
		switch {
		case f.keys != "" && f.sel.f != nil:
			return nil, usagef("give -keys or -select, not both")
		case f.keys == "" && f.sel.f == nil:
			return nil, usagef("give the coupons with -keys (e.g. -keys 7,12,40-60 or -keys @file) or -select filter=value")
		case f.sel.f != nil:
			if uniqueField != "" {
				return nil, notUnique
			}
			if err := checkFilters(v, f.sel.f); err != nil {
				return nil, &usageError{err.Error()}
			}
			if _, err := limitOf(f.sel.f); err != nil {
				return nil, &usageError{err.Error()}
			}
			p.sel = f.sel.f
			return p, nil
		}
		keys, err := parseKeys(f.keys, v.keys(), e.readFile)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		if uniqueField != "" && len(keys) > 1 {
			return nil, notUnique
		}
		for _, k := range keys {
			p.items = append(p.items, &item{key: k, sets: sets})
		}
		return p, nil

	case "apply":
		v, err := findVendor(f.vendor)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		if len(pos) != 1 {
			return nil, usagef("apply takes one CSV plan file, e.g. couponctl apply -vendor %s plan.csv", v.name())
		}
		if f.keys != "" {
			return nil, usagef("apply takes its coupons from the plan: drop -keys")
		}
		content, err := e.readFile(pos[0])
		if err != nil {
			return nil, usagef("%v", err)
		}
		items, text, notes, err := parsePlan(v, pos[0], content)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		return &plan{command: command, v: v, text: text, items: items, notes: notes}, nil

	default: // undo
		if len(pos) != 1 {
			return nil, usagef("undo takes the journal of the run to undo, e.g. couponctl undo run.jsonl")
		}
		src, err := readJournal(pos[0])
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		if f.resume == pos[0] || f.journal == pos[0] {
			return nil, usagef("undo journals to another file than the run it undoes (%s)", pos[0])
		}
		v, err := findVendor(src.vendor())
		if err != nil {
			return nil, usagef("%s: %v", pos[0], err)
		}
		if f.vendor != "" && f.vendor != v.name() {
			return nil, usagef("%s is a %s journal, not %s", pos[0], v.name(), f.vendor)
		}
		if !v.reads() {
			return nil, usagef("undo is not available for %s: %s", v.name(), v.noUndo())
		}
		var only map[string]bool
		if f.keys != "" {
			keys, err := parseKeys(f.keys, v.keys(), e.readFile)
			if err != nil {
				return nil, &usageError{err.Error()}
			}
			only = map[string]bool{}
			for _, k := range keys {
				only[k] = true
			}
		}
		p := &plan{command: command, v: v, text: "undo of " + baseName(pos[0]), source: src}
		var bad problems
		for _, key := range src.order {
			if only != nil && !only[key] {
				continue
			}
			cs := src.keys[key].undoChanges()
			if len(cs) == 0 {
				continue
			}
			for _, c := range cs {
				if !v.hasField(c.Field) {
					bad.add("%s %s: field %s is not one couponctl sets", v.keys().name, key, c.Field)
				}
			}
			p.items = append(p.items, &item{key: key, mode: modeUndo, changes: cs})
		}
		if err := bad.err(pos[0] + ": cannot undo (nothing was sent)"); err != nil {
			return nil, &usageError{err.Error()}
		}
		if len(p.items) == 0 {
			return nil, usagef("%s records no change to undo", pos[0])
		}
		return p, nil
	}
}

// selectItems lists the coupons -select names and plans the settings for
// each.
func (p *plan) selectItems(ctx context.Context, e *env, sess session) error {
	limit, _ := limitOf(p.sel)
	seen := map[string]bool{}
	for r, err := range sess.list(ctx, p.sel) {
		if err != nil {
			return fmt.Errorf("-select: listing %s coupons: %w", p.v.name(), err)
		}
		if !p.sel.match(r) || seen[r.key] {
			continue
		}
		seen[r.key] = true
		p.items = append(p.items, &item{key: r.key, sets: p.sets})
		if limit > 0 && len(p.items) >= limit {
			break
		}
	}
	fmt.Fprintf(e.stderr, "couponctl: -select chose %d coupon(s)\n", len(p.items))
	return nil
}

// checkResume checks that a journal belongs to this command: same vendor,
// same store, same command, same plan.
func (p *plan) checkResume(st *journalState, store string) error {
	h := st.runs[0]
	if h.Vendor == p.v.name() {
		if err := checkStore(st, p.v, store); err != nil {
			return err
		}
	}
	switch {
	case h.Vendor != p.v.name():
		return usagef("%s journals a %s run, not %s", st.path, h.Vendor, p.v.name())
	case h.Command != p.command:
		return usagef("%s journals a %s run: resume it with couponctl %s", st.path, h.Command, h.Command)
	case !samePlan(h.Plan, p.text):
		return usagef("%s journals a run of %q; this command plans %q: resume with the same changes", st.path, h.Plan, p.text)
	}
	return nil
}

// applyResume drops the items the journal says are done, and turns items
// left in flight or unknown into checks (vendors with reads) or lists them
// (vendors without).
func (p *plan) applyResume(st *journalState) {
	kept := p.items[:0]
	for _, it := range p.items {
		ks := st.keys[it.key]
		if ks == nil {
			kept = append(kept, it)
			continue
		}
		switch ks.last.Outcome {
		case outApplied, outUnchanged:
			p.skipped++
			continue
		case outSending:
			if p.v.reads() && len(ks.sending) > 0 {
				it.mode, it.changes = modeFinish, ks.sending
			}
		case outUnknown:
			if p.v.reads() && len(ks.sending) > 0 {
				it.mode, it.changes = modeCheck, ks.sending
			} else {
				p.unresolved = append(p.unresolved, it.key)
				continue
			}
		default:
			// not_sent, failed, conflict: the vendor applied nothing, so the
			// item is done again. If its update had left, it is finished
			// from the journaled values instead (read; applied, or sent as
			// journaled), in case the vendor applied it after all.
			if p.v.reads() && len(ks.lastSent) > 0 {
				it.mode, it.changes = modeFinish, ks.lastSent
			}
		}
		kept = append(kept, it)
	}
	p.items = kept
}

// execute runs the plan: it journals and prints each result, shows
// progress, handles Ctrl-C, and prints the summary. It returns the exit
// status.
func execute(ctx context.Context, cancel context.CancelFunc, e *env, sess session, p *plan, f *changeFlags, j *journal, counter *countingTransport) int {
	label := p.command + " " + p.v.name()
	if f.dryRun {
		label += " (dry run)"
	}
	con := &console{out: e.stdout, err: e.stderr, tty: e.stderrTTY, width: e.width}
	t := newTracker(label, len(p.items), f.dryRun, e.now)
	if f.dryRun && !p.v.reads() {
		con.note("couponctl: -dry-run: %s has no read of one coupon, so these changes cannot be checked against the current values: "+
			"each line is what would be sent (would_send), whether or not the coupon exists or already holds it", p.v.name())
	}
	if j == nil && !f.dryRun && len(p.items) > 50 {
		con.note("couponctl: tip: with -journal FILE a run can be resumed after a crash and undone (vendors with reads)")
	}
	if p.skipped > 0 || len(p.unresolved) > 0 {
		con.note("couponctl: resuming %s: %d item(s) done already, %d unknown left for you to check, %d to do",
			f.resume, p.skipped, len(p.unresolved), len(p.items))
	}

	var stopping atomic.Bool
	o := &runOptions{
		dryRun:      f.dryRun,
		concurrency: f.concurrency,
		rps:         f.rps,
		rate:        t.setRate,
		stopping:    stopping.Load,
	}
	if j != nil {
		o.sending = func(key string, cs []change) { j.write(entry{Key: key, Outcome: outSending, Changes: cs}) }
	}

	every := f.progressEvery
	if e.stderrTTY {
		every = 250 * time.Millisecond
	}
	tick := startTicker(con, t, every)

	// Ctrl-C: stop at the next answer (no new request leaves), and cancel
	// what is still waiting for the vendor's pace after stopGrace; a
	// second Ctrl-C cancels at once.
	loopDone := make(chan struct{})
	go func() {
		select {
		case <-e.interrupt:
		case <-loopDone:
			return
		}
		stopping.Store(true)
		t.mu.Lock()
		t.stopped = true
		t.mu.Unlock()
		con.note("couponctl: interrupted: sending no new update; waiting for the requests in flight (Ctrl-C again to abandon them)")
		timer := time.NewTimer(stopGrace)
		defer timer.Stop()
		select {
		case <-e.interrupt:
		case <-timer.C:
		case <-loopDone:
			return
		}
		cancel()
	}()

	lastDraw := time.Time{}
	refused := false
	for r := range sess.run(ctx, p.items, o) {
		if !f.dryRun {
			j.write(entry{Key: r.key, Outcome: r.outcome, Changes: r.changes, Error: errText(r.err)})
		}
		t.add(r)
		if f.json {
			con.result(resultJSON(r))
		} else {
			con.result(resultText(r, p.v.showChange))
		}
		if e.stderrTTY && e.now().Sub(lastDraw) > 100*time.Millisecond {
			con.progress(t)
			lastDraw = e.now()
		}
		if r.fatal && !stopping.Load() {
			refused = true
			stopping.Store(true)
			con.note("couponctl: %s refused the credentials (%v): stopping, every other item would fail the same way", p.v.name(), r.err)
		}
		if stopping.Load() {
			break
		}
	}
	close(loopDone)
	tick.stop()
	con.clear()
	interrupted := stopping.Load() && !refused
	return summarize(e, sess, p, f, t, counter, j, interrupted)
}

// summarize prints the summary on stderr and returns the exit status.
func summarize(e *env, sess session, p *plan, f *changeFlags, t *tracker, counter *countingTransport, j *journal, interrupted bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := e.stderr
	el := roundDuration(e.now().Sub(t.start))
	status := "finished"
	if interrupted {
		status = "interrupted"
	}
	fmt.Fprintf(w, "couponctl: %s %s in %v\n", t.label, status, el)
	line := func(label string, n int) {
		if n > 0 {
			fmt.Fprintf(w, "  %-22s %d\n", label, n)
		}
	}
	if f.dryRun {
		line("would change", t.counts[outWould])
		line("would send (unchecked)", t.counts[outWouldSend])
	} else {
		line("applied", t.counts[outApplied])
	}
	line("unchanged", t.counts[outUnchanged])
	line("failed", t.counts[outFailed])
	line("not sent", t.counts[outNotSent])
	line("unknown", t.counts[outUnknown])
	line("conflict", t.counts[outConflict])
	line("done before (journal)", p.skipped)
	line("unknown before (journal)", len(p.unresolved))
	if left := t.total - t.done; left > 0 {
		line("not finished", left)
	}
	// a demo server counts every rate-limit answer (Paddle's error 189
	// inside an HTTP 200 too); a real vendor's are counted as HTTP 429s
	limited := counter.rateLimited()
	if n := sess.limited(); n >= 0 {
		limited = int64(n)
	}
	fmt.Fprintf(w, "  %-22s %d (rate-limit answers: %d)\n", "requests", counter.requests(), limited)
	if t.rate != nil && t.rate.limit > 0 {
		fmt.Fprintf(w, "  %-22s %d of %d left, window resets in %v\n", "vendor quota", t.rate.remaining, t.rate.limit, roundDuration(t.rate.resetIn))
	}
	list := func(title string, keys []string) {
		if len(keys) == 0 {
			return
		}
		shown := keys
		if len(shown) > 50 {
			shown = shown[:50]
		}
		more := ""
		if n := len(keys) - len(shown); n > 0 {
			more = fmt.Sprintf(" ... and %d more", n)
		}
		fmt.Fprintf(w, "%s:\n  %s%s\n", title, strings.Join(shown, " "), more)
	}
	unknown := append(append([]string(nil), t.keys[outUnknown]...), p.unresolved...)
	sort.Strings(unknown)
	list("outcome unknown, not resent: check these coupons by hand", unknown)
	list("conflicts, left alone (changed since the run)", t.keys[outConflict])
	list("failed (see the results for why)", t.keys[outFailed])
	list("not sent (safe to send again with -resume)", t.keys[outNotSent])

	journalName := f.journal
	if f.resume != "" {
		journalName = f.resume
	}
	if j != nil {
		fmt.Fprintf(w, "journal: %s\n", journalName)
	}
	if j != nil && (interrupted || t.done < t.total || len(t.keys[outNotSent])+len(t.keys[outFailed]) > 0) {
		fmt.Fprintf(w, "to continue: run the same command with -resume %s\n", journalName)
	}
	switch {
	case interrupted:
		return exitInterrupted
	case t.done < t.total, len(unknown) > 0, t.counts[outFailed]+t.counts[outNotSent]+t.counts[outConflict] > 0:
		return exitFailed
	}
	return exitOK
}

// errText is an error's message for the journal and the results ("" for nil).
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// resultText writes one result line: key, outcome, and the changes or the
// error, e.g. `7  applied  amount "10.00" -> "15.00"`; show writes a
// change's wire value for people (dates as 2027-01-03 00:00 UTC).
func resultText(r result, show func(field string, raw []byte) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-10s %-12s", r.key, r.outcome)
	switch {
	case r.err != nil:
		b.WriteString(" " + strings.ReplaceAll(r.err.Error(), "\n", " "))
	case len(r.changes) > 0:
		for i, c := range r.changes {
			if i > 0 {
				b.WriteString(",")
			}
			if len(c.Old) > 0 {
				fmt.Fprintf(&b, " %s %s -> %s", c.Field, show(c.Field, c.Old), show(c.Field, c.New))
			} else {
				fmt.Fprintf(&b, " %s -> %s", c.Field, show(c.Field, c.New))
			}
		}
	case r.note != "":
		b.WriteString(" " + r.note)
	}
	return strings.TrimRight(b.String(), " ")
}

// resultJSON writes one result as a journal line (without the time).
func resultJSON(r result) string {
	b, err := json.Marshal(entry{Key: r.key, Outcome: r.outcome, Changes: r.changes, Error: errText(r.err)})
	if err != nil {
		return fmt.Sprintf(`{"key":%s,"outcome":"failed","error":%s}`, quote(r.key), quote(err.Error()))
	}
	return string(b)
}
