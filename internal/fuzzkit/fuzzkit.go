// Package fuzzkit is what the families' tests share, fuzz targets first: an HTTP client
// whose every request gets one settable answer, the targets' common bodies and seeds,
// and checks that hold for any family (its errors, decoded objects and lists, queries,
// input refused before sending).
package fuzzkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
)

// CallTimeout bounds one call: a decoder that loops makes the call fail with
// context.DeadlineExceeded, which NoHang reports as a hang.
const CallTimeout = 10 * time.Second

// Answer is what the fake server sends back, and what it has seen since Set.
type Answer struct {
	mu          sync.Mutex
	Status      int
	Body        []byte
	ContentType string
	// Sized declares Content-Length (the client then reads without its limiter).
	Sized bool
	// Query is the raw query of the last request.
	Query string
	// Requests counts the requests since Set.
	Requests int
}

// Set makes every later answer this status and body, and forgets the requests seen so far.
func (a *Answer) Set(status int, contentType string, body []byte, sized bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.Status, a.ContentType, a.Body, a.Sized, a.Query, a.Requests = status, contentType, body, sized, "", 0
}

// HTTPClient returns a client whose every request is answered from a.
func (a *Answer) HTTPClient() *http.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.Requests++
		a.Query = req.URL.RawQuery
		resp := httpmock.NewBytesResponse(a.Status, a.Body)
		if a.ContentType != "" {
			resp.Header.Set("Content-Type", a.ContentType)
		}
		if a.Sized {
			resp.ContentLength = int64(len(a.Body))
		}
		resp.Request = req
		return resp, nil
	})
	return &http.Client{Transport: mt}
}

// Context is a context that ends after CallTimeout.
func Context(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), CallTimeout)
	t.Cleanup(cancel)
	return ctx
}

// NoHang fails when a call ran into the context's deadline (nothing in these calls
// waits, so only a loop gets there) or returned an error without text.
func NoHang(t *testing.T, op string, body []byte, err error) {
	t.Helper()
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%s did not return within %v on %q", op, CallTimeout, body)
	}
	if err != nil && err.Error() == "" {
		t.Fatalf("%s: error with an empty text on %q", op, body)
	}
}

// FirstValue returns the body's first JSON value, read the way the client reads an
// answer, and whether there is a valid one.
func FirstValue(body []byte) (json.RawMessage, bool) {
	var v json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// Members returns the values of a JSON object's members in order, duplicates included.
func Members(obj json.RawMessage) []json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []json.RawMessage
	for dec.More() {
		if _, err := dec.Token(); err != nil {
			return out
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, v)
	}
	return out
}

// CheckList checks a list decoded from body against an independent decoding: the call
// never hangs, returns a non-nil list or an error and never both, and the list is
// exactly a JSON array of the body (the bare array, or an array member of a wrapping
// object) or empty for null.
func CheckList[T any](t *testing.T, body []byte, users []T, err error) {
	t.Helper()
	NoHang(t, "List", body, err)
	first, valid := FirstValue(body)
	if err != nil {
		if users != nil {
			t.Fatalf("List: users %+v and error %v from %q", users, err, body)
		}
		var want []T
		if valid && (string(first) == "null" || first[0] == '[' && json.Unmarshal(first, &want) == nil) {
			t.Fatalf("List: refused the list %q: %v", first, err)
		}
		return
	}
	if users == nil {
		t.Fatalf("List: nil list without an error from %q", body)
	}
	if !valid {
		t.Fatalf("List: accepted %q, which has no valid JSON value", body)
	}
	var candidates []json.RawMessage
	switch first[0] {
	case 'n':
		if len(users) != 0 {
			t.Fatalf("List: null gave %d users", len(users))
		}
		return
	case '[':
		candidates = []json.RawMessage{first}
	case '{':
		candidates = Members(first)
	default:
		t.Fatalf("List: accepted %q, which is not a list", first)
	}
	for _, c := range candidates {
		var want []T
		if len(c) > 0 && c[0] == '[' && json.Unmarshal(c, &want) == nil && len(want) == len(users) &&
			(len(want) == 0 || reflect.DeepEqual(users, want)) {
			return
		}
		if len(users) == 0 && string(c) == "null" {
			return
		}
	}
	t.Fatalf("List: %q gave %+v, which is none of its arrays", body, users)
}

// HandlerClient returns a client whose requests h serves in memory, without a network.
func HandlerClient(h http.Handler) *http.Client {
	return &http.Client{Transport: handlerTransport{h}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// Send sends one request over hc (nil: http.DefaultClient), as a fake's own tests do with
// raw HTTP, and returns the answer read whole. body is nil, a string sent as it is, or a
// value sent as JSON; header holds name, value pairs.
func Send(t testing.TB, hc *http.Client, method, url string, body any, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, raw
}
