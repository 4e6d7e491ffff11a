package accountuser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/usersdk/usersdk-go/internal/core"
)

// Revive is PHP, and an installation may answer a failure with status 200 and its error
// object as the body. The core decodes 2xx bodies as results, so this package reads them
// itself: every 2xx body that is Revive's error object becomes an *APIError.

// msgUnknownUser is the message Revive raises for a user id that does not exist.
const msgUnknownUser = "Unknown userId Error"

// maxErrorBody bounds the part of an answer kept on an APIError, as the core does.
const maxErrorBody = 64 << 10

// parseError reads Revive's error body, {"error": {"type": "...", "message": "..."}}, with
// the type as the code. Other JSON bodies (a proxy's, say) get the core's common parsing.
// "Unknown userId Error" matches ErrNotFound whatever the status: the vendor documents no
// status codes, and an installation may send it with 200 or 500.
func parseError(e *core.APIError) {
	var body struct {
		Error struct {
			Type    json.RawMessage `json:"type"`
			Message json.RawMessage `json:"message"`
		} `json:"error"`
	}
	code, msg := "", ""
	if json.Unmarshal(e.Body, &body) == nil {
		code, msg = scalar(body.Error.Type), scalar(body.Error.Message)
	}
	if code != "" || msg != "" {
		e.Code, e.Message = code, msg
	} else {
		core.ParseCommonError(e)
	}
	if e.Message == msgUnknownUser {
		core.AlsoMatches(e, core.ErrNotFound)
	}
}

// scalar returns a JSON string's value or a number's text, "" for anything else.
func scalar(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return string(trimSpace(raw))
	}
	return ""
}

// isErrorObject reports whether a body is Revive's error answer: a JSON object whose
// "error" member is an object or a non-empty string.
func isErrorObject(body []byte) bool {
	b := trimSpace(body)
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	var probe struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(b, &probe) != nil {
		return false
	}
	e := trimSpace(probe.Error)
	return len(e) > 0 && (e[0] == '{' || (e[0] == '"' && string(e) != `""`))
}

// reply is a 2xx answer whose body this package reads itself.
type reply struct {
	c    *Client
	ctx  context.Context
	req  *core.Request
	resp *http.Response
	body *bufio.Reader // through the client's size limit
}

// send sends r; any answer but a 2xx comes back as the core's error.
func (c *Client) send(ctx context.Context, r *core.Request) (*reply, error) {
	resp, err := c.core.Send(ctx, r)
	if err != nil {
		return nil, err
	}
	return &reply{c: c, ctx: ctx, req: r, resp: resp, body: bufio.NewReader(&limitedReader{r: resp.Body, n: c.maxBody})}, nil
}

// close drains a bounded rest of the body, so the connection can be reused, and closes it.
func (r *reply) close() {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.resp.Body, maxErrorBody))
	_ = r.resp.Body.Close()
}

// path is the request's path from the host root, as error texts show it.
func (r *reply) path() string { return r.c.basePath + r.req.Path }

// first returns the body's first byte that is not white space, without consuming it;
// 0 for an empty body.
func (r *reply) first() (byte, error) {
	for {
		b, err := r.body.Peek(1)
		if errors.Is(err, io.EOF) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = r.body.ReadByte()
		default:
			return b[0], nil
		}
	}
}

// all reads the body whole, within the client's size limit.
func (r *reply) all() ([]byte, error) { return io.ReadAll(r.body) }

// errorIn returns the *APIError that body stands for when it is Revive's error object,
// and nil otherwise.
func (r *reply) errorIn(body []byte) error {
	if !isErrorObject(body) {
		return nil
	}
	kept := bytes.Clone(body[:min(len(body), maxErrorBody)])
	e := &core.APIError{
		StatusCode:  r.resp.StatusCode,
		RequestID:   requestID(r.resp.Header),
		Method:      r.req.Method,
		URL:         r.c.core.BaseURL() + r.req.Path,
		Body:        kept,
		ContentType: r.resp.Header.Get("Content-Type"),
	}
	parseError(e)
	r.c.core.Logger().LogAttrs(r.ctx, slog.LevelDebug, "error object in a 2xx answer",
		slog.String("method", e.Method), slog.String("path", r.path()), slog.Int("status", e.StatusCode),
		slog.String("code", e.Code))
	return &errorAnswer{api: e, path: r.path()}
}

// readError wraps a failure to read a 2xx answer as the operation's result.
func (r *reply) readError(err error, created bool) error {
	if errors.Is(err, core.ErrResponseTooLarge) {
		err = fmt.Errorf("%w (limit %d bytes)", err, r.c.maxBody)
	}
	return &answerError{method: r.req.Method, path: r.path(), status: r.resp.StatusCode, err: err, created: created}
}

// errorAnswer is Revive's error object received with a 2xx status. It unwraps to the
// *APIError (errors.As finds it, with the 2xx status, Code and Message). Its own text
// names the path, which an APIError built outside the core cannot print.
type errorAnswer struct {
	api  *core.APIError
	path string
}

// Error reads like the core's APIError text and says the status was a success one.
func (e *errorAnswer) Error() string {
	a := e.api
	var b strings.Builder
	b.WriteString(a.Method + " " + e.path + ": " + strconv.Itoa(a.StatusCode))
	if t := http.StatusText(a.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	b.WriteString(" with an error body")
	if a.Message != "" {
		b.WriteString(": " + a.Message)
	}
	if a.Code != "" {
		b.WriteString(" [" + a.Code + "]")
	}
	if a.RequestID != "" {
		b.WriteString(" (request id " + a.RequestID + ")")
	}
	return b.String()
}

// Unwrap returns the *APIError.
func (e *errorAnswer) Unwrap() error { return e.api }

// answerError is a 2xx answer that could not be read as the operation's result.
type answerError struct {
	method, path string
	status       int
	err          error
	// created is set for Create: the server said it succeeded, so the user may exist.
	created bool
}

// Error names the request and the status and says why the answer could not be read.
func (e *answerError) Error() string {
	s := fmt.Sprintf("%s %s: reading the %d %s answer: %v", e.method, e.path, e.status, http.StatusText(e.status), e.err)
	if e.created {
		s += "; the user may have been created: look it up by username before creating it again"
	}
	return s
}

// Unwrap returns the cause (errors.Is(err, ErrResponseTooLarge) sees through it).
func (e *answerError) Unwrap() error { return e.err }

// Is matches ErrOutcomeUnknown for a Create whose answer could not be read.
func (e *answerError) Is(target error) bool { return e.created && target == core.ErrOutcomeUnknown }

// userIn decodes body as a user. ok is false, with no error, when the body is not a JSON
// object with a userId; a user object with a field of the wrong type is an error.
func userIn(body []byte) (u *User, ok bool, err error) {
	b := trimSpace(body)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return nil, false, nil
	}
	var probe struct {
		UserID json.RawMessage `json:"userId"`
	}
	if err := json.Unmarshal(b, &probe); err != nil || len(probe.UserID) == 0 || string(probe.UserID) == "null" {
		return nil, false, nil
	}
	u = new(User)
	if err := json.Unmarshal(b, u); err != nil {
		return nil, false, err
	}
	if u.UserID == 0 {
		return nil, false, nil
	}
	return u, true, nil
}

// trimSpace trims JSON's white space (not Unicode's, which JSON does not allow).
func trimSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// errNotUser says a 2xx answer that had to be a user was something else.
var errNotUser = errors.New("the answer is not a user (no userId)")

// requestID reads the server's request id header, from the same headers as the core.
func requestID(h http.Header) string {
	for _, k := range []string{"X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-Requestid"} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// limitedReader fails with ErrResponseTooLarge past n bytes, as the core's reader does.
type limitedReader struct {
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		var one [1]byte // a body of exactly the limit is fine
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, core.ErrResponseTooLarge
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
