// Command paddle updates one Paddle Classic coupon (or every coupon of a
// group) from command-line flags, through the couponkit paddle package.
//
//	go run ./examples/paddle -h
//	go run ./examples/paddle                           # offline demo
//	PADDLE_VENDOR_ID=12345 PADDLE_VENDOR_AUTH_CODE=... go run ./examples/paddle --sandbox \
//	    --coupon-code SUMMER2026 --expires 2026-09-30 --discount-amount 15
package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
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

// program describes the command for -h and its error messages.
var program = &cli.Program{
	Name:  "paddle",
	About: about,
	Env: []cli.EnvVar{
		{Name: envVendorID, Doc: "your vendor ID (Developer Tools > Authentication)"},
		{Name: envAuthCode, Doc: "your vendor auth code (lower-case hex), sent in the form body"},
	},
	EnvWidth: 24,
}

// hints say what each kind of failed update means for Paddle.
var hints = cli.Hints{
	Unauthorized:   "Paddle refused the credentials: check " + envVendorID + " and " + envAuthCode + " (and --sandbox)",
	Forbidden:      "these credentials may not update this vendor's coupons",
	NotFound:       "Paddle has no coupon with that --coupon-code or --group (or a product id is unknown)",
	Conflict:       "that code is already taken",
	Server:         "Paddle failed, and the retries are spent (a rename is never retried): check the coupon, then try again",
	InvalidRequest: "Paddle refused a value",
	Detail: func(e *paddle.APIError) string {
		d := fmt.Sprintf(" (HTTP %d", e.StatusCode)
		if e.Code != "" {
			d += ", Paddle error " + e.Code
		}
		return d + fmt.Sprintf(", %d attempt(s))", e.Attempts)
	},
}

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() { program.Main(run) }

// options are the parsed flags.
type options struct {
	req       paddle.UpdateCouponRequest
	targetSet bool // --coupon-code or --group was given
	sandbox   bool
	cli.Common
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := program.NewFlagSet()
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
	o.Register(fs, "send requests to this `URL` instead of "+paddle.DefaultBaseURL+"\n(a proxy or test server); only used with credentials")

	if err := program.Parse(fs, args, stdout); err != nil {
		return nil, err
	}
	o.sandbox = *sandbox
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
				return nil, cli.Usage(fmt.Sprintf("--product-ids: %q is not a list of numeric ids", *products))
			}
			r.ProductIDs = append(r.ProductIDs, id)
		}
	}
	if *expires != "" {
		t, err := cli.ParseTime(*expires)
		if err != nil {
			return nil, cli.Usage("--expires: " + err.Error())
		}
		r.Expires = &t
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	return o, nil
}

// run is the whole program: it parses args, picks real credentials from
// getenv or an in-process test server, updates the coupon(s) and prints
// the outcome.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return cli.UnlessHelp(err)
	}

	opts := []paddle.Option{paddle.WithUserAgent("couponkit-example")}
	if o.Verbose {
		opts = append(opts, paddle.WithLogger(cli.DebugLogger(stderr)))
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
		return cli.Usage("set both " + envVendorID + " and " + envAuthCode + ", or neither for the offline demo")
	default:
		if !o.targetSet {
			return cli.Usage("--coupon-code or --group is required with real credentials (the default only names the demo coupon)")
		}
		id, err := strconv.Atoi(vendorID)
		if err != nil {
			return cli.Usage(envVendorID + " must be a number")
		}
		if o.sandbox {
			opts = append(opts, paddle.WithSandbox())
		}
		if o.BaseURL != "" {
			opts = append(opts, paddle.WithBaseURL(o.BaseURL))
		}
		if client, err = paddle.NewClient(id, authCode, opts...); err != nil {
			return cli.Usage(err.Error())
		}
	}

	ctx, cancel := o.Context()
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return cli.Explain(err, o.Timeout, hints)
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
