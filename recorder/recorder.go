// Package recorder records the HTTP exchanges a client makes, with every secret removed,
// as JSON files that the SDK's test suite replays.
//
// A [Transport] is an [http.RoundTripper] that wraps another one. Put it in the
// *http.Client you give the SDK (each family's WithHTTPClient option), or in any other
// client:
//
//	rec := recorder.New("recordings/backoffice")
//	c, err := backoffice.New(
//		backoffice.WithBaseURL(url), backoffice.WithToken(token),
//		backoffice.WithHTTPClient(&http.Client{Transport: rec}))
//
// The example programs call [FromEnv], which records only when USERSDK_RECORD is set.
//
// # Files
//
// Each exchange becomes one file, DIR/NNN-operation.json: NNN numbers the exchanges of the
// directory from 001 in the order their answers arrived (for a client that waits for each
// answer, the order of its requests), continuing after the files already there; operation
// is the method and path, e.g. 001-post-users.json, 002-get-users-id.json (see [WithNamer]).
// A retried request is one file per attempt. The format is the one the SDK's fixture tests
// read:
//
//	{
//	  "request":  {"method": "GET", "path": "/api/v2/users/7", "query": {...},
//	               "headers": {"Authorization": "Bearer REDACTED", ...}, "body": {...} or "form": {...}},
//	  "response": {"status": 200, "headers": {"Content-Type": "application/json"},
//	               "body": {...} or "body_text": "..."}
//	}
//
// Only the headers that matter for a replay are written: Accept, Authorization, Content-Type,
// Cookie and Proxy-Authorization on the request; Content-Type, Location, Retry-After,
// Set-Cookie, X-Request-Id and the X-RateLimit headers on the answer ([WithHeaders] adds more).
//
// # What is redacted
//
// Nothing secret is written:
//   - Authorization and Proxy-Authorization keep only their scheme: "Bearer REDACTED",
//     "Basic REDACTED". Cookie and Set-Cookie become "REDACTED".
//   - JSON fields, form fields and query parameters whose name holds a secret (see
//     [IsSecretName]: password, oldPassword, accessToken, refresh_token, client_secret,
//     apiKey, …; and names added with [WithSecretNames]) are replaced at any depth, in
//     requests and answers: strings by "REDACTED", numbers by 0, so that the file still
//     decodes into the same types. Strings that look like a JWT or "Bearer …" are replaced
//     whatever their name.
//   - Every value removed this way (and a Basic password) is then also replaced wherever
//     else it appears in the exchange or in later exchanges of the same Transport: in the
//     path, in a message that echoes it, in a field with an innocent name. Values shorter
//     than 6 characters are only replaced where their name marks them.
//
// Warning: everything else is written as it came, including the personal data the
// exchange carries (names, e-mail addresses, phone numbers, IP addresses) and secrets in
// fields whose names do not say so. Read the files before you share them.
//
// # What the client sees
//
// The Transport reads each request and answer body (at most 4 MiB each, see
// [WithMaxBodySize]) and hands the client an identical body, so the client's behaviour does
// not change; a larger or failing body is passed through untouched and that exchange is not
// recorded. Because the answer is read before RoundTrip returns, the Transport is not meant
// for streaming answers. A failure to write a file never fails the request: it is reported
// to the [WithErrorHandler] function and by [Transport.Err]. A Transport is safe for
// concurrent use. It is meant for recording sessions: it remembers every secret it has
// removed, so it is not one to leave in a long-running service.
package recorder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"

	"github.com/usersdk/usersdk-go/internal/recording"
)

// DefaultMaxBodySize bounds each request and answer body the Transport records.
const DefaultMaxBodySize = 4 << 20

// maxErrors bounds the errors a Transport keeps for [Transport.Err].
const maxErrors = 100

var (
	defaultRequestHeaders  = []string{"Accept", "Authorization", "Content-Type", "Cookie", "Proxy-Authorization"}
	defaultResponseHeaders = []string{"Content-Type", "Location", "Retry-After", "Set-Cookie", "X-Request-Id",
		"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}
)

// Transport is an [http.RoundTripper] that records each exchange it carries as a file.
// Build it with [New] or [FromEnv].
type Transport struct {
	dir      string
	base     http.RoundTripper
	namer    func(*http.Request) string
	maxBody  int64
	reqHdrs  []string
	respHdrs []string
	onError  func(error)
	extra    map[string]bool

	mu      sync.Mutex
	secrets map[string]bool
	files   []string
	errs    []error
	dropped int
}

// Option configures a [Transport].
type Option func(*Transport)

// WithTransport sets the transport that carries the requests; the default is
// [http.DefaultTransport].
func WithTransport(base http.RoundTripper) Option {
	return func(t *Transport) {
		if base != nil {
			t.base = base
		}
	}
}

// WithNamer sets how a file's operation part is derived from the request (the default is
// described in [DefaultName]). The result is reduced to lower-case letters, digits, "-"
// and "_", and to 60 characters; an empty result falls back to the default.
func WithNamer(name func(*http.Request) string) Option {
	return func(t *Transport) {
		if name != nil {
			t.namer = name
		}
	}
}

// WithMaxBodySize bounds each request and answer body that is recorded; an exchange with
// a larger body is passed through unchanged and not recorded. n <= 0 keeps the default.
func WithMaxBodySize(n int64) Option {
	return func(t *Transport) {
		if n > 0 {
			t.maxBody = n
		}
	}
}

// WithHeaders adds headers to those written, on requests and answers alike. A header with
// a secret name is written as [Placeholder].
func WithHeaders(names ...string) Option {
	return func(t *Transport) {
		for _, n := range names {
			n = http.CanonicalHeaderKey(n)
			t.reqHdrs = appendNew(t.reqHdrs, n)
			t.respHdrs = appendNew(t.respHdrs, n)
		}
	}
}

// WithSecretNames adds JSON field, form field, query parameter and header names whose
// values are redacted, besides those [IsSecretName] matches. Case, "_" and "-" are ignored.
func WithSecretNames(names ...string) Option {
	return func(t *Transport) {
		for _, n := range names {
			if n := recording.NormalizeName(n); n != "" {
				t.extra[n] = true
			}
		}
	}
}

// WithErrorHandler sets a function called with each error that kept an exchange from
// being recorded (a body too large, a file that could not be written). It may be called
// from several goroutines at once. The errors are also kept for [Transport.Err].
func WithErrorHandler(f func(error)) Option {
	return func(t *Transport) { t.onError = f }
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// New returns a Transport that writes each exchange to a file in dir, creating dir when
// it writes the first file.
func New(dir string, opts ...Option) *Transport {
	t := &Transport{
		dir:      dir,
		base:     http.DefaultTransport,
		namer:    DefaultName,
		maxBody:  DefaultMaxBodySize,
		reqHdrs:  append([]string(nil), defaultRequestHeaders...),
		respHdrs: append([]string(nil), defaultResponseHeaders...),
		extra:    map[string]bool{},
		secrets:  map[string]bool{},
	}
	for _, o := range opts {
		o(t)
	}
	return t
}

// Dir returns the directory the Transport writes to.
func (t *Transport) Dir() string { return t.dir }

// Files returns the paths of the files written so far, in the order they were written.
func (t *Transport) Files() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.files...)
}

// Err returns the errors that kept exchanges from being recorded so far, joined, or nil.
func (t *Transport) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	errs := t.errs
	if t.dropped > 0 {
		errs = append(errs[:len(errs):len(errs)], fmt.Errorf("recorder: %d more errors", t.dropped))
	}
	return errors.Join(errs...)
}

// CloseIdleConnections closes the idle connections of the wrapped transport, if it can.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

func (t *Transport) fail(err error) {
	t.mu.Lock()
	if len(t.errs) < maxErrors {
		t.errs = append(t.errs, err)
	} else {
		t.dropped++
	}
	t.mu.Unlock()
	if t.onError != nil {
		t.onError(err)
	}
}

// RoundTrip sends the request through the wrapped transport, records the exchange and
// returns the answer with an identical body. An exchange that could not be recorded is
// reported (see [WithErrorHandler]) and never changes the result.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, out, recordable := t.requestBody(req)
	resp, err := t.base.RoundTrip(out)
	if err != nil || resp == nil {
		return resp, err
	}
	if out != req && resp.Request == out {
		resp.Request = req
	}
	respBody, complete := t.responseBody(req, resp)
	if recordable && complete {
		if err := t.record(req, reqBody, resp, respBody); err != nil {
			t.fail(err)
		}
	}
	return resp, nil
}

// requestBody returns a copy of the request body and the request to send, which carries
// an identical body.
func (t *Transport) requestBody(req *http.Request) ([]byte, *http.Request, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, req, true
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err == nil {
			body, rerr := io.ReadAll(io.LimitReader(rc, t.maxBody+1))
			rc.Close()
			if rerr == nil && int64(len(body)) <= t.maxBody {
				return body, req, true
			}
		}
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, t.maxBody+1))
	out := req.Clone(req.Context())
	switch {
	case err != nil:
		out.Body = &readCloser{io.MultiReader(bytes.NewReader(body), errReader{err}), req.Body}
		t.fail(fmt.Errorf("recorder: %s %s: reading the request body: %w; exchange not recorded", req.Method, label(req), err))
		return nil, out, false
	case int64(len(body)) > t.maxBody:
		out.Body = &readCloser{io.MultiReader(bytes.NewReader(body), req.Body), req.Body}
		t.fail(fmt.Errorf("recorder: %s %s: request body larger than %d bytes; exchange not recorded", req.Method, label(req), t.maxBody))
		return nil, out, false
	}
	req.Body.Close()
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, out, true
}

// responseBody reads the answer's body and replaces it with an identical one.
func (t *Transport) responseBody(req *http.Request, resp *http.Response) ([]byte, bool) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil, true
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, t.maxBody+1))
	switch {
	case err != nil:
		resp.Body = &readCloser{io.MultiReader(bytes.NewReader(body), errReader{err}), resp.Body}
		t.fail(fmt.Errorf("recorder: %s %s: reading the answer: %w; exchange not recorded", req.Method, label(req), err))
		return nil, false
	case int64(len(body)) > t.maxBody:
		resp.Body = &readCloser{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
		t.fail(fmt.Errorf("recorder: %s %s: answer larger than %d bytes; exchange not recorded", req.Method, label(req), t.maxBody))
		return nil, false
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if enc := resp.Header.Get("Content-Encoding"); enc != "" && enc != "identity" {
		t.fail(fmt.Errorf("recorder: %s %s: answer is %s-encoded; exchange not recorded", req.Method, label(req), enc))
		return nil, false
	}
	return body, true
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

const formType = "application/x-www-form-urlencoded"

func mediaType(h http.Header) string {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt
}

// record redacts the exchange and writes it.
func (t *Transport) record(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) error {
	r := &redactor{extra: t.extra, secrets: map[string]bool{}}
	var f recording.Exchange
	f.Request.Method = req.Method
	f.Request.Path = req.URL.EscapedPath()
	if f.Request.Path == "" {
		f.Request.Path = "/"
	}
	if req.URL.RawQuery != "" {
		f.Request.Query = r.values(req.URL.Query())
	}
	f.Request.Headers = headers(r, req.Header, t.reqHdrs)
	var reqJSON, respJSON any
	respIsJSON := false
	if len(reqBody) > 0 {
		if mediaType(req.Header) == formType {
			form, err := url.ParseQuery(string(reqBody))
			if err != nil {
				return fmt.Errorf("recorder: %s %s: form body: %w; exchange not recorded", req.Method, label(req), err)
			}
			f.Request.Form = r.values(form)
		} else {
			v, err := recording.DecodeJSON(reqBody)
			if err != nil {
				return fmt.Errorf("recorder: %s %s: the request body is neither JSON nor a form; exchange not recorded", req.Method, label(req))
			}
			reqJSON = r.json(v, false)
		}
	}
	f.Response.Status = resp.StatusCode
	f.Response.Headers = headers(r, resp.Header, t.respHdrs)
	if len(respBody) > 0 {
		if v, err := recording.DecodeJSON(respBody); err == nil {
			respJSON, respIsJSON = r.json(v, false), true
		} else if form, err := url.ParseQuery(string(respBody)); err == nil && mediaType(resp.Header) == formType {
			f.Response.BodyText = r.values(form).Encode()
		} else {
			f.Response.BodyText = string(respBody)
		}
	}

	// Scrub with the secrets of this exchange and of every earlier one.
	t.mu.Lock()
	for s := range r.secrets {
		t.secrets[s] = true
	}
	sc := newScrubber(t.secrets)
	t.mu.Unlock()
	f.Request.Path = sc.str(f.Request.Path)
	sc.values(f.Request.Query)
	sc.values(f.Request.Form)
	for k, v := range f.Request.Headers {
		f.Request.Headers[k] = sc.str(v)
	}
	for k, v := range f.Response.Headers {
		f.Response.Headers[k] = sc.str(v)
	}
	f.Response.BodyText = sc.str(f.Response.BodyText)
	var err error
	if len(reqBody) > 0 && f.Request.Form == nil {
		if f.Request.Body, err = encodeJSON(sc.json(reqJSON)); err != nil {
			return fmt.Errorf("recorder: %s %s: %w", req.Method, label(req), err)
		}
	}
	if respIsJSON {
		if f.Response.Body, err = encodeJSON(sc.json(respJSON)); err != nil {
			return fmt.Errorf("recorder: %s %s: %w", req.Method, label(req), err)
		}
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&f); err != nil {
		return fmt.Errorf("recorder: %s %s: %w", req.Method, label(req), err)
	}
	// Name the file after the request with its path scrubbed: the namer may lower-case it.
	named, u := *req, *req.URL
	u.Path, u.RawPath = sc.str(u.Path), sc.str(u.RawPath)
	named.URL = &u
	name := cleanName(sc.str(t.namer(&named)))
	if name == "" {
		name = cleanName(sc.str(DefaultName(&named)))
	}
	path, err := sequenceFor(t.dir).write(t.dir, name, buf.Bytes())
	if err != nil {
		return fmt.Errorf("recorder: %s %s: %w", req.Method, label(req), err)
	}
	t.mu.Lock()
	t.files = append(t.files, path)
	t.mu.Unlock()
	return nil
}

// label names a request in errors, without its query, which may hold secrets.
func label(req *http.Request) string {
	if p := req.URL.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

func headers(r *redactor, h http.Header, names []string) map[string]string {
	var out map[string]string
	for _, n := range names {
		v := h.Get(n)
		if v == "" {
			continue
		}
		if out == nil {
			out = map[string]string{}
		}
		out[n] = r.header(n, v)
	}
	return out
}

// sequence numbers the files of one directory. Transports writing to the same directory
// share it, so their files never collide; O_EXCL keeps other processes' files too.
type sequence struct {
	mu      sync.Mutex
	next    int
	scanned bool
}

var (
	sequencesMu sync.Mutex
	sequences   = map[string]*sequence{}
	numbered    = regexp.MustCompile(`^([0-9]+)-.*\.json$`)
)

func sequenceFor(dir string) *sequence {
	key, err := filepath.Abs(dir)
	if err != nil {
		key = filepath.Clean(dir)
	}
	sequencesMu.Lock()
	defer sequencesMu.Unlock()
	s := sequences[key]
	if s == nil {
		s = &sequence{}
		sequences[key] = s
	}
	return s
}

func (s *sequence) write(dir, name string, data []byte) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.scanned {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return "", err
		}
		s.next = 1
		for _, e := range entries {
			if m := numbered.FindStringSubmatch(e.Name()); m != nil {
				if n, err := strconv.Atoi(m[1]); err == nil && n >= s.next {
					s.next = n + 1
				}
			}
		}
		s.scanned = true
	}
	for range 10000 {
		path := filepath.Join(dir, fmt.Sprintf("%03d-%s.json", s.next, name))
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			s.next++
			continue
		}
		if err != nil {
			return "", err
		}
		s.next++
		if _, err := f.Write(data); err != nil {
			f.Close()
			return "", err
		}
		return path, f.Close()
	}
	return "", fmt.Errorf("no free file number in %s", dir)
}
