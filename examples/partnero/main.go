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
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
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

// program describes the command for -h and its error messages.
var program = &cli.Program{
	Name:     "partnero",
	About:    about,
	Env:      []cli.EnvVar{{Name: envAPIKey, Doc: "the program's API key (Integrations page), sent as a Bearer token"}},
	EnvWidth: 18,
}

// hints say what each kind of failed update means for Partnero.
var hints = cli.Hints{
	Unauthorized:   "Partnero refused the API key: check " + envAPIKey,
	Forbidden:      "the API key may not update this program's coupons",
	NotFound:       "the program has no coupon with that --uuid-code",
	Conflict:       "the update conflicts with the coupon's state",
	Server:         "Partnero failed, and the retries are spent (a redemption without --transaction-key is never retried): check the coupon, then try again",
	InvalidRequest: "Partnero refused a value",
}

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() { program.Main(run) }

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
	cli.Common
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := program.NewFlagSet()
	uuid := fs.String("uuid-code", "coupon_123", "`uuid_code` of the coupon to update (required with a real API key)")
	name := fs.String("name", "", "rename the coupon: its new customer-facing `name`")
	metadata := &metadataFlag{m: map[string]any{"updated_by": "couponkit-example"}}
	fs.Var(metadata, "metadata", "merge `key=value` into the coupon's metadata; repeat for more keys,\n--metadata= for none")
	redeem := fs.Bool("redeem", false, "record a redemption of the coupon")
	txKey := fs.String("transaction-key", "", "with --redeem: the order's transaction `key`; Partnero counts each key once")
	sync := fs.String("sync", "", "assign a sync `provider`: stripe, shopify, woocommerce or paddle (once per coupon)")
	o.Register(fs, "send requests to this `URL` instead of "+partnero.DefaultBaseURL+"\n(a proxy or test server); only used with an API key")

	if err := program.Parse(fs, args, stdout); err != nil {
		return nil, err
	}
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
			return nil, cli.Usage("--transaction-key needs --redeem")
		}
		o.req.TransactionKey = txKey
	}
	if *sync != "" {
		o.req.Sync = &partnero.Sync{Provider: partnero.SyncProvider(*sync)}
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	return o, nil
}

// run is the whole program: it parses args, picks the real API key from
// getenv or an in-process test server, updates the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return cli.UnlessHelp(err)
	}

	opts := []partnero.Option{partnero.WithUserAgent("couponkit-example")}
	if o.Verbose {
		opts = append(opts, partnero.WithLogger(cli.DebugLogger(stderr)))
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
			return cli.Usage("--uuid-code is required with a real API key (its default only names the demo coupon)")
		}
		if o.BaseURL != "" {
			opts = append(opts, partnero.WithBaseURL(o.BaseURL))
		}
		if client, err = partnero.NewClient(apiKey, opts...); err != nil {
			return cli.Usage(err.Error())
		}
	}

	ctx, cancel := o.Context()
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return cli.Explain(err, o.Timeout, hints)
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
