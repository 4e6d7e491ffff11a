package extensionusertest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func TestExtensionUsersWithBasicClientAuth(t *testing.T) {
	srv := extensionusertest.NewServer()
	defer srv.Close()

	basic := base64.StdEncoding.EncodeToString([]byte(srv.AppID() + ":" + srv.Secret()))
	status, _, raw := fuzzkit.Send(t, nil, http.MethodPost, srv.TokenURL(), url.Values{"grant_type": {"client_credentials"}}.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic "+basic)
	var tok struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
	}
	require.NoError(t, json.Unmarshal(raw, &tok))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "Bearer", tok.TokenType)

	// do sends a request with the token, and body as JSON when it is not empty.
	do := func(method, u, body string) (int, string) {
		header := []string{"Authorization", "Bearer " + tok.AccessToken}
		var b any
		if body != "" {
			b, header = body, append(header, "Content-Type", "application/json")
		}
		status, _, got := fuzzkit.Send(t, nil, method, u, b, header...)
		return status, string(got)
	}

	seeded := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "reception", Name: "Reception",
		Email: "r@example.com", Access: extensionuser.AccessFull, Status: extensionuser.StatusActive}, "pw")
	srv.AddClientUser(clientuser.User{Login: "admin", Name: "Admin", Email: "a@example.com"}, "pw")

	base := srv.BaseURL() + "/client/12345/user/extension/"
	status, body := do("POST", base,
		`{"extension_id":5002,"login":"sales","name":"Sales","password":"pw","email":"s@example.com","status":"blocked"}`)
	require.Equal(t, http.StatusCreated, status, body)
	var created extensionuser.User
	require.NoError(t, json.Unmarshal([]byte(body), &created))
	assert.Equal(t, int64(5002), created.ExtensionID)
	assert.Equal(t, extensionuser.StatusBlocked, created.Status)
	assert.Equal(t, extensionuser.AccessFull, created.Access, "the default access")

	status, body = do("GET", base+"?extension_id=5001&extension_id=5002&status=active", "")
	require.Equal(t, http.StatusOK, status)
	var list []extensionuser.User
	require.NoError(t, json.Unmarshal([]byte(body), &list))
	assert.Equal(t, []extensionuser.User{seeded}, list)

	status, body = do("GET", srv.BaseURL()+"/client/@me/user/client/", "")
	require.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"admin"`, "client users live on the same server")

	srv.SetRateLimit(0)
	status, body = do("DELETE", base+"1", "")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Contains(t, body, `"rate_limit_exceeded"`)
	srv.SetRateLimit(10)
	status, _ = do("DELETE", base+"1", "")
	assert.Equal(t, http.StatusNoContent, status)
	status, body = do("DELETE", base+"1", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.JSONEq(t, `{"message":"Record not found"}`, body)
}
