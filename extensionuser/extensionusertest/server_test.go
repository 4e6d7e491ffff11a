package extensionusertest_test

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
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
)

func do(t *testing.T, method, u, token, body string) (int, string) {
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
	return resp.StatusCode, string(b)
}

func TestExtensionUsersWithBasicClientAuth(t *testing.T) {
	srv := extensionusertest.NewServer()
	defer srv.Close()

	req, err := http.NewRequest(http.MethodPost, srv.TokenURL(), strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(srv.AppID(), srv.Secret())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&tok))
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "Bearer", tok.TokenType)

	seeded := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "reception", Name: "Reception",
		Email: "r@example.com", Access: extensionuser.AccessFull, Status: extensionuser.StatusActive}, "pw")
	srv.AddClientUser(clientuser.User{Login: "admin", Name: "Admin", Email: "a@example.com"}, "pw")

	base := srv.BaseURL() + "/client/12345/user/extension/"
	status, body := do(t, "POST", base, tok.AccessToken,
		`{"extension_id":5002,"login":"sales","name":"Sales","password":"pw","email":"s@example.com","status":"blocked"}`)
	require.Equal(t, http.StatusCreated, status, body)
	var created extensionuser.User
	require.NoError(t, json.Unmarshal([]byte(body), &created))
	assert.Equal(t, int64(5002), created.ExtensionID)
	assert.Equal(t, extensionuser.StatusBlocked, created.Status)
	assert.Equal(t, extensionuser.AccessFull, created.Access, "the default access")

	status, body = do(t, "GET", base+"?extension_id=5001&extension_id=5002&status=active", tok.AccessToken, "")
	require.Equal(t, http.StatusOK, status)
	var list []extensionuser.User
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	assert.Equal(t, []extensionuser.User{seeded}, list)

	status, body = do(t, "GET", srv.BaseURL()+"/client/@me/user/client/", tok.AccessToken, "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"admin"`, "client users live on the same server")

	srv.SetRateLimit(0)
	status, body = do(t, "DELETE", base+"1", tok.AccessToken, "")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Contains(t, body, `"rate_limit_exceeded"`)
	srv.SetRateLimit(10)
	status, _ = do(t, "DELETE", base+"1", tok.AccessToken, "")
	assert.Equal(t, http.StatusNoContent, status)
	status, body = do(t, "DELETE", base+"1", tok.AccessToken, "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.JSONEq(t, `{"message":"Record not found"}`, body)
}
