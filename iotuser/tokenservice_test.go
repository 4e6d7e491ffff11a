package iotuser

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

// failedToken is a recording of a token request answered with status and an HTML body,
// as a proxy in front of the auth service answers.
func failedToken(t *testing.T, file string, status int) *fixture.Exchange {
	t.Helper()
	ex := fixture.Load(t, file)
	ex.Response = fixture.Response{Status: status, Headers: map[string]string{"Content-Type": "text/html"},
		BodyText: "<html><body><h1>" + strconv.Itoa(status) + " " + http.StatusText(status) + "</h1></body></html>"}
	return ex
}

// A login creates nothing: a gateway's 502 is retried like a read's.
func TestLoginIsRetriedOn502(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).ExpectExchange(failedToken(t, "testdata/login.json", http.StatusBadGateway)).
			Expect("testdata/login.json", "testdata/get_current_after_login.json")
		c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		u, err := c.GetCurrent(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "test-user", u.Login)
		got := rec.Received()
		require.Len(t, got, 3)
		assert.Equal(t, "/dh/rest/token", got[0].URL.Path)
		assert.Equal(t, "/dh/rest/token", got[1].URL.Path, "the login was sent again")
	})
}

// A refresh mints a token and creates nothing either.
func TestRefreshIsRetriedOn502(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		rec := fixture.New(t).Expect("testdata/token_expired.json").
			ExpectExchange(failedToken(t, "testdata/refresh.json", http.StatusBadGateway)).
			Expect("testdata/refresh.json", "testdata/get_after_refresh.json")
		c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		u, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, int64(2), u.ID)
		assert.Equal(t, refreshedAccess(t), c.Tokens().AccessToken)
		got := rec.Received()
		require.Len(t, got, 4)
		assert.Equal(t, "/dh/rest/token/refresh", got[2].URL.Path, "the refresh was sent again")
	})
}

// A token request that fails after it may have reached the server changed nothing: the
// caller's read fails as an authentication failure, never as a write of unknown outcome.
func TestTokenFailureIsNotOutcomeUnknown(t *testing.T) {
	login := loginTokens(t)
	var resets atomic.Int32
	reset := func(*http.Request) (*http.Response, error) {
		resets.Add(1)
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	cases := map[string]struct {
		setup    func(t *testing.T, rec *fixture.Recorder)
		opts     []Option
		requests int // to the token endpoint
		status   int // of the *APIError, 0 for none
	}{
		"login answered 500 with HTML": {
			setup: func(t *testing.T, rec *fixture.Recorder) {
				rec.ExpectExchange(failedToken(t, "testdata/login.json", http.StatusInternalServerError))
			},
			opts: []Option{WithLogin("test-user", "test-pass")}, requests: 1, status: 500,
		},
		"login reset after sending": {
			setup: func(t *testing.T, rec *fixture.Recorder) {
				rec.Transport().RegisterResponder("POST", testBaseURL+"/token", reset)
			},
			opts: []Option{WithLogin("test-user", "test-pass")}, requests: 4,
		},
		"refresh answered 500 with HTML": {
			setup: func(t *testing.T, rec *fixture.Recorder) {
				rec.ExpectExchange(failedToken(t, "testdata/refresh.json", http.StatusInternalServerError))
			},
			opts: []Option{WithTokens("", login.RefreshToken)}, requests: 1, status: 500,
		},
		"refresh reset after sending": {
			setup: func(t *testing.T, rec *fixture.Recorder) {
				rec.Transport().RegisterResponder("POST", testBaseURL+"/token/refresh", reset)
			},
			opts: []Option{WithTokens("", login.RefreshToken)}, requests: 4,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				resets.Store(0)
				rec := fixture.New(t)
				tc.setup(t, rec)
				c, err := New(append([]Option{WithBaseURL(testBaseURL), WithHTTPClient(rec.Client())}, tc.opts...)...)
				require.NoError(t, err)
				_, err = c.Get(context.Background(), 2)
				require.Error(t, err)
				assert.NotErrorIs(t, err, ErrOutcomeUnknown)
				var unknown *OutcomeUnknownError
				assert.False(t, errors.As(err, &unknown), "%v", err)
				var authErr *AuthError
				require.ErrorAs(t, err, &authErr, "the caller sees an authentication failure")
				assert.True(t, strings.HasPrefix(err.Error(), "obtaining credentials: POST /dh/rest/token"), err.Error())
				assert.NotContains(t, err.Error(), "may have taken effect")
				var apiErr *APIError
				if tc.status != 0 {
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, tc.status, apiErr.StatusCode)
				} else {
					var reqErr *RequestError
					require.ErrorAs(t, err, &reqErr)
				}
				assert.Equal(t, tc.requests, len(rec.Received())+int(resets.Load()), "nothing but token requests is sent")
			})
		})
	}
}

// springNotFound is what DeviceHive's frontend answers for a path it has no resource for.
const springNotFound = `{"timestamp":"2018-02-20T14:10:15.123","status":404,"error":"Not Found","message":"No message available","path":"/dh/rest/token"}`

func notFoundToken(t *testing.T, file string) *fixture.Exchange {
	t.Helper()
	ex := fixture.Load(t, file)
	ex.Response = fixture.Response{Status: http.StatusNotFound, Body: json.RawMessage(springNotFound)}
	return ex
}

// Current DeviceHive servers have no token resource on the API's frontend: a 404 there
// says to set WithAuthURL, and it is an authentication failure, not a missing user.
func TestNoTokenServiceAtTheBaseURL(t *testing.T) {
	rec := fixture.New(t).ExpectExchange(notFoundToken(t, "testdata/login.json"))
	c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	require.Error(t, err)
	assert.Equal(t, "obtaining credentials: iotuser: no token service at https://api.test/dh/rest/token (404 Not Found); "+
		"set WithAuthURL to the DeviceHive auth service, usually the same host on port 8090: https://api.test:8090/dh/rest", err.Error())
	var noService *NoTokenServiceError
	require.ErrorAs(t, err, &noService)
	assert.Equal(t, "https://api.test/dh/rest/token", noService.URL)
	assert.Equal(t, "https://api.test:8090/dh/rest", noService.Suggested)
	assert.False(t, noService.AuthURLSet)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.NotErrorIs(t, err, ErrNotFound, "user 2 may well exist")
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the token endpoint's answer is still there")
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "https://api.test/dh/rest/token", apiErr.URL)
	assert.Len(t, rec.Received(), 1, "a 404 is not retried")
}

func TestNoTokenServiceOnRefresh(t *testing.T) {
	login := loginTokens(t)
	rec := fixture.New(t).Expect("testdata/token_expired.json").ExpectExchange(notFoundToken(t, "testdata/refresh.json"))
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, login.RefreshToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	var noService *NoTokenServiceError
	require.ErrorAs(t, err, &noService)
	assert.Equal(t, "https://api.test/dh/rest/token/refresh", noService.URL)
	assert.Contains(t, err.Error(), "set WithAuthURL")
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.Equal(t, login.RefreshToken, c.Tokens().RefreshToken, "a missing service did not reject the refresh token")
}

func TestNoTokenServiceAtTheAuthURL(t *testing.T) {
	rec := fixture.New(t)
	var sent atomic.Int32
	rec.Transport().RegisterResponder("POST", "https://auth.test/wrong/token", func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return httpmock.NewStringResponse(http.StatusNotFound, "404 page not found"), nil
	})
	c, err := New(WithBaseURL(testBaseURL), WithAuthURL("https://auth.test/wrong"), WithLogin("test-user", "test-pass"),
		WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.GetCurrent(context.Background())
	var noService *NoTokenServiceError
	require.ErrorAs(t, err, &noService)
	assert.True(t, noService.AuthURLSet)
	assert.Empty(t, noService.Suggested)
	assert.Equal(t, "obtaining credentials: iotuser: no token service at https://auth.test/wrong/token (404 Not Found); "+
		"check WithAuthURL: it must be the base URL of the DeviceHive auth service (the part before /token)", err.Error())
	assert.NotErrorIs(t, err, ErrNotFound)
	assert.Equal(t, int32(1), sent.Load())
	assert.Empty(t, rec.Received(), "nothing reaches the API without a token")
}

func TestAuthServiceGuess(t *testing.T) {
	for base, want := range map[string]string{
		"https://api.test/dh/rest":            "https://api.test:8090/dh/rest",
		"http://localhost:8080/dh/rest":       "http://localhost:8090/dh/rest",
		"http://[::1]:8080/dh/rest":           "http://[::1]:8090/dh/rest",
		"https://dh.example.com:8090/dh/rest": "",
	} {
		assert.Equal(t, want, authServiceGuess(base), base)
	}
}
