package telphintest

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

// The fuzz targets' bodies. FuzzGetBody and FuzzErrorBody check both packages on each
// input and are declared in internal/telphin; each package declares its own FuzzListBody
// (CI finds targets by package). The targets drive the exported client through an httpmock
// transport that answers every request with the fuzzed status and body, so they exercise
// the path a caller's request takes: retries off, auth, the size limit, decoding and the
// error parser. One client serves all the inputs of a target, as one client serves all
// the calls of a program.

func (k Kind[Cl, U, C, P, L, O]) fuzzClient(t testing.TB, a *fuzzkit.Answer) Cl {
	return fuzzkit.New(t, k.New, k.Opt.BaseURL(testBaseURL), k.Opt.Token(testToken), k.Opt.HTTPClient(a.HTTPClient()),
		k.Opt.WithoutRetries(),
		// One input's spent budget must not hold back the next input's request.
		k.Opt.WithoutRateLimit())
}

// hasID reports whether a decoded user has an id, as the client requires.
func hasID[U any](u *U) bool {
	var id struct {
		ID int64 `json:"id"`
	}
	b, err := json.Marshal(u)
	return err == nil && json.Unmarshal(b, &id) == nil && id.ID != 0
}

// getUser is a package's Get of a user, and its check (fuzzkit.CheckObject) against the
// 200 body a answers: any JSON object that decodes as a user with an id is accepted.
func (k Kind[Cl, U, C, P, L, O]) getUser(f *testing.F, a *fuzzkit.Answer) func(t *testing.T, body []byte) {
	c := k.fuzzClient(f, a)
	return func(t *testing.T, body []byte) {
		u, err := c.Get(fuzzkit.Context(t), me, 7)
		fuzzkit.CheckObject(t, k.Name+" Get", body, u, err, hasID[U])
	}
}

// FuzzGetBody feeds any 200 body to both packages' Get: the models differ in one field
// only, so each input is checked for both. The seeds are users of each package as the API
// sends them, and values of the shared fields the API does not list.
func FuzzGetBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	checks := []func(*testing.T, []byte){ClientUser.getUser(f, a), ExtensionUser.getUser(f, a)}
	seeds := fuzzkit.ObjectSeeds(
		`{"id":101,"client_id":12345,"login":"operator1","name":"Ivan Petrov","email":"ivan.petrov@example.com","comment":"Head office","access":"full","status":"active","extra_params":"{\"crm_id\": 17}","timezone":"Europe/Moscow"}`,
		`{"id":201,"extension_id":5001,"login":"ext100","name":"Reception","email":"reception@example.com","comment":"Front desk","access":"full","status":"active","extra_params":"","timezone":"Europe/Moscow"}`,
		`{"id":1,"access":"nobody","status":"gone"}`, `{"id":1,"login":"\u00e9\ud800"}`, `{"id":1e3}`)
	fuzzkit.Bodies(f, a, seeds, `{"id":3,"login":"x"}`, func(t *testing.T, body []byte) {
		for _, check := range checks {
			check(t, body)
		}
	})
}

// FuzzListBody feeds any 200 body to List (fuzzkit.CheckList says what must hold),
// seeded with the package's recorded list. Unlike Get, it runs one package per target:
// fuzzkit.Lists is typed by the user it decodes.
func (k Kind[Cl, U, C, P, L, O]) FuzzListBody(f *testing.F) {
	a := &fuzzkit.Answer{}
	c := k.fuzzClient(f, a)
	fuzzkit.Lists(f, a, func(ctx context.Context) ([]U, error) { return c.List(ctx, me, *new(L)) },
		string(fixture.Load(f, testdata("list")).Response.Body), `{"data":[{"id":1},{"id":2}],"total":2}`)
}

// errorOps are a package's Get (a read) and Create (a write), for FuzzErrorBody.
func (k Kind[Cl, U, C, P, L, O]) errorOps(f *testing.F, a *fuzzkit.Answer) []fuzzkit.Op {
	c := k.fuzzClient(f, a)
	create := k.newUser(f, "l", "fuzz-Password-1")
	return []fuzzkit.Op{
		{Name: k.Name + " Get", Call: func(ctx context.Context) (any, error) { return c.Get(ctx, me, 7) }},
		{Name: k.Name + " Create", Write: true, Call: func(ctx context.Context) (any, error) { return c.Create(ctx, me, create) }},
	}
}

// FuzzErrorBody answers both packages' Get and Create with any 4xx or 5xx status and
// body; fuzzkit.CheckAPIError says what the errors must show, Telphin's own error object
// being the vendor's. Telphin's rate_limit_exceeded code matches ErrRateLimited whatever
// the status.
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
	ops := append(ClientUser.errorOps(f, a), ExtensionUser.errorOps(f, a)...)
	errs := fuzzkit.Errors{Answer: a, Vendor: telphinfake.IsErrorBody, Extra: rateLimitCode}
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) { errs.Check(t, code, html, body, ops...) })
}

// rateLimitCode checks that Telphin's hourly-limit code matches ErrRateLimited.
func rateLimitCode(t *testing.T, op fuzzkit.Op, apiErr *usersdk.APIError, err error) {
	if apiErr.Code == "rate_limit_exceeded" && !errors.Is(err, usersdk.ErrRateLimited) {
		t.Fatalf("%s: code %s does not match ErrRateLimited", op.Name, apiErr.Code)
	}
}

// QueryCheck returns the oracle of a package's FuzzListOptionsQuery: opts, encoded as the
// client does, parse back with url.ParseQuery to exactly want (fuzzkit.Query), and List
// sends exactly that query.
func (k Kind[Cl, U, C, P, L, O]) QueryCheck(f *testing.F) func(t *testing.T, opts L, want url.Values) {
	a := &fuzzkit.Answer{}
	c := k.fuzzClient(f, a)
	return func(t *testing.T, opts L, want url.Values) {
		t.Helper()
		q := fuzzkit.Query(t, &opts, want)
		a.CheckSent(t, `[]`, q, true, func(ctx context.Context) error { _, err := c.List(ctx, me, opts); return err })
	}
}
