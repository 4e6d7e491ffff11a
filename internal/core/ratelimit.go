package core

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	usersdk "github.com/usersdk/usersdk-go"
)

// rateState is the last budget the API reported. It keeps the header values as they came
// and parses them when asked (RateLimit, or the hold while a budget is spent), so that an
// answer costs a few map look-ups and a clock read, not a parse and an allocation (Telphin
// sends the headers on every answer).
type rateState struct {
	// maybeSpent is set when the last report may say the budget is spent, so that the
	// check before every request takes no lock in the common case.
	maybeSpent atomic.Bool
	mu         sync.Mutex
	known      bool
	set        bool // last is a value set by the client (a hard 429), not headers
	last       usersdk.RateLimit
	raw        [3]string // X-RateLimit-Limit, -Remaining, -Reset
	observed   time.Time
}

func (s *rateState) load() (usersdk.RateLimit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known || s.set {
		return s.last, s.known
	}
	return parseRateLimit(s.raw, s.observed), true
}

// spent reports whether the budget is known to be spent, and until when.
func (s *rateState) spent() (usersdk.RateLimit, bool) {
	if !s.maybeSpent.Load() {
		return usersdk.RateLimit{}, false
	}
	s.mu.Lock()
	known, set, remaining := s.known, s.set, s.raw[1]
	s.mu.Unlock()
	if !known || !set && strings.TrimSpace(remaining) != "0" {
		return usersdk.RateLimit{}, false // the common case, without parsing
	}
	return s.load()
}

func (s *rateState) store(r usersdk.RateLimit) {
	s.mu.Lock()
	s.last, s.known, s.set = r, true, true
	s.maybeSpent.Store(r.Remaining == 0)
	s.mu.Unlock()
}

func (s *rateState) storeRaw(raw [3]string, observed time.Time) {
	s.mu.Lock()
	s.raw, s.observed, s.known, s.set = raw, observed, true, false
	s.maybeSpent.Store(strings.TrimSpace(raw[1]) == "0")
	s.mu.Unlock()
}

// RateLimit returns the last rate-limit headers the server sent, if any; none for a nil
// client (a family's zero Client).
func (c *Client) RateLimit() (usersdk.RateLimit, bool) {
	if c == nil {
		return usersdk.RateLimit{}, false
	}
	return c.rate.load()
}

// maxHold bounds how long one answer holds calls back. Telphin's budget renews every
// hour; a reset further ahead (misread, or the server's mistake) would lock the client
// out for good, since held calls never reach the server to learn better.
const maxHold = time.Hour

// spent returns a *RateLimitError, without sending anything, while the last answer from
// the API said its budget is spent (X-RateLimit-Remaining: 0, or a hard 429) and the
// reset is still ahead, for at most maxHold after that answer. Requests to other URLs
// (token services) are not held back.
func (c *Client) spent(r *Request) error {
	if c.noRateCheck || r.URL != "" {
		return nil
	}
	rl, known := c.rate.spent()
	if !known || rl.Remaining != 0 || rl.Reset.IsZero() {
		return nil
	}
	if limit := rl.Observed.Add(maxHold); rl.Reset.After(limit) {
		rl.Reset = limit
	}
	if !time.Now().Before(rl.Reset) {
		return nil
	}
	u := c.target(r)
	e := &usersdk.APIError{
		StatusCode: http.StatusTooManyRequests,
		Method:     r.Method,
		URL:        RedactURL(mustParse(u)),
		Message:    "not sent: the rate limit is spent until the reset",
	}
	return &usersdk.RateLimitError{APIError: e, Reset: rl.Reset, Limit: rl.Limit, Remaining: 0}
}

func (c *Client) noteRateLimit(resp *http.Response) {
	if raw, ok := rateHeaders(resp.Header); ok {
		c.rate.storeRaw(raw, time.Now())
	}
}

// rateHeaders returns the X-RateLimit-* values, if the answer has any.
func rateHeaders(h http.Header) ([3]string, bool) {
	raw := [3]string{header(h, hdrRateLimit), header(h, hdrRateRemaining), header(h, hdrRateReset)}
	return raw, raw != [3]string{}
}

// rateLimitFrom reads the X-RateLimit-* headers, if the answer has any.
func rateLimitFrom(h http.Header, now time.Time) (usersdk.RateLimit, bool) {
	raw, ok := rateHeaders(h)
	if !ok {
		return usersdk.RateLimit{}, false
	}
	return parseRateLimit(raw, now), true
}

func parseRateLimit(raw [3]string, observed time.Time) usersdk.RateLimit {
	r := usersdk.RateLimit{Limit: atoiOr(raw[0], -1), Remaining: atoiOr(raw[1], -1), Observed: observed}
	if t, ok := parseReset(raw[2], observed); ok {
		r.Reset = t
	}
	return r
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return n
	}
	return def
}

// hardRateLimit reports whether a 429 answer is one the family says no retry can cure
// before the budget resets (a spent hourly budget). It reads the body into a.final.
func (a *attempt) hardRateLimit(resp *http.Response) bool {
	if resp.StatusCode != http.StatusTooManyRequests || a.c.family.HardRateLimit == nil {
		return false
	}
	a.final, a.vendor = a.c.apiError(resp, a)
	resp.Body = http.NoBody
	a.hardReset, a.hard = a.c.family.HardRateLimit(a.final, time.Now())
	return a.hard
}

// parseReset reads X-RateLimit-Reset: small numbers are seconds from now, numbers past
// 2001-09-09 (1e9) are Unix times, and numbers from 1e12 Unix times in milliseconds, as
// some APIs send them (read as seconds, they would lie 55,000 years ahead).
func parseReset(v string, now time.Time) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
	}
	if n >= 1e12 {
		return time.UnixMilli(n), true
	}
	if n >= 1e9 {
		return time.Unix(n, 0), true
	}
	if n > int64(maxServerWait/time.Second) {
		return time.Time{}, false
	}
	return now.Add(time.Duration(n) * time.Second), true
}

// Canonical header keys, looked up directly: http.Header.Get canonicalizes its argument
// on every call, which allocates for a key like "X-RateLimit-Limit" that is not canonical.
const (
	hdrRateLimit     = "X-Ratelimit-Limit"
	hdrRateRemaining = "X-Ratelimit-Remaining"
	hdrRateReset     = "X-Ratelimit-Reset"
	hdrRetryAfter    = "Retry-After"
)

// header is h.Get for a key already in canonical form.
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}
