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
	"flag"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
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

// program describes the command for -h and its error messages.
var program = &cli.Program{
	Name:  "utmcoupon",
	About: about,
	Env: []cli.EnvVar{
		{Name: envAccount, Doc: "the account name, mystore in https://mystore.vtexcommercestable.com.br"},
		{Name: envAppKey, Doc: "an application key whose role has the Promotions & Taxes permission"},
		{Name: envAppToken, Doc: "that key's application token"},
	},
	EnvWidth: 18,
}

// hints say what each kind of failed upsert means for VTEX.
var hints = cli.Hints{
	Unauthorized:   "VTEX wants credentials: check " + envAppKey + " and " + envAppToken,
	Forbidden:      "VTEX refused the key and token, or their role lacks the Promotions & Taxes permission",
	NotFound:       "VTEX does not know this account or environment: check " + envAccount + " and --environment",
	Conflict:       "the coupon conflicts with another one",
	Server:         "VTEX failed, and the retries are spent: try again later",
	InvalidRequest: "VTEX refused a value",
}

// main runs the program with the real command line, environment and
// standard streams, and exits 2 for a bad command line, 1 for a failed
// update.
func main() { program.Main(run) }

// options are the parsed flags.
type options struct {
	req         utmcoupon.UpdateCouponRequest
	codeSet     bool
	environment string
	cli.Common
}

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp.
func parseFlags(args []string, stdout io.Writer) (*options, error) {
	o := &options{}
	fs := program.NewFlagSet()
	code := fs.String("coupon-code", "SUMMER15", "the coupon's `code`, which keys the upsert (required with real credentials)")
	source := fs.String("utm-source", "newsletter", "the utm_source the coupon is tied to; required")
	campaign := fs.String("utm-campaign", "summer-2026", "the utm_campaign; empty sends null (no campaign)")
	archived := fs.Bool("archived", false, "archive the coupon (not given: the coupon is un-archived)")
	maxItems := fs.Int("max-items-per-client", 1, "most items a client can buy with the coupon")
	interval := fs.String("expiration-interval", "14d", "how long one use of the coupon lasts: Nd for days or a Go `duration`\nsuch as 36h; 0 for none")
	maxUsage := fs.Int("max-usage", 500, "how often the coupon can be used in total; -1 sends null (no cap)")
	environment := fs.String("environment", utmcoupon.DefaultEnvironment, "VTEX `environment` in https://{account}.{environment}.com.br")
	o.Register(fs, "send requests to this `URL` instead of the account's VTEX host\n(a proxy or test server); only used with credentials")

	if err := program.Parse(fs, args, stdout); err != nil {
		return nil, err
	}
	o.environment = *environment
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
		return nil, cli.Usage("--expiration-interval: " + err.Error())
	}
	r.ExpirationIntervalPerUse = d
	if err := o.Check(); err != nil {
		return nil, err
	}
	return o, nil
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
	if err != nil {
		return cli.UnlessHelp(err)
	}

	opts := []utmcoupon.Option{utmcoupon.WithUserAgent("couponkit-example")}
	if o.Verbose {
		opts = append(opts, utmcoupon.WithLogger(cli.DebugLogger(stderr)))
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
			return cli.Usage("--coupon-code is required with real credentials (its default only names the demo coupon)")
		}
		opts = append(opts, utmcoupon.WithEnvironment(o.environment))
		if o.BaseURL != "" {
			opts = append(opts, utmcoupon.WithBaseURL(o.BaseURL))
		}
		if client, err = utmcoupon.NewClient(creds[envAccount], creds[envAppKey], creds[envAppToken], opts...); err != nil {
			return cli.Usage(err.Error())
		}
	default:
		return cli.Usage("set all of " + envAccount + ", " + envAppKey + " and " + envAppToken +
			", or none for the offline demo (missing: " + strings.Join(missing, ", ") + ")")
	}

	ctx, cancel := o.Context()
	defer cancel()
	resp, err := client.UpdateCoupon(ctx, &o.req)
	if err != nil {
		return cli.Explain(err, o.Timeout, hints)
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
