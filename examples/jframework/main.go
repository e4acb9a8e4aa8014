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
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/couponkit/couponkit/examples/internal/cli"
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

// program describes the command for -h and its error messages.
var program = &cli.Program{
	Name:  "jframework",
	About: about,
	Env: []cli.EnvVar{
		{Name: envBrandURL, Doc: "the brand's URL, sent as the Brand-URL header"},
		{Name: envAuthKey, Doc: "the brand's API key, sent as the Auth-Key header"},
	},
	EnvWidth: 21,
}

// hints say what each kind of failed update means for JFramework.
var hints = cli.Hints{
	Unauthorized:   "JFramework refused the credentials: check " + envBrandURL + " and " + envAuthKey,
	Forbidden:      "the key may not update this brand's coupons",
	NotFound:       "the brand has no coupon with that --id",
	Conflict:       "another coupon already uses that --code",
	Server:         "JFramework failed, and the retries are spent: try again later",
	InvalidRequest: "JFramework refused a value",
	Detail: func(e *jframework.APIError) string {
		d := fmt.Sprintf(" (HTTP %d", e.StatusCode)
		if e.Code != "" {
			d += ", code " + e.Code
		}
		if e.RequestID != "" {
			d += ", correlation id " + e.RequestID
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
	req   jframework.UpdateCouponRequest
	idSet bool
	cli.Common
}

// defaultLength is how long the coupon runs when --end is not given.
const defaultLength = 90 // days

// parseFlags reads args into options. For -h it prints the usage to stdout
// and returns flag.ErrHelp. The default dates are relative to now: --start
// is today (00:00 UTC) and --end 90 days after --start, so the demo never
// sends a coupon that has already ended.
func parseFlags(args []string, stdout io.Writer, now time.Time) (*options, error) {
	o := &options{}
	fs := program.NewFlagSet()
	id := fs.String("id", "sApKpllz4sAplsmzha", "`id` of the coupon to update (required with real credentials)")
	name := fs.String("name", "Summer 15", "coupon `name`; required")
	code := fs.String("code", "SUMMER15", "coupon `code`, unique in the brand; required")
	percentage := fs.Float64("percentage", 15, "discount `percent`, 0 to 100; -1 sends null")
	quantity := fs.Int("quantity", 500, "how many times the coupon can be used; -1 sends null")
	start := fs.String("start", "", "start `date`, YYYY-MM-DD (00:00 UTC) or RFC 3339 with its offset (default today)")
	end := fs.String("end", "", "end `date`, YYYY-MM-DD (00:00 UTC) or RFC 3339, not before --start\n(default 90 days after --start)")
	autoApply := fs.Bool("auto-apply", false, "apply the coupon to prices automatically")
	description := fs.String("description", "", "free-text `description`; empty sends null")
	tags := fs.String("tags", "", "free-text `tags`, e.g. \"summer, email\"; empty sends null")
	status := fs.String("status", string(jframework.StatusActive), "`status`: Active, Inactive, Expired or Deleted; empty keeps the current one")
	testMode := fs.Bool("test-mode", false, "mark the coupon as a test coupon")
	o.Register(fs, "send requests to this `URL` instead of "+jframework.DefaultBaseURL+"\n(e.g. https://protocol.jframework.dev, a proxy or a test server); only used with credentials")

	if err := program.Parse(fs, args, stdout); err != nil {
		return nil, err
	}
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
	r.StartDate = now.UTC().Truncate(24 * time.Hour)
	if *start != "" {
		if r.StartDate, err = cli.ParseTime(*start); err != nil {
			return nil, cli.Usage("--start: " + err.Error())
		}
	}
	r.EndDate = r.StartDate.AddDate(0, 0, defaultLength)
	if *end != "" {
		if r.EndDate, err = cli.ParseTime(*end); err != nil {
			return nil, cli.Usage("--end: " + err.Error())
		}
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	return o, nil
}

// run is the whole program: it parses args, picks real credentials from
// getenv or an in-process test server, updates the coupon and prints it.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stdout, time.Now())
	if err != nil {
		return cli.UnlessHelp(err)
	}

	opts := []jframework.Option{jframework.WithUserAgent("couponkit-example")}
	if o.Verbose {
		opts = append(opts, jframework.WithLogger(cli.DebugLogger(stderr)))
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
		return cli.Usage("set both " + envBrandURL + " and " + envAuthKey + ", or neither for the offline demo")
	default:
		if !o.idSet {
			return cli.Usage("--id is required with real credentials (its default only names the demo coupon)")
		}
		if o.BaseURL != "" {
			opts = append(opts, jframework.WithBaseURL(o.BaseURL))
		}
		if client, err = jframework.NewClient(brandURL, authKey, opts...); err != nil {
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
