package iotuser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	const password = "pa55-Secret-word"
	login := loginTokens(t)
	secrets := []string{password, login.AccessToken, login.RefreshToken, refreshedAccess(t), testToken}

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var texts []string
	collect := func(err error) {
		require.Error(t, err)
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}

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
		WithHTTPClient(rec.Client()), WithLogger(logger), WithoutRetries())
	require.NoError(t, err)

	_, err = c.Get(context.Background(), 2)
	collect(err)
	_, err = c.Get(context.Background(), 999)
	collect(err)
	// Bad input quotes no password either.
	_, err = c.Create(context.Background(), &CreateRequest{Login: "x", Password: password + "\n"})
	collect(err)

	require.NotEmpty(t, logs.String(), "debug logging must produce lines")
	texts = append(texts, logs.String(),
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%+v", *c),
		fmt.Sprintf("%+v", WithLogin("test-user", password)), fmt.Sprintf("%+v", c.Tokens()),
		fmt.Sprintf("%+v", loginRequest{Login: "x", Password: password}),
		fmt.Sprintf("%#v", refreshRequest{RefreshToken: login.RefreshToken}))
	for _, s := range texts {
		for _, secret := range secrets {
			assert.NotContains(t, s, secret)
		}
	}
	assert.True(t, errors.Is(err, ErrInvalidInput))
}

func TestTokenRequestsAreRedacted(t *testing.T) {
	const password = "pa55-Secret-word"
	for _, v := range []any{loginRequest{Login: "x", Password: password}, refreshRequest{RefreshToken: password}} {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("req", "body", v)
		for _, s := range []string{buf.String(), fmt.Sprintf("%v", v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v)} {
			assert.NotContains(t, s, password)
		}
	}
}
