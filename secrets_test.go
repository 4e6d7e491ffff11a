package usersdk_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
)

// Credentials the echo server hands out and the clients are given.
const (
	echoBearer   = "static-Bearer-token-1"
	echoIssued   = "issued-Access-token-2"
	echoPassword = "login-Pa55word-3"
	echoSecret   = "client-Secret-4"
)

// newEchoServer issues echoIssued from the Telphin and DeviceHive token endpoints and
// refuses every other request with a 400 whose message quotes the Authorization header
// it received, the user and password a Basic header encodes, and the request body, as a
// proxy's or a framework's debug answer may.
func newEchoServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/oauth/token":
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":3600}`, echoIssued)
			return
		case "/auth/token":
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"accessToken":%q,"refreshToken":"refresh-5"}`, echoIssued)
			return
		}
		body, _ := io.ReadAll(r.Body)
		msg := "refused: Authorization: " + r.Header.Get("Authorization")
		if user, password, ok := r.BasicAuth(); ok {
			msg += " (user " + user + ", password " + password + ")"
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":%q}`, msg+"; body: "+string(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// An answer that echoes the request shows no credential of any family's kind: the secret
// parts of the Authorization header are redacted in the error's message and body, and the
// rest of the answer is kept.
func TestEchoedCredentialsAreRedacted(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("api-user:" + echoPassword))
	for name, tc := range map[string]struct {
		call    func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error
		secrets []string
	}{
		"backoffice bearer token": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := backoffice.New(backoffice.WithBaseURL(url), backoffice.WithToken(echoBearer), backoffice.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, 1)
			return err
		}, []string{echoBearer}},
		"iotuser token from a login": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := iotuser.New(iotuser.WithBaseURL(url+"/api"), iotuser.WithAuthURL(url+"/auth"),
				iotuser.WithLogin("iot-user", echoPassword), iotuser.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, 1)
			return err
		}, []string{echoIssued, echoPassword}},
		"iotuser persisted token": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := iotuser.New(iotuser.WithBaseURL(url+"/api"), iotuser.WithTokens(echoBearer, ""), iotuser.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, 1)
			return err
		}, []string{echoBearer}},
		"accountuser basic": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := accountuser.New(accountuser.WithBaseURL(url), accountuser.WithBasicAuth("api-user", echoPassword), accountuser.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, 1)
			return err
		}, []string{echoPassword, basic}},
		"clientuser client credentials": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := clientuser.New(clientuser.WithBaseURL(url+"/api/ver1.0"), clientuser.WithClientCredentials("app", echoSecret), clientuser.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, "@me", 1)
			return err
		}, []string{echoIssued, echoSecret}},
		"extensionuser bearer token": {func(ctx context.Context, url string, leaks *fuzzkit.Leaks) error {
			c, err := extensionuser.New(extensionuser.WithBaseURL(url+"/api/ver1.0"), extensionuser.WithToken(echoBearer), extensionuser.WithLogger(leaks.Logger))
			require.NoError(t, err)
			_, err = c.Get(ctx, "@me", 1)
			return err
		}, []string{echoBearer}},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newEchoServer(t)
			leaks := fuzzkit.NewLeaks()
			err := tc.call(t.Context(), srv.URL, leaks)
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.True(t, strings.HasPrefix(apiErr.Message, "refused: Authorization: "), "the rest of the answer is kept: %q", apiErr.Message)
			assert.Contains(t, apiErr.Message, "[REDACTED]", "the echo is there, redacted")
			leaks.Error(t, err)
			leaks.Check(t, tc.secrets...)
		})
	}
}

// A token no header can carry (read from a file with its line break, say) is refused by
// New with a *ValidationError naming the option, before anything is sent; the error does
// not quote the token.
func TestNewRefusesATokenWithAControlCharacter(t *testing.T) {
	const token = "file-Token-7"
	for name, tc := range map[string]struct {
		newClient func() error
		option    string
	}{
		"backoffice": {func() error {
			_, err := backoffice.New(backoffice.WithBaseURL("https://api.test"), backoffice.WithToken(token+"\n"))
			return err
		}, "WithToken"},
		"clientuser": {func() error {
			_, err := clientuser.New(clientuser.WithBaseURL("https://api.test"), clientuser.WithToken(token+"\r\n"))
			return err
		}, "WithToken"},
		"extensionuser": {func() error {
			_, err := extensionuser.New(extensionuser.WithBaseURL("https://api.test"), extensionuser.WithToken(token+"\n"))
			return err
		}, "WithToken"},
		"iotuser access token": {func() error {
			_, err := iotuser.New(iotuser.WithBaseURL("https://api.test"), iotuser.WithTokens(token+"\n", ""))
			return err
		}, "WithTokens"},
		"iotuser refresh token": {func() error {
			_, err := iotuser.New(iotuser.WithBaseURL("https://api.test"), iotuser.WithTokens("", token+"\n"))
			return err
		}, "WithTokens"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.newClient()
			var verr *usersdk.ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tc.option, verr.Field)
			assert.Contains(t, verr.Reason, "control character")
			assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
			assert.NotContains(t, err.Error(), token)
		})
	}
}
