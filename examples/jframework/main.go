// Command jframework updates one JFramework coupon from command-line flags,
// through the couponkit jframework package.
//
//	go run ./examples/jframework -h
//	go run ./examples/jframework                       # offline demo
//	JFRAMEWORK_BRAND_URL=https://shop.example.com JFRAMEWORK_AUTH_KEY=... \
//	    go run ./examples/jframework --id sApKpllz4sAplsmzha --name "Summer 15" --code SUMMER15 \
//	    --percentage 15 --start 2026-06-01 --end 2026-08-31T23:59:59+07:00
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/jframework"
	"github.com/couponkit/couponkit/jframework/jframeworktest"
)

// Environment variables holding the credentials.
const (
	envBrandURL = "JFRAMEWORK_BRAND_URL"
	envAuthKey  = "JFRAMEWORK_AUTH_KEY"
)

const about = `Updates one coupon of a JFramework brand (PUT /api/v1/coupons/{id}) and prints the
coupon as JFramework returns it. The PUT replaces the whole coupon: name, code, start and
end are required, and an optional value that is not sent is reset by JFramework
(percentage, quantity, description and tags to null, --auto-apply and --test-mode to
false), so give every value you want to keep. --percentage -1 and --quantity -1 send
null. Credentials are read from JFRAMEWORK_BRAND_URL and JFRAMEWORK_AUTH_KEY. When neither
is set, the program starts an in-process jframeworktest server holding a coupon with that
--id (10% off before the update) and runs against it, so it works offline; with
credentials, --id must be given explicitly.`

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "jframework:", err)
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
	req     jframework.UpdateCouponRequest
	idSet   bool
	timeout time.Duration
	verbose bool
	baseURL string
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	fs := flag.NewFlagSet("jframework", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints below
	id := fs.String("id", "sApKpllz4sAplsmzha", "`id` of the coupon to update (required with real credentials)")
	name := fs.String("name", "Summer 15", "coupon `name`; required")
	code := fs.String("code", "SUMMER15", "coupon `code`, unique in the brand; required")
	percentage := fs.Float64("percentage", 15, "discount `percent`, 0 to 100; -1 sends null")
	quantity := fs.Int("quantity", 500, "how many times the coupon can be used; -1 sends null")
	start := fs.String("start", "2026-06-01", "start `date`, YYYY-MM-DD (00:00 UTC) or RFC 3339 with its offset; required")
	end := fs.String("end", "2026-08-31T23:59:59Z", "end `date`, YYYY-MM-DD (00:00 UTC) or RFC 3339, not before --start; required")
	autoApply := fs.Bool("auto-apply", false, "apply the coupon to prices automatically")
	description := fs.String("description", "", "free-text `description`; empty sends null")
	tags := fs.String("tags", "", "free-text `tags`, e.g. \"summer, email\"; empty sends null")
	status := fs.String("status", string(jframework.StatusActive), "`status`: Active, Inactive, Expired or Deleted; empty keeps the current one")
	testMode := fs.Bool("test-mode", false, "mark the coupon as a test coupon")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `duration`, retries included")
	verbose := fs.Bool("verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	baseURL := fs.String("base-url", "", "send requests to this `URL` instead of "+jframework.DefaultBaseURL+"\n(e.g. https://protocol.jframework.dev, a proxy or a test server); only used with credentials")

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
	o := &options{timeout: *timeout, verbose: *verbose, baseURL: *baseURL}
	fs.Visit(func(f *flag.Flag) { o.idSet = o.idSet || f.Name == "id" })
	r := &o.req
	r.ID, r.Name, r.Code, r.Status = *id, *name, *code, jframework.Status(*status)
	r.AutoApplyToPrice, r.TestMode = autoApply, testMode
	if *percentage != -1 {
		r.Percentage = percentage
	}
	if *quantity != -1 {
		r.Quantity = quantity
	}
	if *description != "" {
		r.Description = description
	}
	if *tags != "" {
		r.Tags = tags
	}
	var err error
	if r.StartDate, err = parseTime(*start); err != nil {
		return nil, &usageError{"--start: " + err.Error()}
	}
	if r.EndDate, err = parseTime(*end); err != nil {
		return nil, &usageError{"--end: " + err.Error()}
	}
	if o.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive"}
	}
	return o, nil
}

// printUsage writes the description, the environment and every flag.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/jframework [flags]\n\n%s\n\n", about)
	fmt.Fprintf(w, "Environment:\n  %-21s the brand's URL, sent as the Brand-URL header\n", envBrandURL)
	fmt.Fprintf(w, "  %-21s the brand's API key, sent as the Auth-Key header\n\nFlags:\n", envAuthKey)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseTime reads a date (YYYY-MM-DD, meaning 00:00 UTC) or an RFC 3339 time.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD nor an RFC 3339 time", s)
	}
	return t, nil
}

// run is the whole program: it parses args, picks real credentials from
// getenv or an in-process test server, updates the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	opts := []jframework.Option{jframework.WithUserAgent("couponkit-example")}
	if o.verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, jframework.WithLogger(logger))
	}
	brandURL, authKey := getenv(envBrandURL), getenv(envAuthKey)
	var client *jframework.Client
	switch {
	case brandURL == "" && authKey == "":
		srv := jframeworktest.NewServer()
		defer srv.Close()
		srv.AddCoupon(jframework.Coupon{
			ID: o.req.ID, Name: o.req.Name, Code: o.req.Code, Status: jframework.StatusActive,
			Percentage: jframework.Ptr(10.0), Quantity: jframework.Ptr(500),
			StartDate: o.req.StartDate, EndDate: o.req.StartDate.AddDate(0, 1, 0),
		})
		fmt.Fprintln(stderr, "no JFRAMEWORK_* credentials set: running against an in-process jframeworktest server")
		client = srv.Client(opts...)
	case brandURL == "" || authKey == "":
		return &usageError{"set both " + envBrandURL + " and " + envAuthKey + ", or neither for the offline demo"}
	default:
		if !o.idSet {
			return &usageError{"--id is required with real credentials (its default only names the demo coupon)"}
		}
		if o.baseURL != "" {
			opts = append(opts, jframework.WithBaseURL(o.baseURL))
		}
		if client, err = jframework.NewClient(brandURL, authKey, opts...); err != nil {
			return &usageError{err.Error()}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return explain(err, o.timeout)
	}
	return printCoupon(stdout, resp)
}

// printCoupon writes the key fields of the updated coupon and the exchange.
func printCoupon(w io.Writer, resp *jframework.UpdateCouponResponse) error {
	c := resp.Coupon
	percentage, quantity := "null", "null"
	if c.Percentage != nil {
		percentage = fmt.Sprintf("%g%%", *c.Percentage)
	}
	if c.Quantity != nil {
		quantity = fmt.Sprint(*c.Quantity)
	}
	fmt.Fprintf(w, "updated coupon %s: %s\n", c.ID, resp.Message)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  name\t%s\n  code\t%s\n  percentage\t%s\n  quantity\t%s\n", c.Name, c.Code, percentage, quantity)
	fmt.Fprintf(tw, "  start\t%s\n  end\t%s\n", c.StartDate.Format(time.RFC3339), c.EndDate.Format(time.RFC3339))
	fmt.Fprintf(tw, "  status\t%s\n  auto-apply\t%t\n  test mode\t%t\n", c.Status, c.AutoApplyToPrice, c.TestMode)
	fmt.Fprintf(tw, "  attempts\t%d\n", resp.Meta.Attempts)
	if rl := resp.Meta.RateLimit; rl != nil {
		fmt.Fprintf(tw, "  rate limit\t%d of %d requests left, resets in %v\n", rl.Remaining, rl.Limit, rl.ResetIn.Round(time.Second))
	}
	return tw.Flush()
}

// explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As.
func explain(err error, timeout time.Duration) error {
	var ve *jframework.ValidationError
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
	case errors.Is(err, jframework.ErrUnauthorized):
		hint = "JFramework refused the credentials: check " + envBrandURL + " and " + envAuthKey
	case errors.Is(err, jframework.ErrForbidden):
		hint = "the key may not update this brand's coupons"
	case errors.Is(err, jframework.ErrNotFound):
		hint = "the brand has no coupon with that --id"
	case errors.Is(err, jframework.ErrConflict):
		hint = "another coupon already uses that --code"
	case errors.Is(err, jframework.ErrRateLimited):
		hint = "rate limited, and the retries are spent: try again later"
	case errors.Is(err, jframework.ErrServer):
		hint = "JFramework failed, and the retries are spent: try again later"
	case errors.Is(err, jframework.ErrInvalidRequest):
		hint = "JFramework refused a value"
	default:
		hint = "the update failed"
	}
	var apiErr *jframework.APIError
	if errors.As(err, &apiErr) {
		hint += fmt.Sprintf(" (HTTP %d", apiErr.StatusCode)
		if apiErr.Code != "" {
			hint += ", code " + apiErr.Code
		}
		if apiErr.RequestID != "" {
			hint += ", correlation id " + apiErr.RequestID
		}
		hint += fmt.Sprintf(", %d attempt(s))", apiErr.Attempts)
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
