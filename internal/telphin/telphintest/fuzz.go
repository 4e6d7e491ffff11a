package telphintest

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

// The fuzz targets' bodies. Each package declares its targets (CI finds them by package)
// and passes its seeds; the targets drive the exported client through an httpmock
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

// FuzzGetBody feeds any 200 body to Get (fuzzkit.CheckObject says what must hold): any
// JSON object that decodes as a user with an id is accepted. seeds are users of the
// package as the API sends them.
func (k Kind[Cl, U, C, P, L, O]) FuzzGetBody(f *testing.F, seeds ...string) {
	a := &fuzzkit.Answer{}
	c := k.fuzzClient(f, a)
	seeds = append(seeds, `{"id":1,"access":"nobody","status":"gone"}`, `{"id":1,"login":"\u00e9\ud800"}`, `{"id":1e3}`)
	fuzzkit.Bodies(f, a, fuzzkit.ObjectSeeds(seeds...), `{"id":3,"login":"x"}`, func(t *testing.T, body []byte) {
		u, err := c.Get(fuzzkit.Context(t), me, 7)
		fuzzkit.CheckObject(t, "Get", body, u, err, hasID[U])
	})
}

// FuzzListBody feeds any 200 body to List (fuzzkit.CheckList says what must hold). seeds
// are lists of the package's users as the API sends them.
func (k Kind[Cl, U, C, P, L, O]) FuzzListBody(f *testing.F, seeds ...string) {
	a := &fuzzkit.Answer{}
	c := k.fuzzClient(f, a)
	fuzzkit.Lists(f, a, func(ctx context.Context) ([]U, error) { return c.List(ctx, me, *new(L)) },
		append(seeds, `{"data":[{"id":1},{"id":2}],"total":2}`)...)
}

// FuzzErrorBody answers Get (a read) and Create (a write) with any 4xx or 5xx status and
// body; fuzzkit.CheckAPIError says what the errors must show, Telphin's own error object
// being the vendor's. Telphin's rate_limit_exceeded code matches ErrRateLimited whatever
// the status.
func (k Kind[Cl, U, C, P, L, O]) FuzzErrorBody(f *testing.F) {
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
	c := k.fuzzClient(f, a)
	create := k.newUser(f, "l", "p")
	errs := fuzzkit.Errors{Answer: a, Vendor: telphinfake.IsErrorBody, Extra: rateLimitCode}
	get := fuzzkit.Op{Name: "Get", Call: func(ctx context.Context) (any, error) { return c.Get(ctx, me, 7) }}
	post := fuzzkit.Op{Name: "Create", Write: true, Call: func(ctx context.Context) (any, error) { return c.Create(ctx, me, create) }}
	f.Fuzz(func(t *testing.T, code uint16, html bool, body []byte) { errs.Check(t, code, html, body, get, post) })
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
