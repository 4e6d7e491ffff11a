package backoffice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// The targets below drive the exported client through an httpmock transport that answers
// every request with the fuzzed status and body, so they exercise the path a caller's
// request takes: retries off, auth, the size limit, decoding and the error parser.

// fuzzClient returns a client whose every request is answered from a. One client serves
// all the inputs of a target, as one client serves all the calls of a program.
func fuzzClient(t testing.TB, a *fuzzkit.Answer) *backoffice.Client {
	return fuzzkit.New(t, backoffice.New, backoffice.WithBaseURL("https://api.test"), backoffice.WithToken("test-token"),
		backoffice.WithHTTPClient(a.HTTPClient()), backoffice.WithoutRetries())
}

// FuzzGetBody feeds any 200 body to Get: it never panics or hangs, never returns a nil
// user without an error, and returns a user with an id that the body's first JSON value
// decodes to, bare or under a wrapping key; it refuses a body only when neither holds a
// user with an id.
func FuzzGetBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	fuzzkit.Bodies(f, a, fuzzkit.ObjectSeeds(
		`{"id":1,"name":"Mary","email":"foo@bar.com","phone":"+18043257762","active":true,"tfa":true,"groups":[1],"ipWhitelist":["79.24.241.198"],"clientTags":["my_tag"],"canViewMaskedData":true}`,
		`{"id":2,"clientTags":[{"name":"vip","color":"red"},"plain",null]}`, `{"clientTags":[1]}`,
		`{"data":{"id":4,"tfa":"totp","groups":[{"id":1,"name":"VIP"}]}}`, `{"data":{},"items":{"id":5}}`,
		`{"Data":{"id":6},"meta":{"id":7}}`, `{"id":0,"users":{"id":8}}`, `{"data":{"id":"x"}}`,
		`{"name":1,"result":{"id":9}}`, `{"id":1,"groups":[{"id":2},"3",null]}`,
	), `{"id":3,"groups":[1,2]}`, func(t *testing.T, body []byte) {
		u, err := c.Get(fuzzkit.Context(t), 7)
		fuzzkit.NoHang(t, "Get", body, err)
		users := usersIn(body)
		switch {
		case u == nil && err == nil:
			t.Fatalf("Get: neither user nor error from %q", body)
		case err == nil:
			if !slices.ContainsFunc(users, func(w backoffice.User) bool { return reflect.DeepEqual(*u, w) }) {
				t.Fatalf("Get: %q gave %+v, none of the users it holds (%+v)", body, *u, users)
			}
		default:
			if len(users) > 0 {
				t.Fatalf("Get: refused %q, which holds %+v: %v", body, users, err)
			}
			var apiErr *backoffice.APIError
			if errors.As(err, &apiErr) {
				t.Fatalf("Get: a 200 answer became an API error: %v", err)
			}
		}
	})
}

// usersIn returns the users with an id that the body's first JSON value holds: itself, or
// the object under a key lists are unwrapped with (matched as encoding/json matches keys).
func usersIn(body []byte) []backoffice.User {
	first, valid := fuzzkit.FirstValue(body)
	if !valid {
		return nil
	}
	var out []backoffice.User
	add := func(raw json.RawMessage) {
		var u backoffice.User
		if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &u) == nil && u.ID != 0 {
			out = append(out, u)
		}
	}
	add(first)
	var env struct {
		Data, Items, Users, Results, Records, List json.RawMessage
	}
	if json.Unmarshal(first, &env) == nil {
		for _, raw := range []json.RawMessage{env.Data, env.Items, env.Users, env.Results, env.Records, env.List} {
			add(bytes.TrimSpace(raw))
		}
	}
	return out
}

// FuzzListBody feeds any 200 body to List (fuzzkit.CheckList says what must hold).
func FuzzListBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	fuzzkit.Lists(f, a, func(ctx context.Context) ([]backoffice.User, error) { return c.List(ctx, backoffice.ListOptions{}) },
		`[{"id":1,"name":"Mary","email":"foo@bar.com","active":true,"tfa":true,"groups":[1],"clientTags":["my_tag"]},{"id":2}]`,
		`{"meta":{"total":2},"data":[{"id":1},{"id":2}]}`)
}

// FuzzErrorBody answers Get (a read) and Create (a write) with any 4xx or 5xx status and
// body; fuzzkit.CheckAPIError says what the errors must show. B2Core's error body is
// undocumented, so no body is recognised as the vendor's own error object.
func FuzzErrorBody(f *testing.F) {
	f.Add(uint16(422), false, []byte(`{"errors":[{"field":"email","message":"The email must be a valid email address."}]}`))
	f.Add(uint16(404), false, []byte(`{"message":"User not found","code":"not_found"}`))
	f.Add(uint16(403), false, []byte(`{"error":{"type":"Forbidden","message":"no"}}`))
	f.Add(uint16(502), true, []byte(`<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`))
	f.Add(uint16(429), false, []byte(`{"error":"slow down"}`))
	f.Add(uint16(401), false, []byte(``))
	f.Add(uint16(400), false, []byte("{\"message\":\"\xff\xfe\"}"))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	errs := fuzzkit.Errors{Answer: a}
	get := fuzzkit.Op{Name: "Get", Call: func(ctx context.Context) (any, error) { return c.Get(ctx, 7) }}
	create := fuzzkit.Op{Name: "Create", Write: true, Call: func(ctx context.Context) (any, error) {
		return c.Create(ctx, &backoffice.CreateRequest{Name: "n", Email: "e@x.test", Password: "fuzz-Password-1", Groups: []int64{1}})
	}}
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) {
		errs.Check(t, code, html, body, get, create)
	})
}

// FuzzListOptionsQuery encodes ListOptions as the client does and checks that url.ParseQuery
// gives every value back whole under its own key (nothing leaks across & = [ ] # or %), that
// no other key appears, and that List sends exactly that query.
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("Mary", "foo@bar.com", "name", "asc", 10, 0, uint8(2))
	f.Add("a&filter[email]=x#y", "b=c%26d[]", "id;drop", "desc", 0, 5, uint8(1))
	f.Add("", "", "", "", 0, 0, uint8(0))
	f.Add("\xff\x00 +", "%zz", "name", "sideways", -1, -2, uint8(3))
	a := &fuzzkit.Answer{}
	c := fuzzClient(f, a)
	f.Fuzz(func(t *testing.T, name, email, sortBy, sortOrder string, limit, offset int, active uint8) {
		opts := backoffice.ListOptions{Name: name, Email: email, Limit: limit, Offset: offset,
			SortBy: sortBy, SortOrder: backoffice.SortOrder(sortOrder)}
		if active%3 > 0 {
			opts.Active = backoffice.Ptr(active%3 == 2)
		}
		want := url.Values{"offset": {strconv.Itoa(offset)}}
		for k, v := range map[string]string{"filter[name]": name, "filter[email]": email, "sort_by": sortBy, "sort_order": sortOrder} {
			if v != "" {
				want[k] = []string{v}
			}
		}
		if limit != 0 {
			want["limit"] = []string{strconv.Itoa(limit)}
		}
		if opts.Active != nil {
			want["filter[active]"] = []string{map[bool]string{false: "0", true: "1"}[*opts.Active]}
		}
		q := fuzzkit.Query(t, &opts, want)
		valid := limit >= 0 && offset >= 0 && (sortOrder == "" || sortOrder == "asc" || sortOrder == "desc")
		a.CheckSent(t, `[]`, q, valid, func(ctx context.Context) error { _, err := c.List(ctx, opts); return err })
	})
}
