package core

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	usersdk "github.com/usersdk/usersdk-go"
)

// Family describes what is particular to one vendor's API.
type Family struct {
	// Name prefixes nothing on the wire; it names the package in User-Agent and logs.
	Name string
	// ParseError fills e.Code and e.Message from e.Body and reports whether the body is
	// the vendor's own error object. Such a body proves the application handled the
	// request, so a write refused with it (even with a 5xx) did not take effect. It must
	// tolerate any body, including HTML from a proxy.
	ParseError func(e *usersdk.APIError) (vendor bool)
	// ErrorInSuccess, when set, is shown every 2xx body; one it recognises as the vendor's
	// error body becomes an *APIError with that 2xx status. For vendors that report
	// failures with 200. Answers are then read whole (within the size limit) before decoding.
	ErrorInSuccess func(body []byte) bool
	// HardRateLimit, when set, is shown every parsed 429 answer. One it reports as hard
	// (a budget spent until a reset, such as Telphin's hourly one) is returned at once as
	// a *RateLimitError, never retried; reset is the family's estimate of when the budget
	// renews, used when the answer has no X-RateLimit-Reset or Retry-After.
	HardRateLimit func(e *usersdk.APIError, now time.Time) (reset time.Time, hard bool)
	// ListKeys, when set, makes List accept a list wrapped in an object, such as
	// {"data": [...], "total": 3}: the array under the first of these keys, else the
	// first array of all. Without it a list must be a bare array (or null).
	ListKeys []string
}

// Client is the HTTP engine every family package uses. It is safe for concurrent use.
type Client struct {
	base     string // without a trailing slash
	hc       *http.Client
	ua       string
	uaHeader []string
	retryMax int
	waitMin  time.Duration
	waitMax  time.Duration
	log      *slog.Logger
	maxBody  int64
	auth     Authenticator
	family   Family
	rate     rateState
	// noRateCheck sends requests even while the rate limit is known to be spent.
	noRateCheck bool
	// retry is shared by all calls; its hooks find each call's state in the context.
	retry *retryablehttp.Client
}

var (
	acceptJSON      = []string{"application/json"}
	formContentType = []string{"application/x-www-form-urlencoded"}
)

// New checks the settings and returns a client. It does no network I/O.
func New(s *Settings, f Family) (*Client, error) {
	if s.BaseURL == "" {
		return nil, errors.New(f.Name + ": no base URL: use WithBaseURL")
	}
	if err := checkURL(s.BaseURL, s.Auth != nil, s.InsecureHTTP); err != nil {
		return nil, fmt.Errorf("%s: base URL: %w", f.Name, err)
	}
	for _, u := range s.AuthURLs {
		if err := checkURL(u, true, s.InsecureHTTP); err != nil {
			return nil, fmt.Errorf("%s: auth URL: %w", f.Name, err)
		}
	}
	if s.RetryMax < 0 || s.RetryWaitMin < 0 || s.RetryWaitMax < s.RetryWaitMin {
		return nil, errors.New(f.Name + ": invalid retry settings")
	}
	c := &Client{
		base:     strings.TrimRight(s.BaseURL, "/"),
		hc:       s.HTTPClient,
		ua:       s.UserAgent,
		retryMax: s.RetryMax,
		waitMin:  s.RetryWaitMin,
		waitMax:  s.RetryWaitMax,
		log:      s.Logger,
		maxBody:  s.MaxResponseBytes,
		auth:     s.Auth,
		family:   f,

		noRateCheck: s.NoRateLimitCheck,
	}
	if c.hc == nil {
		c.hc = DefaultHTTPClient()
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.ua == "" {
		c.ua = "usersdk-go/" + usersdk.Version + " (" + f.Name + ")"
	}
	c.uaHeader = []string{c.ua}
	if c.maxBody <= 0 {
		c.maxBody = DefaultMaxResponseBytes
	}
	c.retry = newRetryClient(c)
	return c, nil
}

// HTTPClient returns the *http.Client requests go through.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// BaseURL returns the base URL without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// Logger returns the client's logger (silent unless one was configured).
func (c *Client) Logger() *slog.Logger { return c.log }
