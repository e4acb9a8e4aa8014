package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
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
	// width returns the terminal's width in columns (nil: defaultWidth).
	width func() int
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

// progress shows t's line: on a terminal redrawn in place and cut to fit
// in one row (a line that wraps is not erased by the next redraw, which
// leaves stale lines), appended in full otherwise.
func (c *console) progress(t *tracker) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tty {
		w := defaultWidth
		if c.width != nil {
			w = c.width()
		}
		fmt.Fprint(c.err, "\r\033[K"+t.fit(w-1))
		c.shown = true
		return
	}
	fmt.Fprintln(c.err, t.line())
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

// part is one piece of the progress line; drop ranks which pieces go
// first when the line does not fit (0: never).
type part struct {
	text string
	drop int
}

// parts are the pieces of the progress line: done/total, outcomes, pace,
// quota, ETA.
func (t *tracker) parts() []part {
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.now().Sub(t.start)
	changed := t.counts[outApplied]
	word := "changed"
	if t.dryRun {
		changed, word = t.counts[outWould]+t.counts[outWouldSend], "would change"
	}
	failed := t.counts[outFailed] + t.counts[outNotSent] + t.counts[outUnknown] + t.counts[outConflict]
	ps := []part{
		{fmt.Sprintf("%s: %d/%d", t.label, t.done, t.total), 0},
		{fmt.Sprintf("%s %d", word, changed), 5},
		{fmt.Sprintf("unchanged %d", t.counts[outUnchanged]), 4},
		{fmt.Sprintf("failed %d", failed), 6},
	}
	perSec := 0.0
	if el > 0 {
		perSec = float64(t.done) / el.Seconds()
	}
	ps = append(ps, part{fmt.Sprintf("%.1f/s", perSec), 2})
	if t.rate != nil && t.rate.limit > 0 {
		ps = append(ps, part{fmt.Sprintf("quota %d/%d", t.rate.remaining, t.rate.limit), 1})
	}
	if left := t.total - t.done; left > 0 && perSec > 0 && !t.stopped {
		eta := time.Duration(float64(left) / perSec * float64(time.Second))
		ps = append(ps, part{fmt.Sprintf("ETA %s", roundDuration(eta)), 3})
	}
	if t.stopped {
		ps = append(ps, part{"stopping", 7})
	}
	return ps
}

// line is the whole progress line, for logs.
func (t *tracker) line() string {
	var texts []string
	for _, p := range t.parts() {
		texts = append(texts, p.text)
	}
	return strings.Join(texts, "  ")
}

// fit is the progress line in at most width columns: the least useful
// pieces are left out first (quota, pace, unchanged, ETA, ...), and what
// still does not fit is cut.
func (t *tracker) fit(width int) string {
	ps := t.parts()
	join := func() string {
		var texts []string
		for _, p := range ps {
			texts = append(texts, p.text)
		}
		return strings.Join(texts, " ")
	}
	for rank := 1; utf8.RuneCountInString(join()) > width && rank <= 7; rank++ {
		kept := ps[:0:0]
		for _, p := range ps {
			if p.drop != rank {
				kept = append(kept, p)
			}
		}
		ps = kept
	}
	line := join()
	if width < 1 {
		return ""
	}
	if r := []rune(line); len(r) > width {
		line = string(r[:width])
	}
	return line
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
				c.progress(t)
			}
		}
	}()
	var once sync.Once
	return &ticker{stop: func() {
		once.Do(func() { close(done); <-finished })
	}}
}
