// Command couponctl changes many coupons at once from the command line,
// safely: it reads each coupon before changing it where the vendor allows
// (BigCommerce, JFramework, VTEX), paces itself to the vendor's rate limit,
// journals every item as it finishes so that a run killed at any point can
// be resumed without applying anything twice, and can undo a run.
//
//	go run ./examples/couponctl -h
//	go run ./examples/couponctl -demo-state demo.json set -vendor bigcommerce -keys 1-300 -yes -journal run.jsonl expires+=7d
//	BIGCOMMERCE_STORE_HASH=... BIGCOMMERCE_ACCESS_TOKEN=... \
//	    go run ./examples/couponctl set -vendor bigcommerce -select code-like='SUMMER*' \
//	    -journal summer.jsonl expires=2026-09-30
//
// It is built on the public couponkit API only (ListCoupons, ModifyCoupons,
// UpdateCoupons, each UpdateCouponRequest's Validate, utmcoupon's TimeSpan
// functions and the ErrNotSent/ErrOutcomeUnknown sentinels), so it is also
// the reference program for the bulk API; it keeps no copy of a vendor
// rule. The five vendors share one generic core (adapter.go); each
// vendor_*.go file only declares that vendor's facts. Run it with -h for
// every command, flag and exit status.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// Exit statuses.
const (
	exitOK          = 0   // every item applied (or unchanged, or skipped as done by the journal)
	exitFailed      = 1   // some item failed, is unknown, is a conflict, or was not sent
	exitUsage       = 2   // bad command line or bad input: nothing was sent
	exitInterrupted = 130 // Ctrl-C (SIGINT): stopped sending; the journal and summary are written
)

// envBaseURL overrides the vendor's API address (a proxy, a sandbox, a
// test server); it carries no credential.
const envBaseURL = "COUPONCTL_BASE_URL"

// main runs couponctl with the process's arguments, environment, streams
// and signals (Ctrl-C's SIGINT, and SIGTERM alike), and exits with its
// status.
func main() {
	interrupt := make(chan os.Signal, 2)
	signal.Notify(interrupt, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(&env{
		args:      os.Args[1:],
		getenv:    os.Getenv,
		stdin:     os.Stdin,
		stdinTTY:  isTerminal(os.Stdin),
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: isTerminal(os.Stderr),
		width:     func() int { return terminalWidth(os.Stderr, os.Getenv) },
		interrupt: interrupt,
		now:       time.Now,
		readFile:  os.ReadFile,
	}))
}

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// env is the program's world: arguments, environment, streams, signals
// and clock, passed in so that tests can run it in-process.
type env struct {
	args      []string
	getenv    func(string) string
	stdin     io.Reader // the answer to a confirmation
	stdinTTY  bool
	stdout    io.Writer
	stderr    io.Writer
	stderrTTY bool
	width     func() int // stderr's terminal width; nil: defaultWidth
	interrupt <-chan os.Signal
	now       func() time.Time
	readFile  func(string) ([]byte, error)
}

// usageError is a bad command line or bad input; nothing was sent.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a *usageError.
func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// run is the whole program; it returns the exit status.
func run(e *env) int {
	code, err := dispatch(e)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(e.stderr, "couponctl:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailed
	}
	return code
}

// dispatch picks the command. Flags may come before the command too
// (couponctl -demo set ...).
func dispatch(e *env) (int, error) {
	args := e.args
	var pre []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-h", "-help", "--help":
			printUsage(e.stdout)
			return exitOK, flag.ErrHelp
		case "-version", "--version":
			fmt.Fprintln(e.stdout, version())
			return exitOK, nil
		}
		pre = append(pre, args[0])
		args = args[1:]
		if valueFlags[strings.TrimLeft(pre[len(pre)-1], "-")] && len(args) > 0 {
			pre = append(pre, args[0]) // the flag's value
			args = args[1:]
		}
	}
	if len(args) == 0 {
		printUsage(e.stderr)
		return exitUsage, usagef("no command given: list, set, apply, undo or fields")
	}
	cmd, rest := args[0], append(pre, args[1:]...)
	switch cmd {
	case "list":
		return cmdList(e, rest)
	case "set":
		return cmdChange(e, "set", rest)
	case "apply":
		return cmdChange(e, "apply", rest)
	case "undo":
		return cmdChange(e, "undo", rest)
	case "fields":
		return cmdFields(e, rest)
	case "help":
		if len(args) > 1 {
			if _, ok := commandUsage[args[1]]; !ok {
				return exitUsage, usagef("no command %q: list, set, apply, undo or fields", args[1])
			}
			return dispatch(&env{args: []string{args[1], "-h"}, stdout: e.stdout, stderr: e.stderr, getenv: e.getenv})
		}
		printUsage(e.stdout)
		return exitOK, nil
	case "version":
		fmt.Fprintln(e.stdout, version())
		return exitOK, nil
	}
	return exitUsage, usagef("unknown command %q: list, set, apply, undo or fields (run with -h for help)", cmd)
}

// valueFlags are the flags that take a value, so that "-vendor paddle set"
// (flags before the command) reads paddle as the value, not the command.
var valueFlags = map[string]bool{
	"vendor": true, "base-url": true, "keys": true, "select": true, "journal": true, "resume": true,
	"concurrency": true, "rps": true, "progress-every": true, "code": true, "name": true, "type": true,
	"min-id": true, "max-id": true, "keywords": true, "status": true, "product": true, "per-page": true,
	"code-like": true, "limit": true, "demo-state": true,
}

// commonFlags are the flags of every command that reaches a vendor.
type commonFlags struct {
	vendor    string
	demo      bool
	demoState string
	baseURL   string
	verbose   bool
	json      bool
}

// register defines the common flags on fs; -vendor only when vendorFlag
// (undo reads the vendor from the journal).
func (c *commonFlags) register(fs *flag.FlagSet, vendorFlag bool) {
	if vendorFlag {
		fs.StringVar(&c.vendor, "vendor", "", "the `vendor`: "+vendorNames())
	} else {
		fs.StringVar(&c.vendor, "vendor", "", "check that the journal is of this `vendor`")
	}
	fs.BoolVar(&c.demo, "demo", false, "run offline against the vendor's in-process test server, seeded with a few hundred coupons")
	fs.StringVar(&c.demoState, "demo-state", "", "with -demo: keep the demo store in this `file` between runs (implies -demo), to rehearse kill -9 and -resume")
	fs.StringVar(&c.baseURL, "base-url", "", "send requests to this `URL` instead of the vendor's API (also "+envBaseURL+"): https://, or http:// to a loopback host only")
	fs.BoolVar(&c.verbose, "verbose", false, "log every HTTP attempt to stderr")
	fs.BoolVar(&c.json, "json", false, "print results as JSON lines")
}

// check validates the common flags: -demo-state implies -demo; a base
// URL must be https://, or http:// to a loopback host (a plain-http
// address elsewhere would carry the credentials unencrypted).
func (c *commonFlags) check(e *env) error {
	if c.demoState != "" {
		c.demo = true
	}
	base := c.baseURL
	if base == "" {
		base = e.getenv(envBaseURL)
	}
	if base == "" || c.demo {
		return nil
	}
	return checkBaseURL(base)
}

// checkBaseURL applies couponkit's rule for a base URL: https://, or
// plain http:// only to a loopback host (localhost, 127.0.0.0/8, ::1).
func checkBaseURL(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return usagef("base URL %q is not an absolute URL like https://api.example.com", base)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return usagef("base URL %s: plain http:// would send the credentials unencrypted; use https://, "+
			"or http:// only to a loopback host (localhost, 127.0.0.1, ::1); nothing was sent", u.Redacted())
	}
	return usagef("base URL %s: the scheme must be https (or http to a loopback host)", u.Redacted())
}

// version is couponctl's version: the module version and VCS revision
// the binary was built from.
func version() string {
	v := "couponctl (github.com/couponkit/couponkit)"
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v + " unknown version"
	}
	v += " " + bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v + " " + bi.GoVersion
}

// newFlagSet returns a flag set that reports errors instead of exiting;
// usage is the command's synopsis for -h.
func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(usage, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// commandUsage is each command's synopsis, printed by -h above its flags.
var commandUsage = map[string]string{
	"list":   "couponctl list -vendor V [filters] [-json]",
	"set":    "couponctl set -vendor V (-keys 7,12,40-60 | -keys @file | -select filter=value ...) [flags] field=value|field+=N|field-=N ...\n(fields: couponctl fields -vendor V)",
	"apply":  "couponctl apply -vendor V [flags] plan.csv\n(plan.csv: a header row naming the key column and one column per field; an empty cell keeps the value)",
	"undo":   "couponctl undo [-keys K] [-journal undo.jsonl] [-dry-run] [-yes] run.jsonl",
	"fields": "couponctl fields -vendor V [-json]",
}

// parseArgs parses flags and positional arguments in any order.
func parseArgs(e *env, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(e.stdout, "Usage: %s\n\nFlags:\n", fs.Name())
				fs.SetOutput(e.stdout)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usagef("%v (run with -h for help)", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// connect builds the session the command runs on: the vendor's in-process
// test server for -demo, otherwise the credentials in the environment.
func connect(e *env, v vendor, c *commonFlags, counter *countingTransport) (session, error) {
	base := c.baseURL
	if base == "" {
		base = e.getenv(envBaseURL)
	}
	if c.demo && c.baseURL != "" {
		return nil, usagef("-demo runs against an in-process server: drop -base-url")
	}
	if c.demo {
		base = "" // COUPONCTL_BASE_URL is for real runs
	}
	var logger *slog.Logger
	if c.verbose {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := &connectConfig{
		getenv:     e.getenv,
		demo:       c.demo,
		demoState:  c.demoState,
		baseURL:    base,
		http:       &http.Client{Transport: counter},
		logger:     logger,
		notice:     e.stderr,
		afterWrite: counter.afterWrite,
	}
	if !c.demo {
		if _, err := credentials(v, e.getenv); err != nil {
			return nil, &usageError{err.Error()}
		}
	}
	s, err := v.connect(cfg)
	if err != nil {
		return nil, &usageError{err.Error()}
	}
	return s, nil
}

// cmdFields prints a vendor's settable fields: a table, or JSON lines
// with -json.
func cmdFields(e *env, args []string) (int, error) {
	fs := newFlagSet("fields", commandUsage["fields"])
	var vendorName string
	var asJSON bool
	fs.StringVar(&vendorName, "vendor", "", "the `vendor`: "+vendorNames())
	fs.BoolVar(&asJSON, "json", false, "print one JSON object per field")
	pos, err := parseArgs(e, fs, args)
	if err != nil {
		return exitUsage, err
	}
	if len(pos) > 0 {
		return exitUsage, usagef("fields takes no argument %q", pos[0])
	}
	v, err := findVendor(vendorName)
	if err != nil {
		return exitUsage, &usageError{err.Error()}
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, d := range v.fieldDocs() {
			enc.Encode(struct {
				Field  string `json:"field"`
				Values string `json:"values"`
				Doc    string `json:"doc"`
				Unique bool   `json:"unique,omitempty"`
			}{d.Name, d.Values, d.Doc, d.Unique})
		}
		return exitOK, nil
	}
	printFields(e.stdout, v)
	return exitOK, nil
}

// printFields writes v's field table.
func printFields(w io.Writer, v vendor) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "FIELD\tVALUES\tMEANING\n")
	for _, d := range v.fieldDocs() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", d.Name, d.Values, d.Doc)
	}
	tw.Flush()
	if !v.reads() {
		fmt.Fprintf(w, "\n%s\n", v.noUndo())
	}
}

// printUsage writes the help text.
func printUsage(w io.Writer) {
	fmt.Fprint(w, usageText)
	fmt.Fprintln(w, "\nCredentials (read from the environment only, never printed):")
	for _, v := range vendors() {
		var names []string
		for _, ev := range v.env() {
			names = append(names, ev.Name)
		}
		fmt.Fprintf(w, "  %-12s %s\n", v.name(), strings.Join(names, " "))
	}
	fmt.Fprintln(w, "\nSettable fields: couponctl fields -vendor V")
}

const usageText = `couponctl changes many coupons at once, safely.

Usage:
  couponctl list  -vendor V [filters] [-json]
  couponctl set   -vendor V (-keys 7,12,40-60 | -keys @file | -select filter=value ...) [flags] field=value ...
  couponctl apply -vendor V [flags] plan.csv
  couponctl undo  [flags] run.jsonl
  couponctl fields -vendor V [-json]
  couponctl help COMMAND        the flags of one command (also: couponctl COMMAND -h)
  couponctl -version

Vendors: bigcommerce, jframework, utmcoupon (VTEX) read each coupon and send it back whole
with only the given fields changed (ModifyCoupons); paddle and partnero updates are partial
(UpdateCoupons), so relative values and undo need reads they do not have.

Values: field=value sets a value (the vendor's wire names: couponctl fields -vendor V);
field+=N and field-=N change the current value: max_uses+=5, expires+=7d, expires-=12h
(expires=+7d is the same as expires+=7d). A number after = is always a value: max_uses=-1 is
minus one, refused where the vendor refuses it. Dates are YYYY-MM-DD (00:00 UTC) or RFC 3339;
steps are Nw, Nd, Nh, Nm, Ns; none clears an optional field. Every value of every item is
checked (by the vendor package's own rules) before the first request: a bad one stops the
run with exit status 2 and nothing sent.

apply reads a CSV plan: a header row naming the key column (key, or the vendor's key name)
and one column per field, then one row per coupon. An empty cell leaves the field as it is;
a row of empty cells is skipped with a notice.

Flags of set, apply and undo (written after the command name):
  -dry-run            read the coupons and print what would change; send no update
                      (paddle, partnero: no read, so the change is shown unchecked)
  -yes                go ahead without asking: a run that changes more than 100 coupons or
                      sets a date in the past asks y/N on a terminal, and needs -yes without one
  -journal FILE       append one JSON line per finished item (FILE must be new)
  -resume FILE        continue the run FILE journals: skip items applied or unchanged,
                      resend items never sent or refused, never resend items whose outcome
                      is unknown (list them to check by hand; with reads, confirm them by
                      reading), finish updates a killed run left in flight
  -concurrency N      most requests in flight (default 4, at most 64)
  -rps R              at most R requests per second (default: the vendor's headers set the pace)
  -progress-every D   how often a progress line is printed when stderr is not a terminal (5s)
  -json               results as JSON lines (the journal's format, with the vendor's own values)
  -demo, -demo-state FILE, -base-url URL, -verbose, -vendor V

Journals: a run holds its journal's lock (FILE.lock, with its pid) while it runs; a second
run on the journal exits 2 naming that pid. A journal records the vendor and the store
(store hash, vendor id, account, brand URL, or demo; never a credential): -resume and undo
against another store exit 2.

undo puts back the previous values of every coupon a run changed (from its journal), where
the coupon still holds the value the run wrote; a field someone else changed since is a
conflict and the coupon is left alone; a coupon already restored is reported as such. It
takes -keys to undo some coupons only.

-demo runs against an in-process test server; -demo-state FILE keeps that store in FILE
between runs, so that a kill -9 and a -resume can be rehearsed offline.

Output: results on stdout, one line per coupon, dates as 2027-01-03 00:00 UTC; progress and
the summary on stderr.

Exit status: 0 every item applied or unchanged; 1 some item failed, is unknown, is a conflict
or was not sent; 2 bad usage or bad input (nothing sent); 130 interrupted by Ctrl-C (sending
stopped at once, requests in flight finished, journal and summary written).
`
