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
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
	"github.com/couponkit/couponkit/bigcommerce/bigcommercetest"
	"github.com/couponkit/couponkit/examples/internal/cli"
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

// program describes the command for -h and its error messages.
var program = &cli.Program{
	Name:  "bigcommerce",
	About: about,
	Env: []cli.EnvVar{
		{Name: envStoreHash, Doc: "the store hash, abc123 in https://api.bigcommerce.com/stores/abc123/"},
		{Name: envAccessToken, Doc: "an API account token with the Marketing modify scope"},
	},
	EnvWidth: 26,
}

// hints say what each kind of failed update means for BigCommerce.
var hints = cli.Hints{
	Unauthorized:   "BigCommerce refused the credentials: check " + envAccessToken + " and " + envStoreHash,
	Forbidden:      "the API account lacks the Marketing modify scope",
	NotFound:       "the store has no coupon with that --id",
	Conflict:       "another coupon already uses that --name or --code",
	Server:         "BigCommerce failed, and the retries are spent: try again later",
	InvalidRequest: "BigCommerce refused a value",
	Detail: func(e *bigcommerce.APIError) string {
		d := fmt.Sprintf(" (HTTP %d, %d attempt(s)", e.StatusCode, e.Attempts)
		if e.RequestID != "" {
			d += ", request id " + e.RequestID
		}
		if e.RetryAfter > 0 {
			d += fmt.Sprintf(", server asked to wait %v", e.RetryAfter)
		}
		return d + ")"
	},
}

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() { program.Main(run) }

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
	cli.Common
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := program.NewFlagSet()
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
	o.Register(fs, "send requests to this `URL` instead of "+bigcommerce.DefaultBaseURL+"\n(a proxy or test server); only used with credentials")

	if err := program.Parse(fs, args, stdout); err != nil {
		return nil, err
	}
	o.id, o.name, o.code, o.typ, o.amount = *id, *name, *code, *typ, *amount
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
		return nil, cli.Usage("--applies-to: " + err.Error())
	}
	switch *expires {
	case "":
	case "none":
		o.expires = &time.Time{} // the zero time sends "" and removes the expiry
	default:
		t, err := cli.ParseTime(*expires)
		if err != nil {
			return nil, cli.Usage("--expires: " + err.Error())
		}
		o.expires = &t
	}
	if *minPurchase != "" {
		o.minPurchase = minPurchase
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	return o, nil
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

// run is the whole program: it parses args, picks real credentials from
// getenv or an in-process test server, updates the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return cli.UnlessHelp(err)
	}

	opts := []bigcommerce.Option{bigcommerce.WithUserAgent("couponkit-example")}
	if o.Verbose {
		opts = append(opts, bigcommerce.WithLogger(cli.DebugLogger(stderr)))
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
		return cli.Usage("set both " + envStoreHash + " and " + envAccessToken + ", or neither for the offline demo")
	default:
		if !o.idSet {
			return cli.Usage("--id is required with real credentials (its default only names the demo coupon)")
		}
		if o.BaseURL != "" {
			opts = append(opts, bigcommerce.WithBaseURL(o.BaseURL))
		}
		if client, err = bigcommerce.NewClient(storeHash, token, opts...); err != nil {
			return cli.Usage(err.Error())
		}
	}

	ctx, cancel := o.Context()
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &bigcommerce.UpdateCouponRequest{
		ID: o.id, Name: o.name, Type: bigcommerce.CouponType(o.typ), Amount: o.amount, Code: o.code,
		AppliesTo: o.appliesTo, Expires: o.expires, MinPurchase: o.minPurchase, Enabled: o.enabled,
		MaxUses: o.maxUses, MaxUsesPerCustomer: o.maxUsesPerCustomer,
	})
	if err != nil {
		return cli.Explain(err, o.Timeout, hints)
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
