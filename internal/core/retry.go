package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/urlpath"
)

// attempt holds the retry state of one call. go-retryablehttp drives the loop with the
// client's shared hooks, which find this state in the request's context.
type attempt struct {
	// The attempt is the context of its request, so that the hooks find it without a
	// context.WithValue allocation per call (see Value).
	context.Context
	c          *Client
	method     string
	url        string
	idempotent bool
	noAuth     bool
	count      int
	credential string            // last credential sent
	last       *usersdk.APIError // last retried answer, kept for the final error
	final      *usersdk.APIError // the last answer, when checkRetry already read its body
	vendor     bool              // final's body is the vendor's own error object
	rateLimit  time.Duration     // the server asked for longer than the cap
	hard       bool              // a 429 the family says no retry cures before hardReset
	hardReset  time.Time
	// mayHaveApplied is set once an attempt that is retried may have reached the server
	// and taken effect: its answer was lost, or came from a gateway.
	mayHaveApplied bool
	// secrets never appear in an error built from an answer (a server may echo them).
	secrets []string
	// req is the request as last sent. Its credential and the secret members of its body
	// are looked up in it only when an error is built (see echoable), so that a call that
	// succeeds pays nothing for them.
	req *http.Request
}

// path is the request's path, for logs and errors.
func (a *attempt) path() string { return urlpath.Of(a.url) }

func (a *attempt) authenticate(req *http.Request) error {
	a.req = req
	if a.c.auth == nil || a.noAuth {
		return nil
	}
	cred, err := a.c.auth.Authenticate(req.Context(), req)
	a.credential = cred
	return err
}

// checkRetry is the retry policy (see the package doc), and it also waits before the next
// attempt: go-retryablehttp's Backoff hook cannot see the call's context, so it could
// not refuse a wait that would outlast the deadline. It returns an error only when the
// context ends during the wait; otherwise go-retryablehttp hands back the last answer as
// it is and the client builds the error.
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a.count++
	if ctx.Err() != nil {
		return false, nil
	}
	retryable := false
	if err != nil {
		retryable = (a.idempotent || surelyNotSent(err)) && !permanent(err)
		a.c.logAttempt(ctx, a, 0, err)
	} else {
		a.c.logAttempt(ctx, a, resp.StatusCode, nil)
		if a.hardRateLimit(resp) {
			return false, nil
		}
		retryable = a.retryableStatus(resp)
	}
	if !retryable || a.count > a.c.retryMax {
		return false, nil
	}
	wait := a.c.wait(a.count, resp)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		// The wait would outlast the caller: return what caused it now, not the deadline.
		a.c.log.LogAttrs(ctx, slog.LevelDebug, "not retrying: the wait would pass the deadline",
			slog.String("method", a.method), slog.String("path", a.path()), slog.Duration("wait", wait))
		return false, nil
	}
	if resp != nil {
		var vendor bool
		a.last, vendor = a.answer(resp)
		// The body is consumed; the library drains what it is given.
		resp.Body = http.NoBody
		a.mayHaveApplied = a.mayHaveApplied || outcomeUnknown(resp.StatusCode, vendor)
	} else {
		a.mayHaveApplied = a.mayHaveApplied || !surelyNotSent(err)
	}
	a.c.log.LogAttrs(ctx, slog.LevelDebug, "retrying request",
		slog.String("method", a.method), slog.String("path", a.path()), slog.Int("attempt", a.count),
		slog.Duration("wait", wait))
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return false, ctx.Err()
		}
	}
	return true, nil
}

// answer parses resp into an *APIError, once: checkRetry may have read it already.
func (a *attempt) answer(resp *http.Response) (e *usersdk.APIError, vendor bool) {
	if e := a.final; e != nil {
		a.final = nil
		return e, a.vendor
	}
	return a.c.apiError(resp, a)
}

// retryableStatus decides on an answer: which statuses are retried for this method, and
// how long the server asked the client to wait.
func (a *attempt) retryableStatus(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// For a write only Retry-After says the request was not processed.
		wait, asked := serverWait(resp.Header, a.idempotent && resp.StatusCode == http.StatusTooManyRequests)
		if asked && wait > a.c.waitMax {
			a.rateLimit = wait
			return false
		}
		// A write is retried only when the server says, with Retry-After, that it did not
		// process it and when to come back.
		return a.idempotent || asked
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return a.idempotent
	}
	return false
}

// wait is how long to wait before attempt n+1: the server's wait when it named one
// (checkRetry has already refused waits over the cap), else exponential backoff with full
// jitter.
func (c *Client) wait(n int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		// A write reaches here only with a Retry-After (checkRetry), which serverWait reads first.
		if wait, ok := serverWait(resp.Header, resp.StatusCode == http.StatusTooManyRequests); ok {
			return min(wait, c.waitMax)
		}
	}
	return c.backoff(n)
}

// backoff is exponential with full jitter: a random wait in [0, min(max, min·2^n)).
func (c *Client) backoff(n int) time.Duration {
	ceil := c.waitMin << min(n-1, 30)
	if ceil <= 0 || ceil > c.waitMax {
		ceil = c.waitMax
	}
	if ceil <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceil)) + 1)
}

// serverWait reads Retry-After (seconds or an HTTP date) and, when rateHeaders is set,
// X-RateLimit-Reset (seconds from now, or a Unix time when it is that large).
func serverWait(h http.Header, rateHeaders bool) (time.Duration, bool) {
	if v := header(h, hdrRetryAfter); v != "" {
		if d, ok := ParseRetryAfter(v, time.Now()); ok {
			return d, true
		}
	}
	if rateHeaders {
		if v := header(h, hdrRateReset); v != "" {
			// A reset already past (clock skew) says nothing; fall back to backoff.
			if t, ok := parseReset(v, time.Now()); ok && time.Until(t) > 0 {
				return time.Until(t), true
			}
		}
	}
	return 0, false
}

// ParseRetryAfter parses a Retry-After value, delay-seconds or an HTTP date, into a wait
// from now. Negative waits become zero.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return min(time.Duration(min(n, int64(maxServerWait/time.Second)))*time.Second, maxServerWait), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(t.Sub(now), 0), maxServerWait), true
	}
	return 0, false
}

// maxServerWait bounds what a server can ask for; anything longer is as good as "give up".
const maxServerWait = 365 * 24 * time.Hour

// surelyNotSent reports whether a transport error happened before any byte of the request
// could have reached the server (DNS, dial and TLS handshake failures), or before it
// reached one that would act on it (a refused redirect: the server answered 3xx).
func surelyNotSent(err error) bool {
	var dnsErr *net.DNSError
	var redirErr *redirectError
	if errors.As(err, &dnsErr) || errors.As(err, &redirErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	// Not tls.RecordHeaderError: it also happens after the handshake, while reading the answer.
	return errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &authErr)
}

// permanent reports transport errors that no retry can cure: certificates that do not
// verify, redirects the client refused, and answers it cannot read.
func permanent(err error) bool {
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var redirErr *redirectError
	var protoErr *protocolError
	return errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &authErr) ||
		errors.As(err, &redirErr) || errors.As(err, &protoErr)
}
