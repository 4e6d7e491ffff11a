package clientusertest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// answer is a response read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// object decodes the body as a JSON object.
func (a answer) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.body, &m), "body %q", a.body)
	return m
}

// array decodes the body as a JSON array of objects.
func (a answer) array(t *testing.T) []map[string]any {
	t.Helper()
	var v []map[string]any
	require.NoError(t, json.Unmarshal(a.body, &v), "body %q", a.body)
	return v
}

// ids are the "id" fields of a list answer.
func (a answer) ids(t *testing.T) []int64 {
	t.Helper()
	out := []int64{}
	for _, u := range a.array(t) {
		out = append(out, int64(u["id"].(float64)))
	}
	return out
}

// exchange sends a request and reads its answer whole; header holds name, value pairs.
func exchange(t *testing.T, method, url string, body any, header ...string) answer {
	t.Helper()
	status, h, b := fuzzkit.Send(t, nil, method, url, body, header...)
	return answer{status: status, header: h, body: b}
}

// headers returns the header pairs of a request: Content-Type contentType when there is
// a body, and "Authorization: scheme credential" when credential is not empty.
func headers(body any, contentType, scheme, credential string) []string {
	var h []string
	if body != nil {
		h = append(h, "Content-Type", contentType)
	}
	if credential != "" {
		h = append(h, "Authorization", scheme+" "+credential)
	}
	return h
}

// send makes an API request. path is relative to the base URL; body is sent as it is
// when a string, else as JSON; token "" sends no Authorization header.
func send(t *testing.T, srv *clientusertest.Server, method, path, token string, body any) answer {
	t.Helper()
	return exchange(t, method, srv.BaseURL()+path, body, headers(body, "application/json", "Bearer", token)...)
}

// postToken posts form to the token endpoint, with HTTP Basic when user is not empty.
func postToken(t *testing.T, srv *clientusertest.Server, form url.Values, user, pass string) answer {
	t.Helper()
	var basic string
	if user != "" {
		basic = base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	}
	body := form.Encode()
	return exchange(t, http.MethodPost, srv.TokenURL(), body, headers(body, "application/x-www-form-urlencoded", "Basic", basic)...)
}

func newServer(t *testing.T) (*clientusertest.Server, string) {
	t.Helper()
	srv := clientusertest.NewServer()
	t.Cleanup(srv.Close)
	return srv, srv.IssueToken()
}

// clock is a settable clock safe to read from the server's goroutines.
type clock struct{ ns atomic.Int64 }

func newClock(srv *clientusertest.Server, start time.Time) *clock {
	c := &clock{}
	c.set(start)
	srv.SetClock(c.now)
	return c
}

func (c *clock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *clock) add(d time.Duration) { c.ns.Add(int64(d)) }

func credentialsForm(srv *clientusertest.Server) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.AppID()}, "client_secret": {srv.Secret()}}
}

func TestClientUsersThroughOAuth(t *testing.T) {
	srv := clientusertest.NewServer()
	defer srv.Close()

	assert.Equal(t, srv.URL+"/oauth/token", srv.TokenURL())
	a := postToken(t, srv, credentialsForm(srv), "", "")
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.Unmarshal(a.body, &tok))
	require.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, 3600, tok.ExpiresIn)
	assert.Equal(t, 1, srv.TokenRequests())

	const coll = "/client/@me/user/client/"
	assert.Equal(t, srv.URL+"/api/ver1.0", srv.BaseURL())
	a = send(t, srv, "POST", coll, tok.AccessToken,
		`{"login":"auditor","name":"Olga","password":"pw","email":"olga@example.com","access":"read_only"}`)
	require.Equal(t, http.StatusCreated, a.status, string(a.body))
	assert.NotEmpty(t, a.header.Get("X-RateLimit-Remaining"))
	users := srv.ClientUsers()
	require.Len(t, users, 1)
	assert.Equal(t, clientuser.AccessReadOnly, users[0].Access)
	assert.Equal(t, clientusertest.DefaultClientID, users[0].ClientID)

	a = send(t, srv, "GET", coll+"?login=auditor&login=nobody", tok.AccessToken, nil)
	require.Equal(t, http.StatusOK, a.status)
	var list []clientuser.User
	require.NoError(t, json.Unmarshal(a.body, &list))
	assert.Equal(t, users, list)

	// The same server holds extension users, and logins are shared.
	a = send(t, srv, "POST", "/client/@me/user/extension/", tok.AccessToken,
		`{"extension_id":5001,"login":"auditor","name":"Olga","password":"pw","email":"olga@example.com"}`)
	assert.Equal(t, http.StatusConflict, a.status)
	assert.JSONEq(t, `{"message":"Login already exists","status":"login_exists"}`, string(a.body))

	srv.Inject(1, clientusertest.Fault{Status: http.StatusBadGateway, Method: http.MethodGet})
	assert.Equal(t, http.StatusBadGateway, send(t, srv, "GET", coll, tok.AccessToken, nil).status)

	srv.ExpireTokens()
	a = send(t, srv, "GET", coll, tok.AccessToken, nil)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Contains(t, string(a.body), `"access_denied"`)
}

func TestTokenEndpoint(t *testing.T) {
	srv, _ := newServer(t)
	require.NotEmpty(t, srv.AppID())
	require.NotEmpty(t, srv.Secret())
	other := clientusertest.NewServer()
	defer other.Close()
	assert.NotEqual(t, srv.Secret(), other.Secret(), "credentials are generated per server")

	a := postToken(t, srv, credentialsForm(srv), "", "")
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	assert.Equal(t, "no-store", a.header.Get("Cache-Control"))
	tok := a.object(t)
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.Equal(t, float64(3600), tok["expires_in"])
	assert.Equal(t, "all", tok["scope"])
	assert.Len(t, tok, 4)
	access, _ := tok["access_token"].(string)
	require.NotEmpty(t, access)
	assert.Equal(t, http.StatusOK, send(t, srv, "GET", "/client/@me/user/client/", access, nil).status)

	basic := postToken(t, srv, url.Values{"grant_type": {"client_credentials"}}, srv.AppID(), srv.Secret())
	require.Equal(t, http.StatusOK, basic.status, "%s", basic.body)
	assert.NotEqual(t, access, basic.object(t)["access_token"], "each request issues a new token")

	wrong := credentialsForm(srv)
	wrong.Set("client_secret", "nope")
	a = postToken(t, srv, wrong, "", "")
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, "invalid_client", a.object(t)["error"])
	assert.Empty(t, a.header.Get("WWW-Authenticate"))

	a = postToken(t, srv, url.Values{"grant_type": {"client_credentials"}}, srv.AppID(), "nope")
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, "invalid_client", a.object(t)["error"])
	assert.Contains(t, a.header.Get("WWW-Authenticate"), "Basic")

	// Credentials in the query string are not read.
	a = exchange(t, http.MethodPost, srv.TokenURL()+"?"+credentialsForm(srv).Encode(), "grant_type=client_credentials",
		"Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, http.StatusUnauthorized, a.status)

	noGrant := credentialsForm(srv)
	noGrant.Del("grant_type")
	a = postToken(t, srv, noGrant, "", "")
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, "invalid_request", a.object(t)["error"])

	password := credentialsForm(srv)
	password.Set("grant_type", "password")
	a = postToken(t, srv, password, "", "")
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, "unsupported_grant_type", a.object(t)["error"])

	a = exchange(t, http.MethodPost, srv.TokenURL(), `{"grant_type":"client_credentials"}`, "Content-Type", "application/json")
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Equal(t, "invalid_request", a.object(t)["error"])

	assert.Equal(t, http.StatusMethodNotAllowed, exchange(t, http.MethodGet, srv.TokenURL(), nil).status)

	assert.Equal(t, 8, srv.TokenRequests(), "every POST to the endpoint counts, refused ones too")

	srv.OmitExpiresIn(true)
	a = postToken(t, srv, credentialsForm(srv), "", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.NotContains(t, a.object(t), "expires_in")
	assert.Equal(t, "Bearer", a.object(t)["token_type"])

	srv.SetCredentials("my-app", "my-secret")
	assert.Equal(t, "my-app", srv.AppID())
	assert.Equal(t, "my-secret", srv.Secret())
	assert.Equal(t, http.StatusOK, postToken(t, srv, url.Values{"grant_type": {"client_credentials"}}, "my-app", "my-secret").status)
	assert.Equal(t, http.StatusOK, send(t, srv, "GET", "/client/@me/user/client/", access, nil).status,
		"tokens issued before a credentials change stay valid")
}

func TestAPIAuth(t *testing.T) {
	srv, tok := newServer(t)
	const list = "/client/@me/user/client/"

	for name, header := range map[string]string{
		"none":    "",
		"unknown": "Bearer tph-unknown",
		"basic":   "Basic " + "dGVzdDp0ZXN0",
		"bare":    tok,
	} {
		t.Run(name, func(t *testing.T) {
			var auth []string
			if header != "" {
				auth = []string{"Authorization", header}
			}
			a := exchange(t, http.MethodGet, srv.BaseURL()+list, nil, auth...)
			assert.Equal(t, http.StatusUnauthorized, a.status)
			body := a.object(t)
			assert.Equal(t, "access_denied", body["status"])
			assert.NotEmpty(t, body["message"])
		})
	}

	assert.Equal(t, http.StatusOK, send(t, srv, "GET", list, tok, nil).status)
	srv.ExpireTokens()
	assert.Equal(t, http.StatusUnauthorized, send(t, srv, "GET", list, tok, nil).status)
	a := postToken(t, srv, credentialsForm(srv), "", "")
	require.Equal(t, http.StatusOK, a.status)
	fresh := a.object(t)["access_token"].(string)
	assert.Equal(t, http.StatusOK, send(t, srv, "GET", list, fresh, nil).status)
	assert.Equal(t, http.StatusUnauthorized, send(t, srv, "GET", list, tok, nil).status, "expired stays expired")
}

func TestTokensExpireAfterTheirLifetime(t *testing.T) {
	srv := clientusertest.NewServer()
	defer srv.Close()
	c := newClock(srv, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
	tok := srv.IssueToken()
	const list = "/client/@me/user/client/"

	c.add(clientusertest.TokenLifetime - time.Second)
	assert.Equal(t, http.StatusOK, send(t, srv, "GET", list, tok, nil).status)
	c.add(time.Second)
	assert.Equal(t, http.StatusUnauthorized, send(t, srv, "GET", list, tok, nil).status)
}

func TestClientUserLifecycle(t *testing.T) {
	srv, tok := newServer(t)
	create := map[string]any{
		"login": "auditor", "name": "Olga Ivanova", "password": "S3cret-pass",
		"email": "olga.ivanova@example.com", "access": "read_only", "comment": "External auditor",
		"status": "active", "extra_params": "audit-2024", "timezone": "Europe/Moscow",
		"email_notify": true, "email_for_notify": "it@example.com",
	}
	a := send(t, srv, "POST", "/client/@me/user/client/", tok, create)
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	want := `{"id": 1, "client_id": 12345, "login": "auditor", "name": "Olga Ivanova",
		"email": "olga.ivanova@example.com", "comment": "External auditor", "access": "read_only",
		"status": "active", "extra_params": "audit-2024", "timezone": "Europe/Moscow"}`
	assert.JSONEq(t, want, string(a.body))
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	pw, ok := srv.Password(1)
	require.True(t, ok)
	assert.Equal(t, "S3cret-pass", pw)
	assert.Equal(t, []clientusertest.Notification{{UserID: 1, Login: "auditor", To: "it@example.com"}}, srv.Notifications())

	for _, client := range []string{"@me", "%40me", "12345"} {
		a = send(t, srv, "GET", "/client/"+client+"/user/client/1", tok, nil)
		require.Equal(t, http.StatusOK, a.status, client)
		assert.JSONEq(t, want, string(a.body), client)
	}

	a = send(t, srv, "GET", "/client/@me/user/client/", tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	assert.True(t, bytes.HasPrefix(bytes.TrimSpace(a.body), []byte("[")), "a bare array: %s", a.body)
	assert.Equal(t, []int64{1}, a.ids(t))

	a = send(t, srv, "PUT", "/client/@me/user/client/1", tok, map[string]any{
		"name": "Olga V. Ivanova", "status": "blocked", "comment": "", "password": "N3w-secret",
	})
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	assert.JSONEq(t, `{"id": 1, "client_id": 12345, "login": "auditor", "name": "Olga V. Ivanova",
		"email": "olga.ivanova@example.com", "comment": "", "access": "read_only",
		"status": "blocked", "extra_params": "audit-2024", "timezone": "Europe/Moscow"}`, string(a.body))
	pw, _ = srv.Password(1)
	assert.Equal(t, "N3w-secret", pw)
	u, ok := srv.ClientUser(1)
	require.True(t, ok)
	assert.Equal(t, clientuser.StatusBlocked, u.Status)

	a = send(t, srv, "PUT", "/client/@me/user/client/1", tok, map[string]any{"login": "auditor", "timezone": "UTC"})
	assert.Equal(t, http.StatusOK, a.status, "the same login is accepted: %s", a.body)
	a = send(t, srv, "PUT", "/client/@me/user/client/1", tok, map[string]any{"login": "renamed", "timezone": "Asia/Omsk"})
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.object(t)["message"], "login")
	u, _ = srv.ClientUser(1)
	assert.Equal(t, "auditor", u.Login)
	assert.Equal(t, "UTC", u.Timezone, "a refused update changes nothing")

	a = send(t, srv, "PUT", "/client/@me/user/client/1", tok, map[string]any{})
	assert.Equal(t, http.StatusOK, a.status, "an empty update changes nothing")

	a = send(t, srv, "DELETE", "/client/@me/user/client/1", tok, nil)
	assert.Equal(t, http.StatusNoContent, a.status)
	assert.Empty(t, a.body)
	assert.Empty(t, srv.ClientUsers())

	for _, method := range []string{"GET", "DELETE"} {
		a = send(t, srv, method, "/client/@me/user/client/1", tok, nil)
		assert.Equal(t, http.StatusNotFound, a.status, method)
		assert.JSONEq(t, `{"message": "Record not found"}`, string(a.body), method)
	}
	a = send(t, srv, "PUT", "/client/@me/user/client/1", tok, map[string]any{"name": "x"})
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.JSONEq(t, `{"message": "Record not found"}`, string(a.body))
}

func TestExtensionUserLifecycle(t *testing.T) {
	srv, tok := newServer(t)
	a := send(t, srv, "POST", "/client/@me/user/extension/", tok, map[string]any{
		"extension_id": 5003, "login": "ext102", "name": "Support line", "password": "S3cret-pass",
		"email": "support@example.com", "access": "full", "comment": "Night shift", "status": "active",
		"extra_params": "shift=night", "timezone": "Asia/Novosibirsk", "email_notify": false,
	})
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	want := `{"id": 1, "extension_id": 5003, "login": "ext102", "name": "Support line",
		"email": "support@example.com", "comment": "Night shift", "access": "full", "status": "active",
		"extra_params": "shift=night", "timezone": "Asia/Novosibirsk"}`
	assert.JSONEq(t, want, string(a.body))
	assert.Empty(t, srv.Notifications(), "email_notify false sends nothing")

	a = send(t, srv, "GET", "/client/12345/user/extension/1", tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, want, string(a.body))

	a = send(t, srv, "GET", "/client/@me/user/extension/", tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, []int64{1}, a.ids(t))

	a = send(t, srv, "PUT", "/client/@me/user/extension/1", tok, map[string]any{"extension_id": 5004, "access": "read_only"})
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	got := a.object(t)
	assert.Equal(t, float64(5004), got["extension_id"])
	assert.Equal(t, "read_only", got["access"])
	assert.Equal(t, "Support line", got["name"], "fields not sent are kept")
	u, clientID, ok := srv.ExtensionUser(1)
	require.True(t, ok)
	assert.Equal(t, int64(5004), u.ExtensionID)
	assert.Equal(t, extensionuser.AccessReadOnly, u.Access)
	assert.Equal(t, clientusertest.DefaultClientID, clientID)

	a = send(t, srv, "PUT", "/client/@me/user/extension/1", tok, map[string]any{"login": "ext999"})
	assert.Equal(t, http.StatusBadRequest, a.status)

	a = send(t, srv, "DELETE", "/client/@me/user/extension/1", tok, nil)
	assert.Equal(t, http.StatusNoContent, a.status)
	assert.Empty(t, a.body)
	a = send(t, srv, "GET", "/client/@me/user/extension/1", tok, nil)
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.JSONEq(t, `{"message": "Record not found"}`, string(a.body))
	assert.Empty(t, srv.ExtensionUsers())
}

func TestClientsAndUserScope(t *testing.T) {
	srv, tok := newServer(t)
	assert.Equal(t, clientusertest.DefaultClientID, srv.ClientID())
	srv.AddClient(777)
	srv.AddForbiddenClient(67890)

	minimal := map[string]any{"login": "someone", "name": "N", "password": "p", "email": "n@example.com", "extension_id": 1}
	for _, kind := range []string{"client", "extension"} {
		for _, client := range []string{"999", "abc", "me", "x%2Fy", "-1"} {
			for _, rt := range []struct{ method, path string }{
				{"GET", ""}, {"POST", ""}, {"GET", "1"}, {"PUT", "1"}, {"DELETE", "1"},
			} {
				var body any
				if rt.method == "POST" || rt.method == "PUT" {
					body = minimal
				}
				a := send(t, srv, rt.method, "/client/"+client+"/user/"+kind+"/"+rt.path, tok, body)
				assert.Equal(t, http.StatusNotFound, a.status, "%s %s %s", rt.method, client, kind)
				assert.Equal(t, "client_not_found", a.object(t)["status"], "%s %s %s", rt.method, client, kind)
			}
		}
		a := send(t, srv, "GET", "/client/67890/user/"+kind+"/", tok, nil)
		assert.Equal(t, http.StatusForbidden, a.status)
		assert.JSONEq(t, `{"message": "Access denied", "status": "access_denied"}`, string(a.body))
	}
	assert.Empty(t, srv.ClientUsers())
	assert.Empty(t, srv.ExtensionUsers())

	a := send(t, srv, "POST", "/client/777/user/client/", tok, map[string]any{
		"login": "branch", "name": "Branch admin", "password": "p", "email": "b@example.com", "client_id": 12345,
	})
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	assert.Equal(t, float64(777), a.object(t)["client_id"], "the path decides the client, not the body")
	id := strconv.FormatInt(int64(a.object(t)["id"].(float64)), 10)

	assert.Equal(t, http.StatusOK, send(t, srv, "GET", "/client/777/user/client/"+id, tok, nil).status)
	assert.Equal(t, http.StatusNotFound, send(t, srv, "GET", "/client/@me/user/client/"+id, tok, nil).status, "another client's user")
	assert.Equal(t, http.StatusNotFound, send(t, srv, "DELETE", "/client/@me/user/client/"+id, tok, nil).status)
	assert.Equal(t, http.StatusNotFound, send(t, srv, "GET", "/client/777/user/extension/"+id, tok, nil).status, "a user of the other kind")
	assert.Empty(t, send(t, srv, "GET", "/client/@me/user/client/", tok, nil).array(t))
	assert.Len(t, send(t, srv, "GET", "/client/777/user/client/", tok, nil).array(t), 1)

	for _, bad := range []string{"abc", "1.5", "%20"} {
		a := send(t, srv, "GET", "/client/777/user/client/"+bad, tok, nil)
		assert.Equal(t, http.StatusNotFound, a.status, bad)
		assert.JSONEq(t, `{"message": "Record not found"}`, string(a.body), bad)
	}

	// An internal number belongs to the first client that attaches a user to it.
	ext := map[string]any{"login": "e1", "name": "N", "password": "p", "email": "n@example.com", "extension_id": 5001}
	require.Equal(t, http.StatusCreated, send(t, srv, "POST", "/client/@me/user/extension/", tok, ext).status)
	ext["login"] = "e2"
	a = send(t, srv, "POST", "/client/777/user/extension/", tok, ext)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.object(t)["message"], "5001")
	ext["extension_id"] = 6001
	a = send(t, srv, "POST", "/client/777/user/extension/", tok, ext)
	require.Equal(t, http.StatusCreated, a.status)
	eid := strconv.FormatInt(int64(a.object(t)["id"].(float64)), 10)
	a = send(t, srv, "PUT", "/client/777/user/extension/"+eid, tok, map[string]any{"extension_id": 5001})
	assert.Equal(t, http.StatusBadRequest, a.status, "cannot move to another client's internal number")
}

func TestCreateValidation(t *testing.T) {
	srv, tok := newServer(t)
	valid := func(ext bool) map[string]any {
		m := map[string]any{"login": "v", "name": "Valid", "password": "pw", "email": "v@example.com"}
		if ext {
			m["extension_id"] = 5001
		}
		return m
	}
	cases := []struct {
		name  string
		edit  func(m map[string]any)
		field string // the message names it
	}{
		{"no login", func(m map[string]any) { delete(m, "login") }, "login"},
		{"empty login", func(m map[string]any) { m["login"] = "" }, "login"},
		{"null login", func(m map[string]any) { m["login"] = nil }, "login"},
		{"no name", func(m map[string]any) { delete(m, "name") }, "name"},
		{"no password", func(m map[string]any) { delete(m, "password") }, "password"},
		{"empty password", func(m map[string]any) { m["password"] = "" }, "password"},
		{"no email", func(m map[string]any) { delete(m, "email") }, "email"},
		{"bad email", func(m map[string]any) { m["email"] = "not-an-address" }, "email"},
		{"bad email_for_notify", func(m map[string]any) { m["email_for_notify"] = "x" }, "email_for_notify"},
		{"bad access", func(m map[string]any) { m["access"] = "admin" }, "access"},
		{"empty access", func(m map[string]any) { m["access"] = "" }, "access"},
		{"bad status", func(m map[string]any) { m["status"] = "deleted" }, "status"},
		{"wrong type", func(m map[string]any) { m["name"] = 5 }, "name"},
		{"camel case", func(m map[string]any) { m["extraParams"] = "x" }, "extraParams"},
		{"id", func(m map[string]any) { m["id"] = 7 }, "id"},
	}
	for _, kind := range []string{"client", "extension"} {
		ext := kind == "extension"
		for _, tc := range cases {
			m := valid(ext)
			tc.edit(m)
			a := send(t, srv, "POST", "/client/@me/user/"+kind+"/", tok, m)
			assert.Equal(t, http.StatusBadRequest, a.status, "%s %s: %s", kind, tc.name, a.body)
			assert.Contains(t, a.object(t)["message"], `"`+tc.field+`"`, "%s %s", kind, tc.name)
		}
		for name, raw := range map[string]string{"syntax": `{"login":`, "array": `[{"login":"v"}]`, "string": `"v"`, "trailing": `{"login":"v"} x`} {
			a := send(t, srv, "POST", "/client/@me/user/"+kind+"/", tok, raw)
			assert.Equal(t, http.StatusBadRequest, a.status, "%s %s", kind, name)
			assert.NotEmpty(t, a.object(t)["message"], "%s %s", kind, name)
		}
		a := exchange(t, http.MethodPost, srv.BaseURL()+"/client/@me/user/"+kind+"/",
			`{"login":"v","name":"n","password":"p","email":"v@example.com","extension_id":1}`,
			"Authorization", "Bearer "+tok, "Content-Type", "text/plain")
		assert.Equal(t, http.StatusUnsupportedMediaType, a.status, kind)
	}

	for name, edit := range map[string]func(map[string]any){
		"missing":  func(m map[string]any) { delete(m, "extension_id") },
		"zero":     func(m map[string]any) { m["extension_id"] = 0 },
		"string":   func(m map[string]any) { m["extension_id"] = "5001" },
		"fraction": func(m map[string]any) { m["extension_id"] = 1.5 },
	} {
		m := valid(true)
		edit(m)
		a := send(t, srv, "POST", "/client/@me/user/extension/", tok, m)
		assert.Equal(t, http.StatusBadRequest, a.status, name)
		assert.Contains(t, a.object(t)["message"], "extension_id", name)
	}
	m := valid(false)
	m["extension_id"] = 5001
	assert.Equal(t, http.StatusBadRequest, send(t, srv, "POST", "/client/@me/user/client/", tok, m).status, "no extension_id for client users")
	m = valid(true)
	m["client_id"] = 12345
	assert.Equal(t, http.StatusBadRequest, send(t, srv, "POST", "/client/@me/user/extension/", tok, m).status, "no client_id for extension users")

	assert.Empty(t, srv.ClientUsers(), "nothing refused was stored")
	assert.Empty(t, srv.ExtensionUsers(), "nothing refused was stored")

	// Defaults for what a create leaves out.
	a := send(t, srv, "POST", "/client/@me/user/client/", tok, valid(false))
	require.Equal(t, http.StatusCreated, a.status, "%s", a.body)
	assert.JSONEq(t, `{"id": 1, "client_id": 12345, "login": "v", "name": "Valid", "email": "v@example.com",
		"comment": "", "access": "full", "status": "active", "extra_params": "", "timezone": ""}`, string(a.body))
}

func TestUpdateValidation(t *testing.T) {
	srv, tok := newServer(t)
	srv.AddClientUser(clientuser.User{ID: 1, Login: "c", Name: "C", Email: "c@example.com", Access: clientuser.AccessFull, Status: clientuser.StatusActive}, "pw")
	srv.AddExtensionUser(0, extensionuser.User{ID: 2, ExtensionID: 5001, Login: "e", Name: "E", Email: "e@example.com"}, "pw")
	for _, tc := range []struct {
		path string
		body any
	}{
		{"/client/@me/user/client/1", map[string]any{"name": ""}},
		{"/client/@me/user/client/1", map[string]any{"password": ""}},
		{"/client/@me/user/client/1", map[string]any{"email": "nope"}},
		{"/client/@me/user/client/1", map[string]any{"access": "root"}},
		{"/client/@me/user/client/1", map[string]any{"status": "gone"}},
		{"/client/@me/user/client/1", map[string]any{"email_notify": true}},
		{"/client/@me/user/client/1", map[string]any{"extension_id": 5002}},
		{"/client/@me/user/client/1", map[string]any{"client_id": 12345}},
		{"/client/@me/user/client/1", `{"name": "x"`},
		{"/client/@me/user/extension/2", map[string]any{"extension_id": -3}},
		{"/client/@me/user/extension/2", map[string]any{"email_for_notify": "a@example.com"}},
		{"/client/@me/user/extension/2", map[string]any{"comment": 5}},
	} {
		a := send(t, srv, "PUT", tc.path, tok, tc.body)
		assert.Equal(t, http.StatusBadRequest, a.status, "%s %v: %s", tc.path, tc.body, a.body)
	}
	c, _ := srv.ClientUser(1)
	assert.Equal(t, "C", c.Name)
	e, _, _ := srv.ExtensionUser(2)
	assert.Equal(t, int64(5001), e.ExtensionID)
}

func TestLoginsAreUniqueAcrossKinds(t *testing.T) {
	srv, tok := newServer(t)
	srv.AddClient(777)
	user := func(login string) map[string]any {
		return map[string]any{"login": login, "name": "N", "password": "p", "email": "n@example.com", "extension_id": 5001}
	}
	clientBody := user("operator")
	delete(clientBody, "extension_id")
	a := send(t, srv, "POST", "/client/@me/user/client/", tok, clientBody)
	require.Equal(t, http.StatusCreated, a.status)

	conflict := `{"message": "Login already exists", "status": "login_exists"}`
	a = send(t, srv, "POST", "/client/@me/user/extension/", tok, user("OPERATOR"))
	assert.Equal(t, http.StatusConflict, a.status)
	assert.JSONEq(t, conflict, string(a.body))
	a = send(t, srv, "POST", "/client/777/user/client/", tok, clientBody)
	assert.Equal(t, http.StatusConflict, a.status, "logins are unique across clients too")
	assert.JSONEq(t, conflict, string(a.body))
	assert.Empty(t, srv.ExtensionUsers())

	require.Equal(t, http.StatusNoContent, send(t, srv, "DELETE", "/client/@me/user/client/1", tok, nil).status)
	a = send(t, srv, "POST", "/client/@me/user/extension/", tok, user("operator"))
	assert.Equal(t, http.StatusCreated, a.status, "a deleted user's login is free: %s", a.body)

	assert.Panics(t, func() { srv.AddClientUser(clientuser.User{Login: "Operator"}, "pw") })
	assert.Panics(t, func() { srv.AddExtensionUser(0, extensionuser.User{Login: ""}, "pw") })
}

func TestConcurrentCreatesOfOneLogin(t *testing.T) {
	srv, tok := newServer(t)
	const n = 16
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			kind := []string{"client", "extension"}[i%2]
			body := fmt.Sprintf(`{"login":"same","name":"N","password":"p","email":"n@example.com"%s}`,
				map[bool]string{true: `,"extension_id":5001`}[kind == "extension"])
			req, err := http.NewRequest(http.MethodPost, srv.BaseURL()+"/client/@me/user/"+kind+"/", strings.NewReader(body))
			if err != nil {
				return
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	created, conflicts := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
		}
	}
	assert.Equal(t, 1, created)
	assert.Equal(t, n-1, conflicts)
	assert.Equal(t, 1, len(srv.ClientUsers())+len(srv.ExtensionUsers()))
}

func TestClientUserFilters(t *testing.T) {
	srv, tok := newServer(t)
	for i, login := range []string{"a", "b", "c"} {
		srv.AddClientUser(clientuser.User{ID: int64(i + 1), Login: login, Name: "N", Email: login + "@example.com"}, "pw")
	}
	srv.AddClient(777)
	srv.AddClientUser(clientuser.User{ID: 4, ClientID: 777, Login: "d"}, "pw")
	for query, want := range map[string][]int64{
		"":                 {1, 2, 3},
		"login=a&login=c":  {1, 3},
		"id=2&id=3":        {2, 3},
		"id=02":            {2},
		"login=a&id=1":     {1},
		"login=a&id=3":     {},
		"login=A":          {},
		"login=d":          {},
		"login=a%2Cb":      {},
		"id=9":             {},
		"login=b&login=zz": {2},
	} {
		a := send(t, srv, "GET", "/client/@me/user/client/?"+query, tok, nil)
		require.Equal(t, http.StatusOK, a.status, "%s: %s", query, a.body)
		assert.Equal(t, want, a.ids(t), query)
	}
	for _, query := range []string{"id=abc", "id=1,2", "login[]=a", "page=0", "per_page=x", "email=a@example.com", "extension_id=1"} {
		a := send(t, srv, "GET", "/client/@me/user/client/?"+query, tok, nil)
		assert.Equal(t, http.StatusBadRequest, a.status, query)
		assert.NotEmpty(t, a.object(t)["message"], query)
	}
}

func TestListPaging(t *testing.T) {
	srv, tok := newServer(t)
	for i := range 7 {
		srv.AddClientUser(clientuser.User{Login: "c" + strconv.Itoa(i)}, "pw")
		srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "e" + strconv.Itoa(i), Access: "full"}, "pw")
	}
	srv.AddClientUser(clientuser.User{ClientID: 777, Login: "other"}, "pw")
	clientIDs, extIDs := []int64{}, []int64{}
	for _, u := range srv.ClientUsers() {
		if u.ClientID == clientusertest.DefaultClientID {
			clientIDs = append(clientIDs, u.ID)
		}
	}
	for _, u := range srv.ExtensionUsers() {
		extIDs = append(extIDs, u.ID)
	}
	require.Len(t, clientIDs, 7)
	for query, want := range map[string][]int64{
		"page=1&per_page=3":                   clientIDs[0:3],
		"page=2&per_page=3":                   clientIDs[3:6],
		"page=3&per_page=3":                   clientIDs[6:7],
		"page=4&per_page=3":                   {},
		"per_page=2":                          clientIDs[0:2],
		"page=1":                              clientIDs,
		"page=2":                              {},
		"page=1&per_page=7":                   clientIDs,
		"page=2&per_page=7":                   {},
		"page=9223372036854775807&per_page=3": {},
		"page=2&per_page=9223372036854775807": {},
		"page=1&per_page=9223372036854775807": clientIDs,
		// Paging applies to the filtered list.
		"id=" + strconv.FormatInt(clientIDs[1], 10) + "&id=" + strconv.FormatInt(clientIDs[4], 10) + "&id=" + strconv.FormatInt(clientIDs[5], 10) + "&page=2&per_page=2": {clientIDs[5]},
	} {
		a := send(t, srv, "GET", "/client/@me/user/client/?"+query, tok, nil)
		require.Equal(t, http.StatusOK, a.status, "%s: %s", query, a.body)
		assert.Equal(t, want, a.ids(t), query)
	}
	a := send(t, srv, "GET", "/client/@me/user/extension/?access=full&page=3&per_page=3", tok, nil)
	require.Equal(t, http.StatusOK, a.status, "%s", a.body)
	assert.Equal(t, extIDs[6:7], a.ids(t))

	for _, query := range []string{"page=0", "page=-1", "page=x", "page=", "per_page=0", "per_page=1.5", "page=1&page=2", "per_page=99999999999999999999"} {
		a := send(t, srv, "GET", "/client/@me/user/extension/?"+query, tok, nil)
		assert.Equal(t, http.StatusBadRequest, a.status, query)
		assert.Contains(t, a.object(t)["message"], "must be a positive integer", query)
	}

	srv.IgnorePaging(true)
	for _, query := range []string{"page=2&per_page=3", "page=9&per_page=1", "per_page=2"} {
		a := send(t, srv, "GET", "/client/@me/user/client/?"+query, tok, nil)
		require.Equal(t, http.StatusOK, a.status, "%s: %s", query, a.body)
		assert.Equal(t, clientIDs, a.ids(t), "ignored: %s", query)
	}
	a = send(t, srv, "GET", "/client/@me/user/client/?page=0", tok, nil)
	assert.Equal(t, http.StatusBadRequest, a.status, "still checked")
	srv.IgnorePaging(false)
	a = send(t, srv, "GET", "/client/@me/user/client/?page=2&per_page=3", tok, nil)
	assert.Equal(t, clientIDs[3:6], a.ids(t))
}

func TestExtensionUserFilters(t *testing.T) {
	srv, tok := newServer(t)
	users := []extensionuser.User{
		{ID: 1, ExtensionID: 5001, Login: "e1", Name: "Reception", Email: "r@example.com", Comment: "front", Access: "full", Status: "active", Timezone: "Europe/Moscow"},
		{ID: 2, ExtensionID: 5002, Login: "e2", Name: "Sales", Email: "s@example.com", Comment: "", Access: "read_only", Status: "active", Timezone: "Asia/Omsk"},
		{ID: 3, ExtensionID: 5002, Login: "e3", Name: "Night", Email: "n@example.com", Comment: "back", Access: "full", Status: "blocked", Timezone: "Asia/Omsk"},
	}
	for _, u := range users {
		srv.AddExtensionUser(0, u, "pw")
	}
	srv.AddExtensionUser(777, extensionuser.User{ID: 4, ExtensionID: 6001, Login: "other", Status: "active"}, "pw")
	for query, want := range map[string][]int64{
		"":                                 {1, 2, 3},
		"id=1&id=3":                        {1, 3},
		"extension_id=5002":                {2, 3},
		"extension_id=6001":                {},
		"login=e2":                         {2},
		"name=Night":                       {3},
		"email=r%40example.com":            {1},
		"comment=":                         {2},
		"comment=front&comment=back":       {1, 3},
		"access=read_only":                 {2},
		"status=blocked":                   {3},
		"status=active&status=blocked":     {1, 2, 3},
		"timezone=Asia%2FOmsk":             {2, 3},
		"timezone=Asia%2FOmsk&access=full": {3},
		"extension_id=5001&extension_id=5002&status=active&access=full&access=read_only&login=e1&login=e2": {1, 2},
	} {
		a := send(t, srv, "GET", "/client/@me/user/extension/?"+query, tok, nil)
		require.Equal(t, http.StatusOK, a.status, "%s: %s", query, a.body)
		assert.Equal(t, want, a.ids(t), query)
	}
	for _, query := range []string{"extension_id=x", "id=", "status[]=active", "page=-1", "client_id=1", "extra_params=x"} {
		a := send(t, srv, "GET", "/client/@me/user/extension/?"+query, tok, nil)
		assert.Equal(t, http.StatusBadRequest, a.status, query)
	}
	a := send(t, srv, "GET", "/client/777/user/extension/", tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, []int64{4}, a.ids(t))
}

func TestRateLimit(t *testing.T) {
	srv, tok := newServer(t)
	a := send(t, srv, "GET", "/client/@me/user/client/", tok, nil)
	assert.Equal(t, strconv.Itoa(clientusertest.DefaultRateLimit), a.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, strconv.Itoa(clientusertest.DefaultRateLimit-1), a.header.Get("X-RateLimit-Remaining"))
	reset, err := strconv.Atoi(a.header.Get("X-RateLimit-Reset"))
	require.NoError(t, err)
	assert.True(t, reset > 0 && reset <= 3600, "reset %d", reset)

	// Half an hour before the end of the window.
	c := newClock(srv, time.Date(2024, 5, 1, 10, 30, 0, 0, time.UTC))
	tok = srv.IssueToken()
	srv.SetRateLimit(3)
	headers := func(a answer) [3]string {
		return [3]string{a.header.Get("X-RateLimit-Limit"), a.header.Get("X-RateLimit-Remaining"), a.header.Get("X-RateLimit-Reset")}
	}

	assert.Equal(t, [3]string{"3", "2", "1800"}, headers(send(t, srv, "GET", "/client/@me/user/client/", tok, nil)))
	c.add(10 * time.Second)
	a = send(t, srv, "POST", "/client/@me/user/client/", tok, map[string]any{"login": "x", "name": "N", "password": "p", "email": "x@example.com"})
	assert.Equal(t, http.StatusCreated, a.status)
	assert.Equal(t, [3]string{"3", "1", "1790"}, headers(a))

	// Refused tokens do not spend the budget but still see the headers.
	a = send(t, srv, "GET", "/client/@me/user/client/", "", nil)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, [3]string{"3", "1", "1790"}, headers(a))

	c.add(500 * time.Millisecond)
	a = send(t, srv, "GET", "/client/@me/user/nothing-here", tok, nil)
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.Equal(t, [3]string{"3", "0", "1790"}, headers(a), "reset rounds up")

	for _, method := range []string{"GET", "DELETE"} {
		a = send(t, srv, method, "/client/@me/user/client/1", tok, nil)
		assert.Equal(t, http.StatusTooManyRequests, a.status)
		assert.Equal(t, "rate_limit_exceeded", a.object(t)["status"])
		assert.NotEmpty(t, a.object(t)["message"])
		assert.Equal(t, [3]string{"3", "0", "1790"}, headers(a))
	}
	_, ok := srv.ClientUser(1)
	assert.True(t, ok, "the refused DELETE was not carried out")

	tokAnswer := postToken(t, srv, credentialsForm(srv), "", "")
	assert.Equal(t, http.StatusOK, tokAnswer.status, "the token endpoint has no hourly budget")
	assert.Empty(t, tokAnswer.header.Get("X-RateLimit-Limit"))

	c.set(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC))
	a = send(t, srv, "GET", "/client/@me/user/client/1", tok, nil)
	assert.Equal(t, http.StatusUnauthorized, a.status, "the token outlived its hour")
	tok = srv.IssueToken()
	a = send(t, srv, "GET", "/client/@me/user/client/1", tok, nil)
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, [3]string{"3", "2", "3600"}, headers(a), "a new hour, a new budget")

	srv.SetRateLimit(0)
	a = send(t, srv, "GET", "/client/@me/user/client/1", tok, nil)
	assert.Equal(t, http.StatusTooManyRequests, a.status)
	assert.Equal(t, "0", a.header.Get("X-RateLimit-Remaining"))
}

func TestRoutes(t *testing.T) {
	srv, tok := newServer(t)
	srv.AddClientUser(clientuser.User{ID: 1, Login: "a"}, "pw")
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/client/@me/user/client", http.StatusNotFound},
		{"POST", "/client/@me/user/extension", http.StatusNotFound},
		{"GET", "/client/@me/user/client/1/", http.StatusNotFound},
		{"GET", "/client/@me/user/client//", http.StatusNotFound},
		{"GET", "/client/@me/user/../user/client/", http.StatusNotFound},
		{"GET", "/client/@me/user/other/", http.StatusNotFound},
		{"GET", "/client/@me/", http.StatusNotFound},
		{"DELETE", "/client/@me/user/client/", http.StatusMethodNotAllowed},
		{"PUT", "/client/@me/user/extension/", http.StatusMethodNotAllowed},
		{"POST", "/client/@me/user/client/1", http.StatusMethodNotAllowed},
		{"PATCH", "/client/@me/user/extension/1", http.StatusMethodNotAllowed},
	} {
		a := send(t, srv, tc.method, tc.path, tok, nil)
		assert.Equal(t, tc.status, a.status, "%s %s", tc.method, tc.path)
		assert.NotEmpty(t, a.object(t)["message"], "%s %s", tc.method, tc.path)
		assert.NotEmpty(t, a.header.Get("X-RateLimit-Limit"), "%s %s", tc.method, tc.path)
	}
	assert.Equal(t, "GET, POST", send(t, srv, "DELETE", "/client/@me/user/client/", tok, nil).header.Get("Allow"))

	for _, p := range []string{"/", "/api/", "/api/ver2.0/client/@me/user/client/", "/oauth/authorize"} {
		assert.Equal(t, http.StatusNotFound, exchange(t, http.MethodGet, srv.URL+p, nil).status, p)
	}
}

func TestInjectedFaults(t *testing.T) {
	srv, tok := newServer(t)
	body := map[string]any{"login": "f", "name": "N", "password": "p", "email": "f@example.com"}

	srv.FailNext(1, http.StatusServiceUnavailable, "7")
	a := send(t, srv, "POST", "/client/@me/user/client/", tok, body)
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "7", a.header.Get("Retry-After"))
	assert.Empty(t, srv.ClientUsers(), "a faulted request is not handled")

	a = send(t, srv, "POST", "/client/@me/user/client/", tok, body)
	assert.Equal(t, http.StatusCreated, a.status)
	assert.Equal(t, 1, srv.FaultsInjected())

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/api/ver1.0/client/@me/user/client/", reqs[0].Path)
	assert.Equal(t, "Bearer "+tok, reqs[0].Header.Get("Authorization"))
	assert.JSONEq(t, `{"login": "f", "name": "N", "password": "p", "email": "f@example.com"}`, string(reqs[1].Body))

	// A create that takes effect while the client sees a broken connection.
	body["login"] = "g"
	body["extension_id"] = 5001
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	srv.Inject(1, clientusertest.Fault{DropAfterHandling: true, Method: http.MethodPost})
	req, err := http.NewRequest(http.MethodPost, srv.BaseURL()+"/client/@me/user/extension/", bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	users := srv.ExtensionUsers()
	require.Len(t, users, 1)
	assert.Equal(t, "g", users[0].Login)
}

func TestSeedingAndReading(t *testing.T) {
	srv, tok := newServer(t)
	c := srv.AddClientUser(clientuser.User{ID: 100, Login: "seeded", Name: "S", Email: "s@example.com", Access: clientuser.AccessReadOnly, Status: clientuser.StatusActive}, "pw-1")
	assert.Equal(t, clientusertest.DefaultClientID, c.ClientID, "ClientID 0 is the owner's client")
	e := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "ext"}, "pw-2")
	assert.Equal(t, int64(101), e.ID, "ids continue after the largest seeded one")

	a := send(t, srv, "GET", "/client/@me/user/client/100", tok, nil)
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, `{"id": 100, "client_id": 12345, "login": "seeded", "name": "S", "email": "s@example.com",
		"comment": "", "access": "read_only", "status": "active", "extra_params": "", "timezone": ""}`, string(a.body))

	a = send(t, srv, "POST", "/client/@me/user/client/", tok, map[string]any{"login": "n", "name": "N", "password": "p", "email": "n@example.com"})
	require.Equal(t, http.StatusCreated, a.status)
	assert.Equal(t, float64(102), a.object(t)["id"], "one id sequence for both kinds")

	assert.Equal(t, []string{"seeded", "n"}, loginsOf(srv.ClientUsers()))
	require.Len(t, srv.ExtensionUsers(), 1)
	pw, ok := srv.Password(101)
	assert.True(t, ok)
	assert.Equal(t, "pw-2", pw)
	_, ok = srv.Password(555)
	assert.False(t, ok)
	_, ok = srv.ClientUser(101)
	assert.False(t, ok, "101 is an extension user")
	_, _, ok = srv.ExtensionUser(100)
	assert.False(t, ok, "100 is a client user")

	// Seeding a client that does not exist yet adds it.
	srv.AddExtensionUser(888, extensionuser.User{ExtensionID: 7001, Login: "far"}, "pw")
	assert.Equal(t, http.StatusOK, send(t, srv, "GET", "/client/888/user/extension/", tok, nil).status)
	assert.Panics(t, func() { srv.AddExtensionUser(888, extensionuser.User{ExtensionID: 5001, Login: "clash"}, "pw") })
}

func loginsOf(us []clientuser.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Login)
	}
	return out
}
