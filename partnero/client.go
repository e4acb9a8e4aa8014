package partnero

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/couponkit/couponkit/internal/transport"
)

// DefaultBaseURL is Partnero's API host.
const DefaultBaseURL = "https://api.partnero.com"

// couponsPath is the update endpoint; the coupon is named in the body.
const couponsPath = "/v1/coupons"

// Client updates coupons of one Partnero program (the one the API key
// belongs to). It is safe for concurrent use by many goroutines and holds no
// mutable state.
type Client struct {
	t *transport.Client
}

// Option configures a Client; NewClient validates every option.
type Option func(*config) error

type config struct{ transport.Settings }

// WithBaseURL sends requests to another host (a proxy or a test server such
// as partnerotest) instead of https://api.partnero.com. It must be an
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
// mutated; redirects to another host are never followed, so the bearer key
// never reaches one.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithRetryPolicy replaces the default policy (3 retries, 500ms first
// backoff, 30s cap). Non-idempotent requests (a redemption without a
// TransactionKey, a Sync) are retried only after 429 or a failure to
// connect, whatever the policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error { return c.SetRetryPolicy(p) }
}

// WithLogger logs one debug line per HTTP attempt. Without it nothing is
// logged at all. The API key never appears in log lines.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithUserAgent prepends product to the User-Agent "couponkit-go/<version>".
func WithUserAgent(product string) Option {
	return func(c *config) error { return c.SetProduct(product) }
}

// NewClient returns a client authenticating with a Partnero API key (from
// the program's Integrations page), sent as "Authorization: Bearer
// <apiKey>". The key must be a non-empty single-line value; it is never
// echoed in errors.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	if !transport.ValidHeaderValue(apiKey) {
		return nil, errors.New("partnero: apiKey must be a non-empty single-line value")
	}
	cfg := config{transport.NewVendorSettings("partnero", DefaultBaseURL)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("partnero: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	t, err := transport.New(transport.Vendor{
		Name: "partnero",
		Header: http.Header{
			"Authorization": {"Bearer " + apiKey},
			"Content-Type":  {"application/json"},
		},
		Secrets:     []string{apiKey},
		DecodeError: decodeError,
		// Inferred: Partnero documents no rate-limit headers; these are
		// the ones Laravel's throttle middleware sends (Reset, a Unix
		// time, only on 429).
		RateLimit: transport.RateLimitHeaders{
			Limit:      "X-RateLimit-Limit",
			Remaining:  "X-RateLimit-Remaining",
			Reset:      "X-RateLimit-Reset",
			ResetUnit:  time.Second,
			ResetEpoch: true,
		},
	}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	return &Client{t: t}, nil
}
