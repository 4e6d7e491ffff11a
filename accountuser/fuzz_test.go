package accountuser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// FuzzSuccessBody feeds any 2xx body to every operation: none may panic, a result and an
// error never come together, Get and Update never return a zero user, nor a nil user
// without an error, and Revive's error object is always an *APIError.
func FuzzSuccessBody(f *testing.F) {
	for _, seed := range []string{
		`{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`,
		`[{"userId":21,"active":true}]`, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
		`{"error":"x"}`, `{"OK"}`, `null`, ``, `true`, `{"userId":null}`, `[`, `{"userId":"1","error":{}}`,
	} {
		f.Add(seed)
	}
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, body string) {
		a.Set(http.StatusOK, "", []byte(body), false)
		ctx := fuzzkit.Context(t)
		isError := isErrorObject([]byte(body))
		checkAPIError := func(op string, err error) {
			var apiErr *APIError
			if isError && !errors.As(err, &apiErr) {
				t.Fatalf("%s: error object %q gave %v", op, body, err)
			}
		}

		u, err := c.Get(ctx, 1)
		if (u == nil) == (err == nil) {
			t.Fatalf("Get: user %v and error %v", u, err)
		}
		if u != nil && u.UserID == 0 {
			t.Fatalf("Get: zero user from %q", body)
		}
		checkAPIError("Get", err)

		users, err := c.ListByAccount(ctx, 1)
		if users != nil && err != nil {
			t.Fatalf("ListByAccount: users %v and error %v", users, err)
		}
		checkAPIError("ListByAccount", err)

		u, err = c.Update(ctx, 1, &UpdateRequest{Active: Ptr(Enabled)})
		if (u == nil) == (err == nil) {
			t.Fatalf("Update: user %v and error %v", u, err)
		}
		if u != nil && u.UserID == 0 {
			t.Fatalf("Update: zero user from %q", body)
		}
		checkAPIError("Update", err)

		err = c.Delete(ctx, 1)
		checkAPIError("Delete", err)
		if !isError && err != nil {
			t.Fatalf("Delete: %q is not an error object, got %v", body, err)
		}
	})
}

// FuzzErrorObjectDetection holds isErrorObject, whose fast path skips the parse when no
// "error" key can be there, to the plain definition: a JSON object whose "error" member,
// as encoding/json matches keys (in any case, escapes decoded), is an object or a
// non-empty string.
func FuzzErrorObjectDetection(f *testing.F) {
	for _, seed := range []string{
		`{"error":{"type":"Exception"}}`, `{"ERROR":"x"}`, `{"eRRoR":"x"}`, `{"\u0065rror":"x"}`,
		`{"error":""}`, `{"error":null}`, `{"errors":"x"}`, `{"a":"error"}`, `{"userId":"1"}`, ` {"Error":{}} `,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var probe struct {
			Error json.RawMessage `json:"error"`
		}
		b := bytes.TrimSpace(body)
		want := len(b) > 0 && b[0] == '{' && json.Unmarshal(b, &probe) == nil
		e := bytes.TrimSpace(probe.Error)
		want = want && len(e) > 0 && (e[0] == '{' || e[0] == '"' && string(e) != `""`)
		if got := isErrorObject(body); got != want {
			t.Fatalf("isErrorObject(%q) = %v, want %v", body, got, want)
		}
	})
}

// The targets below drive the exported client through an httpmock transport that answers
// every request with the fuzzed status and body, so they exercise the path a caller's
// request takes: retries off, auth, the size limit, decoding and the error parser.

// fuzzClient returns a client whose every request is answered from a. One client serves
// all the inputs of a target, as one client serves all the calls of a program.
func fuzzClient(t testing.TB, a *fuzzkit.Answer) *Client {
	return fuzzkit.New(t, New, WithBaseURL("https://api.test"), WithBasicAuth("test-user", "test-pass"),
		WithHTTPClient(a.HTTPClient()), WithoutRetries())
}

// FuzzDecodedUsers compares what Get and ListByAccount return for any 200 body with an
// independent json.Unmarshal of the body's first JSON value (fuzzkit.CheckObject and
// CheckList say what must hold; a user has a userId). Revive's error object is an
// *APIError for both. FuzzSuccessBody checks that results and errors never come
// together; this target checks that what comes is right.
func FuzzDecodedUsers(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	fuzzkit.Bodies(f, a, []string{
		`{"userId":"4","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`,
		`[{"userId":"21","contactName":"John Doe","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"},{"userId":"23","username":"janeroe","defaultAccountId":"2","active":"0"}]`,
		`{"userId":21,"defaultAccountId":null,"active":true}`, `{"userId":"","active":null}`, `{"userId":" 21"}`,
		`{"userId":"\u0032\u0031"}`, `{"userId":"9223372036854775808"}`, `{"userId":"-3"}`, `{"userId":1.5}`,
		`{"userId":"4","active":"true"}`, `{"data":[{"userId":"1"}]}`, `[{"userId":"1"},{"active":2}]`,
		`null`, ``, `[]`, `{}`, `"x"`, `{"userId":"4"} {"OK"}`, `{"OK"}`,
	}, `{"userId":"5","active":0}`, func(t *testing.T, body []byte) {
		u, err := c.Get(fuzzkit.Context(t), 7)
		users, lerr := c.ListByAccount(fuzzkit.Context(t), 2)
		if isErrorObject(body) {
			// Revive's error object is an *APIError, whatever else the body holds.
			var apiErr *APIError
			if u != nil || users != nil || !errors.As(err, &apiErr) || !errors.As(lerr, &apiErr) {
				t.Fatalf("error object %q gave %+v, %v and %+v, %v", body, u, err, users, lerr)
			}
			return
		}
		fuzzkit.CheckObject(t, "Get", body, u, err, func(u *User) bool { return u.UserID != 0 })
		fuzzkit.CheckList(t, body, users, lerr)
	})
}

// FuzzErrorBody answers Get (a read) and Create (a write) with any 4xx or 5xx status and
// body; fuzzkit.CheckAPIError says what the errors must show, Revive's error object
// (fuzzReviveObject) being the vendor's. Revive's "Unknown userId Error" matches
// ErrNotFound whatever the status, and Create adds its look-it-up hint exactly when the
// error matches ErrOutcomeUnknown.
func FuzzErrorBody(f *testing.F) {
	f.Add(uint16(404), false, []byte(`{"error": {"type": "Exception", "message": "Unknown userId Error"}}`))
	f.Add(uint16(500), false, []byte(`{"error": {"type": "Exception", "message": "Unknown userId Error"}}`))
	f.Add(uint16(400), false, []byte(`{"error": {"type": "Exception", "message": "Unknown agencyId Error"}}`))
	f.Add(uint16(409), false, []byte(`{"error": {"type": "Exception", "message": "Username already exists"}}`))
	f.Add(uint16(401), true, []byte(`<html><body>401 Authorization Required</body></html>`))
	f.Add(uint16(502), true, []byte(`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`))
	f.Add(uint16(429), false, []byte(`{"error":"slow down"}`))
	f.Add(uint16(400), false, []byte(`{"error":{"message":7,"type":["x"]}}`))
	f.Add(uint16(400), false, []byte(``))
	f.Add(uint16(100), false, []byte(`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`)) // 500
	f.Add(uint16(102), false, []byte(`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`)) // 502
	f.Add(uint16(104), true, []byte(`{"error":{"message":"Gateway Timeout"}}`))                            // 504
	f.Add(uint16(100), true, []byte(`<html><body>500 Internal Server Error</body></html>`))
	f.Add(uint16(100), false, []byte(``))
	f.Add(uint16(100), false, []byte(`{"error":"Internal error"}`))
	f.Add(uint16(100), false, []byte(`{"Error":{"type":"Exception"}}`))
	f.Add(uint16(100), false, []byte(`{"error":{"type":null,"message":7}}`))
	f.Add(uint16(100), false, []byte(`{"error":{"type":"x"},"n":1e999}`))
	f.Add(uint16(100), false, []byte(`{"error":{"type":"x"},"error":null}`))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	errs := fuzzkit.Errors{Answer: a, Vendor: fuzzReviveObject, Extra: fuzzReviveRules}
	get := fuzzkit.Op{Name: "Get", Call: func(ctx context.Context) (any, error) { return c.Get(ctx, 7) }}
	create := fuzzkit.Op{Name: "Create", Write: true, Call: func(ctx context.Context) (any, error) {
		return c.Create(ctx, &CreateRequest{ContactName: "c", EmailAddress: "e@x.test", DefaultAccountID: 2, Username: "u", Password: "fuzz-Password-1"})
	}}
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) {
		errs.Check(t, code, html, body, get, create)
	})
}

// fuzzReviveRules checks what Revive's errors show beyond every family's.
func fuzzReviveRules(t *testing.T, op fuzzkit.Op, apiErr *APIError, err error) {
	if apiErr.Message == "Unknown userId Error" && !errors.Is(err, ErrNotFound) {
		t.Fatalf("%s: %q does not match ErrNotFound", op.Name, apiErr.Message)
	}
	if op.Name == "Create" && strings.Contains(err.Error(), "may have been created") != errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("%s: %q: the hint and ErrOutcomeUnknown disagree", op.Name, err)
	}
}

// fuzzReviveObject is the oracle's own reading of "Revive's error object": one JSON
// value, an object whose "error" member (exactly so spelt; the last of duplicates counts,
// as in every JSON decoder here) is an object holding "type" or "message" as a string.
func fuzzReviveObject(body []byte) bool {
	top, _ := fuzzkit.SoleValue(body).(map[string]any)
	e, _ := top["error"].(map[string]any)
	_, hasType := e["type"].(string)
	_, hasMessage := e["message"].(string)
	return hasType || hasMessage
}

// FuzzID checks ID, Revive's identifier that arrives as a number or a string. Any n
// encodes as the JSON number n and decodes back from that number and from the string
// "n". Any JSON value decodes without panic exactly as documented: null and "" are zero,
// an integer literal or a string holding a decimal integer is that integer, anything else
// is an error; and a decoded ID encodes and decodes back to itself.
func FuzzID(f *testing.F) {
	for _, s := range []string{`"21"`, `21`, `null`, `""`, `"-3"`, `"+7"`, `" 21"`, `"21 "`, `"\u0032\u0031"`,
		`1.0`, `1e2`, `-0`, `"9223372036854775807"`, `"9223372036854775808"`, `true`, `{}`, `"0x10"`, `"1_000"`} {
		f.Add([]byte(s), int64(21))
	}
	f.Add([]byte(`"-9223372036854775808"`), int64(-1<<63))
	f.Fuzz(func(t *testing.T, b []byte, n int64) {
		text := strconv.FormatInt(n, 10)
		if enc, err := json.Marshal(ID(n)); err != nil || string(enc) != text || ID(n).String() != text {
			t.Fatalf("ID(%d) encodes as %s, %v (String %q)", n, enc, err, ID(n).String())
		}
		for _, form := range []string{text, `"` + text + `"`} {
			var id ID
			if err := json.Unmarshal([]byte(form), &id); err != nil || id != ID(n) {
				t.Fatalf("%s decodes as %d, %v", form, id, err)
			}
		}

		id, raw, err := decodeAny[ID](t, b)
		if raw == nil {
			return
		}
		want, ok := ID(0), true
		var s string
		switch {
		case string(raw) == "null":
		case json.Unmarshal(raw, &s) == nil:
			if s != "" {
				v, perr := strconv.ParseInt(s, 10, 64)
				want, ok = ID(v), perr == nil
			}
		default:
			v, perr := strconv.ParseInt(string(raw), 10, 64)
			want, ok = ID(v), perr == nil
		}
		if ok != (err == nil) || ok && id != want {
			t.Fatalf("%q decoded as %d, %v; want %d (ok %v)", b, id, err, want, ok)
		}
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: error with an empty text", b)
			}
			return
		}
		roundTrips(t, b, id, id+1)
	})
}

// FuzzActive checks Active, the 0/1 flag. Both values encode as the numbers 1 and 0 and
// decode back. Any JSON value decodes without panic exactly as documented: 1, "1" and true
// are set, 0, "0", false and null are clear, anything else is an error; and a decoded
// flag encodes and decodes back to itself.
func FuzzActive(f *testing.F) {
	for _, s := range []string{`1`, `"1"`, `true`, `0`, `"0"`, `false`, `null`, ` 1 `, `"true"`, `2`, `1.0`,
		`"\u0031"`, `"01"`, `-0`, `[]`, `{}`, `""`} {
		f.Add([]byte(s), true)
	}
	f.Add([]byte(`0`), false)
	f.Fuzz(func(t *testing.T, b []byte, v bool) {
		want := map[bool]string{true: "1", false: "0"}[v]
		if enc, err := json.Marshal(Active(v)); err != nil || string(enc) != want {
			t.Fatalf("Active(%v) encodes as %s, %v", v, enc, err)
		}
		var back Active
		if err := json.Unmarshal([]byte(want), &back); err != nil || bool(back) != v {
			t.Fatalf("%s decodes as %v, %v", want, back, err)
		}

		a, raw, err := decodeAny[Active](t, b)
		if raw == nil {
			return
		}
		set, known := map[string]bool{`1`: true, `"1"`: true, `true`: true, `0`: false, `"0"`: false, `false`: false, `null`: false}[string(raw)]
		if known != (err == nil) || known && bool(a) != set {
			t.Fatalf("%q decoded as %v, %v", b, a, err)
		}
		if err == nil {
			roundTrips(t, b, a, !a)
		}
	})
}

// decodeAny decodes any bytes b as a T, first through T's own UnmarshalJSON, which must
// not panic whatever b holds, then through encoding/json. It returns the value, b's JSON
// value and the error; raw is nil when b is not JSON, and t fails if a T was decoded
// from it anyway.
func decodeAny[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, b []byte) (v T, raw json.RawMessage, err error) {
	t.Helper()
	_ = P(new(T)).UnmarshalJSON(b) // any bytes: no panic
	err = json.Unmarshal(b, &v)
	if json.Unmarshal(b, &raw) != nil {
		if err == nil {
			t.Fatalf("invalid JSON %q decoded as %v", b, v)
		}
		return v, nil, err
	}
	return v, raw, err
}

// roundTrips fails t unless v, decoded from b, encodes and decodes back to itself. The
// decode starts from other, a value unlike v, so that a decode that writes nothing fails.
func roundTrips[T comparable](t *testing.T, b []byte, v, other T) {
	t.Helper()
	enc, err := json.Marshal(v)
	back := other
	if err != nil || json.Unmarshal(enc, &back) != nil || back != v {
		t.Fatalf("%q decoded as %v, encoded as %s, decoded back as %v", b, v, enc, back)
	}
}
