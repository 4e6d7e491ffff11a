package iotuser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	const password = "pa55-Secret-word"
	login := loginTokens(t)
	secrets := []string{password, login.AccessToken, login.RefreshToken, refreshedAccess(t), testToken}

	leaks := fuzzkit.NewLeaks()
	// Rejected everywhere: the call, the refresh and the login all fail.
	loginBody := json.RawMessage(`{"login":"test-user","password":"` + password + `"}`)
	refused := fixture.Load(t, "testdata/login_invalid.json")
	refused.Request.Body = loginBody
	rec := fixture.New(t).Expect("testdata/token_expired.json", "testdata/refresh_expired.json").ExpectExchange(refused)
	// Then a good login and a failing request.
	accepted := fixture.Load(t, "testdata/login.json")
	accepted.Request.Body = loginBody
	rec.ExpectExchange(accepted)
	failing := withToken(t, "testdata/get_not_found.json", login.AccessToken, "")
	rec.ExpectExchange(failing)
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithLogin("test-user", password),
		WithHTTPClient(rec.Client()), WithLogger(leaks.Logger), WithoutRetries())
	require.NoError(t, err)

	_, err = c.Get(context.Background(), 2)
	leaks.Error(t, err)
	_, err = c.Get(context.Background(), 999)
	leaks.Error(t, err)
	// Bad input quotes no password either.
	_, err = c.Create(context.Background(), &CreateRequest{Login: "x", Password: password + "\n"})
	leaks.Error(t, err)

	leaks.Print(c, *c, WithLogin("test-user", password), c.Tokens(),
		loginRequest{Login: "x", Password: password}, refreshRequest{RefreshToken: login.RefreshToken})
	leaks.Check(t, secrets...)
	assert.True(t, errors.Is(err, ErrInvalidInput))
}

func TestTokenRequestsAreRedacted(t *testing.T) {
	const password = "pa55-Secret-word"
	leaks := fuzzkit.NewLeaks()
	leaks.Print(loginRequest{Login: "x", Password: password}, refreshRequest{RefreshToken: password})
	leaks.Check(t, password)
}

// A token endpoint that echoes the request it refused (a proxy's debug page, say) gets
// the password or refresh token back into no error.
func TestEchoedTokenRequestIsRedacted(t *testing.T) {
	const password, refresh = "pa55-Secret-word", "refresh-Secret-token"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":400,"message":%q,"received":%s}`, "refused "+string(body), body)
	}))
	t.Cleanup(echo.Close)
	for name, opt := range map[string]Option{
		"login":   WithLogin("test-user", password),
		"refresh": WithTokens("", refresh),
	} {
		t.Run(name, func(t *testing.T) {
			leaks := fuzzkit.NewLeaks()
			c, err := New(WithBaseURL(echo.URL+"/api/rest"), WithAuthURL(echo.URL+"/auth/rest"), opt,
				WithLogger(leaks.Logger), WithoutRetries())
			require.NoError(t, err)
			_, err = c.Get(context.Background(), 2)
			require.Error(t, err)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "the token endpoint's answer is a typed error")
			assert.Contains(t, apiErr.Message, "refused", "the rest of the message is kept")
			leaks.Error(t, err)
			leaks.Check(t, password, refresh)
		})
	}
}
