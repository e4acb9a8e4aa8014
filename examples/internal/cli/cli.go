// Package cli holds the command-line scaffolding that the vendor example
// programs under examples/ share: the exit-code convention, flag parsing
// and -h output, the flags every example has (--timeout, --verbose,
// --base-url), date parsing, and the explanation of an UpdateCoupon error.
// What is specific to one vendor (its flags, its request, its demo server,
// its printing and its hint texts) stays in the program.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"
)

// RunFunc is the signature of an example's run function: the whole program
// with its command line, environment and standard streams passed in.
type RunFunc func(args []string, getenv func(string) string, stdout, stderr io.Writer) error

// Program describes one example program for its usage text and messages.
type Program struct {
	// Name is the program's directory under examples/ and the prefix of
	// the error it prints, e.g. "bigcommerce".
	Name string
	// About is the description -h prints below the usage line.
	About string
	// Env lists the environment variables -h documents, in order.
	Env []EnvVar
	// EnvWidth is the width of the variable-name column in -h.
	EnvWidth int
}

// EnvVar is an environment variable documented by -h.
type EnvVar struct {
	// Name is the variable's name, e.g. "PARTNERO_API_KEY".
	Name string
	// Doc says what the variable holds.
	Doc string
}

// Main runs run with the real command line, environment and standard
// streams. On failure it reports the error on stderr (see Report) and exits
// with ExitCode: 2 for a bad command line, 1 for a failed update.
func (p *Program) Main(run RunFunc) {
	if code := p.Report(os.Stderr, run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr)); code != 0 {
		os.Exit(code)
	}
}

// Report writes err to w as one "<name>: <error>" line and returns its
// ExitCode; nothing for a nil err. Every couponkit error already starts
// with its vendor's name, which is the program's name, so the prefix is
// added only when the message does not start with it: never
// "utmcoupon: utmcoupon: ...".
func (p *Program) Report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, p.Name+": ") {
		msg = p.Name + ": " + msg
	}
	fmt.Fprintln(w, msg)
	return ExitCode(err)
}

// ExitCode is the exit status for an error run returned: 0 for nil, 2 for
// a *UsageError in the chain, 1 for anything else.
func ExitCode(err error) int {
	var ue *UsageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// UsageError is a mistake on the command line or in the environment.
type UsageError struct {
	// Msg says what is wrong.
	Msg string
}

// Error returns the message and a pointer to -h.
func (e *UsageError) Error() string { return e.Msg + " (run with -h for help)" }

// Usage returns a *UsageError with the message msg.
func Usage(msg string) error { return &UsageError{Msg: msg} }

// NewFlagSet returns an empty flag set named after the program that
// returns its errors instead of printing them or exiting.
func (p *Program) NewFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet(p.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints through Parse
	return fs
}

// Parse parses args with fs. For -h it writes the usage to stdout and
// returns flag.ErrHelp; a bad flag or a positional argument is a
// *UsageError.
func (p *Program) Parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			p.PrintUsage(fs, stdout)
			return err
		}
		return Usage(err.Error())
	}
	if fs.NArg() > 0 {
		return Usage(fmt.Sprintf("unexpected argument %q: every value is a flag", fs.Arg(0)))
	}
	return nil
}

// UnlessHelp returns err, or nil when err is flag.ErrHelp: -h has printed
// the usage, and the program succeeds without doing anything else.
func UnlessHelp(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// PrintUsage writes the usage line, the description, the environment and
// every flag of fs to w.
func (p *Program) PrintUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/%s [flags]\n\n%s\n\n", p.Name, p.About)
	fmt.Fprint(w, "Environment:\n")
	for _, v := range p.Env {
		fmt.Fprintf(w, "  %-*s %s\n", p.EnvWidth, v.Name, v.Doc)
	}
	fmt.Fprint(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// Common holds the flags every example has.
type Common struct {
	// Timeout bounds the whole update, retries included (--timeout).
	Timeout time.Duration
	// Verbose logs every HTTP attempt to stderr (--verbose).
	Verbose bool
	// BaseURL replaces the vendor's API address (--base-url).
	BaseURL string
}

// Register defines --timeout, --verbose and --base-url on fs, storing
// their values in c; baseURLUsage is the vendor's help text for --base-url.
func (c *Common) Register(fs *flag.FlagSet, baseURLUsage string) {
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Second, "give up after this `duration`, retries included")
	fs.BoolVar(&c.Verbose, "verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	fs.StringVar(&c.BaseURL, "base-url", "", baseURLUsage)
}

// Check returns a *UsageError when the common flags are unusable.
func (c *Common) Check() error {
	if c.Timeout <= 0 {
		return Usage("--timeout must be positive")
	}
	return nil
}

// Context returns a context that ends after c.Timeout.
func (c *Common) Context() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), c.Timeout)
}

// DebugLogger returns the logger --verbose hands to a client: slog text
// lines on w, from the debug level up.
func DebugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// ParseTime reads a date (YYYY-MM-DD, meaning 00:00 UTC) or an RFC 3339 time.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD nor an RFC 3339 time", s)
	}
	return t, nil
}
