// Package usersdktest holds what the fake servers of the SDK's API packages
// (backofficetest, clientusertest, extensionusertest, accountusertest, iotusertest) share:
// the layer in front of each fake that injects faults, adds latency and logs the requests
// it receives (Server), the faults it injects (Fault) and the requests it logs (Request).
//
// Each fake's Server has the same methods and aliases Fault and Request, so a test needs
// only the fake's package:
//
//	srv := backofficetest.NewServer()
//	defer srv.Close()
//	srv.FailNext(2, http.StatusServiceUnavailable, "1") // two 503s with Retry-After: 1
//	srv.Inject(1, backofficetest.Fault{Method: http.MethodPost, DropAfterHandling: true})
//	...
//	for _, r := range srv.Requests() {
//		log.Println(r.Method, r.Path)
//	}
//
// NewServer puts the same layer in front of any handler.
package usersdktest

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Fault is a failure the server injects instead of (or after) handling a request.
type Fault struct {
	// Status, when set, answers with this status instead of handling the request. A
	// fault with no Status and no other effect (no Drop, DropAfterHandling or SlowBody)
	// answers 500.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header with Status.
	RetryAfter string
	// Body is sent with Status; default "injected fault <status>" as text/plain, a body
	// no vendor sends, so a client treats it as a failure from outside the application.
	Body string
	// ContentType of Body; default application/json when Body is set.
	ContentType string
	// Drop resets the connection without an answer, before handling the request.
	Drop bool
	// DropAfterHandling handles the request (a create takes effect) and then resets the
	// connection instead of answering: the client cannot know the outcome.
	DropAfterHandling bool
	// SlowBody, when set, handles the request and sends the answer in small pieces with
	// this pause between them.
	SlowBody time.Duration
	// Method limits the fault to requests with this method; empty means any.
	Method string
	// Match, when set, limits the fault to the requests it accepts.
	Match func(*http.Request) bool
	// Probability, when in (0, 1), applies the fault to that share of matching requests,
	// drawn at random; otherwise every matching request gets it.
	Probability float64
}

// Request is a request the server received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the URL's path, escaped as it was sent.
	Path string
	// Query is the URL's query.
	Query url.Values
	// Header holds the request's headers.
	Header http.Header
	// Body is the request's body (its first 8 MiB).
	Body []byte
}

// maxBody is how much of a request's body the server reads and logs.
const maxBody = 8 << 20

type rule struct {
	fault Fault
	left  int // < 0: until ClearFaults
}

// Server serves a handler on a loopback address behind a layer that injects faults, adds
// latency and logs every request received. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, with no trailing slash.
	URL string

	srv      *httptest.Server
	mu       sync.Mutex
	rules    []*rule
	latency  time.Duration
	requests []Request
	faults   int
}

// NewServer starts serving h on a loopback address, with no faults and no latency. Close
// it when done.
func NewServer(h http.Handler) *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, h) }))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down and blocks until every request to it has finished.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client for requests to the server; Close closes its idle
// connections.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Inject applies f to the next n matching requests; n < 0 applies it until ClearFaults,
// and n = 0 injects nothing. Faults apply in the order they were injected: a request gets
// the first one that matches it.
func (s *Server) Inject(n int, f Fault) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &rule{fault: f, left: n})
}

// FailNext answers the next n requests with status (and Retry-After when retryAfter is
// not empty) without handling them; n < 0 does so until ClearFaults, and n = 0 injects
// nothing.
func (s *Server) FailNext(n, status int, retryAfter string) {
	s.Inject(n, Fault{Status: status, RetryAfter: retryAfter})
}

// DropNext resets the connection on the next n requests without handling them; n < 0
// does so until ClearFaults, and n = 0 injects nothing.
func (s *Server) DropNext(n int) { s.Inject(n, Fault{Drop: true}) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = nil
}

// SetLatency delays every answer by d (or until the client gives up); 0 removes the delay.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Requests returns the requests received so far, in order, faulted ones included.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests clears the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// FaultsInjected counts the requests that got a fault.
func (s *Server) FaultsInjected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request, h http.Handler) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
	latency := s.latency
	f, faulted := s.next(r)
	if faulted {
		s.faults++
	}
	s.mu.Unlock()

	if latency > 0 && !pause(r, latency) {
		return
	}
	switch {
	case !faulted:
		h.ServeHTTP(w, r)
	case f.Drop:
		reset(w)
	case f.DropAfterHandling:
		h.ServeHTTP(httptest.NewRecorder(), r)
		reset(w)
	case f.SlowBody > 0:
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		writeSlowly(w, r, rec, f.SlowBody)
	default:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		ct, b := f.ContentType, f.Body
		if b == "" {
			// No vendor's error shape: to a client this is a failure from outside the
			// application (a proxy, a crash), so a write's outcome stays unknown.
			b, ct = "injected fault "+strconv.Itoa(status), "text/plain; charset=utf-8"
		}
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, b)
	}
}

func writeSlowly(w http.ResponseWriter, r *http.Request, rec *httptest.ResponseRecorder, wait time.Duration) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	body := rec.Body.Bytes()
	flusher, _ := w.(http.Flusher)
	for len(body) > 0 {
		n := min(len(body), 64)
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		body = body[n:]
		if flusher != nil {
			flusher.Flush()
		}
		if !pause(r, wait) {
			return
		}
	}
}

// pause waits d, or until the client gives up on r; it reports whether d passed.
func pause(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// next picks the first rule that applies to r, consuming one of its uses.
func (s *Server) next(r *http.Request) (Fault, bool) {
	for i, rl := range s.rules {
		if rl.fault.Method != "" && rl.fault.Method != r.Method {
			continue
		}
		if rl.fault.Match != nil && !rl.fault.Match(r) {
			continue
		}
		if p := rl.fault.Probability; p > 0 && p < 1 && rand.Float64() >= p {
			continue
		}
		if rl.left > 0 {
			rl.left--
			if rl.left == 0 {
				s.rules = append(s.rules[:i], s.rules[i+1:]...)
			}
		}
		return rl.fault, true
	}
	return Fault{}, false
}

// reset closes the connection under w with a TCP reset, without an answer.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
