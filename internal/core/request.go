package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-querystring/query"
	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/urlpath"
)

// Request is one API call.
type Request struct {
	Method string
	// Path is relative to the base URL, already escaped (build it with Segment).
	Path string
	// ID, when positive, is appended to Path as its last segment. Giving it apart lets
	// the URL be built in one allocation.
	ID int64
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

	// sent is how many times the last round trip sent the request, for the errors built
	// once its answer is read. A Request is built per call: two calls must not share one.
	sent int
	// mayHaveApplied carries the attempt's mayHaveApplied from one round trip to the
	// next, after a credential refresh: the flag belongs to the call.
	mayHaveApplied bool
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

// The core has three entry points, each with one rule for what it returns:
//   - Do decodes into out, which the caller must ignore when Do returns an error;
//   - Object returns exactly one of a non-nil *T and an error;
//   - List returns a non-nil slice or an error.

// Do sends the request and decodes a 2xx answer's JSON body into out: nil discards the
// body, a *[]byte takes it as it is (read within the size limit, for answers that may not
// be JSON), and an empty body leaves out as it is. Any other answer is returned as an
// error: *APIError, *RateLimitError, or a transport failure as *RequestError or
// *OutcomeUnknownError. After an error, out may be partly decoded: ignore it.
func (c *Client) Do(ctx context.Context, r *Request, out any) error {
	resp, ahead, err := c.send(ctx, r)
	if err != nil {
		return err
	}
	defer closeAnswer(resp) // resp.Body may be replaced once read
	defer ahead.release()
	self, decodesItself := out.(RawDecoder)
	if out == nil || resp.StatusCode == http.StatusNoContent && !decodesItself {
		return nil
	}
	var decoded error
	raw, wantRaw := out.(*[]byte)
	switch {
	case wantRaw && c.readsAhead():
		*raw = ahead.owned()
	case wantRaw:
		*raw, decoded = c.readBody(resp)
	case decodesItself:
		read := ahead.b
		if !c.readsAhead() {
			read, decoded = c.readBody(resp)
		}
		if decoded == nil {
			decoded = self.DecodeRaw(read)
		}
	case c.readsAhead():
		decoded = decodeFirst(ahead.b, out)
	case c.pooled(resp):
		decoded = decodePooled(resp, out)
	default:
		// A decoder, not json.Unmarshal: the first JSON value counts, whatever follows.
		if decoded = json.NewDecoder(c.limit(resp)).Decode(out); decoded == io.EOF {
			decoded = nil
		}
	}
	if err := decoded; err != nil {
		err = c.decodeError(r, err)
		if !r.idempotent() {
			// The write succeeded but its answer is unreadable: the caller must not
			// take it for a failure and send it again.
			return c.OutcomeUnknown(r, err)
		}
		return err
	}
	return nil
}

// Object is Do for an answer that must hold a JSON object: it never returns a nil result
// with a nil error. An empty or null 2xx body is an error, and so is an object that
// present rejects, such as {} where a user with an id was expected. For a
// write (which succeeded) the error matches ErrOutcomeUnknown, since the caller cannot
// tell what was stored.
func Object[T any](ctx context.Context, c *Client, r *Request, present func(*T) bool) (*T, error) {
	// Decoding into a T, not a *T, saves the pointer's allocation; null and an empty body
	// leave it zero, which present refuses like an object without an id.
	out := new(T)
	if err := c.Do(ctx, r, out); err != nil {
		return nil, err
	}
	if present(out) {
		return out, nil
	}
	return nil, c.NoObject(r)
}

// RawDecoder is a result that decodes itself from the whole body, for answers whose shape
// is known only once read (a user that may come wrapped in an envelope, say). Do reads the
// body within the size limit, in one allocation when its length is declared, and calls
// DecodeRaw with it, empty for an empty body or a 204; an error counts as the answer's decoding
// error. As with json.Unmarshaler, DecodeRaw must copy what it keeps of body: the buffer
// may be reused once it returns.
type RawDecoder interface {
	DecodeRaw(body []byte) error
}

// decodeFirst decodes the first JSON value of b into out, ignoring what follows it, as a
// json.Decoder on the stream would; an empty body leaves out as it is.
func decodeFirst(b []byte, out any) error {
	err := json.Unmarshal(b, out)
	var syntax *json.SyntaxError
	if err == nil || !errors.As(err, &syntax) {
		return err
	}
	// Trailing data or an empty body: let a decoder tell (the rare path).
	if err = json.NewDecoder(bytes.NewReader(b)).Decode(out); err == io.EOF {
		err = nil
	}
	return err
}

// NoObject is the error for a 2xx answer to r that holds no object where one was
// expected. For a write it matches ErrOutcomeUnknown.
func (c *Client) NoObject(r *Request) error {
	empty := errors.New("the answer had no object where one was expected")
	if !r.idempotent() {
		return c.OutcomeUnknown(r, empty)
	}
	return fmt.Errorf("%s %s: %w", r.Method, c.Path(r), empty)
}

// ReadBackFailed is the error for a write that was applied although its answer did not
// show the user, when reading the user back failed with err. It wraps err, and does
// not match ErrOutcomeUnknown: the write is known to have taken effect.
func (c *Client) ReadBackFailed(r *Request, err error) error {
	return fmt.Errorf("%s %s: applied, but the answer holds no user and reading it back failed: %w", r.Method, c.Path(r), err)
}

// OutcomeUnknown is the error for a write answered 2xx whose answer cannot be used, for
// the reason err: it took effect, but what was stored is unknown. Attempts counts the
// round trip since the last credential refresh, as usersdk.Response does.
func (c *Client) OutcomeUnknown(r *Request, err error) error {
	return &usersdk.OutcomeUnknownError{Method: r.Method, URL: RedactURL(mustParse(c.target(r))), Attempts: r.sent, Err: err}
}

// ErrNoClient is what a family's zero Client returns: its core client is nil, and every
// request goes through send, so one check turns a nil dereference into an error.
var ErrNoClient = errors.New("usersdk: the Client is not set up: create it with New")

// send sends the request with retries and credential refresh and returns a 2xx answer,
// whose body the caller must close. Any other outcome is returned as an error.
//
// When c.readsAhead, the body has been read already: read holds it (resp.Body is then
// spent, and the caller releases read once decoded); otherwise read is empty.
func (c *Client) send(ctx context.Context, r *Request) (resp *http.Response, read readAhead, err error) {
	if c == nil {
		return nil, readAhead{}, ErrNoClient
	}
	if ctx == nil {
		return nil, readAhead{}, errors.New(c.family.Name + ": nil context")
	}
	if err := validate(r.Query, r.Body); err != nil {
		return nil, readAhead{}, err
	}
	if err := c.spent(r); err != nil {
		if capture := usersdk.ResponseFrom(ctx); capture != nil {
			*capture = usersdk.Response{} // nothing was sent
		}
		return nil, readAhead{}, err
	}
	target, err := c.url(r)
	if err != nil {
		return nil, readAhead{}, err
	}
	var body []byte
	switch {
	case r.Form != nil:
		body = []byte(r.Form.Encode())
	case r.Body != nil:
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, readAhead{}, fmt.Errorf("%s: encoding request body: %w", c.family.Name, err)
		}
	}
	refresher, _ := c.auth.(Refresher)
	for refreshed := false; ; refreshed = true {
		resp, a, err := c.roundTrip(ctx, r, target, body)
		r.sent, r.mayHaveApplied = a.count, a.mayHaveApplied
		if capture := usersdk.ResponseFrom(ctx); capture != nil {
			fillResponse(capture, resp, a)
		}
		if err != nil {
			return nil, readAhead{}, err
		}
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if c.readsAhead() {
				read, err := c.checkSuccessBody(r, resp, a)
				return resp, read, err
			}
			return resp, readAhead{}, nil
		}
		if resp.StatusCode == http.StatusUnauthorized && refresher != nil && !refreshed && !r.NoAuth {
			rejected := c.failure(r, resp, a)
			c.log.LogAttrs(ctx, slog.LevelDebug, "credentials rejected, refreshing",
				slog.String("method", r.Method), slog.String("path", a.path()))
			if err := refresher.Refresh(ctx, a.credential); err != nil {
				if errors.Is(err, ErrSameCredential) {
					return nil, readAhead{}, rejected // nothing new to send
				}
				return nil, readAhead{}, err
			}
			continue
		}
		err = c.failure(r, resp, a)
		if resp.StatusCode >= 300 && resp.StatusCode < 400 {
			err = c.redirected(r, resp, err)
		}
		return nil, readAhead{}, err
	}
}

// redirected is the error for a 3xx answer that was not followed (one that would have
// turned a write into a GET, see retryHTTPClient): err, the answer's error, with where it
// pointed. A 303 says the server processed the request, and so does a 301 or 302 from a
// server that redirects after a POST (the Post/Redirect/Get pattern), so for a request
// that is not safe to repeat the error matches ErrOutcomeUnknown.
func (c *Client) redirected(r *Request, resp *http.Response, err error) error {
	if to := redirectTarget(resp); to != "" {
		err = fmt.Errorf("%w (redirect to %s not followed)", err, to)
	}
	if !r.idempotent() {
		return c.OutcomeUnknown(r, err)
	}
	return err
}

// redirectTarget is where a 3xx answer points, as error texts show it: the path, after
// the scheme and host when they differ from the request's. The query is left out, as it
// may hold credentials.
func redirectTarget(resp *http.Response) string {
	loc, err := resp.Location()
	if err != nil {
		return ""
	}
	p := loc.EscapedPath()
	if p == "" {
		p = "/"
	}
	if loc.Host == "" || resp.Request != nil && resp.Request.URL != nil &&
		loc.Host == resp.Request.URL.Host && loc.Scheme == resp.Request.URL.Scheme {
		return p
	}
	return loc.Scheme + "://" + loc.Host + p
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
		dst.RateLimit, dst.HasRateLimit = rl, true
	}
}

// roundTrip makes one call through go-retryablehttp with this client's policy.
func (c *Client) roundTrip(ctx context.Context, r *Request, target string, body []byte) (*http.Response, *attempt, error) {
	a := &attempt{Context: ctx, c: c, method: r.Method, idempotent: r.idempotent(), noAuth: r.NoAuth, url: target,
		secrets: r.Secrets, mayHaveApplied: r.mayHaveApplied}
	if err := ctx.Err(); err != nil {
		// Nothing was sent: not an unknown outcome, even for a write.
		return nil, a, c.transportError(ctx, a, err)
	}
	ctx = a
	req, err := newRetryRequest(ctx, r.Method, target, body)
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
			slog.String("path", a.path()), slog.Duration("asked", a.rateLimit), slog.Duration("cap", c.waitMax))
	}
	return resp, a, nil
}

// url builds the request URL from the base, the path and the encoded query.
func (c *Client) url(r *Request) (string, error) {
	target := r.URL
	if target == "" {
		target = c.target(r)
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
	attrs := []slog.Attr{slog.String("method", a.method), slog.String("path", a.path()), slog.Int("attempt", a.count)}
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
	if r.ID > 0 {
		var id [20]byte
		return c.base + r.Path + string(strconv.AppendInt(id[:0], r.ID, 10))
	}
	return c.base + r.Path
}

// Path is r's path from the host root, as error texts show it (the base URL's own path
// included).
func (c *Client) Path(r *Request) string { return urlpath.Of(c.target(r)) }

func mustParse(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Path: urlpath.Of(s)}
	}
	return u
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}
