package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/go-querystring/query"
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
	ParseError func(e *APIError) (vendor bool)
	// ErrorInSuccess, when set, is shown every 2xx body; one it recognises as the vendor's
	// error body becomes an *APIError with that 2xx status. For vendors that report
	// failures with 200. Answers are then read whole (within the size limit) before decoding.
	ErrorInSuccess func(body []byte) bool
	// HardRateLimit, when set, is shown every parsed 429 answer. One it reports as hard
	// (a budget spent until a reset, such as Telphin's hourly one) is returned at once as
	// a *RateLimitError, never retried; reset is the family's estimate of when the budget
	// renews, used when the answer has no X-RateLimit-Reset or Retry-After.
	HardRateLimit func(e *APIError, now time.Time) (reset time.Time, hard bool)
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
	rate     atomic.Pointer[RateLimit]
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
	c.retry = &retryablehttp.Client{
		HTTPClient: retryHTTPClient(c.hc),
		// The policy counts attempts itself; this only keeps the library from giving up
		// first (its own give-up path would close the pool's idle connections).
		RetryMax:     c.retryMax + 1,
		CheckRetry:   checkRetry,
		Backoff:      noWait,
		PrepareRetry: prepareRetry,
		ErrorHandler: passThrough,
	}
	return c, nil
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

// HTTPClient returns the *http.Client requests go through.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// BaseURL returns the base URL without a trailing slash.
func (c *Client) BaseURL() string { return c.base }

// Logger returns the client's logger (silent unless one was configured).
func (c *Client) Logger() *slog.Logger { return c.log }

// RateLimit returns the last rate-limit headers the server sent, if any.
func (c *Client) RateLimit() (RateLimit, bool) {
	if r := c.rate.Load(); r != nil {
		return *r, true
	}
	return RateLimit{}, false
}

// Request is one API call.
type Request struct {
	Method string
	// Path is relative to the base URL, already escaped (build it with Segment).
	Path string
	// URL, when set, replaces base URL + Path (token endpoints on another service).
	URL string
	// Query is a struct with `url` tags (go-querystring) or url.Values; nil for none.
	Query any
	// Body is encoded as JSON; nil for no body.
	Body any
	// ContentType of the body; default application/json.
	ContentType string
	// NoAuth sends the request without credentials.
	NoAuth bool
	// Form, when set, is sent form-encoded instead of Body (OAuth token requests).
	Form url.Values
	// Repeat overrides what the method says about whether the request is safe to repeat.
	Repeat Repeat
	// Secrets are values sent in the request (a client secret in Form, say) that must
	// appear in no error built from its answers: servers may echo what they received.
	Secrets []string
}

// Repeat says whether a request may be sent again after a failure that may have reached
// the server. It decides retries and whether a failure matches ErrOutcomeUnknown.
type Repeat uint8

const (
	// RepeatByMethod follows the method: GET, HEAD, PUT, DELETE and OPTIONS are safe.
	RepeatByMethod Repeat = iota
	// RepeatSafe marks a request that changes nothing a second copy could duplicate,
	// whatever its method: token requests, which only mint tokens.
	RepeatSafe
	// RepeatUnsafe marks a request whose method is idempotent but whose effect is not
	// (a PUT that creates): it is retried and reported like a POST.
	RepeatUnsafe
)

func (r *Request) idempotent() bool {
	switch r.Repeat {
	case RepeatSafe:
		return true
	case RepeatUnsafe:
		return false
	}
	return idempotent(r.Method)
}

// Do sends the request and decodes a 2xx answer's JSON body into out (nil to discard it).
// Any other answer is returned as an error: *APIError, *RateLimitError, or a transport
// failure as *RequestError or *OutcomeUnknownError.
func (c *Client) Do(ctx context.Context, r *Request, out any) error {
	resp, err := c.Send(ctx, r)
	if err != nil {
		return err
	}
	defer drainClose(resp.Body)
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return nil
	}
	// An empty body (a 202 or a 200 without content) leaves out as it is.
	if err := json.NewDecoder(c.limit(resp)).Decode(out); err != nil && err != io.EOF {
		err = c.decodeError(r, err)
		if !r.idempotent() {
			// The write succeeded but its answer is unreadable: the caller must not
			// take it for a failure and send it again.
			u := c.target(r)
			return &OutcomeUnknownError{Method: r.Method, URL: RedactURL(mustParse(u)), Attempts: 1, Err: err}
		}
		return err
	}
	return nil
}

// Call is Do for a result of type T. On an error it returns T's zero value, never a
// half-decoded result.
func Call[T any](ctx context.Context, c *Client, r *Request) (T, error) {
	var out T
	if err := c.Do(ctx, r, &out); err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// Object is Call for an answer that must hold a JSON object: it never returns a nil result
// with a nil error. An empty or null 2xx body is an error, and so is an object that
// present (when not nil) rejects, such as {} where a user with an id was expected. For a
// write (which succeeded) the error matches ErrOutcomeUnknown, since the caller cannot
// tell what was stored.
func Object[T any](ctx context.Context, c *Client, r *Request, present func(*T) bool) (*T, error) {
	out, err := Call[*T](ctx, c, r)
	if err != nil || (out != nil && (present == nil || present(out))) {
		return out, err
	}
	return nil, c.NoObject(r)
}

// NoObject is the error for a 2xx answer to r that holds no object where one was
// expected. For a write it matches ErrOutcomeUnknown.
func (c *Client) NoObject(r *Request) error {
	u := c.target(r)
	empty := errors.New("the answer had no object where one was expected")
	if !r.idempotent() {
		return &OutcomeUnknownError{Method: r.Method, URL: RedactURL(mustParse(u)), Attempts: 1, Err: empty}
	}
	return fmt.Errorf("%s %s: %w", r.Method, pathOf(u), empty)
}

// Send sends the request with retries and credential refresh and returns a 2xx answer,
// whose body the caller must close. Any other outcome is returned as an error.
func (c *Client) Send(ctx context.Context, r *Request) (*http.Response, error) {
	if ctx == nil {
		return nil, errors.New(c.family.Name + ": nil context")
	}
	if err := c.spent(r); err != nil {
		if capture := usersdk.ResponseFrom(ctx); capture != nil {
			*capture = usersdk.Response{} // nothing was sent
		}
		return nil, err
	}
	target, err := c.url(r)
	if err != nil {
		return nil, err
	}
	var body []byte
	switch {
	case r.Form != nil:
		body = []byte(r.Form.Encode())
	case r.Body != nil:
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, fmt.Errorf("%s: encoding request body: %w", c.family.Name, err)
		}
	}
	refresher, _ := c.auth.(Refresher)
	for refreshed := false; ; refreshed = true {
		resp, a, err := c.roundTrip(ctx, r, target, body)
		if capture := usersdk.ResponseFrom(ctx); capture != nil {
			fillResponse(capture, resp, a)
		}
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if c.family.ErrorInSuccess != nil {
				return c.checkSuccessBody(r, resp, a)
			}
			return resp, nil
		}
		if resp.StatusCode == http.StatusUnauthorized && refresher != nil && !refreshed && !r.NoAuth {
			rejected := c.failure(r, resp, a)
			c.log.LogAttrs(ctx, slog.LevelDebug, "credentials rejected, refreshing",
				slog.String("method", r.Method), slog.String("path", a.path))
			if err := refresher.Refresh(ctx, a.credential); err != nil {
				if errors.Is(err, ErrSameCredential) {
					return nil, rejected // nothing new to send
				}
				return nil, err
			}
			continue
		}
		return nil, c.failure(r, resp, a)
	}
}

// fillResponse records a call's last answer for usersdk.WithResponse; a later attempt
// (after a credential refresh) overwrites it.
func fillResponse(dst *usersdk.Response, resp *http.Response, a *attempt) {
	*dst = usersdk.Response{}
	if a != nil {
		dst.Attempts = a.count
	}
	if resp == nil {
		return
	}
	dst.StatusCode = resp.StatusCode
	dst.Header = resp.Header
	dst.RequestID = requestID(resp.Header)
	if rl, ok := rateLimitFrom(resp.Header, time.Now()); ok {
		dst.RateLimit, dst.HasRateLimit = *rl, true
	}
}

// failure turns a final non-2xx answer into the error the caller sees.
func (c *Client) failure(r *Request, resp *http.Response, a *attempt) error {
	e, vendor := a.answer(resp)
	e.OutcomeUnknown = !a.idempotent && outcomeUnknown(resp.StatusCode, vendor)
	if resp.StatusCode != http.StatusTooManyRequests {
		return e
	}
	now := time.Now()
	rl := &RateLimitError{APIError: e, Limit: -1, Remaining: -1}
	if r, ok := rateLimitFrom(resp.Header, now); ok {
		rl.Limit, rl.Remaining, rl.Reset = r.Limit, r.Remaining, r.Reset
	}
	if e.RetryAfter > 0 {
		rl.Reset = now.Add(e.RetryAfter)
	}
	if a.hard {
		rl.Remaining = 0
		if rl.Reset.IsZero() {
			rl.Reset = a.hardReset
		}
		if r.URL == "" && rl.Reset.After(now) {
			// Later calls fail at once until the reset (see spent).
			c.rate.Store(&RateLimit{Limit: rl.Limit, Remaining: 0, Reset: rl.Reset, Observed: now})
		}
	}
	return rl
}

// spent returns a *RateLimitError, without sending anything, while the last answer from
// the API said its budget is spent (X-RateLimit-Remaining: 0, or a hard 429) and the
// reset is still ahead. Requests to other URLs (token services) are not held back.
func (c *Client) spent(r *Request) error {
	if c.noRateCheck || r.URL != "" {
		return nil
	}
	rl := c.rate.Load()
	if rl == nil || rl.Remaining != 0 || rl.Reset.IsZero() || !time.Now().Before(rl.Reset) {
		return nil
	}
	u := c.target(r)
	e := &APIError{
		StatusCode: http.StatusTooManyRequests,
		Method:     r.Method,
		URL:        RedactURL(mustParse(u)),
		Message:    "not sent: the rate limit is spent until the reset",
	}
	return &RateLimitError{APIError: e, Reset: rl.Reset, Limit: rl.Limit, Remaining: 0}
}

// outcomeUnknown reports whether a write answered with status may have taken effect. A
// gateway's 502 or 504 says nothing of the backend; any other 5xx carrying the vendor's
// own error object was the application refusing the request. 501 and 503 say the request
// was not handled.
func outcomeUnknown(status int, vendorBody bool) bool {
	switch {
	case status < 500, status == http.StatusNotImplemented, status == http.StatusServiceUnavailable:
		return false
	case status == http.StatusBadGateway, status == http.StatusGatewayTimeout:
		return true
	}
	return !vendorBody
}

// roundTrip makes one call through go-retryablehttp with this client's policy.
func (c *Client) roundTrip(ctx context.Context, r *Request, target string, body []byte) (*http.Response, *attempt, error) {
	a := &attempt{c: c, method: r.Method, idempotent: r.idempotent(), noAuth: r.NoAuth, url: target, path: pathOf(target), secrets: r.Secrets}
	ctx = context.WithValue(ctx, attemptKey{}, a)
	var raw any
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, target, raw)
	if err != nil {
		return nil, a, fmt.Errorf("%s: building request: %w", c.family.Name, err)
	}
	// Shared, never-modified header values save an allocation per header per call.
	req.Header["Accept"] = acceptJSON
	req.Header["User-Agent"] = c.uaHeader
	if body != nil {
		switch {
		case r.ContentType != "":
			req.Header.Set("Content-Type", r.ContentType)
		case r.Form != nil:
			req.Header["Content-Type"] = formContentType
		default:
			req.Header["Content-Type"] = acceptJSON
		}
	}
	if err := a.authenticate(req.Request); err != nil {
		return nil, a, err
	}
	resp, err := c.retry.Do(req)
	if err != nil {
		return nil, a, c.transportError(ctx, a, err)
	}
	if r.URL == "" {
		c.noteRateLimit(resp)
	}
	if a.rateLimit > 0 {
		c.log.LogAttrs(ctx, slog.LevelDebug, "server asked for a longer wait than the retry cap",
			slog.String("path", a.path), slog.Duration("asked", a.rateLimit), slog.Duration("cap", c.waitMax))
	}
	return resp, a, nil
}

// retryHTTPClient is a shallow copy of the caller's client for go-retryablehttp. Its
// transport hides CloseIdleConnections, which the library calls when it gives up or a wait
// is cancelled and which would empty the caller's whole pool; its redirect policy refuses
// https to http, where the Authorization header would travel in clear text.
func retryHTTPClient(hc *http.Client) *http.Client {
	cp := *hc
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cp.Transport = roundTripOnly{rt}
	userCheck := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return &redirectError{"refusing a redirect from https to " + req.URL.Scheme}
		}
		// A 307 or 308 resends the body, which may hold a secret (a token request's
		// client_secret, a login's password); net/http only strips headers.
		if len(via) > 0 && req.URL.Host != via[0].URL.Host && req.Body != nil && req.Body != http.NoBody {
			return &redirectError{"refusing to resend a request body to another host (" + req.URL.Host + ")"}
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cp
}

// redirectError is a redirect the client refused; no retry can cure it.
type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

type roundTripOnly struct{ rt http.RoundTripper }

func (t roundTripOnly) RoundTrip(r *http.Request) (*http.Response, error) { return t.rt.RoundTrip(r) }

func passThrough(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		drainClose(resp.Body)
	}
	return nil, err
}

// transportError wraps a failure without an answer. A write is reported as
// *OutcomeUnknownError unless it surely never left: a dial, DNS or TLS failure, or a
// cancellation before a connection was made or while waiting to retry.
func (c *Client) transportError(ctx context.Context, a *attempt, err error) error {
	u := RedactURL(mustParse(a.url))
	var authErr *AuthError
	if errors.As(err, &authErr) {
		return err
	}
	// url.Error repeats method and URL; keep its cause. An error that is not one
	// came from the wait between attempts.
	duringAttempt := false
	var ue *url.Error
	if errors.As(err, &ue) {
		err, duringAttempt = ue.Err, true
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "request failed",
		slog.String("method", a.method), slog.String("path", a.path),
		slog.Int("attempts", a.count), slog.String("error", err.Error()))
	if !a.idempotent && duringAttempt && !surelyNotSent(err) {
		return &OutcomeUnknownError{Method: a.method, URL: u, Attempts: a.count, Err: err}
	}
	return &RequestError{Method: a.method, URL: u, Attempts: a.count, Err: err, Last: a.last}
}

// checkSuccessBody reads a 2xx body whole and returns it as an *APIError when the family
// recognises its error body in it; otherwise the response goes on with the bytes read.
func (c *Client) checkSuccessBody(r *Request, resp *http.Response, a *attempt) (*http.Response, error) {
	body, err := io.ReadAll(c.limit(resp))
	drainClose(resp.Body)
	if err != nil {
		err = c.decodeError(r, err)
		if !a.idempotent {
			return nil, &OutcomeUnknownError{Method: a.method, URL: RedactURL(mustParse(a.url)), Attempts: a.count, Err: err}
		}
		return nil, err
	}
	if c.family.ErrorInSuccess(body) {
		e, _ := c.apiErrorFrom(resp, a, body)
		return nil, e
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// apiError reads the (bounded) error body and lets the family parse it.
func (c *Client) apiError(resp *http.Response, a *attempt) (e *APIError, vendor bool) {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	drainClose(resp.Body)
	return c.apiErrorFrom(resp, a, body)
}

func (c *Client) apiErrorFrom(resp *http.Response, a *attempt, body []byte) (e *APIError, vendor bool) {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e = &APIError{
		StatusCode:  resp.StatusCode,
		RequestID:   requestID(resp.Header),
		Method:      a.method,
		URL:         RedactURL(mustParse(a.url)),
		Attempts:    a.count,
		Body:        body,
		ContentType: resp.Header.Get("Content-Type"),
	}
	if wait, ok := serverWait(resp.Header, resp.StatusCode == http.StatusTooManyRequests); ok {
		e.RetryAfter = wait
	}
	if c.family.ParseError != nil && len(body) > 0 && looksJSON(e.ContentType, body) {
		vendor = c.family.ParseError(e)
	}
	for _, s := range a.secrets {
		if s == "" {
			continue
		}
		e.Body = bytes.ReplaceAll(e.Body, []byte(s), []byte(Redacted))
		e.Message = strings.ReplaceAll(e.Message, s, Redacted)
		e.Code = strings.ReplaceAll(e.Code, s, Redacted)
	}
	return e, vendor
}

func looksJSON(ct string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(ct); err == nil && strings.Contains(mt, "json") {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

func (c *Client) noteRateLimit(resp *http.Response) {
	if r, ok := rateLimitFrom(resp.Header, time.Now()); ok {
		c.rate.Store(r)
	}
}

// rateLimitFrom reads the X-RateLimit-* headers, if the answer has any.
func rateLimitFrom(h http.Header, now time.Time) (*RateLimit, bool) {
	limit, remaining, reset := h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset")
	if limit == "" && remaining == "" && reset == "" {
		return nil, false
	}
	r := &RateLimit{Limit: atoiOr(limit, -1), Remaining: atoiOr(remaining, -1), Observed: now}
	if t, ok := parseReset(reset, now); ok {
		r.Reset = t
	}
	return r, true
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n
	}
	return def
}

// url builds the request URL from the base, the path and the encoded query.
func (c *Client) url(r *Request) (string, error) {
	target := r.URL
	if target == "" {
		target = c.base + r.Path
	}
	q, err := EncodeQuery(r.Query)
	if err != nil {
		return "", fmt.Errorf("%s: encoding query: %w", c.family.Name, err)
	}
	if q != "" {
		target += "?" + q
	}
	return target, nil
}

// EncodeQuery encodes a go-querystring struct or url.Values.
func EncodeQuery(q any) (string, error) {
	switch v := q.(type) {
	case nil:
		return "", nil
	case url.Values:
		return v.Encode(), nil
	}
	vals, err := query.Values(q)
	if err != nil {
		return "", err
	}
	return vals.Encode(), nil
}

func (c *Client) logAttempt(ctx context.Context, a *attempt, status int, err error) {
	if !c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("method", a.method), slog.String("path", a.path), slog.Int("attempt", a.count)}
	if err != nil {
		// url.Error repeats the URL, query included; log its cause only.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		attrs = append(attrs, slog.String("error", err.Error()))
	} else {
		attrs = append(attrs, slog.Int("status", status))
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "http attempt", attrs...)
}

// target is r's URL without its query: the base URL and Path, or URL when set.
func (c *Client) target(r *Request) string {
	if r.URL != "" {
		return r.URL
	}
	return c.base + r.Path
}

// Path is r's path from the host root, as error texts show it (the base URL's own path
// included).
func (c *Client) Path(r *Request) string { return pathOf(c.target(r)) }

func (c *Client) decodeError(r *Request, err error) error {
	path := c.Path(r)
	if errors.Is(err, ErrResponseTooLarge) {
		return fmt.Errorf("%s %s: %w (limit %d bytes)", r.Method, path, ErrResponseTooLarge, c.maxBody)
	}
	return fmt.Errorf("%s %s: decoding response: %w", r.Method, path, err)
}

// limit wraps a body so that reading past the client's limit fails with
// ErrResponseTooLarge. A body whose declared length is within the limit is already bounded
// by the transport and needs no wrapper.
func (c *Client) limit(resp *http.Response) io.Reader {
	if resp.ContentLength >= 0 && resp.ContentLength <= c.maxBody {
		return resp.Body
	}
	return &limitedReader{r: resp.Body, n: c.maxBody}
}

type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Probe one byte: a body of exactly the limit is fine.
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, ErrResponseTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func pathOf(target string) string {
	if i := strings.Index(target, "://"); i >= 0 {
		rest := target[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			target = rest[j:]
		} else {
			target = "/"
		}
	}
	if i := strings.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	return target
}

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Path: pathOf(s)}
	}
	return u
}
