package core

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// rateState is the last budget the API reported. A mutex guards a value rather than an
// atomic pointer to a new one, which would allocate on every answer that carries the
// headers (Telphin's all do).
type rateState struct {
	mu    sync.Mutex
	known bool
	last  RateLimit
}

func (s *rateState) load() (RateLimit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, s.known
}

func (s *rateState) store(r RateLimit) {
	s.mu.Lock()
	s.last, s.known = r, true
	s.mu.Unlock()
}

// RateLimit returns the last rate-limit headers the server sent, if any.
func (c *Client) RateLimit() (RateLimit, bool) { return c.rate.load() }

// spent returns a *RateLimitError, without sending anything, while the last answer from
// the API said its budget is spent (X-RateLimit-Remaining: 0, or a hard 429) and the
// reset is still ahead. Requests to other URLs (token services) are not held back.
func (c *Client) spent(r *Request) error {
	if c.noRateCheck || r.URL != "" {
		return nil
	}
	rl, known := c.rate.load()
	if !known || rl.Remaining != 0 || rl.Reset.IsZero() || !time.Now().Before(rl.Reset) {
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

func (c *Client) noteRateLimit(resp *http.Response) {
	if r, ok := rateLimitFrom(resp.Header, time.Now()); ok {
		c.rate.store(r)
	}
}

// rateLimitFrom reads the X-RateLimit-* headers, if the answer has any.
func rateLimitFrom(h http.Header, now time.Time) (RateLimit, bool) {
	limit, remaining, reset := header(h, hdrRateLimit), header(h, hdrRateRemaining), header(h, hdrRateReset)
	if limit == "" && remaining == "" && reset == "" {
		return RateLimit{}, false
	}
	r := RateLimit{Limit: atoiOr(limit, -1), Remaining: atoiOr(remaining, -1), Observed: now}
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
// 2001-09-09 (1e9) are Unix times.
func parseReset(v string, now time.Time) (time.Time, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, false
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
