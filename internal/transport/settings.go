// Package transport is the one HTTP layer behind every couponkit vendor
// package. It builds requests, applies a vendor's credentials, retries with
// go-retryablehttp under our own retry and backoff rules, bounds and drains
// bodies, decodes errors through a vendor hook, reads rate-limit headers,
// logs through slog, and keeps credentials out of everything that leaves it.
// It names no vendor: a vendor package describes itself with a Vendor value.
package transport

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
)

// Version is the couponkit release, sent in the User-Agent.
const Version = "0.1.0"

// Settings is what the options every vendor shares configure. Vendor
// packages embed it in their own option target and call its setters, which
// validate their input.
type Settings struct {
	// Vendor names the vendor package in option errors, e.g.
	// "bigcommerce: WithRetryPolicy: ..."; "couponkit" when empty.
	Vendor     string
	BaseURL    string
	HTTPClient *http.Client
	Retry      api.RetryPolicy
	Logger     *slog.Logger
	Product    string
	// InsecureHTTP allows a plain http:// BaseURL to a host that is not a
	// loopback address (WithInsecureHTTP).
	InsecureHTTP bool
}

// NewSettings returns settings with defaults and the given default base
// URL, for tests and callers that name no vendor.
func NewSettings(defaultBaseURL string) Settings {
	return NewVendorSettings("", defaultBaseURL)
}

// NewVendorSettings returns settings with defaults and the given default
// base URL, whose option errors name vendor.
func NewVendorSettings(vendor, defaultBaseURL string) Settings {
	return Settings{Vendor: vendor, BaseURL: defaultBaseURL, Retry: api.DefaultRetryPolicy()}
}

// prefix starts an option error: the vendor's name and the option, e.g.
// "bigcommerce: WithBaseURL: ".
func (s *Settings) prefix(option string) string {
	v := s.Vendor
	if v == "" {
		v = "couponkit"
	}
	return v + ": " + option + ": "
}

// SetBaseURL validates and sets the base URL: absolute http(s), with a host,
// no user info (credentials never travel in a URL), no query or fragment.
// Whether a plain http:// URL is allowed is decided at New, once every
// option is applied (WithInsecureHTTP may come after WithBaseURL).
func (s *Settings) SetBaseURL(raw string) error {
	if _, err := parseBaseURL(raw); err != nil {
		return errors.New(s.prefix("WithBaseURL") + err.Error())
	}
	s.BaseURL = raw
	return nil
}

// SetInsecureHTTP allows a plain http:// base URL to any host
// (WithInsecureHTTP): a TLS-terminating proxy on the same machine.
func (s *Settings) SetInsecureHTTP() { s.InsecureHTTP = true }

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("base URL %q must be absolute http or https", raw)
	case u.Host == "":
		return nil, fmt.Errorf("base URL %q has no host", raw)
	case u.User != nil:
		return nil, errors.New("base URL must not carry user info")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	return u, nil
}

// checkCleartext refuses a plain http:// base URL whose host is not
// localhost or a loopback address, unless InsecureHTTP is set: the
// credentials (headers, or Paddle's auth code in the body) would cross the
// network in clear text, and a typo in a configuration is all it takes.
func (s *Settings) checkCleartext(u *url.URL) error {
	if u.Scheme != "http" || s.InsecureHTTP || loopback(u.Hostname()) {
		return nil
	}
	return errors.New(s.prefix("WithBaseURL") + fmt.Sprintf("plain http to %q would send the credentials in clear text; "+
		"use https, a loopback host (localhost, 127.0.0.1, ::1), or add WithInsecureHTTP() for a TLS-terminating proxy on this machine", u.Host))
}

// loopback reports whether host is localhost or a loopback IP address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SetHTTPClient sets the client whose Transport and Timeout are used. The
// caller's client is never mutated.
func (s *Settings) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New(s.prefix("WithHTTPClient") + "nil *http.Client")
	}
	s.HTTPClient = hc
	return nil
}

// SetRetryPolicy validates p and sets it with every zero field replaced by
// its default (MaxRetries NoRetries is kept). A zero MinWait or MaxWait
// defaults within the other's bound: RetryPolicy{MaxWait: time.Millisecond}
// lowers MinWait to 1ms rather than failing. Negative values other than
// MaxRetries NoRetries are refused, as is a MinWait above MaxWait.
func (s *Settings) SetRetryPolicy(p api.RetryPolicy) error {
	if p.MaxRetries < api.NoRetries || p.MinWait < 0 || p.MaxWait < 0 {
		return errors.New(s.prefix("WithRetryPolicy") + "MinWait and MaxWait must not be negative, nor MaxRetries other than NoRetries (-1)")
	}
	if p.MinWait > 0 && p.MaxWait > 0 && p.MinWait > p.MaxWait {
		return fmt.Errorf("%sMinWait %v is above MaxWait %v", s.prefix("WithRetryPolicy"), p.MinWait, p.MaxWait)
	}
	s.Retry = withDefaults(p)
	return nil
}

// withDefaults replaces p's zero fields with their defaults.
func withDefaults(p api.RetryPolicy) api.RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = api.DefaultMaxRetries
	}
	switch {
	case p.MinWait == 0 && p.MaxWait == 0:
		p.MinWait, p.MaxWait = api.DefaultMinWait, api.DefaultMaxWait
	case p.MinWait == 0:
		p.MinWait = min(api.DefaultMinWait, p.MaxWait)
	case p.MaxWait == 0:
		p.MaxWait = max(api.DefaultMaxWait, p.MinWait)
	}
	return p
}

// retries is the number of retries p allows: MaxRetries, 0 for NoRetries.
func retries(p api.RetryPolicy) int { return max(0, p.MaxRetries) }

// SetLogger sets the logger; nil is refused so that a typo is not silence.
func (s *Settings) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New(s.prefix("WithLogger") + "nil *slog.Logger (omit the option to log nothing)")
	}
	s.Logger = l
	return nil
}

// SetProduct sets the product token prepended to the User-Agent. It
// refuses what net/http would refuse to send in a header, so that a bad
// value fails here and not on every call: control characters other than
// tab (NUL, CR, LF, 0x01-0x1F) and DEL.
func (s *Settings) SetProduct(product string) error {
	if product == "" {
		return errors.New(s.prefix("WithUserAgent") + "product must not be empty")
	}
	for i := 0; i < len(product); i++ {
		if c := product[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return fmt.Errorf("%sproduct has control character %#02x at byte %d; net/http cannot send it in a header", s.prefix("WithUserAgent"), c, i)
		}
	}
	s.Product = product
	return nil
}

// ValidHeaderValue reports whether v can travel in an HTTP header: non-empty,
// printable, no line breaks. Credentials are checked with it at NewClient so
// that a bad one fails there, not deep inside net/http with its value quoted.
func ValidHeaderValue(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}
