package paddle

import (
	"errors"
	"log/slog"
	"net/http"
	"regexp"

	"github.com/couponkit/couponkit/internal/transport"
)

// Paddle Classic's API hosts.
const (
	// DefaultBaseURL is Paddle Classic's production vendor API.
	DefaultBaseURL = "https://vendors.paddle.com/api"
	// SandboxBaseURL is Paddle Classic's sandbox vendor API, selected with
	// WithSandbox. Sandbox accounts have their own vendor_id and auth code.
	SandboxBaseURL = "https://sandbox-vendors.paddle.com/api"
)

// updatePath is the update-coupon endpoint, appended to the base URL.
const updatePath = "/2.1/product/update_coupon"

var authCodeRE = regexp.MustCompile(`^[0-9a-f]+$`)

// Client updates coupons of one Paddle Classic vendor account. It is safe
// for concurrent use by many goroutines and holds no mutable state.
type Client struct {
	t *transport.Client
	// creds returns the encoded vendor_auth_code and vendor_id pair. It is
	// behind a function so that printing a Client with any fmt verb (even a
	// wrong one, which prints pointed-to values) shows an address, never the
	// auth code.
	creds func() string
}

// Option configures a Client; NewClient validates every option.
type Option func(*config) error

type config struct{ transport.Settings }

// WithSandbox sends requests to Paddle's sandbox
// (https://sandbox-vendors.paddle.com/api). Like WithBaseURL it sets the
// host, so whichever of the two comes last wins.
func WithSandbox() Option {
	return func(c *config) error { return c.SetBaseURL(SandboxBaseURL) }
}

// WithBaseURL sends requests to another host (a proxy or a test server such
// as paddletest) instead of https://vendors.paddle.com/api. It must be an
// absolute http(s) URL; its path is kept, and /2.1/product/update_coupon
// (or /2.0/product/list_coupons) is appended to it.
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
// mutated; redirects to another host are never followed, so the form body
// carrying the auth code is never replayed to a host you did not choose.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error { return c.SetHTTPClient(hc) }
}

// WithRetryPolicy replaces the default policy (3 retries, 500ms first
// backoff, 30s cap). Renames and group moves are retried only when Paddle
// certainly did not act on them, whatever the policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error { return c.SetRetryPolicy(p) }
}

// WithLogger logs one debug line per HTTP attempt. Without it nothing is
// logged at all. The auth code never appears in log lines.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { return c.SetLogger(l) }
}

// WithUserAgent prepends product to the User-Agent "couponkit-go/<version>".
func WithUserAgent(product string) Option {
	return func(c *config) error { return c.SetProduct(product) }
}

// NewClient returns a client for the Paddle Classic vendor account with the
// given vendor ID (>= 1) and vendor auth code (lower-case hex, as shown in
// Developer Tools > Authentication). Both are sent in the form body of every
// request, never in a header or URL; the auth code is redacted from every
// error and log line, and NewClient's own errors never quote it.
func NewClient(vendorID int, vendorAuthCode string, opts ...Option) (*Client, error) {
	if vendorID < 1 {
		return nil, errors.New("paddle: vendorID must be at least 1")
	}
	if !authCodeRE.MatchString(vendorAuthCode) {
		return nil, errors.New("paddle: vendorAuthCode must be non-empty lower-case hex ([0-9a-f]+)")
	}
	cfg := config{transport.NewVendorSettings("paddle", DefaultBaseURL)}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("paddle: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	t, err := transport.New(transport.Vendor{
		Name: "paddle",
		// The credentials are in the body, so no header carries a secret.
		Header:      http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
		Secrets:     []string{vendorAuthCode},
		DecodeError: decodeError,
	}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	creds, err := encodeCredentials(vendorID, vendorAuthCode)
	if err != nil {
		return nil, errors.New("paddle: encoding credentials failed")
	}
	return &Client{t: t, creds: func() string { return creds }}, nil
}
