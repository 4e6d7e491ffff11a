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
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	usersdk "github.com/usersdk/usersdk-go"
)

// maxErrorBody bounds how much of an error answer is read and kept.
const maxErrorBody = 64 << 10

// AlsoMatches makes e match sentinel with errors.Is besides the sentinel of its status.
// Family error parsers use it where a vendor signals a condition with another status
// (a taken login answered with 403, say).
func AlsoMatches(e *usersdk.APIError, sentinel error) { e.Also = append(e.Also, sentinel) }

// failure turns a final non-2xx answer into the error the caller sees.
func (c *Client) failure(r *Request, resp *http.Response, a *attempt) error {
	e, vendor := a.answer(resp)
	e.OutcomeUnknown = e.OutcomeUnknown || !a.idempotent && outcomeUnknown(resp.StatusCode, vendor)
	if resp.StatusCode != http.StatusTooManyRequests {
		return e
	}
	now := time.Now()
	rl := &usersdk.RateLimitError{APIError: e, Limit: -1, Remaining: -1}
	if h, ok := rateLimitFrom(resp.Header, now); ok {
		rl.Limit, rl.Remaining, rl.Reset = h.Limit, h.Remaining, h.Reset
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
			c.rate.store(usersdk.RateLimit{Limit: rl.Limit, Remaining: 0, Reset: rl.Reset, Observed: now})
		}
	}
	return rl
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

// transportError wraps a failure without an answer. A write is reported as
// *OutcomeUnknownError unless it surely never left: a dial, DNS or TLS failure, or a
// cancellation before a connection was made or while waiting to retry.
func (c *Client) transportError(ctx context.Context, a *attempt, err error) error {
	u := RedactURL(mustParse(a.url))
	var authErr *usersdk.AuthError
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
		slog.String("method", a.method), slog.String("path", a.path()),
		slog.Int("attempts", a.count), slog.String("error", err.Error()))
	if !a.idempotent && duringAttempt && !surelyNotSent(err) {
		return &usersdk.OutcomeUnknownError{Method: a.method, URL: u, Attempts: a.count, Err: err}
	}
	return &usersdk.RequestError{Method: a.method, URL: u, Attempts: a.count, Err: err, Last: a.last}
}

// apiError reads the (bounded) error body and lets the family parse it.
func (c *Client) apiError(resp *http.Response, a *attempt) (e *usersdk.APIError, vendor bool) {
	r := io.Reader(resp.Body)
	if resp.ContentLength < 0 {
		s := settle(resp.Body)
		defer s.stop()
		r = s
	}
	body, _ := io.ReadAll(io.LimitReader(r, maxErrorBody))
	drainClose(resp.Body)
	return c.apiErrorFrom(resp, a, body)
}

func (c *Client) apiErrorFrom(resp *http.Response, a *attempt, body []byte) (e *usersdk.APIError, vendor bool) {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e = &usersdk.APIError{
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
	if a.method == http.MethodDelete && a.mayHaveApplied && errors.Is(e, usersdk.ErrNotFound) {
		// An earlier attempt may have deleted it: "not found" may be this call's doing.
		// (Such an answer is never retried, so it is the final one.)
		e.OutcomeUnknown = true
	}
	if len(body) > 0 {
		// Only a body can echo the request: parsing fills Message and Code from it.
		redactEchoes(e, a.echoable())
	}
	return e, vendor
}

// redactEchoes replaces each secret in e's body, message and code, in every spelling an
// answer that echoes the request may hold it.
func redactEchoes(e *usersdk.APIError, secrets []string) {
	for _, secret := range secrets {
		if strings.TrimSpace(secret) == "" {
			continue
		}
		for _, s := range spellings(secret) {
			if bytes.Contains(e.Body, []byte(s)) {
				e.Body = []byte(replaceWhole(string(e.Body), s))
			}
			e.Message = replaceWhole(e.Message, s)
			e.Code = replaceWhole(e.Code, s)
		}
	}
}

// spellings returns a secret as an answer that echoes the request may hold it: as it is,
// form-encoded (a client secret with + / or = in a form) and inside a JSON string, as Go,
// PHP (json_encode: / escaped, non-ASCII as \u00fc) or Python (non-ASCII as \u00fc)
// write it.
func spellings(secret string) []string {
	out := []string{secret}
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	add(url.QueryEscape(secret))
	if j, err := json.Marshal(secret); err == nil {
		inner := string(j[1 : len(j)-1])
		add(inner)
		add(strings.ReplaceAll(inner, "/", `\/`))
	}
	for _, slash := range []bool{false, true} {
		for _, ascii := range []bool{false, true} {
			add(jsonString(secret, slash, ascii))
		}
	}
	return out
}

// jsonString escapes s as the inside of a JSON string: quotes, backslashes and control
// characters always; slashes when slash is set; every non-ASCII character as \uXXXX
// (UTF-16) when ascii is set.
func jsonString(s string, slash, ascii bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '/' && slash:
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || ascii && r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
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

func (c *Client) decodeError(r *Request, err error) error {
	path := c.Path(r)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) || errors.Is(err, usersdk.ErrResponseTooLarge) {
		return fmt.Errorf("%s %s: %w (limit %d bytes)", r.Method, path, usersdk.ErrResponseTooLarge, c.maxBody)
	}
	return fmt.Errorf("%s %s: decoding response: %w", r.Method, path, err)
}
