// Command couponctl changes many coupons at once from the command line,
// safely: it reads each coupon before changing it where the vendor allows
// (BigCommerce, JFramework, VTEX), paces itself to the vendor's rate limit,
// journals every item as it finishes so that a run killed at any point can
// be resumed without applying anything twice, and can undo a run.
//
//	go run ./examples/couponctl -h
//	go run ./examples/couponctl -demo set -vendor bigcommerce -keys 1-300 expires=+7d
//	BIGCOMMERCE_STORE_HASH=... BIGCOMMERCE_ACCESS_TOKEN=... \
//	    go run ./examples/couponctl set -vendor bigcommerce -select code-like='SUMMER*' \
//	    -journal summer.jsonl expires=2026-09-30
//
// It is built on the public couponkit API only (ListCoupons, ModifyCoupons,
// UpdateCoupons and the ErrNotSent/ErrOutcomeUnknown sentinels), so it is
// also the reference program for the bulk API. Run it with -h for every
// command, flag and exit status.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
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
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		stderrTTY: isTerminal(os.Stderr),
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
	stdout    io.Writer
	stderr    io.Writer
	stderrTTY bool
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
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			printUsage(e.stdout)
			return exitOK, flag.ErrHelp
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
		printUsage(e.stdout)
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
	"code-like": true, "limit": true,
}

// commonFlags are the flags of every command.
type commonFlags struct {
	vendor  string
	demo    bool
	baseURL string
	verbose bool
	json    bool
}

// register defines the common flags on fs.
func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.vendor, "vendor", "", "the `vendor`: "+vendorNames())
	fs.BoolVar(&c.demo, "demo", false, "run offline against the vendor's in-process test server, seeded with a few hundred coupons")
	fs.StringVar(&c.baseURL, "base-url", "", "send requests to this `URL` instead of the vendor's API (also "+envBaseURL+")")
	fs.BoolVar(&c.verbose, "verbose", false, "log every HTTP attempt to stderr")
	fs.BoolVar(&c.json, "json", false, "print results as JSON lines")
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
	"set":    "couponctl set -vendor V (-keys 7,12,40-60 | -keys @file | -select filter=value ...) field=value ...\n(fields: couponctl fields -vendor V)",
	"apply":  "couponctl apply -vendor V plan.csv\n(plan.csv: a header row naming the key column and one column per field; an empty cell keeps the value)",
	"undo":   "couponctl undo [-keys K] [-journal undo.jsonl] run.jsonl",
	"fields": "couponctl fields -vendor V",
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
	if c.demo && base != "" {
		return nil, usagef("-demo runs against an in-process server: drop -base-url / %s", envBaseURL)
	}
	var logger *slog.Logger
	if c.verbose {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	cfg := &connectConfig{
		getenv:  e.getenv,
		demo:    c.demo,
		baseURL: base,
		http:    &http.Client{Transport: counter},
		logger:  logger,
		notice:  e.stderr,
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

// cmdFields prints a vendor's settable fields.
func cmdFields(e *env, args []string) (int, error) {
	fs := newFlagSet("fields", commandUsage["fields"])
	var c commonFlags
	c.register(fs)
	if _, err := parseArgs(e, fs, args); err != nil {
		return exitUsage, err
	}
	v, err := findVendor(c.vendor)
	if err != nil {
		return exitUsage, &usageError{err.Error()}
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
  couponctl set   -vendor V (-keys 7,12,40-60 | -keys @file | -select filter=value ...) field=value ...
  couponctl apply -vendor V plan.csv
  couponctl undo  run.jsonl
  couponctl fields -vendor V

Vendors: bigcommerce, jframework, utmcoupon (VTEX) read each coupon and send it back whole
with only the given fields changed (ModifyCoupons); paddle and partnero updates are partial
(UpdateCoupons), so relative values and undo need reads they do not have.

Values: field=value uses the vendor's wire names (couponctl fields -vendor V). Dates are
YYYY-MM-DD (00:00 UTC) or RFC 3339; +7d, -12h, +2w move the current value; +N/-N changes a
whole number; none clears an optional field. Every value of every item is checked before
the first request: a bad one stops the run with exit status 2 and nothing sent.

apply reads a CSV plan: a header row naming the key column (key, or the vendor's key name)
and one column per field, then one row per coupon. An empty cell leaves the field as it is.

Flags of set, apply and undo:
  -dry-run            read the coupons and print what would change; send no update
  -journal FILE       append one JSON line per finished item (FILE must be new)
  -resume FILE        continue the run FILE journals: skip items applied or unchanged,
                      resend items never sent or refused, never resend items whose outcome
                      is unknown (list them to check by hand; with reads, confirm them by
                      reading), finish updates a killed run left in flight
  -concurrency N      most requests in flight (default 4, at most 64)
  -rps R              at most R requests per second (default: the vendor's headers set the pace)
  -progress-every D   how often a progress line is printed when stderr is not a terminal (5s)
  -json               results as JSON lines (the journal's format)
  -demo, -base-url URL, -verbose, -vendor V

undo puts back the previous values of every coupon a run changed (from its journal), where
the coupon still holds the value the run wrote; a field changed since is a conflict and the
coupon is left alone. It takes -keys to undo some coupons only.

Output: results on stdout, one line per coupon; progress and the summary on stderr.

Exit status: 0 every item applied or unchanged; 1 some item failed, is unknown, is a conflict
or was not sent; 2 bad usage or bad input (nothing sent); 130 interrupted by Ctrl-C (sending
stopped at once, requests in flight finished, journal and summary written).
`
