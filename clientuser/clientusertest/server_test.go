package clientusertest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
)

func do(t *testing.T, method, u, token, body string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestClientUsersThroughOAuth(t *testing.T) {
	srv := clientusertest.NewServer()
	defer srv.Close()

	resp, err := http.PostForm(srv.URL+"/oauth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {srv.AppID()}, "client_secret": {srv.Secret()},
	})
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 3600, tok.ExpiresIn)
	assert.Equal(t, 1, srv.TokenRequests())

	base := srv.URL + "/api/ver1.0/client/@me/user/client/"
	assert.Equal(t, srv.URL+"/api/ver1.0", srv.BaseURL())
	status, hdr, body := do(t, "POST", base, tok.AccessToken,
		`{"login":"auditor","name":"Olga","password":"pw","email":"olga@example.com","access":"read_only"}`)
	require.Equal(t, http.StatusCreated, status, body)
	assert.NotEmpty(t, hdr.Get("X-RateLimit-Remaining"))
	users := srv.ClientUsers()
	require.Len(t, users, 1)
	assert.Equal(t, clientuser.AccessReadOnly, users[0].Access)
	assert.Equal(t, clientusertest.DefaultClientID, users[0].ClientID)

	status, _, body = do(t, "GET", base+"?login=auditor&login=nobody", tok.AccessToken, "")
	require.Equal(t, http.StatusOK, status)
	var list []clientuser.User
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	assert.Equal(t, users, list)

	// The same server holds extension users, and logins are shared.
	status, _, body = do(t, "POST", srv.BaseURL()+"/client/@me/user/extension/", tok.AccessToken,
		`{"extension_id":5001,"login":"auditor","name":"Olga","password":"pw","email":"olga@example.com"}`)
	assert.Equal(t, http.StatusConflict, status)
	assert.JSONEq(t, `{"message":"Login already exists","status":"login_exists"}`, body)

	srv.Inject(1, clientusertest.Fault{Status: http.StatusBadGateway, Method: http.MethodGet})
	status, _, _ = do(t, "GET", base, tok.AccessToken, "")
	assert.Equal(t, http.StatusBadGateway, status)

	srv.ExpireTokens()
	status, _, body = do(t, "GET", base, tok.AccessToken, "")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, body, `"access_denied"`)
}
