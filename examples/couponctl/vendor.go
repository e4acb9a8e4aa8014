package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// vendor is everything couponctl needs from one vendor; each lives in its
// own file (vendor_bigcommerce.go, ...), and the commands are written once
// against this interface.
type vendor interface {
	// name is the -vendor value.
	name() string
	// keys describes the coupon key.
	keys() keySyntax
	// reads reports whether the SDK can read a coupon (GetCoupon,
	// ModifyCoupons): then sets go through ModifyCoupons, relative values
	// work, and undo is available.
	reads() bool
	// noUndo explains why undo is not available (vendors without reads).
	noUndo() string
	// env lists the environment variables holding the credentials.
	env() []envVar
	// fieldDocs lists the settable fields.
	fieldDocs() []fieldDoc
	// hasField reports whether name is a settable field.
	hasField(name string) bool
	// parseSetting parses one field=value (op "="), field+=value or
	// field-=value for this vendor, checked by the vendor's own rules.
	parseSetting(field, op, raw string) (setting, error)
	// showChange writes a change's wire value for people (dates in ISO).
	showChange(field string, raw []byte) string
	// identity names the store the environment's credentials reach
	// ("store abc123", "account mystore", "demo"); never a credential.
	identity(getenv func(string) string, demo bool) string
	// filters lists the list filters the vendor's ListCoupons takes.
	filters() []string
	// needFilters lists the filters a listing requires.
	needFilters() []string
	// connect returns a session on real credentials from getenv, or on an
	// in-process test server for -demo.
	connect(cfg *connectConfig) (session, error)
}

// envVar is an environment variable holding a credential.
type envVar struct {
	Name, Doc string
}

// connectConfig is how to reach the vendor.
type connectConfig struct {
	getenv  func(string) string
	demo    bool
	baseURL string
	http    *http.Client // counts requests and rate-limit answers
	logger  *slog.Logger // nil unless -verbose
	notice  io.Writer    // where the demo says what it runs against
	// demoState is -demo-state: the file the demo store is kept in.
	demoState string
	// afterWrite registers a func run after every request that may change
	// a coupon (the demo store's save); nil funcs are ignored.
	afterWrite func(func())
}

// session is a connected vendor.
type session interface {
	// list yields the coupons matching f, as rows.
	list(ctx context.Context, f filterSet) iter.Seq2[row, error]
	// run changes the items and yields one result per finished item, in
	// completion order; breaking out of the loop stops new requests.
	run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result]
	// close releases the session (stops a demo server).
	close()
	// limited returns how many rate-limit answers the demo server sent
	// (Paddle's error 189 included), or -1 when not on a demo server.
	limited() int
}

// runOptions tune a run.
type runOptions struct {
	dryRun      bool
	concurrency int
	rps         float64
	// rate is called with the vendor's latest rate-limit window.
	rate func(limit, remaining int, resetIn time.Duration)
	// sending is the journal's write-ahead mark; nil for none.
	sending func(key string, cs []change)
	// stopping reports whether the run is stopping (Ctrl-C).
	stopping func() bool
}

// result is one finished item.
type result struct {
	key     string
	outcome string
	changes []change
	err     error
	// fatal: the vendor refused the credentials; the run stops.
	fatal bool
	// note says more about an outcome ("already restored").
	note string
}

// row is one listed coupon: its key and its fields in wire order.
type row struct {
	key    string
	code   string // what -code-like matches
	fields []col
}

// col is one field of a listed coupon: wire name and value (string,
// number, bool, time, nil, or slices of them).
type col struct {
	name  string
	value any
	table bool // shown in the table (all are in -json)
}

// filterSet is the list filters given: name -> value.
type filterSet map[string]string

// Filters every list takes, applied by couponctl.
const (
	filterCodeLike = "code-like" // glob on the coupon code (path.Match)
	filterLimit    = "limit"     // stop after this many coupons
)

// filterDocs documents every list filter, by name.
var filterDocs = map[string]string{
	"code":         "only the coupon with this `code` (vendor-side)",
	"name":         "only coupons with this `name` (vendor-side)",
	"type":         "only coupons of this `type` (bigcommerce)",
	"min-id":       "only ids >= `id` (bigcommerce)",
	"max-id":       "only ids <= `id` (bigcommerce)",
	"keywords":     "only coupons matching these `words` (jframework)",
	"status":       "only coupons in this `status`: Active, Inactive, Expired, Deleted (jframework)",
	"product":      "the product or plan `id` whose coupons to list; required (paddle)",
	"per-page":     "page size `n` (bigcommerce, jframework, partnero)",
	filterCodeLike: "only codes matching this glob `pattern`, e.g. 'SUMMER*' (couponctl-side)",
	filterLimit:    "stop after `n` coupons",
}

// checkFilters rejects filters the vendor does not take.
func checkFilters(v vendor, f filterSet) error {
	ok := append(v.filters(), filterCodeLike, filterLimit)
	var bad []string
	for name := range f {
		if !slices.Contains(ok, name) {
			bad = append(bad, name)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		sort.Strings(ok)
		return fmt.Errorf("%s's list takes no filter %s; its filters: %s", v.name(), strings.Join(bad, ", "), strings.Join(ok, ", "))
	}
	for _, name := range v.needFilters() {
		if _, ok := f[name]; !ok {
			return fmt.Errorf("%s lists coupons by %s only: give -%s (with -select: %s=...)", v.name(), name, name, name)
		}
	}
	for _, name := range []string{"min-id", "max-id", "per-page", "product", filterLimit} {
		if s, ok := f[name]; ok {
			if n, err := strconv.Atoi(s); err != nil || n < 1 {
				return fmt.Errorf("%s: %q is not a number >= 1", name, s)
			}
		}
	}
	if p, ok := f[filterCodeLike]; ok {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("code-like: bad pattern %q", p)
		}
	}
	return nil
}

// match applies -code-like to a row.
func (f filterSet) match(r row) bool {
	p, ok := f[filterCodeLike]
	if !ok {
		return true
	}
	m, _ := path.Match(p, r.code)
	return m
}

// vendors is every vendor couponctl knows, by -vendor name.
func vendors() []vendor {
	return []vendor{bigcommerceVendor, jframeworkVendor, paddleVendor, partneroVendor, utmcouponVendor}
}

// vendorNames lists the -vendor values.
func vendorNames() string {
	var names []string
	for _, v := range vendors() {
		names = append(names, v.name())
	}
	return strings.Join(names, ", ")
}

// findVendor returns the vendor named name.
func findVendor(name string) (vendor, error) {
	if name == "" {
		return nil, fmt.Errorf("-vendor is required: one of %s", vendorNames())
	}
	for _, v := range vendors() {
		if v.name() == name {
			return v, nil
		}
	}
	return nil, fmt.Errorf("unknown -vendor %q: one of %s", name, vendorNames())
}

// credentials reads the vendor's environment variables. All must be set;
// none is ever printed. For -demo they are not read.
func credentials(v vendor, getenv func(string) string) ([]string, error) {
	var vals, missing []string
	for _, e := range v.env() {
		val := getenv(e.Name)
		if val == "" {
			missing = append(missing, e.Name)
		}
		vals = append(vals, val)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s needs %s in the environment (or run with -demo against an in-process test server)",
			v.name(), strings.Join(missing, " and "))
	}
	return vals, nil
}
