package extensionuser_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

// The targets below drive the exported client through an httpmock transport that answers
// every request with the fuzzed status and body, so they exercise the path a caller's
// request takes: retries off, auth, the size limit, decoding and the error parser.

// fuzzClient returns a client whose every request is answered from a. One client serves
// all the inputs of a target, as one client serves all the calls of a program.
func fuzzClient(t testing.TB, a *fuzzkit.Answer) *extensionuser.Client {
	t.Helper()
	c, err := extensionuser.New(extensionuser.WithBaseURL("https://api.test/api/ver1.0"), extensionuser.WithToken("test-token"),
		extensionuser.WithHTTPClient(a.HTTPClient()), extensionuser.WithoutRetries(),
		// One input's spent budget must not hold back the next input's request.
		extensionuser.WithoutRateLimitCheck())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// FuzzGetBody feeds any 200 body to Get: it never panics or hangs, never returns a nil
// user without an error, returns exactly what the body's first JSON value decodes to,
// refuses a body with no valid JSON value or whose user has no id (such as {}), and
// accepts any JSON object that decodes as a user with an id.
func FuzzGetBody(f *testing.F) {
	for _, s := range []string{
		`{"id":201,"extension_id":5001,"login":"ext100","name":"Reception","email":"reception@example.com","comment":"Front desk","access":"full","status":"active","extra_params":"","timezone":"Europe/Moscow"}`,
		`{"id":1,"access":"nobody","status":"gone"}`, `{"id":1,"login":"\u00e9\ud800"}`,
		`{}`, `null`, ``, `[]`, `"x"`, `{"id":"1"}`, `{"id":1} trailing`, `{"id":1`, `{"id":1e3}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"id":3,"login":"x"}`), true)
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, body []byte, sized bool) {
		a.Set(http.StatusOK, "application/json", body, sized)
		u, err := c.Get(fuzzkit.Context(t), extensionuser.Me, 7)
		fuzzkit.NoHang(t, "Get", body, err)
		first, valid := fuzzkit.FirstValue(body)
		switch {
		case u == nil && err == nil:
			t.Fatalf("Get: neither user nor error from %q", body)
		case err == nil:
			var want extensionuser.User
			if !valid || json.Unmarshal(first, &want) != nil || want.ID == 0 {
				t.Fatalf("Get: accepted %q, whose first value is not a user with an id", body)
			}
			if !reflect.DeepEqual(*u, want) {
				t.Fatalf("Get: %q gave %+v, want %+v", body, *u, want)
			}
		default:
			var want extensionuser.User
			if valid && first[0] == '{' && json.Unmarshal(first, &want) == nil && want.ID != 0 {
				t.Fatalf("Get: refused the user %q: %v", first, err)
			}
			var apiErr *extensionuser.APIError
			if errors.As(err, &apiErr) {
				t.Fatalf("Get: a 200 answer became an API error: %v", err)
			}
		}
	})
}

// FuzzListBody feeds any 200 body to List: it never panics or hangs, returns a non-nil
// list or an error and never both, and the list it returns is exactly a JSON array of the
// body (the bare array, or an array member of a wrapping object) or empty for null.
func FuzzListBody(f *testing.F) {
	for _, s := range []string{
		`[{"id":201,"extension_id":5001,"login":"ext100","access":"full","status":"active"},{"id":202,"extension_id":5002,"login":"ext101","access":"read_only","status":"blocked"}]`,
		`{"data":[{"id":1},{"id":2}],"total":2}`, `{"total":1,"rows":[{"id":3}]}`,
		`{"data":null}`, `{"data":5,"other":[{"id":4}]}`, `{"data":{"x":[1]}}`,
		`null`, `[]`, ``, `{}`, `"x"`, `[{"id":"1"}]`, `[null]`, `[{"id":1}] trailing`, `[{"id":1},`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"users":[{"id":5}]}`), true)
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, body []byte, sized bool) {
		a.Set(http.StatusOK, "application/json", body, sized)
		users, err := c.List(fuzzkit.Context(t), extensionuser.Me, extensionuser.ListOptions{})
		fuzzkit.NoHang(t, "List", body, err)
		fuzzkit.CheckList(t, body, users, err)
	})
}

// FuzzErrorBody answers Get (a read) and Create (a write) with any 4xx or 5xx status and
// body: the result is always an *APIError with that status and body, whose text is valid
// UTF-8, holds the parsed message and names the status; it matches the sentinel of its
// status (and ErrRateLimited for Telphin's rate_limit_exceeded code whatever the status),
// and only a write's 5xx matches ErrOutcomeUnknown: 502 and 504 always, 501 and 503
// never, any other only when the body is not Telphin's own error object.
func FuzzErrorBody(f *testing.F) {
	f.Add(uint16(404), false, []byte(`{"message": "Record not found"}`))
	f.Add(uint16(403), false, []byte(`{"message":"Access denied","status":"access_denied"}`))
	f.Add(uint16(429), false, []byte(`{"message":"Request limit exceeded, try again later","status":"rate_limit_exceeded"}`))
	f.Add(uint16(403), false, []byte(`{"status":"rate_limit_exceeded"}`))
	f.Add(uint16(401), false, []byte(`{"error":"invalid_token","error_description":"The access token provided has expired"}`))
	f.Add(uint16(400), false, []byte(`{"errors":[{"field":"login","message":"is taken"}]}`))
	f.Add(uint16(502), true, []byte(`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`))
	f.Add(uint16(404), false, []byte(`{"message":"Record not found","status":404}`))
	f.Add(uint16(400), false, []byte(``))
	f.Add(uint16(500), false, []byte(`{"message":"Internal error"}`))
	f.Add(uint16(500), true, []byte(`{"error":"server_error","error_description":"Try later"}`))
	f.Add(uint16(500), false, []byte(`{"errors":[{"message":"boom"}]}`))
	f.Add(uint16(500), true, []byte(`<html><body>Internal Server Error</body></html>`))
	f.Add(uint16(500), false, []byte(``))
	f.Add(uint16(504), false, []byte(`{"status":"gateway_timeout"}`))
	f.Add(uint16(503), false, []byte(`{"message":"Maintenance"}`))
	f.Add(uint16(500), false, []byte(`{"Message":"x","message":""}`))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) {
		status := 400 + int(code%200)
		ct := "application/json"
		if html {
			ct = "text/html"
		}
		a.Set(status, ct, body, false)
		u, err := c.Get(fuzzkit.Context(t), extensionuser.Me, 7)
		if u != nil {
			t.Fatalf("Get: a %d answer gave user %+v", status, u)
		}
		fuzzCheckAPIError(t, "Get", false, status, body, err)
		u, err = c.Create(fuzzkit.Context(t), extensionuser.Me, &extensionuser.CreateRequest{ExtensionID: 5001, Login: "l", Name: "n", Password: "p", Email: "e@x.test"})
		if u != nil {
			t.Fatalf("Create: a %d answer gave user %+v", status, u)
		}
		fuzzCheckAPIError(t, "Create", true, status, body, err)
		if a.Requests != 2 {
			t.Fatalf("%d requests for two calls without retries", a.Requests)
		}
	})
}

func fuzzCheckAPIError(t *testing.T, op string, write bool, status int, body []byte, err error) {
	t.Helper()
	fuzzkit.NoHang(t, op, body, err)
	var apiErr *extensionuser.APIError
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
		http.StatusBadRequest: extensionuser.ErrInvalidInput, http.StatusUnprocessableEntity: extensionuser.ErrInvalidInput,
		http.StatusUnauthorized: extensionuser.ErrUnauthorized, http.StatusForbidden: extensionuser.ErrForbidden,
		http.StatusNotFound: extensionuser.ErrNotFound, http.StatusConflict: extensionuser.ErrConflict,
		http.StatusTooManyRequests: extensionuser.ErrRateLimited,
	}
	if s, ok := sentinels[status]; ok && !errors.Is(err, s) {
		t.Fatalf("%s: a %d answer does not match %v: %v", op, status, s, err)
	}
	if apiErr.Code == extensionuser.CodeRateLimitExceeded && !errors.Is(err, extensionuser.ErrRateLimited) {
		t.Fatalf("%s: code %s does not match ErrRateLimited", op, apiErr.Code)
	}
	var rl *extensionuser.RateLimitError
	if (status == http.StatusTooManyRequests) != errors.As(err, &rl) {
		t.Fatalf("%s: a %d answer gave %T", op, status, err)
	}
	// A write's 5xx leaves its outcome unknown, except 501 and 503, which say it was not
	// done, and a refusal in Telphin's own error object, unless a gateway (502, 504) sent it.
	unknown := write && status >= 500 && status != http.StatusNotImplemented && status != http.StatusServiceUnavailable &&
		(status == http.StatusBadGateway || status == http.StatusGatewayTimeout || !telphinfake.IsErrorBody(body))
	if errors.Is(err, extensionuser.ErrOutcomeUnknown) != unknown {
		t.Fatalf("%s: a %d answer matches ErrOutcomeUnknown: %v", op, status, errors.Is(err, extensionuser.ErrOutcomeUnknown))
	}
}

// FuzzListOptionsQuery encodes ListOptions as the client does and checks that url.ParseQuery
// gives every filter value back whole and in order under its own repeated key (nothing
// leaks across & = [ ] # or %), that nil filters are left out while empty strings are sent,
// and that List sends exactly that query.
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("ext100", "Reception", "reception@example.com", "Front desk", "full", "active", "Europe/Moscow", "", int64(201), int64(5001), uint16(0x1ff))
	f.Add("a&login=b", "c=d#e", "x@y&email=z", "[]%2", "read_only&access=full", "blocked;", "UTC+3", "second", int64(-1), int64(0), uint16(0x3ff))
	f.Add("", "", "", "", "", "", "", "", int64(0), int64(0), uint16(0))
	f.Add("\xff\x00 +", "", "", "", "", "", "", "", int64(1), int64(2), uint16(0x205))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, login, name, email, comment, access, status, timezone, extra string, id, extID int64, mask uint16) {
		// Bits 0..8 of mask set the filters; bit 9 gives each string filter a second value.
		strs := func(bit uint, v string) []string {
			switch {
			case mask&(1<<bit) == 0:
				return nil
			case mask&(1<<9) != 0:
				return []string{v, extra}
			}
			return []string{v}
		}
		ints := func(bit uint, v int64) []int64 {
			if mask&(1<<bit) == 0 {
				return nil
			}
			return []int64{v, v / 2}
		}
		var opts extensionuser.ListOptions
		opts.ID, opts.ExtensionID = ints(0, id), ints(1, extID)
		opts.Login, opts.Name, opts.Email = strs(2, login), strs(3, name), strs(4, email)
		opts.Comment, opts.Timezone = strs(5, comment), strs(8, timezone)
		for _, v := range strs(6, access) {
			opts.Access = append(opts.Access, extensionuser.Access(v))
		}
		for _, v := range strs(7, status) {
			opts.Status = append(opts.Status, extensionuser.Status(v))
		}
		q, err := core.EncodeQuery(&opts)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatalf("%q does not parse: %v", q, err)
		}
		want := url.Values{}
		for key, vs := range map[string][]string{"login": opts.Login, "name": opts.Name, "email": opts.Email,
			"comment": opts.Comment, "access": strs(6, access), "status": strs(7, status), "timezone": opts.Timezone} {
			if len(vs) > 0 {
				want[key] = vs
			}
		}
		for key, vs := range map[string][]int64{"id": opts.ID, "extension_id": opts.ExtensionID} {
			for _, v := range vs {
				want[key] = append(want[key], strconv.FormatInt(v, 10))
			}
		}
		if !reflect.DeepEqual(vals, want) {
			t.Fatalf("%+v encoded as %q, which parses as %q", opts, q, vals)
		}

		a.Set(http.StatusOK, "application/json", []byte(`[]`), false)
		if _, err := c.List(fuzzkit.Context(t), extensionuser.Me, opts); err != nil {
			t.Fatalf("List(%+v): %v", opts, err)
		}
		if a.Query != q {
			t.Fatalf("List(%+v) sent query %q, want %q", opts, a.Query, q)
		}
	})
}
