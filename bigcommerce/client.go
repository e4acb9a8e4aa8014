package bigcommerce

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"github.com/couponkit/couponkit/internal/modify"
	"github.com/couponkit/couponkit/internal/transport"
)

// DefaultBaseURL is BigCommerce's API host.
const DefaultBaseURL = "https://api.bigcommerce.com"

var storeHashRE = regexp.MustCompile(`^[a-z0-9]+$`)

// Client updates coupons of one BigCommerce store. It is safe for
// concurrent use by many goroutines and holds no mutable state.
type Client struct {
	t    *transport.Client
	path string // /stores/{storeHash}/v2/coupons
	ops  *modify.Ops[int, Coupon, UpdateCouponRequest]
}

// Option configures a Client; NewClient validates every option.
type Option func(*config) error

type config struct{ transport.Settings }

// WithBaseURL sends requests to another host (a proxy or a test server such
// as bigcommercetest) instead of https://api.bigcommerce.com. It must be an
// absolute http(s) URL.
// A plain http:// URL is refused (a NewClient error naming WithBaseURL)
// unless its host is localhost or a loopback address, such as the test
// servers' 127.0.0.1, or WithInsecureHTTP is given too: the credentials
// must never cross the network in clear text.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error { return c.SetBaseURL(rawURL) }
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

// WithHTTPClient uses hc's Transport and Timeout. hc itself is never
// mutated; redirects to another host are never followed.
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

// NewClient returns a client for the store with the given hash (the part
// after /stores/ in the API path: lower-case letters and digits) and an API
// account's access token, sent as X-Auth-Token.
func NewClient(storeHash, accessToken string, opts ...Option) (*Client, error) {
	if !storeHashRE.MatchString(storeHash) {
		return nil, errors.New("bigcommerce: storeHash must be lower-case letters and digits")
	}
	if !transport.ValidHeaderValue(accessToken) {
		return nil, errors.New("bigcommerce: accessToken must be a non-empty single-line value")
	}
	cfg := config{transport.NewVendorSettings("bigcommerce", DefaultBaseURL)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("bigcommerce: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	t, err := transport.New(transport.Vendor{
		Name: "bigcommerce",
		Header: http.Header{
			"X-Auth-Token": {accessToken},
			"Content-Type": {"application/json"},
		},
		Secrets:     []string{accessToken},
		DecodeError: decodeError,
		RateLimit: transport.RateLimitHeaders{
			Limit:      "X-Rate-Limit-Requests-Quota",
			Remaining:  "X-Rate-Limit-Requests-Left",
			Window:     "X-Rate-Limit-Time-Window-Ms",
			Reset:      "X-Rate-Limit-Time-Reset-Ms",
			WindowUnit: time.Millisecond,
			ResetUnit:  time.Millisecond,
		},
	}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t, path: "/stores/" + storeHash + "/v2/coupons"}
	c.ops = modifyOps(c)
	return c, nil
}
