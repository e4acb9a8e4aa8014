package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// console serialises everything couponctl writes while a run goes on:
// results on stdout, notes and the progress line on stderr. On a terminal
// the progress line is one line redrawn in place (cleared before any other
// output, so results and notes never mix with it); elsewhere (a log file,
// CI) it is a plain line now and then.
type console struct {
	mu    sync.Mutex
	out   io.Writer // stdout: results only
	err   io.Writer // stderr: progress, notes, summary
	tty   bool      // stderr is a terminal
	shown bool      // a progress line is on screen (tty)
}

// result writes one result line to stdout.
func (c *console) result(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
	fmt.Fprintln(c.out, line)
}

// note writes one line to stderr.
func (c *console) note(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
	fmt.Fprintf(c.err, format+"\n", args...)
}

// progress shows line: redrawn in place on a terminal, appended otherwise.
func (c *console) progress(line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tty {
		fmt.Fprint(c.err, "\r\033[K"+line)
		c.shown = true
		return
	}
	fmt.Fprintln(c.err, line)
}

// clear removes the progress line from a terminal.
func (c *console) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearLocked()
}

func (c *console) clearLocked() {
	if c.shown {
		fmt.Fprint(c.err, "\r\033[K")
		c.shown = false
	}
}

// rateInfo is the vendor's latest rate-limit window.
type rateInfo struct {
	limit, remaining int
	resetIn          time.Duration
}

// tracker counts a run's outcomes and formats the progress line.
type tracker struct {
	mu      sync.Mutex
	label   string // "set bigcommerce", "undo jframework (dry run)"
	dryRun  bool
	total   int
	done    int
	counts  map[string]int
	keys    map[string][]string // keys by outcome, for the summary lists
	rate    *rateInfo
	start   time.Time
	now     func() time.Time
	stopped bool
}

func newTracker(label string, total int, dryRun bool, now func() time.Time) *tracker {
	return &tracker{label: label, total: total, dryRun: dryRun, counts: map[string]int{}, keys: map[string][]string{}, start: now(), now: now}
}

// add counts one finished item.
func (t *tracker) add(r result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done++
	t.counts[r.outcome]++
	switch r.outcome {
	case outFailed, outUnknown, outConflict, outNotSent:
		t.keys[r.outcome] = append(t.keys[r.outcome], r.key)
	}
}

// setRate records the vendor's latest rate-limit window.
func (t *tracker) setRate(limit, remaining int, resetIn time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rate = &rateInfo{limit, remaining, resetIn}
}

// line is the progress line: done/total, outcomes, pace, quota, ETA.
func (t *tracker) line() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.now().Sub(t.start)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d/%d", t.label, t.done, t.total)
	changed := t.counts[outApplied]
	word := "changed"
	if t.dryRun {
		changed, word = t.counts[outWould], "would change"
	}
	fmt.Fprintf(&b, "  %s %d  unchanged %d  failed %d", word, changed, t.counts[outUnchanged],
		t.counts[outFailed]+t.counts[outNotSent]+t.counts[outUnknown]+t.counts[outConflict])
	perSec := 0.0
	if el > 0 {
		perSec = float64(t.done) / el.Seconds()
	}
	fmt.Fprintf(&b, "  %.1f/s", perSec)
	if t.rate != nil && t.rate.limit > 0 {
		fmt.Fprintf(&b, "  quota %d/%d", t.rate.remaining, t.rate.limit)
	}
	if left := t.total - t.done; left > 0 && perSec > 0 && !t.stopped {
		eta := time.Duration(float64(left) / perSec * float64(time.Second))
		fmt.Fprintf(&b, "  ETA %s", roundDuration(eta))
	}
	if t.stopped {
		b.WriteString("  stopping")
	}
	return b.String()
}

// roundDuration rounds d for display: 1.2s, 37s, 4m12s.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d < 10*time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Second)
	}
}

// ticker redraws the progress line every interval until stop is called.
type ticker struct {
	stop func()
}

// startTicker shows t's line on c every interval (0: never) until stop.
func startTicker(c *console, t *tracker, every time.Duration) *ticker {
	if every <= 0 {
		return &ticker{stop: func() {}}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tk := time.NewTicker(every)
		defer tk.Stop()
		for {
			select {
			case <-done:
				return
			case <-tk.C:
				c.progress(t.line())
			}
		}
	}()
	var once sync.Once
	return &ticker{stop: func() {
		once.Do(func() { close(done); <-finished })
	}}
}
