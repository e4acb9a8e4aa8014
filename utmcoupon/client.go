package utmcoupon

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/couponkit/couponkit/internal/modify"
	"github.com/couponkit/couponkit/internal/transport"
)

// DefaultEnvironment is the VTEX environment of the default host
// https://{accountName}.vtexcommercestable.com.br.
const DefaultEnvironment = "vtexcommercestable"

// couponPath is the upsert endpoint.
const couponPath = "/api/rnb/pvt/coupon"

// hostLabelRE is one DNS label: 1 to 63 letters, digits and hyphens, not
// starting or ending with a hyphen. Account names and environments become
// part of the host, so nothing else may pass ("evil.com/x", "a@b", "a:80").
var hostLabelRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// Client reads, lists, updates and modifies coupons of one VTEX account. It
// is safe for concurrent use by many goroutines and holds no mutable state.
type Client struct {
	t   *transport.Client
	ops *modify.Ops[string, Coupon, UpdateCouponRequest] // ModifyCoupon's, built once
}

// Option configures a Client; NewClient validates every option.
type Option func(*config) error

type config struct {
	transport.Settings
	environment string
	baseURLSet  bool // WithBaseURL replaces the account-derived host
}

// WithBaseURL sends requests to another host (a proxy or a test server such
// as utmcoupontest) instead of https://{accountName}.{environment}.com.br;
// it overrides WithEnvironment. It must be an absolute http(s) URL.
// A plain http:// URL is refused (a NewClient error naming WithBaseURL)
// unless its host is localhost or a loopback address, such as the test
// servers' 127.0.0.1, or WithInsecureHTTP is given too: the credentials
// must never cross the network in clear text.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		if err := c.SetBaseURL(rawURL); err != nil {
			return err
		}
		c.baseURLSet = true
		return nil
	}
}

// WithInsecureHTTP allows WithBaseURL to name a plain http:// URL on a host
// other than localhost or a loopback address. Without it such a URL is
// refused by NewClient, because the credentials would cross the network in
// clear text (a typo in a configuration is all it takes). Use it only for a
// TLS-terminating proxy on the same machine, reached by a name or address
// that is not a loopback one.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.SetInsecureHTTP()
		return nil
	}
}

// WithEnvironment replaces the environment in the default host
// https://{accountName}.{environment}.com.br (default "vtexcommercestable").
// Like the account name it must be one DNS label (letters, digits and
// hyphens), so that it cannot change the host the credentials go to. It has
// no effect together with WithBaseURL.
func WithEnvironment(env string) Option {
	return func(c *config) error {
		if !hostLabelRE.MatchString(env) {
			return errors.New("utmcoupon: WithEnvironment: environment must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen")
		}
		c.environment = env
		return nil
	}
}

// WithHTTPClient uses hc's Transport and Timeout. hc itself is never
// mutated; redirects to another host are never followed, so the app key and
// token never reach it.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithRetryPolicy replaces the default policy (3 retries, 500ms first
// backoff, 30s cap).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error { return c.SetRetryPolicy(p) }
}

// WithLogger logs one debug line per HTTP attempt. Without it nothing is
// logged at all. Credentials never appear in log lines.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithUserAgent prepends product to the User-Agent "couponkit-go/<version>".
func WithUserAgent(product string) Option {
	return func(c *config) error { return c.SetProduct(product) }
}

// NewClient returns a client for the VTEX account accountName (the first
// label of https://{accountName}.vtexcommercestable.com.br) authenticating
// with an application key and token, sent as the X-VTEX-API-AppKey and
// X-VTEX-API-AppToken headers. The key's role needs the Promotions & Taxes
// permission, or every call answers 403.
//
// accountName must be one DNS label (1 to 63 letters, digits or hyphens,
// not starting or ending with a hyphen); appKey and appToken must be
// non-empty single-line values. Errors never repeat the values passed.
func NewClient(accountName, appKey, appToken string, opts ...Option) (*Client, error) {
	if !hostLabelRE.MatchString(accountName) {
		return nil, errors.New("utmcoupon: accountName must be a DNS label: 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen")
	}
	if !transport.ValidHeaderValue(appKey) {
		return nil, errors.New("utmcoupon: appKey must be a non-empty single-line value")
	}
	if !transport.ValidHeaderValue(appToken) {
		return nil, errors.New("utmcoupon: appToken must be a non-empty single-line value")
	}
	cfg := config{Settings: transport.NewVendorSettings("utmcoupon", ""), environment: DefaultEnvironment}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("utmcoupon: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if !cfg.baseURLSet {
		cfg.BaseURL = "https://" + accountName + "." + cfg.environment + ".com.br"
	}
	t, err := transport.New(transport.Vendor{
		Name: "utmcoupon",
		// Canonical header keys: HTTP header names are case-insensitive,
		// and VTEX documents them as X-VTEX-API-AppKey / -AppToken.
		Header: http.Header{
			"X-Vtex-Api-Appkey":   {appKey},
			"X-Vtex-Api-Apptoken": {appToken},
			"Content-Type":        {"application/json"},
		},
		Secrets:     []string{appToken, appKey},
		DecodeError: decodeError,
		RateLimit: transport.RateLimitHeaders{
			Limit:     "Ratelimit-Limit",
			Remaining: "Ratelimit-Remaining",
			Reset:     "Ratelimit-Reset",
			ResetUnit: time.Second,
		},
	}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t}
	c.ops = c.modifyOps()
	return c, nil
}
