// Command partnero updates one Partnero coupon from command-line flags,
// through the couponkit partnero package: rename it, merge metadata, record
// a redemption or assign a sync provider.
//
//	go run ./examples/partnero -h
//	go run ./examples/partnero                         # offline demo
//	PARTNERO_API_KEY=... go run ./examples/partnero --uuid-code coupon_123 \
//	    --redeem --transaction-key order_4561
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
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/partnero"
	"github.com/couponkit/couponkit/partnero/partnerotest"
)

// envAPIKey is the environment variable holding the API key.
const envAPIKey = "PARTNERO_API_KEY"

const about = `Updates one coupon of a Partnero program (PUT /v1/coupons, the coupon named by its
uuid_code) and prints the coupon as Partnero returns it. Only the fields you give are sent:
--name renames the coupon, --metadata merges keys into its metadata (keys not given stay),
--redeem records a redemption and --sync assigns a sync provider. Give --transaction-key
with --redeem: Partnero then counts the order once however often the request is repeated,
and the client may safely retry it (without a key, a redemption is never retried after a
server error, because it could count twice). Credentials are read from PARTNERO_API_KEY.
When it is not set, the program starts an in-process partnerotest server holding a coupon
with that uuid_code and runs against it, so it works offline; with the key, --uuid-code
must be given explicitly.`

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "partnero:", err)
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

// metadataFlag collects repeated --metadata key=value flags. Its default
// is replaced, not extended, by the first --metadata given.
type metadataFlag struct {
	m   map[string]any
	set bool
}

// String lists the pairs in key order.
func (f *metadataFlag) String() string {
	if f == nil {
		return ""
	}
	keys := make([]string, 0, len(f.m))
	for k := range f.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = fmt.Sprint(k, "=", f.m[k])
	}
	return strings.Join(keys, ",")
}

// Set adds one key=value pair; an empty value clears the list.
func (f *metadataFlag) Set(s string) error {
	if !f.set {
		f.m, f.set = map[string]any{}, true
	}
	if s == "" {
		clear(f.m)
		return nil
	}
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return errors.New("want key=value")
	}
	f.m[k] = v
	return nil
}

// options are the parsed flags.
type options struct {
	req     partnero.UpdateCouponRequest
	uuidSet bool
	timeout time.Duration
	verbose bool
	baseURL string
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	fs := flag.NewFlagSet("partnero", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints below
	uuid := fs.String("uuid-code", "coupon_123", "`uuid_code` of the coupon to update (required with a real API key)")
	name := fs.String("name", "", "rename the coupon: its new customer-facing `name`")
	metadata := &metadataFlag{m: map[string]any{"updated_by": "couponkit-example"}}
	fs.Var(metadata, "metadata", "merge `key=value` into the coupon's metadata; repeat for more keys,\n--metadata= for none")
	redeem := fs.Bool("redeem", false, "record a redemption of the coupon")
	txKey := fs.String("transaction-key", "", "with --redeem: the order's transaction `key`; Partnero counts each key once")
	sync := fs.String("sync", "", "assign a sync `provider`: stripe, shopify, woocommerce or paddle (once per coupon)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `duration`, retries included")
	verbose := fs.Bool("verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	baseURL := fs.String("base-url", "", "send requests to this `URL` instead of "+partnero.DefaultBaseURL+"\n(a proxy or test server); only used with an API key")

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
	o.req.UUIDCode = *uuid
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "uuid-code":
			o.uuidSet = true
		case "name":
			o.req.Name = name
		}
	})
	if len(metadata.m) > 0 {
		o.req.Metadata = metadata.m
	}
	if *redeem {
		o.req.Redeem = redeem
	}
	if *txKey != "" {
		if !*redeem {
			return nil, &usageError{"--transaction-key needs --redeem"}
		}
		o.req.TransactionKey = txKey
	}
	if *sync != "" {
		o.req.Sync = &partnero.Sync{Provider: partnero.SyncProvider(*sync)}
	}
	if o.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive"}
	}
	return o, nil
}

// printUsage writes the description, the environment and every flag.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/partnero [flags]\n\n%s\n\n", about)
	fmt.Fprintf(w, "Environment:\n  %-18s the program's API key (Integrations page), sent as a Bearer token\n\nFlags:\n", envAPIKey)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// run is the whole program: it parses args, picks the real API key from
// getenv or an in-process test server, updates the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}

	opts := []partnero.Option{partnero.WithUserAgent("couponkit-example")}
	if o.verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, partnero.WithLogger(logger))
	}
	var client *partnero.Client
	if apiKey := getenv(envAPIKey); apiKey == "" {
		srv := partnerotest.NewServer()
		defer srv.Close()
		srv.AddCoupon(partnero.Coupon{
			UUIDCode: o.req.UUIDCode, Name: "PARTNERO25", Active: true, DiscountType: "percent",
			DiscountAmount: 25, DurationType: "once", Metadata: map[string]any{"campaign": "spring"},
		})
		fmt.Fprintln(stderr, "no PARTNERO_API_KEY set: running against an in-process partnerotest server")
		client = srv.Client(opts...)
	} else {
		if !o.uuidSet {
			return &usageError{"--uuid-code is required with a real API key (its default only names the demo coupon)"}
		}
		if o.baseURL != "" {
			opts = append(opts, partnero.WithBaseURL(o.baseURL))
		}
		if client, err = partnero.NewClient(apiKey, opts...); err != nil {
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
func printCoupon(w io.Writer, resp *partnero.UpdateCouponResponse) error {
	c := resp.Coupon
	fmt.Fprintf(w, "updated coupon %s: %s\n", c.UUIDCode, resp.Message)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  name\t%s\n  active\t%t\n  discount\t%g %s, %s\n", c.Name, c.Active, c.DiscountAmount, c.DiscountType, c.DurationType)
	fmt.Fprintf(tw, "  times redeemed\t%d\n", c.TimesRedeemed)
	if n := len(c.Redemptions); n > 0 {
		last := c.Redemptions[n-1]
		key := last.TransactionKey
		if key == "" {
			key = "no transaction key"
		}
		fmt.Fprintf(tw, "  last redemption\t%s (%s)\n", last.RedeemedAt.Format(time.RFC3339), key)
	}
	keys := make([]string, 0, len(c.Metadata))
	for k := range c.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = fmt.Sprint(k, "=", c.Metadata[k])
	}
	fmt.Fprintf(tw, "  metadata\t%s\n", strings.Join(keys, " "))
	if resp.Sync.Enabled {
		fmt.Fprintf(tw, "  sync\tsuccessful=%t %s\n", resp.Sync.Successful, resp.Sync.Message)
	}
	fmt.Fprintf(tw, "  attempts\t%d\n", resp.Meta.Attempts)
	return tw.Flush()
}

// explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As.
func explain(err error, timeout time.Duration) error {
	var ve *partnero.ValidationError
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
	case errors.Is(err, partnero.ErrUnauthorized):
		hint = "Partnero refused the API key: check " + envAPIKey
	case errors.Is(err, partnero.ErrForbidden):
		hint = "the API key may not update this program's coupons"
	case errors.Is(err, partnero.ErrNotFound):
		hint = "the program has no coupon with that --uuid-code"
	case errors.Is(err, partnero.ErrConflict):
		hint = "the update conflicts with the coupon's state"
	case errors.Is(err, partnero.ErrRateLimited):
		hint = "rate limited, and the retries are spent: try again later"
	case errors.Is(err, partnero.ErrServer):
		hint = "Partnero failed, and the retries are spent (a redemption without --transaction-key is never retried): check the coupon, then try again"
	case errors.Is(err, partnero.ErrInvalidRequest):
		hint = "Partnero refused a value"
	default:
		hint = "the update failed"
	}
	var apiErr *partnero.APIError
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
