// Command bigcommerce updates one BigCommerce coupon from command-line
// flags, through the couponkit bigcommerce package.
//
//	go run ./examples/bigcommerce -h
//	go run ./examples/bigcommerce                      # offline demo
//	BIGCOMMERCE_STORE_HASH=abc123 BIGCOMMERCE_ACCESS_TOKEN=... \
//	    go run ./examples/bigcommerce --id 42 --name "Summer sale" --code SUMMER15 \
//	    --type percentage_discount --amount 15 --applies-to categories:0 --expires 2026-09-30
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

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
)

// Environment variables holding the credentials.
const (
	envStoreHash   = "BIGCOMMERCE_STORE_HASH"
	envAccessToken = "BIGCOMMERCE_ACCESS_TOKEN"
)

const about = `Updates one coupon of a BigCommerce store (PUT /stores/{store_hash}/v2/coupons/{id})
and prints the coupon as BigCommerce returns it. The PUT replaces the coupon's name, type,
amount, code and applies_to, so give the values you want to keep; applies_to is always sent
because BigCommerce clears it when a PUT leaves it out. The optional fields (--expires,
--min-purchase, --enabled, --max-uses, --max-uses-per-customer) are sent only when given.
Credentials are read from BIGCOMMERCE_STORE_HASH and BIGCOMMERCE_ACCESS_TOKEN. When neither
is set, the program starts an in-process bigcommercetest server holding a coupon that
matches the flags (amount 10.00 before the update) and runs against it, so it works
offline; with credentials, --id must be given explicitly.`

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bigcommerce:", err)
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
	id                 int
	name, code, typ    string
	amount             string
	appliesTo          *bigcommerce.AppliesTo
	expires            *time.Time
	minPurchase        *string
	enabled            *bool
	maxUses            *int
	maxUsesPerCustomer *int
	idSet              bool
	timeout            time.Duration
	verbose            bool
	baseURL            string
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	fs := flag.NewFlagSet("bigcommerce", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned; -h prints below
	id := fs.Int("id", 1, "`id` of the coupon to update (required with real credentials)")
	name := fs.String("name", "Summer sale", "coupon `name`, at most 100 characters, unique in the store")
	code := fs.String("code", "SUMMER15", "coupon `code` customers enter: letters, digits, spaces, _ and -, at most 50")
	typ := fs.String("type", string(bigcommerce.PercentageDiscount),
		"discount `type`: per_item_discount, percentage_discount, per_total_discount,\nshipping_discount, free_shipping or promotion")
	amount := fs.String("amount", "15.00", "discount `amount` as a decimal, money or percent depending on --type")
	appliesTo := fs.String("applies-to", "categories:0",
		"what the coupon applies to, as `entity:ids`: products:12,34 or categories:5,6\n(categories:0 means all categories); always sent")
	expires := fs.String("expires", "", "new expiry `date`, YYYY-MM-DD (00:00 UTC) or RFC 3339; \"none\" removes the expiry")
	minPurchase := fs.String("min-purchase", "", "minimum order `value` for the coupon, e.g. 50.00")
	enabled := fs.Bool("enabled", true, "enable the coupon, or disable it with --enabled=false; sent only when given")
	maxUses := fs.Int("max-uses", 0, "total uses allowed, 0 for unlimited; sent only when given")
	maxPer := fs.Int("max-uses-per-customer", 0, "uses allowed per customer, 0 for unlimited; sent only when given")
	timeout := fs.Duration("timeout", 30*time.Second, "give up after this `duration`, retries included")
	verbose := fs.Bool("verbose", false, "log every HTTP attempt to stderr (slog, debug level)")
	baseURL := fs.String("base-url", "", "send requests to this `URL` instead of "+bigcommerce.DefaultBaseURL+"\n(a proxy or test server); only used with credentials")

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
	o := &options{
		id: *id, name: *name, code: *code, typ: *typ, amount: *amount,
		timeout: *timeout, verbose: *verbose, baseURL: *baseURL,
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "id":
			o.idSet = true
		case "enabled":
			o.enabled = enabled
		case "max-uses":
			o.maxUses = maxUses
		case "max-uses-per-customer":
			o.maxUsesPerCustomer = maxPer
		}
	})
	var err error
	if o.appliesTo, err = parseAppliesTo(*appliesTo); err != nil {
		return nil, &usageError{"--applies-to: " + err.Error()}
	}
	switch *expires {
	case "":
	case "none":
		o.expires = &time.Time{} // the zero time sends "" and removes the expiry
	default:
		t, err := parseTime(*expires)
		if err != nil {
			return nil, &usageError{"--expires: " + err.Error()}
		}
		o.expires = &t
	}
	if *minPurchase != "" {
		o.minPurchase = minPurchase
	}
	if o.timeout <= 0 {
		return nil, &usageError{"--timeout must be positive"}
	}
	return o, nil
}

// printUsage writes the description, the environment and every flag.
func printUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./examples/bigcommerce [flags]\n\n%s\n\n", about)
	fmt.Fprintf(w, "Environment:\n  %-26s the store hash, abc123 in https://api.bigcommerce.com/stores/abc123/\n", envStoreHash)
	fmt.Fprintf(w, "  %-26s an API account token with the Marketing modify scope\n\nFlags:\n", envAccessToken)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseAppliesTo reads "products:1,2" or "categories:0".
func parseAppliesTo(s string) (*bigcommerce.AppliesTo, error) {
	entity, list, ok := strings.Cut(s, ":")
	if !ok || (entity != bigcommerce.EntityProducts && entity != bigcommerce.EntityCategories) {
		return nil, fmt.Errorf("%q is not products:IDS or categories:IDS", s)
	}
	a := &bigcommerce.AppliesTo{Entity: entity}
	for _, p := range strings.Split(list, ",") {
		id, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("%q is not a list of numeric ids", list)
		}
		a.IDs = append(a.IDs, id)
	}
	return a, nil
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

	opts := []bigcommerce.Option{bigcommerce.WithUserAgent("couponkit-example")}
	if o.verbose {
		logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts = append(opts, bigcommerce.WithLogger(logger))
	}
	storeHash, token := getenv(envStoreHash), getenv(envAccessToken)
	var client *bigcommerce.Client
	switch {
	case storeHash == "" && token == "":
		srv := bigcommercetest.NewServer()
		defer srv.Close()
		srv.AddCoupon(bigcommerce.Coupon{
			ID: o.id, Name: o.name, Code: o.code, Type: bigcommerce.CouponType(o.typ), Amount: "10.0000",
			Enabled: true, AppliesTo: o.appliesTo,
		})
		fmt.Fprintln(stderr, "no BIGCOMMERCE_* credentials set: running against an in-process bigcommercetest server")
		client = srv.Client(opts...)
	case storeHash == "" || token == "":
		return &usageError{"set both " + envStoreHash + " and " + envAccessToken + ", or neither for the offline demo"}
	default:
		if !o.idSet {
			return &usageError{"--id is required with real credentials (its default only names the demo coupon)"}
		}
		if o.baseURL != "" {
			opts = append(opts, bigcommerce.WithBaseURL(o.baseURL))
		}
		if client, err = bigcommerce.NewClient(storeHash, token, opts...); err != nil {
			return &usageError{err.Error()}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: o.id, Name: o.name, Type: bigcommerce.CouponType(o.typ), Amount: o.amount, Code: o.code,
		AppliesTo: o.appliesTo, Expires: o.expires, MinPurchase: o.minPurchase, Enabled: o.enabled,
		MaxUses: o.maxUses, MaxUsesPerCustomer: o.maxUsesPerCustomer,
	})
	if err != nil {
		return explain(err, o.timeout)
	}
	return printCoupon(stdout, resp)
}

// printCoupon writes the key fields of the updated coupon and the exchange.
func printCoupon(w io.Writer, resp *bigcommerce.UpdateCouponResponse) error {
	c := resp.Coupon
	expires := "never"
	if c.Expires != nil {
		expires = c.Expires.Format(time.RFC1123Z)
	}
	applies := "nothing (applies_to is empty)"
	if c.AppliesTo != nil {
		applies = fmt.Sprint(c.AppliesTo.Entity, " ", c.AppliesTo.IDs)
	}
	uses := "unlimited"
	if c.MaxUses > 0 {
		uses = strconv.Itoa(c.MaxUses)
	}
	fmt.Fprintf(w, "updated coupon %d\n", c.ID)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  name\t%s\n  code\t%s\n  type\t%s\n  amount\t%s\n", c.Name, c.Code, c.Type, c.Amount)
	fmt.Fprintf(tw, "  applies to\t%s\n  expires\t%s\n  enabled\t%t\n  uses\t%d of %s\n", applies, expires, c.Enabled, c.NumUses, uses)
	fmt.Fprintf(tw, "  attempts\t%d\n", resp.Meta.Attempts)
	if rl := resp.Meta.RateLimit; rl != nil {
		fmt.Fprintf(tw, "  rate limit\t%d of %d requests left, window resets in %v\n", rl.Remaining, rl.Limit, rl.ResetIn)
	}
	return tw.Flush()
}

// explain turns an UpdateCoupon error into a message that says what went
// wrong and what to do, keeping err in the chain for errors.Is and As.
func explain(err error, timeout time.Duration) error {
	var ve *bigcommerce.ValidationError
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
	case errors.Is(err, bigcommerce.ErrUnauthorized):
		hint = "BigCommerce refused the credentials: check " + envAccessToken + " and " + envStoreHash
	case errors.Is(err, bigcommerce.ErrForbidden):
		hint = "the API account lacks the Marketing modify scope"
	case errors.Is(err, bigcommerce.ErrNotFound):
		hint = "the store has no coupon with that --id"
	case errors.Is(err, bigcommerce.ErrConflict):
		hint = "another coupon already uses that --name or --code"
	case errors.Is(err, bigcommerce.ErrRateLimited):
		hint = "rate limited, and the retries are spent: try again later"
	case errors.Is(err, bigcommerce.ErrServer):
		hint = "BigCommerce failed, and the retries are spent: try again later"
	case errors.Is(err, bigcommerce.ErrInvalidRequest):
		hint = "BigCommerce refused a value"
	default:
		hint = "the update failed"
	}
	var apiErr *bigcommerce.APIError
	if errors.As(err, &apiErr) {
		hint += fmt.Sprintf(" (HTTP %d, %d attempt(s)", apiErr.StatusCode, apiErr.Attempts)
		if apiErr.RequestID != "" {
			hint += ", request id " + apiErr.RequestID
		}
		if apiErr.RetryAfter > 0 {
			hint += fmt.Sprintf(", server asked to wait %v", apiErr.RetryAfter)
		}
		hint += ")"
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
