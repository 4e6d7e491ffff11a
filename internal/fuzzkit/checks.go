package fuzzkit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// New builds a family's client with newClient and opts, failing t at once on an error.
func New[C, O any](t testing.TB, newClient func(...O) (C, error), opts ...O) C {
	t.Helper()
	c, err := newClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bodies makes f a target over 200 answers: each seed is added as a body without a
// declared length, sized as one with it, and for each input a answers every request
// with the body (as application/json) before check runs.
func Bodies(f *testing.F, a *Answer, seeds []string, sized string, check func(t *testing.T, body []byte)) {
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(sized), true)
	f.Fuzz(func(t *testing.T, body []byte, sized bool) {
		a.Set(http.StatusOK, "application/json", body, sized)
		check(t, body)
	})
}

// CheckObject checks a call that reads one object (a user) from a 200 body against an
// independent decoding of the body's first JSON value: it never hangs, returns the object
// or an error and never both nor neither, returns exactly the first value when that
// decodes as an object that present accepts (one with an id), refuses it otherwise, and
// never turns a 200 answer into an *APIError.
func CheckObject[T any](t *testing.T, op string, body []byte, got *T, err error, present func(*T) bool) {
	t.Helper()
	NoHang(t, op, body, err)
	first, valid := FirstValue(body)
	var want T
	isObject := valid && first[0] == '{' && json.Unmarshal(first, &want) == nil && present(&want)
	switch {
	case (got == nil) == (err == nil):
		t.Fatalf("%s: %v and error %v from %q", op, got, err, body)
	case err == nil && !isObject:
		t.Fatalf("%s: accepted %q, whose first value is not an object with an id", op, body)
	case err == nil && !reflect.DeepEqual(*got, want):
		t.Fatalf("%s: %q gave %+v, want %+v", op, body, *got, want)
	case err != nil && isObject:
		t.Fatalf("%s: refused the object %q: %v", op, first, err)
	}
	var apiErr *usersdk.APIError
	if errors.As(err, &apiErr) {
		t.Fatalf("%s: a 200 answer became an API error: %v", op, err)
	}
}

// ErrorStatus is the 4xx or 5xx status a fuzzed code stands for.
func ErrorStatus(code uint16) int { return 400 + int(code%200) }

// Op is one call of an error target.
type Op struct {
	Name  string
	Write bool
	// Call makes the call and returns its result (nil, or a nil pointer, for none).
	Call func(ctx context.Context) (any, error)
}

// Errors describes a family's error answers: what every family's show is checked by
// CheckAPIError, the rest by Extra.
type Errors struct {
	// Answer answers every call.
	Answer *Answer
	// Vendor reports whether a body is the vendor's own error object; nil: none is.
	Vendor func(body []byte) bool
	// Extra, if not nil, checks what else an error must show in this family.
	Extra func(t *testing.T, op Op, apiErr *usersdk.APIError, err error)
	// EndsSession401 says a 401 ends the session (no token is left to renew): its error
	// need only match ErrUnauthorized, and no later op is tried.
	EndsSession401 bool
}

// Check answers each op with the fuzzed status (ErrorStatus(code)) and body, as
// text/html when html is set: no op returns a result, each error passes CheckAPIError
// and e.Extra, and each op sends exactly one request (retries are off).
func (e Errors) Check(t *testing.T, code uint16, html bool, body []byte, ops ...Op) {
	t.Helper()
	status, ct := ErrorStatus(code), "application/json"
	if html {
		ct = "text/html"
	}
	e.Answer.Set(status, ct, body, false)
	for i, op := range ops {
		v, err := op.Call(Context(t))
		if rv := reflect.ValueOf(v); v != nil && !(rv.Kind() == reflect.Pointer && rv.IsNil()) {
			t.Fatalf("%s: a %d answer gave %+v", op.Name, status, v)
		}
		if e.EndsSession401 && status == http.StatusUnauthorized {
			NoHang(t, op.Name, body, err)
			if !errors.Is(err, usersdk.ErrUnauthorized) {
				t.Fatalf("%s: a 401 answer gave %v", op.Name, err)
			}
			ops = ops[:i+1]
			break
		}
		apiErr := CheckAPIError(t, op.Name, op.Write, status, body, err, e.Vendor)
		if e.Extra != nil {
			e.Extra(t, op, apiErr, err)
		}
	}
	if e.Answer.Requests != len(ops) {
		t.Fatalf("%d requests for %d calls without retries", e.Answer.Requests, len(ops))
	}
}

// CheckAPIError checks what every family's error for a 4xx or 5xx answer shows: it is an
// *APIError (returned) with that status and body, whose text is valid UTF-8, holds the
// parsed message and names the status; it matches the sentinel of its status, and is a
// *RateLimitError exactly for 429. Only a write's 5xx can match ErrOutcomeUnknown: a 502
// or 504 always (a gateway's answer says nothing of the application), a 501 or 503 never
// (they say it was not done), any other unless vendor (nil: never) reports the body as
// the vendor's own error object, proof the application refused it.
func CheckAPIError(t *testing.T, op string, write bool, status int, body []byte, err error, vendor func([]byte) bool) *usersdk.APIError {
	t.Helper()
	NoHang(t, op, body, err)
	var apiErr *usersdk.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: a %d answer gave %T %v, not an *APIError", op, status, err, err)
	}
	if apiErr.StatusCode != status || !bytes.Equal(apiErr.Body, body) {
		t.Fatalf("%s: error holds %d %q, the answer was %d %q", op, apiErr.StatusCode, apiErr.Body, status, body)
	}
	msg := err.Error()
	if !utf8.ValidString(msg) || !strings.Contains(msg, strconv.Itoa(status)) || !strings.Contains(msg, apiErr.Message) {
		t.Fatalf("%s: error text %q (message %q, status %d)", op, msg, apiErr.Message, status)
	}
	sentinels := map[int]error{
		http.StatusBadRequest: usersdk.ErrInvalidInput, http.StatusUnprocessableEntity: usersdk.ErrInvalidInput,
		http.StatusUnauthorized: usersdk.ErrUnauthorized, http.StatusForbidden: usersdk.ErrForbidden,
		http.StatusNotFound: usersdk.ErrNotFound, http.StatusConflict: usersdk.ErrConflict,
		http.StatusTooManyRequests: usersdk.ErrRateLimited,
	}
	if s, ok := sentinels[status]; ok && !errors.Is(err, s) {
		t.Fatalf("%s: a %d answer does not match %v: %v", op, status, s, err)
	}
	var rl *usersdk.RateLimitError
	if (status == http.StatusTooManyRequests) != errors.As(err, &rl) {
		t.Fatalf("%s: a %d answer gave %T", op, status, err)
	}
	var unknown bool
	switch {
	case !write || status < 500 || status == http.StatusNotImplemented || status == http.StatusServiceUnavailable:
	case status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		unknown = true
	default:
		unknown = vendor == nil || !vendor(body)
	}
	if errors.Is(err, usersdk.ErrOutcomeUnknown) != unknown {
		t.Fatalf("%s: a %d answer %q matches ErrOutcomeUnknown: %v", op, status, body, !unknown)
	}
	return apiErr
}

// Query encodes opts as the client does, checks that url.ParseQuery gives exactly want
// back (every value whole under its own key, nothing leaking across & = [ ] # or %, no
// other key), and returns the query.
func Query(t *testing.T, opts any, want url.Values) string {
	t.Helper()
	q, err := core.EncodeQuery(opts)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := url.ParseQuery(q)
	if err != nil {
		t.Fatalf("%q does not parse: %v", q, err)
	}
	if !reflect.DeepEqual(vals, want) {
		t.Fatalf("%+v encoded as %q, which parses as %q, want %q", opts, q, vals, want)
	}
	return q
}

// CheckSent answers body to call, made with options that encode as query q, and checks
// that valid options sent exactly q without an error, and invalid ones sent nothing and
// gave an error.
func (a *Answer) CheckSent(t *testing.T, body, q string, valid bool, call func(ctx context.Context) error) {
	t.Helper()
	a.Set(http.StatusOK, "application/json", []byte(body), false)
	err := call(Context(t))
	switch {
	case valid && err != nil:
		t.Fatalf("options of query %q: %v", q, err)
	case !valid && (err == nil || a.Requests != 0):
		t.Fatalf("invalid options (query %q) sent %d requests, error %v", q, a.Requests, err)
	case valid && a.Query != q:
		t.Fatalf("sent query %q, want %q", a.Query, q)
	}
}

// ObjectSeeds are bodies that hold no object with an id, or not only one, in any family.
func ObjectSeeds(family ...string) []string {
	return append(family, `{}`, `null`, ``, `[]`, `"x"`, `{"id":"1"}`, `{"id":1} trailing`, `{"id":1`)
}

// Lists makes f a target over 200 answers to list, checked by CheckList. Its seeds are
// the family's (such as recorded lists) and bodies any family's list reader must sort out:
// wrapped lists, null, other values, broken JSON.
func Lists[T any](f *testing.F, a *Answer, list func(ctx context.Context) ([]T, error), seeds ...string) {
	seeds = append(seeds, `{"total":1,"rows":[{"id":3}]}`, `{"data":null}`, `{"data":5,"other":[{"id":4}]}`,
		`{"data":{"x":[1]}}`, `null`, `[]`, ``, `{}`, `"x"`, `[{"id":"1"}]`, `[null]`, `[{"id":1}] trailing`, `[{"id":1},`)
	Bodies(f, a, seeds, `{"users":[{"id":5}]}`, func(t *testing.T, body []byte) {
		users, err := list(Context(t))
		CheckList(t, body, users, err)
	})
}

// SoleValue decodes body as one JSON value with nothing after it but white space, numbers
// as json.Number (one too large for a float64 is still JSON); nil if it is not one.
func SoleValue(body []byte) any {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil // more than one value, or garbage after it
	}
	return v
}

// Refused checks an error for input refused before sending: it matches ErrInvalidInput
// and is a *ValidationError naming field.
func Refused(t *testing.T, err error, field string) {
	t.Helper()
	if !errors.Is(err, usersdk.ErrInvalidInput) {
		t.Fatalf("%v does not match ErrInvalidInput", err)
	}
	var ve *usersdk.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("%T %v is not a *ValidationError", err, err)
	}
	if ve.Field != field {
		t.Fatalf("%v names the field %q, want %q", err, ve.Field, field)
	}
}

// Refusal is a call that must be refused before sending, and the field its error names
// (a plain struct type, so that a table of cases lists the two unkeyed).
type Refusal = struct {
	Call  func() error
	Field string
}

// RefusedAll runs each case as a subtest that holds its error to [Refused], then checks
// that none of them sent a request: received returns what the server got.
func RefusedAll[R any](t *testing.T, cases map[string]Refusal, received func() []R) {
	t.Helper()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { Refused(t, tc.Call(), tc.Field) })
	}
	if got := received(); len(got) != 0 {
		t.Errorf("no request may be sent for bad input; sent %d", len(got))
	}
}

// AsAPIError returns the *APIError in err's chain, failing t at once when there is none.
func AsAPIError(t testing.TB, err error) *usersdk.APIError {
	t.Helper()
	var apiErr *usersdk.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%T %v is not an *APIError", err, err)
	}
	return apiErr
}
