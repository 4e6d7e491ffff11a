package recorder_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/recorder"
)

// Every secret the traffic below carries, in every place a secret can hide.
var secrets = []string{
	"Pw-Secret-1",       // JSON password
	"Old-Secret-2",      // nested JSON oldPassword
	"Key-Secret-3",      // JSON apiKey inside an array
	"Access-Secret-4",   // accessToken in an answer, then a bearer header
	"Refresh-Secret-5",  // refreshToken in an answer
	"Cookie-Secret-6",   // Set-Cookie, then Cookie
	"Client-Secret-7",   // form client_secret
	"Form-Pw-8",         // form password
	"Basic-Pw-9",        // Basic credentials
	"Query-Secret-10",   // query token
	"Nested-Secret-11",  // secret in an answer's array of objects
	"Cred-Secret-12",    // inside a secret-named object
	"Refresh-Secret-13", // refresh_token in a request, echoed by the server
	"Header-Secret-14",  // X-Api-Key header
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXJ5In0.c2lnbmF0dXJlLXNlY3JldA", // a JWT under an innocent name
	"Extra-Secret-15", // a name added with WithSecretNames
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// leakyServer answers with secrets in their usual places and some unusual ones.
func leakyServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "Cookie-Secret-6", Path: "/"})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"accessToken":"Access-Secret-4","refreshToken":"Refresh-Secret-5","tokenType":"Bearer","expiresIn":3600,
			"user":{"name":"Mary Major","email":"mary@example.com"},"note":"signed in with Pw-Secret-1"}`)
	})
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXJ5In0.c2lnbmF0dXJlLXNlY3JldA","token_type":"bearer","expires_in":3600}`)
	})
	mux.HandleFunc("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"users":[{"name":"Mary Major","email":"mary@example.com","secret":"Nested-Secret-11",
			"credentials":{"kind":"Cred-Secret-12","ttl":3}}],"lookup":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXJ5In0.c2lnbmF0dXJlLXNlY3JldA"}`)
	})
	mux.HandleFunc("PATCH /api/v2/users/7", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"message":"refresh token Refresh-Secret-13 is not yours","email":"mary@example.com"}`)
	})
	mux.HandleFunc("POST /api/v2/keys", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "created for Mary Major with Extra-Secret-15")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func send(t *testing.T, c *http.Client, method, target, contentType, body string, headers ...string) {
	t.Helper()
	if contentType != "" {
		headers = append([]string{"Content-Type", contentType}, headers...)
	}
	fuzzkit.Send(t, c, method, target, body, headers...)
}

func TestNoSecretIsWritten(t *testing.T) {
	srv := leakyServer(t)
	dir := t.TempDir()
	rec := recorder.New(dir, recorder.WithTransport(srv.Client().Transport),
		recorder.WithHeaders("X-Api-Key"), recorder.WithSecretNames("vault"))
	c := &http.Client{Transport: rec}

	send(t, c, "POST", srv.URL+"/login", "application/json",
		`{"login":"mary","password":"Pw-Secret-1","profile":{"oldPassword":"Old-Secret-2"},"devices":[{"apiKey":"Key-Secret-3"},{"name":"phone"}]}`)
	form := url.Values{"client_id": {"app-1"}, "client_secret": {"Client-Secret-7"}, "grant_type": {"password"},
		"username": {"mary"}, "password": {"Form-Pw-8"}}
	send(t, c, "POST", srv.URL+"/oauth/token", "application/x-www-form-urlencoded", form.Encode(),
		"Authorization", basic("app-1", "Basic-Pw-9"))
	send(t, c, "GET", srv.URL+"/api/v2/users?name=Mary+Major&token=Query-Secret-10", "", "",
		"Authorization", "Bearer Access-Secret-4", "Cookie", "session=Cookie-Secret-6", "X-Api-Key", "Header-Secret-14")
	send(t, c, "PATCH", srv.URL+"/api/v2/users/7", "application/json",
		`{"name":"Mary Major","password":"Pw-Secret-1","refresh_token":"Refresh-Secret-13","tags":[{"token":"Refresh-Secret-5"}]}`,
		"Authorization", "Bearer Access-Secret-4")
	send(t, c, "POST", srv.URL+"/api/v2/keys", "application/json", `{"vault":"Extra-Secret-15","owner":"mary@example.com"}`,
		"Proxy-Authorization", basic("proxy", "Basic-Pw-9"))
	require.NoError(t, rec.Err())

	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 5)
	assert.Equal(t, rec.Files(), files, "Files lists what was written, in order")

	var all strings.Builder
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		all.Write(raw)
		for _, s := range append(secrets, base64.StdEncoding.EncodeToString([]byte("app-1:Basic-Pw-9"))) {
			assert.NotContains(t, string(raw), s, "%s holds a secret", filepath.Base(f))
		}
	}
	text := all.String()
	for _, want := range []string{
		`"Mary Major"`, `"mary@example.com"`, `"login": "mary"`, `"app-1"`, // the user's own data stays
		`"token_type": "bearer"`, `"expires_in": 3600`, `"expiresIn": 3600`, `"tokenType": "Bearer"`, // not secrets
		`"Authorization": "Bearer REDACTED"`, `"Authorization": "Basic REDACTED"`, `"Proxy-Authorization": "Basic REDACTED"`,
		`"Cookie": "REDACTED"`, `"Set-Cookie": "REDACTED"`, `"X-Api-Key": "REDACTED"`,
		`"ttl": 0`, // numbers inside a secret object become 0, keeping the type
		`"signed in with REDACTED"`, `"refresh token REDACTED is not yours"`, `with REDACTED"`,
	} {
		assert.Contains(t, text, want)
	}

	exs := fixture.LoadDir(t, dir)
	require.Len(t, exs, 5, "every file loads with internal/fixture")
	assert.Equal(t, "/api/v2/users", exs[2].Request.Path)
	assert.Equal(t, url.Values{"name": {"Mary Major"}, "token": {"REDACTED"}}, exs[2].Request.Query)
	assert.Equal(t, "REDACTED", exs[1].Request.Form.Get("client_secret"))
	assert.Equal(t, "mary", exs[1].Request.Form.Get("username"))
	var login struct {
		Password string
		Profile  struct{ OldPassword string }
		Devices  []map[string]string
	}
	require.NoError(t, json.Unmarshal(exs[0].Request.Body, &login))
	assert.Equal(t, "REDACTED", login.Password)
	assert.Equal(t, "REDACTED", login.Profile.OldPassword)
	assert.Equal(t, []map[string]string{{"apiKey": "REDACTED"}, {"name": "phone"}}, login.Devices)
}

// A secret seen by one exchange is scrubbed from later ones, even under an innocent name.
func TestSecretsSeenEarlierAreScrubbedLater(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/login" {
			fmt.Fprint(w, `{"accessToken":"Issued-Token-77"}`)
			return
		}
		fmt.Fprint(w, `{"debug":"called with Issued-Token-77"}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	c := &http.Client{Transport: recorder.New(dir, recorder.WithTransport(srv.Client().Transport))}
	send(t, c, "POST", srv.URL+"/login", "", "")
	send(t, c, "GET", srv.URL+"/me/Issued-Token-77", "", "")

	exs := fixture.LoadDir(t, dir)
	require.Len(t, exs, 2)
	assert.Equal(t, "/me/REDACTED", exs[1].Request.Path)
	assert.JSONEq(t, `{"debug":"called with REDACTED"}`, string(exs[1].Response.Body))
	names, err := filepath.Glob(filepath.Join(dir, "002-*"))
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "002-get-me-redacted.json")}, names)
}

func TestIsSecretName(t *testing.T) {
	for _, n := range []string{"password", "oldPassword", "new_password", "accessToken", "refreshToken", "access_token",
		"refresh_token", "id_token", "client_secret", "secret", "token", "apiKey", "api_key", "X-Api-Key", "Authorization",
		"Cookie", "sessionId", "PIN", "credentials", "passwd"} {
		assert.True(t, recorder.IsSecretName(n), n)
	}
	for _, n := range []string{"name", "email", "login", "client_id", "token_type", "tokenType", "expires_in",
		"tokenExpiresAt", "id", "grant_type", "username", "pinned", ""} {
		assert.False(t, recorder.IsSecretName(n), n)
	}
}

func TestRedactHeader(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Authorization", "Bearer abc.def", "Bearer REDACTED"},
		{"authorization", basic("u", "p"), "Basic REDACTED"},
		{"Authorization", "rawtoken", "REDACTED"},
		{"Authorization", "Bearer REDACTED", "Bearer REDACTED"},
		{"Proxy-Authorization", "Digest x=1", "Digest REDACTED"},
		{"Cookie", "a=1; b=2", "REDACTED"},
		{"Set-Cookie", "s=1; Path=/", "REDACTED"},
		{"X-Auth-Token", "t", "REDACTED"},
		{"Content-Type", "application/json", "application/json"},
		{"X-Forwarded-Auth", "Bearer zzz", "Bearer REDACTED"},
		{"Authorization", "", ""},
		{"Location", "https://h/cb?access_token=abc&state=x", "https://h/cb?access_token=REDACTED&state=x"},
		{"Location", "https://u:pw@h/next", "https://u:REDACTED@h/next"},
		{"Location", "/api/v2/users/7", "/api/v2/users/7"},
	} {
		assert.Equal(t, tc.want, recorder.RedactHeader(tc.name, tc.in), "%s: %s", tc.name, tc.in)
	}
}

func TestRedactJSON(t *testing.T) {
	got, err := recorder.RedactJSON([]byte(`{"a":{"b":[{"password":"x","n":1}]},"pinCode":1234,"apiKey":{"k":["s",2,true,null]},
		"tokenExpired":true,"big":12345678901234567890,"password":""}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":{"b":[{"password":"REDACTED","n":1}]},"pinCode":1234,"apiKey":{"k":["REDACTED",0,true,null]},
		"tokenExpired":true,"big":12345678901234567890,"password":""}`, string(got))
	assert.Contains(t, string(got), "12345678901234567890", "numbers keep their digits")
	again, err := recorder.RedactJSON(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(got), string(again), "redaction is idempotent")

	_, err = recorder.RedactJSON([]byte(`{"a":1} x`))
	assert.Error(t, err)
}

func TestRedactValues(t *testing.T) {
	in := url.Values{"client_secret": {"s"}, "client_id": {"id"}, "password": {""}, "q": {"Bearer abc"}}
	assert.Equal(t, url.Values{"client_secret": {"REDACTED"}, "client_id": {"id"}, "password": {""}, "q": {"Bearer REDACTED"}},
		recorder.RedactValues(in))
	assert.Equal(t, "s", in.Get("client_secret"), "the input is not changed")
	assert.Nil(t, recorder.RedactValues(nil))
}
