// Command utmcoupon creates or replaces one VTEX UTM coupon from
// command-line flags, through the couponkit utmcoupon package.
//
//	go run ./examples/utmcoupon -h
//	go run ./examples/utmcoupon                        # offline demo
//	VTEX_ACCOUNT_NAME=mystore VTEX_APP_KEY=... VTEX_APP_TOKEN=... \
//	    go run ./examples/utmcoupon --coupon-code SUMMER15 --utm-source newsletter \
//	    --utm-campaign summer-2026 --expiration-interval 14d
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
	"github.com/couponkit/couponkit/utmcoupon/utmcoupontest"
)

// Environment variables holding the credentials.
const (
	envAccount  = "VTEX_ACCOUNT_NAME"
	envAppKey   = "VTEX_APP_KEY"
	envAppToken = "VTEX_APP_TOKEN"
)

const about = `Creates or replaces one coupon of a VTEX account through the Promotions & Taxes API
(POST /api/rnb/pvt/coupon) and prints the coupon as VTEX stores it. The call is an upsert
keyed by --coupon-code: an unknown code creates a new coupon, a known one is replaced as a
whole. Every field is sent on every call, and a value you leave at its default is not
"unchanged": --utm-campaign "" and --max-usage -1 send null, and leaving out --archived
un-archives the coupon. Credentials are read from VTEX_ACCOUNT_NAME, VTEX_APP_KEY and
VTEX_APP_TOKEN (requests go to https://{account}.{--environment}.com.br). When none is
set, the program starts an in-process utmcoupontest server holding a coupon with that code
(campaign spring-2026, 7d per use before the update) and runs against it, so it works
offline; with credentials, --coupon-code must be given explicitly.`

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "utmcoupon:", err)
		var ue *usageError
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake on the command line or in the environment.
type usageError struct{ msg string }

// Error returns the message and a pointer to -h.
func (e *usageError) Error() string { return e.msg + " (run with -h for help)" }

// options are the parsed flags.
type options struct {
	req         utmcoupon.UpdateCouponRequest
	codeSet     bool
	environment string
	timeout     time.Duration
	verbose     bool
	baseURL     string
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	fs := flag.NewFlagSet("utmcoupon", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints below
	code := fs.String("coupon-code", "SUMMER15", "the coupon's `code`, which keys the upsert (required with real credentials)")
	source := fs.String("utm-source", "newsletter", "the utm_source the coupon is tied to; required")
	campaign := fs.String("utm-campaign", "summer-2026", "the utm_campaign; empty sends null (no campaign)")
	archived := fs.Bool("archived", false, "archive the coupon (not given: the coupon is un-archived)")
	maxItems := fs.Int("max-items-per-client", 1, "most items a client can buy with the coupon")
	interval := fs.String("expiration-interval", "14d", "how long one use of the coupon lasts: Nd for days or a Go `duration`\nsuch as 36h; 0 for none")
	maxUsage := fs.Int("max-usage", 500, "how often the coupon can be used in total; -1 sends null (no cap)")
	environment := fs.String("environment", utmcoupon.DefaultEnvironment, "VTEX `environment` in https://{account}.{environment}.com.br")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `duration`, retries included")
	verbose := fs.Bool("verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	baseURL := fs.String("base-url", "", "send requests to this `URL` instead of the account's VTEX host\n(a proxy or test server); only used with credentials")

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(fs, stdout)
			return nil, err
		}
		return nil, &usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return nil, &usageError{fmt.Sprintf("unexpected argument %q: every value is a flag", fs.Arg(0))}
	}
	o := &options{environment: *environment, timeout: *timeout, verbose: *verbose, baseURL: *baseURL}
	fs.Visit(func(f *flag.Flag) { o.codeSet = o.codeSet || f.Name == "coupon-code" })
	r := &o.req
	r.CouponCode, r.UtmSource, r.IsArchived, r.MaxItemsPerClient = *code, *source, *archived, *maxItems
	if *campaign != "" {
		r.UtmCampaign = campaign
	}
	if *maxUsage != -1 {
		r.MaxUsage = maxUsage
	}
	d, err := parseInterval(*interval)
	if err != nil {
		return nil, &usageError{"--expiration-interval: " + err.Error()}
	}
	r.ExpirationIntervalPerUse = d
	if o.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive"}
	}
	return o, nil
}

// printUsage writes the description, the environment and every flag.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/utmcoupon [flags]\n\n%s\n\n", about)
	fmt.Fprintf(w, "Environment:\n  %-18s the account name, mystore in https://mystore.vtexcommercestable.com.br\n", envAccount)
	fmt.Fprintf(w, "  %-18s an application key whose role has the Promotions & Taxes permission\n", envAppKey)
	fmt.Fprintf(w, "  %-18s that key's application token\n\nFlags:\n", envAppToken)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseInterval reads "14d" (whole days) or a Go duration such as "36h".
func parseInterval(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a whole number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is neither Nd nor a duration such as 36h", s)
	}
	return d, nil
}

// formatInterval writes whole days as "14d" and anything else as a Go
// duration.
func formatInterval(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// run is the whole program: it parses args, picks real credentials from
// getenv or an in-process test server, upserts the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	opts := []utmcoupon.Option{utmcoupon.WithUserAgent("couponkit-example")}
	if o.verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, utmcoupon.WithLogger(logger))
	}
	creds := map[string]string{envAccount: getenv(envAccount), envAppKey: getenv(envAppKey), envAppToken: getenv(envAppToken)}
	var missing []string
	for name, v := range creds {
		if v == "" {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	var client *utmcoupon.Client
	switch len(missing) {
	case len(creds):
		srv := utmcoupontest.NewServer()
		defer srv.Close()
		srv.AddCoupon(utmcoupon.Coupon{
			CouponCode: o.req.CouponCode, UtmSource: o.req.UtmSource, UtmCampaign: "spring-2026",
			MaxItemsPerClient: 1, ExpirationIntervalPerUse: 7 * 24 * time.Hour, MaxUsage: utmcoupon.Ptr(500),
		})
		fmt.Fprintln(stderr, "no VTEX_* credentials set: running against an in-process utmcoupontest server")
		client = srv.Client(opts...)
	case 0:
		if !o.codeSet {
			return &usageError{"--coupon-code is required with real credentials (its default only names the demo coupon)"}
		}
		opts = append(opts, utmcoupon.WithEnvironment(o.environment))
		if o.baseURL != "" {
			opts = append(opts, utmcoupon.WithBaseURL(o.baseURL))
		}
		if client, err = utmcoupon.NewClient(creds[envAccount], creds[envAppKey], creds[envAppToken], opts...); err != nil {
			return &usageError{err.Error()}
		}
	default:
		return &usageError{"set all of " + envAccount + ", " + envAppKey + " and " + envAppToken +
			", or none for the offline demo (missing: " + strings.Join(missing, ", ") + ")"}
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return explain(err, o.timeout)
	}
	return printCoupon(stdout, resp)
}

// printCoupon writes the key fields of the stored coupon and the exchange.
func printCoupon(w io.Writer, resp *utmcoupon.UpdateCouponResponse) error {
	c := resp.Coupon
	what := "replaced"
	if resp.Created {
		what = "created (no coupon had that code)"
	}
	campaign, usage := c.UtmCampaign, "no cap"
	if campaign == "" {
		campaign = "none"
	}
	if c.MaxUsage != nil {
		usage = strconv.Itoa(*c.MaxUsage)
	}
	fmt.Fprintf(w, "coupon %s %s\n", c.CouponCode, what)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  utm source\t%s\n  utm campaign\t%s\n  archived\t%t\n", c.UtmSource, campaign, c.IsArchived)
	fmt.Fprintf(tw, "  max items per client\t%d\n  interval per use\t%s\n  max usage\t%s\n",
		c.MaxItemsPerClient, formatInterval(c.ExpirationIntervalPerUse), usage)
	if !c.LastModifiedUTC.IsZero() {
		fmt.Fprintf(tw, "  last modified\t%s\n", c.LastModifiedUTC.Format(time.RFC3339))
	}
	fmt.Fprintf(tw, "  attempts\t%d\n", resp.Meta.Attempts)
	return tw.Flush()
}

// explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As.
func explain(err error, timeout time.Duration) error {
	var ve *utmcoupon.ValidationError
	if errors.As(err, &ve) {
		var b strings.Builder
		b.WriteString("invalid request, nothing was sent:")
		for _, f := range ve.Fields {
			fmt.Fprintf(&b, "\n  %s %s", f.Field, f.Problem)
		}
		return &explained{b.String(), err}
	}
	var hint string
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		hint = fmt.Sprintf("no answer within --timeout %v", timeout)
	case errors.Is(err, utmcoupon.ErrUnauthorized):
		hint = "VTEX wants credentials: check " + envAppKey + " and " + envAppToken
	case errors.Is(err, utmcoupon.ErrForbidden):
		hint = "VTEX refused the key and token, or their role lacks the Promotions & Taxes permission"
	case errors.Is(err, utmcoupon.ErrNotFound):
		hint = "VTEX does not know this account or environment: check " + envAccount + " and --environment"
	case errors.Is(err, utmcoupon.ErrConflict):
		hint = "the coupon conflicts with another one"
	case errors.Is(err, utmcoupon.ErrRateLimited):
		hint = "rate limited, and the retries are spent: try again later"
	case errors.Is(err, utmcoupon.ErrServer):
		hint = "VTEX failed, and the retries are spent: try again later"
	case errors.Is(err, utmcoupon.ErrInvalidRequest):
		hint = "VTEX refused a value"
	default:
		hint = "the update failed"
	}
	var apiErr *utmcoupon.APIError
	if errors.As(err, &apiErr) {
		hint += fmt.Sprintf(" (HTTP %d, %d attempt(s))", apiErr.StatusCode, apiErr.Attempts)
		fields := make([]string, 0, len(apiErr.FieldErrors))
		for f := range apiErr.FieldErrors {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			hint += "\n  " + f + ": " + strings.Join(apiErr.FieldErrors[f], " ")
		}
	}
	return &explained{hint + ":\n  " + err.Error(), err}
}

// explained is an error with a friendlier message that still unwraps to the
// error UpdateCoupon returned.
type explained struct {
	msg string
	err error
}

// Error returns the friendly message.
func (e *explained) Error() string { return e.msg }

// Unwrap returns the original error.
func (e *explained) Unwrap() error { return e.err }
