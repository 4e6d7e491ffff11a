package iotuser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// loginTokens are the tokens of the login recording; refreshedAccess is the access token
// the refresh recording returns.
func loginTokens(t *testing.T) Tokens {
	t.Helper()
	var tok Tokens
	require.NoError(t, json.Unmarshal(fixture.Load(t, "testdata/login.json").Response.Body, &tok))
	return tok
}

func refreshedAccess(t *testing.T) string {
	t.Helper()
	var tok Tokens
	require.NoError(t, json.Unmarshal(fixture.Load(t, "testdata/refresh.json").Response.Body, &tok))
	return tok.AccessToken
}

// withToken returns a recording with its Authorization header (and path, if given) replaced.
func withToken(t *testing.T, file, token, path string) *fixture.Exchange {
	t.Helper()
	ex := fixture.Load(t, file)
	ex.Request.Headers["Authorization"] = "Bearer " + token
	if path != "" {
		ex.Request.Path = path
	}
	return ex
}

// tokenLog records the callback's calls.
type tokenLog struct {
	mu    sync.Mutex
	calls []Tokens
}

func (l *tokenLog) add(t Tokens) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, t)
}

func (l *tokenLog) all() []Tokens {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Tokens(nil), l.calls...)
}

// A login answered with a token no header can carry fails the call with an *AuthError
// and keeps nothing: Tokens and the callback never see the token, and the next call
// logs in again rather than failing for ever on a token no request can send.
func TestLoginAnsweringAnUnusableTokenIsNotKept(t *testing.T) {
	f := newFakeDH()
	f.lineBreak = 1
	var log tokenLog
	c := fakeClient(t, f, WithLogin("test-user", "test-pass"), WithTokenCallback(log.add))
	_, err := c.Get(context.Background(), 2)
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.Contains(t, err.Error(), "control character")
	assert.NotContains(t, err.Error(), "access-1")
	assert.Equal(t, Tokens{}, c.Tokens())
	assert.Empty(t, log.all())

	u, err := c.Get(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, "mary", u.Login)
	logins, _, gets, _ := f.count()
	assert.Equal(t, 2, logins)
	assert.Equal(t, 1, gets)
	assert.Equal(t, "access-2", c.Tokens().AccessToken)
}

func TestLoginOnFirstRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect("testdata/login.json", "testdata/get_current_after_login.json")
		var log tokenLog
		var c *Client
		c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()),
			WithTokenCallback(func(tok Tokens) {
				log.add(tok)
				if !c.sess.mu.TryLock() {
					t.Error("the callback is called with the session's lock held")
					return
				}
				c.sess.mu.Unlock()
				assert.Equal(t, tok, c.Tokens(), "the callback may call the client")
			}))
		require.NoError(t, err)
		assert.Equal(t, Tokens{}, c.Tokens(), "New does no I/O")

		u, err := c.GetCurrent(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "test-user", u.Login)
		want := loginTokens(t)
		assert.Equal(t, want, c.Tokens())
		assert.Equal(t, []Tokens{want}, log.all())
		assert.Equal(t, "https://api.test/dh/rest/token", rec.Received()[0].URL.String(), "the auth URL defaults to the base URL")

		// The session is kept: the next request needs no login.
		rec.ExpectExchange(withToken(t, "testdata/get.json", want.AccessToken, ""))
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Len(t, rec.Received(), 3)
		assert.Len(t, log.all(), 1)
	})
}

func TestLoginRefused(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/login_invalid.json")
	c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.GetCurrent(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, "Invalid credentials", apiErr.Message)
	assert.Equal(t, "obtaining credentials: POST /dh/rest/token: 401 Unauthorized: Invalid credentials", err.Error())
	assert.Len(t, rec.Received(), 1, "nothing is sent without a token")
}

func TestWithAuthURL(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/login.json", "testdata/get_current_after_login.json")
	c, err := New(WithBaseURL(testBaseURL), WithAuthURL("https://auth.test:8090/dh/rest/"), WithLogin("test-user", "test-pass"),
		WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.GetCurrent(context.Background())
	require.NoError(t, err)
	got := rec.Received()
	assert.Equal(t, "https://auth.test:8090/dh/rest/token", got[0].URL.String())
	assert.Equal(t, "api.test", got[1].URL.Host)
}

func TestExpiredAccessTokenIsRefreshedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		rec := fixture.New(t).Expect("testdata/token_expired.json", "testdata/refresh.json", "testdata/get_after_refresh.json")
		var log tokenLog
		c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithHTTPClient(rec.Client()),
			WithTokenCallback(log.add))
		require.NoError(t, err)
		u, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, "mary", u.Login)
		want := Tokens{AccessToken: refreshedAccess(t), RefreshToken: login.RefreshToken}
		assert.Equal(t, want, c.Tokens(), "a refresh keeps the refresh token")
		assert.Equal(t, []Tokens{want}, log.all())
		assert.Len(t, rec.Received(), 3)
	})
}

func TestRejectedRefreshLogsInAgain(t *testing.T) {
	noBody := fixture.Load(t, "testdata/refresh_expired.json")
	noBody.Response.Body = nil
	for name, refresh := range map[string]*fixture.Exchange{
		"401 with body":    fixture.Load(t, "testdata/refresh_expired.json"),
		"401 without body": noBody,
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				login := loginTokens(t)
				rec := fixture.New(t).Expect("testdata/token_expired.json")
				rec.ExpectExchange(refresh).Expect("testdata/login.json")
				rec.ExpectExchange(withToken(t, "testdata/get.json", login.AccessToken, ""))
				var log tokenLog
				c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithLogin("test-user", "test-pass"),
					WithHTTPClient(rec.Client()), WithTokenCallback(log.add))
				require.NoError(t, err)
				u, err := c.Get(context.Background(), 2)
				require.NoError(t, err)
				assert.Equal(t, int64(2), u.ID)
				assert.Equal(t, login, c.Tokens())
				assert.Equal(t, []Tokens{login}, log.all(), "changes made in one renewal are reported once")
				assert.Len(t, rec.Received(), 4)
			})
		})
	}
}

func TestBothRejectedEndsInUnauthorized(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		rec := fixture.New(t).Expect("testdata/token_expired.json", "testdata/refresh_expired.json", "testdata/login_invalid.json")
		c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithLogin("test-user", "test-pass"),
			WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		_, err = c.Get(context.Background(), 2)
		require.ErrorIs(t, err, ErrUnauthorized)
		apiErr := fuzzkit.AsAPIError(t, err)
		assert.Equal(t, "Invalid credentials", apiErr.Message, "the login's answer is the one reported")
		assert.Len(t, rec.Received(), 3, "the call, one refresh, one login")
		assert.Empty(t, c.Tokens().RefreshToken, "the rejected refresh token is dropped")

		// The next call tries the login once, and sends nothing without a token.
		rec.Expect("testdata/login_invalid.json")
		_, err = c.Get(context.Background(), 2)
		require.ErrorIs(t, err, ErrUnauthorized)
		assert.Len(t, rec.Received(), 4)
	})
}

func TestAccessTokenAloneCannotBeRenewed(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/token_expired.json")
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Contains(t, err.Error(), "no refresh token or login")
	assert.Len(t, rec.Received(), 1)

	_, err = c.Get(context.Background(), 2)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Len(t, rec.Received(), 1, "a rejected token is not sent again")
}

func TestRejectedRefreshWithoutLogin(t *testing.T) {
	login := loginTokens(t)
	badRequest := fixture.Load(t, "testdata/refresh_expired.json")
	badRequest.Response = fixture.Response{Status: 400, Body: json.RawMessage(`{"error":400,"message":"Invalid token"}`)}
	for name, refresh := range map[string]*fixture.Exchange{
		"401": fixture.Load(t, "testdata/refresh_expired.json"),
		"400": badRequest,
	} {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t).Expect("testdata/token_expired.json").ExpectExchange(refresh)
			c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithHTTPClient(rec.Client()))
			require.NoError(t, err)
			_, err = c.Get(context.Background(), 2)
			require.ErrorIs(t, err, ErrUnauthorized)
			apiErr := fuzzkit.AsAPIError(t, err)
			assert.Equal(t, "/dh/rest/token/refresh", rec.Received()[1].URL.Path)
			assert.Equal(t, refresh.Response.Status, apiErr.StatusCode, "the token service's answer is kept")
			assert.Len(t, rec.Received(), 2)
			assert.Equal(t, Tokens{AccessToken: testToken}, c.Tokens())
		})
	}
}

func TestRefreshFailureIsNotARejection(t *testing.T) {
	login := loginTokens(t)
	failed := fixture.Load(t, "testdata/refresh.json")
	failed.Response = fixture.Response{Status: 500, Body: json.RawMessage(`{"error":500,"message":"boom"}`)}
	rec := fixture.New(t).Expect("testdata/token_expired.json").ExpectExchange(failed)
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithLogin("test-user", "test-pass"),
		WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.NotErrorIs(t, err, ErrUnauthorized)
	assert.Len(t, rec.Received(), 2, "no login when the token service fails")
	assert.Equal(t, login.RefreshToken, c.Tokens().RefreshToken, "the refresh token is kept for the next try")
}

func TestRefreshTokenAloneStartsTheSession(t *testing.T) {
	login := loginTokens(t)
	rec := fixture.New(t).Expect("testdata/refresh.json", "testdata/get_after_refresh.json")
	c, err := New(WithBaseURL(testBaseURL), WithTokens("", login.RefreshToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	require.NoError(t, err)
}

func TestTokenAnswerWithoutAccessToken(t *testing.T) {
	login := loginTokens(t)
	emptyLogin := fixture.Load(t, "testdata/login.json")
	emptyLogin.Response.Body = json.RawMessage(`{}`)
	emptyRefresh := fixture.Load(t, "testdata/refresh.json")
	emptyRefresh.Response.Body = json.RawMessage(`{"refreshToken":"x"}`)

	rec := fixture.New(t).ExpectExchange(emptyLogin)
	c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.GetCurrent(context.Background())
	require.ErrorContains(t, err, "the login answer has no access token")

	rec = fixture.New(t).ExpectExchange(emptyRefresh)
	c, err = New(WithBaseURL(testBaseURL), WithTokens("", login.RefreshToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.GetCurrent(context.Background())
	require.ErrorContains(t, err, "the token refresh answer has no access token")
	assert.Equal(t, login.RefreshToken, c.Tokens().RefreshToken)
}

func TestRefreshTransportFailureIsNotARejection(t *testing.T) {
	login := loginTokens(t)
	rec := fixture.New(t).Expect("testdata/token_expired.json")
	rec.Transport().RegisterResponder("POST", "https://api.test/dh/rest/token/refresh",
		func(*http.Request) (*http.Response, error) { return nil, errors.New("connection reset by peer") })
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithLogin("test-user", "test-pass"),
		WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection reset by peer")
	assert.Equal(t, login.RefreshToken, c.Tokens().RefreshToken, "kept: the service did not reject it")
}
