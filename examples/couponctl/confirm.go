package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"
)

// confirm asks before a run that changes more than confirmAbove coupons or
// sets a date in the past: on a terminal it shows what will happen and
// asks y/N; without one it needs -yes (exit 2 otherwise). -yes skips the
// question. Nothing has been sent when it refuses.
func confirm(e *env, p *plan, f *changeFlags, store string) (int, error) {
	var reasons []string
	if n := len(p.items); n > confirmAbove {
		reasons = append(reasons, fmt.Sprintf("it changes %d coupons (more than %d)", n, confirmAbove))
	}
	if past := p.pastDates(e.now()); len(past) > 0 {
		reasons = append(reasons, "it sets a date in the past: "+strings.Join(past, ", "))
	}
	if len(reasons) == 0 || f.yes {
		return exitOK, nil
	}
	what := fmt.Sprintf("%s %s on %s %s, %d coupon(s)", p.command, p.text, p.v.name(), store, len(p.items))
	if len(p.items) > 0 {
		what += ": " + strings.Join(firstKeys(p.items, 5), " ")
	}
	if !e.stdinTTY || !e.stderrTTY {
		return exitUsage, usagef("%s\n  %s\nthis needs a confirmation and there is no terminal to ask on: nothing was sent; "+
			"add -yes after the command name to go ahead", what, strings.Join(reasons, "\n  "))
	}
	fmt.Fprintf(e.stderr, "couponctl: about to %s\n  %s\nGo ahead? [y/N] ", what, strings.Join(reasons, "\n  "))
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		answer <- line
	}()
	select {
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return exitOK, nil
		}
		return exitFailed, errors.New("not confirmed: nothing was sent")
	case <-e.interrupt: // Ctrl-C at the question
		fmt.Fprintln(e.stderr)
		return exitInterrupted, errors.New("interrupted at the question: nothing was sent")
	}
}

// firstKeys lists the first n keys of items, and how many more there are.
func firstKeys(items []*item, n int) []string {
	var out []string
	for i, it := range items {
		if i == n {
			out = append(out, fmt.Sprintf("... and %d more", len(items)-n))
			break
		}
		out = append(out, it.key)
	}
	return out
}

// pastDates lists the absolute dates before now the plan sets, each once.
func (p *plan) pastDates(now time.Time) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range p.items {
		for _, s := range it.sets {
			if !s.date || s.v.rel || s.v.null || !s.v.t.Before(now) {
				continue
			}
			text := s.Field + "=" + formatHuman(s.v.t)
			if !seen[text] {
				seen[text] = true
				out = append(out, text)
			}
		}
	}
	return out
}
