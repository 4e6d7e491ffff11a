package core

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the common options.
const (
	DefaultRetryMax         = 3
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxResponseBytes = 32 << 20
	// DefaultMaxConnsPerHost is the connection pool size of the default HTTP client.
	DefaultMaxConnsPerHost = 32
)

// Settings is what the options configure. Family packages start from their defaults,
// apply the caller's options and hand the result to [New].
type Settings struct {
	BaseURL          string
	HTTPClient       *http.Client
	UserAgent        string
	RetryMax         int
	RetryWaitMin     time.Duration
	RetryWaitMax     time.Duration
	Logger           *slog.Logger
	MaxResponseBytes int64
	InsecureHTTP     bool
	NoRateLimitCheck bool

	// Auth sets credentials on each attempt; nil sends none.
	Auth Authenticator
	// AuthURLs are further URLs that receive credentials (token endpoints); New checks
	// them like BaseURL.
	AuthURLs []string
	// Family holds a family package's own settings, for its own options to fill in.
	Family any
}

// Option configures Settings. Family packages define their own Option types with this
// underlying type, so options of one package cannot be passed to another.
type Option = func(*Settings) error

// NewSettings returns the defaults, with family as the family's own settings.
func NewSettings(baseURL string, family any) *Settings {
	return &Settings{
		BaseURL:          baseURL,
		RetryMax:         DefaultRetryMax,
		RetryWaitMin:     DefaultRetryWaitMin,
		RetryWaitMax:     DefaultRetryWaitMax,
		MaxResponseBytes: DefaultMaxResponseBytes,
		Family:           family,
	}
}

// Apply applies options in order and returns the first error.
func Apply[O ~func(*Settings) error](s *Settings, opts []O) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return err
		}
	}
	return nil
}

// WithBaseURL sets the API's base URL, such as https://host/api.
func WithBaseURL(u string) Option {
	return func(s *Settings) error { s.BaseURL = u; return nil }
}

// WithHTTPClient makes the client send its requests through hc. hc is used as it is and
// never modified: its Transport is the place for proxies, tracing or custom TLS.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *Settings) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		s.HTTPClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(s *Settings) error { s.UserAgent = ua; return nil }
}

// WithRetry sets how many times a failed request is retried (max, 0 for none) and the
// range of the exponential backoff. maxWait also caps how long the client waits when a
// server asks it to with Retry-After; past that the call fails at once.
func WithRetry(max int, minWait, maxWait time.Duration) Option {
	return func(s *Settings) error {
		if max < 0 || minWait < 0 || maxWait < minWait {
			return errors.New("WithRetry: need max >= 0 and 0 <= minWait <= maxWait")
		}
		s.RetryMax, s.RetryWaitMin, s.RetryWaitMax = max, minWait, maxWait
		return nil
	}
}

// WithoutRetries sends every request once.
func WithoutRetries() Option {
	return func(s *Settings) error { s.RetryMax = 0; return nil }
}

// WithLogger logs requests, retries and failures at debug level to l. Credentials are
// never logged. The default is silent.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error { s.Logger = l; return nil }
}

// WithMaxResponseBytes bounds how much of a response body the client reads.
func WithMaxResponseBytes(n int64) Option {
	return func(s *Settings) error {
		if n <= 0 {
			return errors.New("WithMaxResponseBytes: need n > 0")
		}
		s.MaxResponseBytes = n
		return nil
	}
}

// WithInsecureHTTP allows credentials to be sent over plain http:// to hosts other than
// loopback. Without it, New refuses such a configuration.
func WithInsecureHTTP() Option {
	return func(s *Settings) error { s.InsecureHTTP = true; return nil }
}

// WithoutRateLimitCheck sends every request even after an answer said the rate limit is
// spent (X-RateLimit-Remaining: 0 with a reset ahead). By default such requests fail at
// once with a *RateLimitError, without reaching the server, until the reset or for an
// hour at most.
func WithoutRateLimitCheck() Option {
	return func(s *Settings) error { s.NoRateLimitCheck = true; return nil }
}

// FamilySettings returns the family's own settings, or an error when an option of another
// package was passed.
func FamilySettings[T any](s *Settings, option string) (*T, error) {
	f, ok := s.Family.(*T)
	if !ok {
		return nil, errors.New(option + ": option belongs to another package")
	}
	return f, nil
}

// FamilyOption is an option that sets one family's own settings (T) as well as, perhaps,
// the common ones. Passed to a client of another family, it fails naming the option.
func FamilyOption[T any](option string, set func(s *Settings, f *T) error) Option {
	return func(s *Settings) error {
		f, err := FamilySettings[T](s, option)
		if err != nil {
			return err
		}
		return set(s, f)
	}
}

// DefaultHTTPClient returns the HTTP client used when none is given: pooled keep-alive
// connections (at most DefaultMaxConnsPerHost per host) and bounded connection setup.
func DefaultHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   DefaultMaxConnsPerHost,
		MaxConnsPerHost:       DefaultMaxConnsPerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		ExpectContinueTimeout: time.Second,
	}}
}

// checkURL refuses unparsable URLs and, when credentials go there, plain http to a host
// that is not loopback unless insecure is set.
func checkURL(raw string, credentials, insecure bool) error {
	// Messages never quote the raw string: it may hold a password ("user:pw@host").
	u, err := url.Parse(raw)
	if err != nil {
		return errors.New("cannot parse the URL")
	}
	if u.User != nil {
		return errors.New("credentials in the URL are not supported: use the auth options")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("the URL's scheme must be http or https")
	}
	if u.Host == "" {
		return fmt.Errorf("%s: no host", u.Redacted())
	}
	if credentials && u.Scheme == "http" && !insecure && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("refusing to send credentials over plain http to %s: use https, or WithInsecureHTTP", u.Host)
	}
	return nil
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
