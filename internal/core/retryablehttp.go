package core

// This file is the one place that adapts go-retryablehttp, which drives the retry loop
// while every decision stays the client's own (retry.go). Two of the library's habits
// would hurt the caller, and the adaptation exists to stop them:
//   - it calls CloseIdleConnections on the *http.Client when a call fails or a wait is
//     cancelled, which would empty the caller's whole connection pool;
//   - when it gives up it replaces the server's last answer with its own "giving up after
//     N attempts" error, losing the status and body the caller needs.
// So the library gets a copy of the caller's client whose transport hides
// CloseIdleConnections, a RetryMax it never reaches (the policy counts attempts), hooks
// that find each call's state in the request context, and an ErrorHandler that passes
// the real error through.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// newRetryClient is the one go-retryablehttp client of c, shared by all its calls.
func newRetryClient(c *Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   retryHTTPClient(c.hc),
		RetryMax:     c.retryMax + 1, // the policy stops first: see the file comment
		CheckRetry:   checkRetry,
		Backoff:      noWait,
		PrepareRetry: prepareRetry,
		ErrorHandler: passThrough,
	}
}

// retryHTTPClient is a shallow copy of the caller's client for go-retryablehttp. Its
// transport hides CloseIdleConnections, which the library calls when it gives up or a wait
// is cancelled and which would empty the caller's whole pool, and refuses a 101 answer;
// its redirect policy follows no redirect that changes the method, refuses https to http,
// where the Authorization header would travel in clear text, and sends no credentials to
// another host.
func retryHTTPClient(hc *http.Client) *http.Client {
	cp := *hc
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cp.Transport = roundTripOnly{rt}
	userCheck := hc.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > 0 && req.Method != via[0].Method {
			// net/http follows a 301, 302 or 303 to a write with a GET, whose answer would
			// be taken for the write's: the 3xx goes back to the caller instead (send).
			return http.ErrUseLastResponse
		}
		if len(via) > 0 && via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return &redirectError{"refusing a redirect from https to " + req.URL.Scheme}
		}
		if len(via) > 0 && req.URL.Host != via[0].URL.Host {
			// A 307 or 308 resends the body, which may hold a secret (a token request's
			// client_secret, a login's password).
			if req.Body != nil && req.Body != http.NoBody {
				return &redirectError{"refusing to resend a request body to another host (" + req.URL.Host + ")"}
			}
			// net/http keeps Authorization for a subdomain or another port of the same
			// host; the credentials are for the configured host alone.
			req.Header.Del("Authorization")
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

// RoundTrip refuses a 101 Switching Protocols: its body is the raw connection, which no
// deadline interrupts, so reading it could block the call for ever. Closing it does not
// block. (net/http handles every other 1xx itself.)
func (t roundTripOnly) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err == nil && resp != nil && resp.StatusCode < 200 {
		if resp.Body != nil { // a caller's transport may break the RoundTripper contract
			resp.Body.Close()
		}
		return nil, &protocolError{"unexpected answer " + resp.Status}
	}
	return resp, err
}

// protocolError is an answer the client cannot read as HTTP; no retry can cure it.
type protocolError struct{ msg string }

func (e *protocolError) Error() string { return e.msg }

func passThrough(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil {
		drainClose(resp.Body)
	}
	return nil, err
}

type attemptKey struct{}

// Value returns the attempt itself for attemptKey and defers to the caller's context
// otherwise.
func (a *attempt) Value(key any) any {
	if key == (attemptKey{}) {
		return a
	}
	return a.Context.Value(key)
}

func attemptOf(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

// checkRetry is the client's CheckRetry hook.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := attemptOf(ctx)
	if a == nil {
		return false, nil
	}
	return a.checkRetry(ctx, resp, err)
}

// prepareRetry is the client's PrepareRetry hook: credentials are set again on every
// attempt, as a token may have been renewed during the wait.
func prepareRetry(req *http.Request) error {
	if a := attemptOf(req.Context()); a != nil {
		return a.authenticate(req)
	}
	return nil
}

// noWait is the client's Backoff hook: checkRetry has already waited.
func noWait(_, _ time.Duration, _ int, _ *http.Response) time.Duration { return 0 }

// newRetryRequest builds the library's request. One without a body needs none of the
// library's body handling, so it is built as net/http builds it, and wrapped.
func newRetryRequest(ctx context.Context, method, target string, body []byte) (*retryablehttp.Request, error) {
	if body == nil {
		req, err := http.NewRequestWithContext(ctx, method, target, nil)
		if err != nil {
			return nil, err
		}
		return &retryablehttp.Request{Request: req}, nil
	}
	return retryablehttp.NewRequestWithContext(ctx, method, target, body)
}
