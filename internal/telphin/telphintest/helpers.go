package telphintest

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

// What the packages' recordings were made with.
const (
	testToken   = "test-token"
	testBaseURL = "https://api.test/api/ver1.0"
	testAppID   = "test-app-id"
	testSecret  = "test-app-secret"
	me          = "@me"
)

// The token endpoint's recordings, shared by both packages, from a package's directory.
var (
	tokenFile         = filepath.Join("..", "internal", "telphin", "testdata", "token.json")
	tokenNoExpiryFile = filepath.Join("..", "internal", "telphin", "testdata", "token_no_expiry.json")
)

// testdata is the path of one of the package's recordings.
func testdata(name string) string { return filepath.Join("testdata", name+".json") }

// decode builds a T from a JSON object, refusing members T does not have, so that a test
// cannot set a field the model lacks by mistake.
func decode[T any](t testing.TB, m map[string]any) *T {
	t.Helper()
	v := new(T)
	decodeStrict(t, []byte(mustJSON(t, m)), v)
	return v
}

// decodeStrict decodes raw into v, refusing members the model does not know.
func decodeStrict(t testing.TB, raw []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), "%s", raw)
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// object is v as a JSON object.
func object(t testing.TB, v any) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, v)), &m))
	return m
}

// with returns a copy of the objects merged, later ones winning.
func with(objs ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, o := range objs {
		maps.Copy(out, o)
	}
	return out
}

// without returns a copy of m without keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

// idOf is a user's id, read from its JSON.
func idOf(t testing.TB, u any) int64 {
	t.Helper()
	id, _ := object(t, u)["id"].(float64)
	return int64(id)
}

// loginsOf are the users' logins, in order.
func loginsOf[U any](t testing.TB, users []U) []string {
	t.Helper()
	out := make([]string, 0, len(users))
	for _, u := range users {
		login, _ := object(t, u)["login"].(string)
		out = append(out, login)
	}
	return out
}

// call is a recording and the arguments of the call that sends its request, read from
// its path /api/ver1.0/client/{client_id}/user/{kind}/{user_id}.
type call struct {
	ex       *fixture.Exchange
	clientID string
	userID   int64
}

func (k Kind[Cl, U, C, P, L, O]) load(t testing.TB, name string) call {
	t.Helper()
	return callOf(t, fixture.Load(t, testdata(name)), k.Segment)
}

func callOf(t testing.TB, ex *fixture.Exchange, segment string) call {
	t.Helper()
	rest, ok := strings.CutPrefix(ex.Request.Path, "/api/ver1.0/client/")
	require.True(t, ok, ex.Request.Path)
	parts := strings.Split(rest, "/")
	require.GreaterOrEqual(t, len(parts), 3, ex.Request.Path)
	require.Equal(t, []string{"user", segment}, parts[1:3], ex.Request.Path)
	c := call{ex: ex, clientID: parts[0]}
	if len(parts) > 3 && parts[3] != "" {
		var err error
		c.userID, err = strconv.ParseInt(parts[3], 10, 64)
		require.NoError(t, err, ex.Request.Path)
	}
	return c
}

// change loads a recording and lets the test change it.
func change(t testing.TB, file string, f func(*fixture.Exchange)) *fixture.Exchange {
	t.Helper()
	ex := fixture.Load(t, file)
	f(ex)
	return ex
}

// newUser is a valid create request of the kind with this login and password.
func (k Kind[Cl, U, C, P, L, O]) newUser(t testing.TB, login, password string) *C {
	t.Helper()
	return k.create(t, map[string]any{"login": login, "name": "N", "password": password, "email": login + "@example.com"})
}

// create is a create request with fields, and the kind's Extra.
func (k Kind[Cl, U, C, P, L, O]) create(t testing.TB, fields map[string]any) *C {
	t.Helper()
	return decode[C](t, with(k.Extra, fields))
}

// user is the user of this kind with fields, and the kind's Extra. A client-level user
// names its client (client_id); an extension user has no such field and ignores it.
func (k Kind[Cl, U, C, P, L, O]) user(t testing.TB, clientID int64, fields map[string]any) U {
	t.Helper()
	var u U
	require.NoError(t, json.Unmarshal([]byte(mustJSON(t, with(k.Extra, fields, map[string]any{"client_id": clientID}))), &u))
	return u
}

// listOptions is a ListOptions with these query values, such as {"login": {"a"}}.
func listOptions[L any](t testing.TB, q url.Values) L {
	t.Helper()
	var opts L
	require.NoError(t, fixture.DecodeQuery(q, &opts))
	return opts
}

// client returns the package's client with opts.
func (k Kind[Cl, U, C, P, L, O]) client(t testing.TB, opts ...O) Cl {
	t.Helper()
	c, err := k.New(opts...)
	require.NoError(t, err)
	return c
}

// recorded returns a client with the recordings' base URL and token over rec, and opts.
func (k Kind[Cl, U, C, P, L, O]) recorded(t testing.TB, rec *fixture.Recorder, opts ...O) Cl {
	t.Helper()
	return k.client(t, append([]O{k.Opt.BaseURL(testBaseURL), k.Opt.Token(testToken), k.Opt.HTTPClient(rec.Client())}, opts...)...)
}

// collection is the path of the kind's users of a client, as sent.
func (k Kind[Cl, U, C, P, L, O]) collection(clientID string) string {
	return "/api/ver1.0/client/" + clientID + "/user/" + k.Segment + "/"
}
