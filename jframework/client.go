package jframework

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/couponkit/couponkit/internal/modify"
	"github.com/couponkit/couponkit/internal/transport"
)

// DefaultBaseURL is JFramework's production API host. Its development host
// is https://protocol.jframework.dev (use WithBaseURL).
const DefaultBaseURL = "https://protocol.jframework.io"

// couponsPath is the update endpoint; the coupon id is appended, escaped.
const couponsPath = "/api/v1/coupons"

// Client reads, lists and updates coupons of one JFramework brand. It is
// safe for concurrent use by many goroutines and holds no mutable state.
type Client struct {
	t   *transport.Client
	ops *modify.Ops[string, Coupon, UpdateCouponRequest] // ModifyCoupon's, built once
}

// Option configures a Client; NewClient validates every option.
type Option func(*config) error

type config struct{ transport.Settings }

// WithBaseURL sends requests to another host (the development host
// https://protocol.jframework.dev, a proxy, or a test server such as
// jframeworktest) instead of https://protocol.jframework.io. It must be an
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
// mutated; redirects to another host are never followed, so the Auth-Key
// never reaches a host it was not meant for.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithRetryPolicy replaces the default policy (3 retries, 500ms first
// backoff, 30s cap). A wait until X-RateLimit-Reset longer than MaxWait is
// not shortened: the call returns ErrRateLimited at once, RetryAfter set.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error { return c.SetRetryPolicy(p) }
}

// WithLogger logs one debug line per HTTP attempt. Without it nothing is
// logged at all. The Auth-Key never appears in log lines.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithUserAgent prepends product to the User-Agent "couponkit-go/<version>".
func WithUserAgent(product string) Option {
	return func(c *config) error { return c.SetProduct(product) }
}

// NewClient returns a client for the brand identified by brandURL (sent as
// Brand-URL) authenticated by authKey (sent as Auth-Key). Both must be
// non-empty single-line header values; errors never quote them.
func NewClient(brandURL, authKey string, opts ...Option) (*Client, error) {
	if !transport.ValidHeaderValue(brandURL) {
		return nil, errors.New("jframework: brandURL must be a non-empty single-line value")
	}
	if !transport.ValidHeaderValue(authKey) {
		return nil, errors.New("jframework: authKey must be a non-empty single-line value")
	}
	cfg := config{transport.NewVendorSettings("jframework", DefaultBaseURL)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("jframework: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	t, err := transport.New(transport.Vendor{
		Name: "jframework",
		Header: http.Header{
			"Brand-Url":    {brandURL},
			"Auth-Key":     {authKey},
			"Content-Type": {"application/json"},
		},
		Secrets:     []string{authKey},
		DecodeError: decodeError,
		RateLimit: transport.RateLimitHeaders{
			Limit:      "X-RateLimit-Limit",
			Remaining:  "X-RateLimit-Remaining",
			Reset:      "X-RateLimit-Reset",
			ResetEpoch: true,
		},
	}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	c := &Client{t: t}
	c.ops = c.modifyOps()
	return c, nil
}
