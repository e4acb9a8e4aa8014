// Command paddle updates one Paddle Classic coupon (or every coupon of a
// group) from command-line flags, through the couponkit paddle package.
//
//	go run ./examples/paddle -h
//	go run ./examples/paddle                           # offline demo
//	PADDLE_VENDOR_ID=12345 PADDLE_VENDOR_AUTH_CODE=... go run ./examples/paddle --sandbox \
//	    --coupon-code SUMMER2026 --expires 2026-09-30 --discount-amount 15
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/paddle"
	"github.com/couponkit/couponkit/paddle/paddletest"
)

// Environment variables holding the credentials.
const (
	envVendorID = "PADDLE_VENDOR_ID"
	envAuthCode = "PADDLE_VENDOR_AUTH_CODE"
)

const about = `Updates one Paddle Classic coupon (--coupon-code) or every coupon of a group (--group)
with POST /2.1/product/update_coupon and prints how many coupons Paddle changed. Only the
fields you give are sent; Paddle keeps the others. Removing data takes an explicit flag
(--remove-products, --remove-expiry), because a blank value deletes it on Paddle's side.
--discount-amount defaults to 15; pass 0 to leave the amount as it is. Credentials are read
from PADDLE_VENDOR_ID and PADDLE_VENDOR_AUTH_CODE (--sandbox selects Paddle's sandbox,
which has its own credentials). When neither is set, the program starts an in-process
paddletest server holding a coupon that matches the flags (a 10% discount before the
update) and runs against it, so it works offline; with credentials, --coupon-code or
--group must be given explicitly.`

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "paddle:", err)
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
	req       paddle.UpdateCouponRequest
	targetSet bool // --coupon-code or --group was given
	sandbox   bool
	timeout   time.Duration
	verbose   bool
	baseURL   string
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	fs := flag.NewFlagSet("paddle", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints below
	code := fs.String("coupon-code", "SUMMER2026", "`code` of the coupon to update, 5 to 300 characters (not with --group)")
	group := fs.String("group", "", "update every coupon of this `group` instead of one code")
	newCode := fs.String("new-code", "", "rename the coupon to this `code` (not with --group; never retried after a server error)")
	newGroup := fs.String("new-group", "", "move the coupon(s) to this `group`")
	products := fs.String("product-ids", "", "replace the products the coupon applies to: comma-separated product `ids`")
	removeProducts := fs.Bool("remove-products", false, "remove every product from the coupon")
	expires := fs.String("expires", "", "new expiry `date`, YYYY-MM-DD or RFC 3339 (Paddle keeps the UTC date)")
	removeExpiry := fs.Bool("remove-expiry", false, "remove the expiry: the coupon never expires")
	allowedUses := fs.Int("allowed-uses", 0, "how many times the coupon can be used; sent only when given")
	currency := fs.String("currency", "", "`currency` of a flat discount amount: USD, GBP or EUR (Paddle needs it for flat coupons)")
	amount := fs.Float64("discount-amount", 15, "new discount: a percentage, or money for a flat coupon; 0 leaves it unchanged")
	recurring := fs.Bool("recurring", false, "apply the discount to recurring payments too; sent only when given")
	sandbox := fs.Bool("sandbox", false, "use Paddle's sandbox ("+paddle.SandboxBaseURL+")")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `duration`, retries included")
	verbose := fs.Bool("verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	baseURL := fs.String("base-url", "", "send requests to this `URL` instead of "+paddle.DefaultBaseURL+"\n(a proxy or test server); only used with credentials")

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
	o := &options{sandbox: *sandbox, timeout: *timeout, verbose: *verbose, baseURL: *baseURL}
	r := &o.req
	r.CouponCode, r.Group, r.NewCouponCode, r.NewGroup = *code, *group, *newCode, *newGroup
	r.RemoveProducts, r.RemoveExpiry, r.Currency = *removeProducts, *removeExpiry, *currency
	codeSet := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "coupon-code":
			codeSet = true
		case "group":
			o.targetSet = true
		case "allowed-uses":
			r.AllowedUses = allowedUses
		case "recurring":
			r.Recurring = recurring
		}
	})
	o.targetSet = o.targetSet || codeSet
	if r.Group != "" && !codeSet {
		r.CouponCode = "" // --group replaces the default code
	}
	if *amount != 0 {
		r.DiscountAmount = amount
	}
	if *products != "" {
		for _, p := range strings.Split(*products, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(p))
			if err != nil {
				return nil, &usageError{fmt.Sprintf("--product-ids: %q is not a list of numeric ids", *products)}
			}
			r.ProductIDs = append(r.ProductIDs, id)
		}
	}
	if *expires != "" {
		t, err := parseTime(*expires)
		if err != nil {
			return nil, &usageError{"--expires: " + err.Error()}
		}
		r.Expires = &t
	}
	if o.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive"}
	}
	return o, nil
}

// printUsage writes the description, the environment and every flag.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/paddle [flags]\n\n%s\n\n", about)
	fmt.Fprintf(w, "Environment:\n  %-24s your vendor ID (Developer Tools > Authentication)\n", envVendorID)
	fmt.Fprintf(w, "  %-24s your vendor auth code (lower-case hex), sent in the form body\n\nFlags:\n", envAuthCode)
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
// getenv or an in-process test server, updates the coupon(s) and prints
// the outcome.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	opts := []paddle.Option{paddle.WithUserAgent("couponkit-example")}
	if o.verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, paddle.WithLogger(logger))
	}
	vendorID, authCode := getenv(envVendorID), getenv(envAuthCode)
	var client *paddle.Client
	var demo *paddletest.Server
	var show string // demo only: the coupon to print after the update
	switch {
	case vendorID == "" && authCode == "":
		demo = paddletest.NewServer()
		defer demo.Close()
		show = seed(demo, &o.req)
		fmt.Fprintln(stderr, "no PADDLE_* credentials set: running against an in-process paddletest server")
		client = demo.Client(opts...)
	case vendorID == "" || authCode == "":
		return &usageError{"set both " + envVendorID + " and " + envAuthCode + ", or neither for the offline demo"}
	default:
		if !o.targetSet {
			return &usageError{"--coupon-code or --group is required with real credentials (the default only names the demo coupon)"}
		}
		id, err := strconv.Atoi(vendorID)
		if err != nil {
			return &usageError{envVendorID + " must be a number"}
		}
		if o.sandbox {
			opts = append(opts, paddle.WithSandbox())
		}
		if o.baseURL != "" {
			opts = append(opts, paddle.WithBaseURL(o.baseURL))
		}
		if client, err = paddle.NewClient(id, authCode, opts...); err != nil {
			return &usageError{err.Error()}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return explain(err, o.timeout)
	}
	if o.req.NewCouponCode != "" {
		show = o.req.NewCouponCode
	}
	return printResult(stdout, &o.req, resp, demo, show)
}

// seed stores the coupon(s) the request addresses in the demo server: a
// 10% coupon with one product, expiring in 30 days (two of them for a
// group). It returns the code of the first.
func seed(srv *paddletest.Server, r *paddle.UpdateCouponRequest) string {
	expires := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 30)
	c := paddletest.Coupon{
		Code: r.CouponCode, Group: "summer", ProductIDs: []int{499531}, Expires: &expires,
		AllowedUses: 100, DiscountType: paddletest.Percentage, DiscountAmount: 10,
	}
	if r.Currency != "" { // a currency only makes sense for a flat coupon
		c.DiscountType, c.Currency = paddletest.Flat, r.Currency
	}
	if r.Group != "" {
		c.Group = r.Group
		for i := 2; i >= 1; i-- {
			c.Code = fmt.Sprintf("DEMO-%s-%d", strings.ToUpper(r.Group), i)
			srv.AddCoupon(c)
		}
		return c.Code
	}
	srv.AddCoupon(c)
	return c.Code
}

// printResult writes how many coupons changed and, against the demo server,
// the coupon show as it is now (Paddle's answer carries only a count).
func printResult(w io.Writer, r *paddle.UpdateCouponRequest, resp *paddle.UpdateCouponResponse, demo *paddletest.Server, show string) error {
	target := "coupon " + r.CouponCode
	if r.Group != "" {
		target = "group " + r.Group
	}
	fmt.Fprintf(w, "updated %s: Paddle changed %d coupon(s)\n", target, resp.Updated)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if c, ok := lookup(demo, show); ok {
		expires := "never"
		if c.Expires != nil {
			expires = c.Expires.Format(time.DateOnly)
		}
		discount := fmt.Sprintf("%g%%", c.DiscountAmount)
		if c.DiscountType == paddletest.Flat {
			discount = fmt.Sprintf("%.2f %s", c.DiscountAmount, c.Currency)
		}
		fmt.Fprintf(tw, "  code\t%s\n  group\t%s\n  products\t%v\n  expires\t%s\n", c.Code, c.Group, c.ProductIDs, expires)
		fmt.Fprintf(tw, "  discount\t%s\n  allowed uses\t%d\n  recurring\t%t\n", discount, c.AllowedUses, c.Recurring)
	}
	fmt.Fprintf(tw, "  attempts\t%d\n", resp.Meta.Attempts)
	return tw.Flush()
}

// lookup reads a coupon from the demo server; false without one.
func lookup(demo *paddletest.Server, code string) (paddletest.Coupon, bool) {
	if demo == nil || code == "" {
		return paddletest.Coupon{}, false
	}
	return demo.Coupon(code)
}

// explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As.
func explain(err error, timeout time.Duration) error {
	var ve *paddle.ValidationError
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
	case errors.Is(err, paddle.ErrUnauthorized):
		hint = "Paddle refused the credentials: check " + envVendorID + " and " + envAuthCode + " (and --sandbox)"
	case errors.Is(err, paddle.ErrForbidden):
		hint = "these credentials may not update this vendor's coupons"
	case errors.Is(err, paddle.ErrNotFound):
		hint = "Paddle has no coupon with that --coupon-code or --group (or a product id is unknown)"
	case errors.Is(err, paddle.ErrConflict):
		hint = "that code is already taken"
	case errors.Is(err, paddle.ErrRateLimited):
		hint = "rate limited, and the retries are spent: try again later"
	case errors.Is(err, paddle.ErrServer):
		hint = "Paddle failed, and the retries are spent (a rename is never retried): check the coupon, then try again"
	case errors.Is(err, paddle.ErrInvalidRequest):
		hint = "Paddle refused a value"
	default:
		hint = "the update failed"
	}
	var apiErr *paddle.APIError
	if errors.As(err, &apiErr) {
		hint += fmt.Sprintf(" (HTTP %d", apiErr.StatusCode)
		if apiErr.Code != "" {
			hint += ", Paddle error " + apiErr.Code
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
