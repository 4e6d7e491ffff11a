package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// attempt holds the retry state of one call: go-retryablehttp drives the loop, and its
// CheckRetry and Backoff hooks read and write this state.
type attempt struct {
	c          *Client
	method     string
	url        string
	path       string
	idempotent bool
	count      int
	wait       time.Duration // decided by checkRetry, returned by backoff
	credential string        // last credential sent
	last       *APIError     // last retried answer, kept for the final error
	rateLimit  time.Duration // the server asked for longer than the cap
	connected  atomic.Bool   // the transport obtained a connection for this attempt
	// lastConnected is connected as it was after the last attempt.
	lastConnected bool
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// trace records whether a write got as far as a connection. Only used for non-idempotent
// methods, where it decides whether a transport error is safe to retry.
func (a *attempt) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { a.connected.Store(true) }}
}

// checkRetry is the retry policy (see the package doc). It never returns an error, so
// go-retryablehttp hands back the last answer as it is and the client builds the error.
func (a *attempt) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a.count++
	connected := a.connected.Swap(false)
	a.lastConnected = connected
	if ctx.Err() != nil {
		return false, nil
	}
	retryable, wait := false, time.Duration(0)
	if err != nil {
		retryable = a.idempotent || (!connected && surelyNotSent(err))
		a.c.logAttempt(ctx, a, 0, err)
	} else {
		a.c.logAttempt(ctx, a, resp.StatusCode, nil)
		retryable, wait = a.retryableStatus(resp)
	}
	if !retryable || a.count > a.c.retryMax {
		return false, nil
	}
	if wait == 0 {
		wait = a.c.backoff(a.count)
	}
	if resp != nil {
		a.last = a.c.apiError(resp, a)
	}
	a.wait = wait
	a.c.log.LogAttrs(ctx, slog.LevelDebug, "retrying request",
		slog.String("method", a.method), slog.String("path", a.path),
		slog.Int("attempt", a.count), slog.Duration("wait", wait))
	return true, nil
}

// retryableStatus decides on an answer: which statuses are retried for this method, and
// how long the server asked the client to wait.
func (a *attempt) retryableStatus(resp *http.Response) (bool, time.Duration) {
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		wait, asked := serverWait(resp.Header, resp.StatusCode == http.StatusTooManyRequests)
		if asked && wait > a.c.waitMax {
			a.rateLimit = wait
			return false, 0
		}
		// A write is retried only when the server says, with Retry-After, that it did not
		// process it and when to come back.
		if !a.idempotent && !asked {
			return false, 0
		}
		return true, wait
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return a.idempotent, 0
	}
	return false, 0
}

func (a *attempt) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return a.wait
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
	if v := h.Get("Retry-After"); v != "" {
		if d, ok := ParseRetryAfter(v, time.Now()); ok {
			return d, true
		}
	}
	if rateHeaders {
		if v := h.Get("X-RateLimit-Reset"); v != "" {
			if t, ok := parseReset(v, time.Now()); ok {
				return max(time.Until(t), 0), true
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
		if n > int64(365*24*time.Hour/time.Second) {
			n = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// parseReset reads X-RateLimit-Reset: small numbers are seconds from now, numbers past
// 2001-09-09 (1e9) are Unix times.
func parseReset(v string, now time.Time) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	if n >= 1e9 {
		return time.Unix(n, 0), true
	}
	if n > int64(365*24*time.Hour/time.Second) {
		return time.Time{}, false
	}
	return now.Add(time.Duration(n) * time.Second), true
}

// surelyNotSent reports whether a transport error happened before any byte of the request
// could have reached the server: DNS, dial and TLS handshake failures.
func surelyNotSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var recErr tls.RecordHeaderError
	return errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &authErr) || errors.As(err, &recErr)
}

// drainClose reads what is left of a body (up to a bound) and closes it, so the
// connection can be reused.
func drainClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 256<<10))
	_ = body.Close()
}
