package telphin

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

// How golang.org/x/oauth2 treats Telphin's token endpoint, which the client relies on.

const tokenURL = "https://api.test/oauth/token"

// credentials builds the client-credentials config the Telphin client is meant to use.
func credentials(style oauth2.AuthStyle) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:     "test-app-id",
		ClientSecret: "test-app-secret",
		TokenURL:     tokenURL,
		AuthStyle:    style,
	}
}

func TestTokenExchangeWithCredentialsInForm(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/token.json")
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, rec.Client())

	before := time.Now()
	tok, err := credentials(oauth2.AuthStyleInParams).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "test-token", tok.AccessToken)
	assert.Equal(t, "Bearer", tok.Type())
	assert.Empty(t, tok.RefreshToken, "client credentials bring no refresh token")
	assert.Equal(t, "all", tok.Extra("scope"))
	assert.WithinDuration(t, before.Add(time.Hour), tok.Expiry, 5*time.Second)
}

func TestTokenWithoutExpiryNeverExpiresForOAuth2(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/token_no_expiry.json")
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, rec.Client())

	tok, err := credentials(oauth2.AuthStyleInParams).Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "test-token", tok.AccessToken)
	assert.True(t, tok.Expiry.IsZero(), "no expires_in gives a zero Expiry")
	assert.True(t, tok.Valid(), "oauth2 treats a zero Expiry as never expiring, so only a 401 can renew it")
}

// The default AuthStyle (auto-detect) first sends the credentials as HTTP Basic and only
// falls back to form fields after that request fails: one wasted request per Config.
func TestAutoDetectTriesBasicAuthFirst(t *testing.T) {
	type seen struct {
		basicUser, basicPass string
		hasBasic             bool
		form                 url.Values
	}
	var (
		mu   sync.Mutex
		reqs []seen
	)
	mock := httpmock.NewMockTransport()
	mock.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		var s seen
		s.basicUser, s.basicPass, s.hasBasic = r.BasicAuth()
		s.form = r.PostForm
		mu.Lock()
		reqs = append(reqs, s)
		mu.Unlock()
		if s.hasBasic {
			return httpmock.NewJsonResponse(http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		}
		return httpmock.NewJsonResponse(http.StatusOK, map[string]any{
			"access_token": "test-token", "token_type": "Bearer", "expires_in": 3600, "scope": "all",
		})
	})
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Transport: mock})

	cfg := credentials(oauth2.AuthStyleAutoDetect)
	tok, err := cfg.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, "test-token", tok.AccessToken)

	require.Len(t, reqs, 2)
	assert.True(t, reqs[0].hasBasic)
	assert.Equal(t, "test-app-id", reqs[0].basicUser)
	assert.Equal(t, "test-app-secret", reqs[0].basicPass)
	assert.Equal(t, url.Values{"grant_type": {"client_credentials"}}, reqs[0].form)
	assert.False(t, reqs[1].hasBasic)
	assert.Equal(t, url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {"test-app-id"},
		"client_secret": {"test-app-secret"},
	}, reqs[1].form)

	// The Config remembers the style that worked.
	_, err = cfg.Token(ctx)
	require.NoError(t, err)
	require.Len(t, reqs, 3)
	assert.False(t, reqs[2].hasBasic)
}
