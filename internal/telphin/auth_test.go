package telphin

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func TestTokenFetchedOnceForConcurrentRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.gate = make(chan struct{})
		u := newUsers(t, f)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { assert.NoError(t, list(u)) })
		}
		synctest.Wait() // every request waits for the one token request in flight
		assert.Equal(t, int32(0), f.apiCalls.Load())
		close(f.gate)
		wg.Wait()
		assert.Equal(t, int32(1), f.tokens.Load(), "token requests")
		assert.Equal(t, int32(50), f.apiCalls.Load())
		for _, h := range f.sentHeaders() {
			assert.Equal(t, "Bearer tok-1", h)
		}
	})
}

func TestRejectedTokenIsRenewedAndRequestSentOnceMore(t *testing.T) {
	f := newFake(t)
	f.reject = func(tok string) bool { return tok == "tok-1" }
	u := newUsers(t, f)
	require.NoError(t, list(u))
	assert.Equal(t, int32(2), f.tokens.Load())
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2"}, f.sentHeaders())

	// The new token is kept.
	require.NoError(t, list(u))
	assert.Equal(t, int32(2), f.tokens.Load())
}

func TestConcurrent401sCauseOneNewToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.reject = func(tok string) bool { return tok == "tok-1" }
		f.gate = make(chan struct{})
		u := newUsers(t, f)
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() { assert.NoError(t, list(u)) })
		}
		synctest.Wait() // all 50 will send tok-1
		close(f.gate)
		wg.Wait()
		assert.Equal(t, int32(2), f.tokens.Load(), "one token, then one more for all the 401s")
		assert.Equal(t, int32(100), f.apiCalls.Load(), "each request sent twice")
	})
}

func TestSecond401IsUnauthorized(t *testing.T) {
	f := newFake(t)
	f.reject = func(string) bool { return true }
	apiErr, err := failedList[*usersdk.APIError](t, newUsers(t, f))
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.Equal(t, "Unauthorized", apiErr.Message)
	assert.Equal(t, int32(2), f.tokens.Load(), "one new token")
	assert.Equal(t, int32(2), f.apiCalls.Load(), "one retry")
}

// A token answer that no header can carry fails the call with an *AuthError and is not
// kept: no request could ever reach the server to have it rejected, so a cached one would
// fail every later call. The next call asks for a new token.
func TestUnusableTokenIsNotCached(t *testing.T) {
	f := newFake(t)
	f.lineBreak = 1
	u := newUsers(t, f)
	authErr, err := failedList[*usersdk.AuthError](t, u)
	assert.Contains(t, authErr.Error(), "control character")
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, int32(0), f.apiCalls.Load(), "nothing sent with it")

	require.NoError(t, list(u))
	assert.Equal(t, int32(2), f.tokens.Load())
	assert.Equal(t, []string{"Bearer tok-2"}, f.sentHeaders())
}

func TestTokenReplacedShortlyBeforeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		u := newUsers(t, f)
		require.NoError(t, list(u))
		time.Sleep(time.Hour - tokenEarly - time.Second)
		require.NoError(t, list(u))
		assert.Equal(t, int32(1), f.tokens.Load(), "still fresh")
		time.Sleep(2 * time.Second)
		require.NoError(t, list(u))
		assert.Equal(t, int32(2), f.tokens.Load(), "replaced before it expired")
		assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-1", "Bearer tok-2"}, f.sentHeaders())
	})
}

// An expires_in that time.Duration cannot hold is not wrapped into the past, and one no
// longer than the renewal margin does not make the token stale from the start: either
// would fetch a token before every call. A life just over the margin is renewed as usual.
func TestExpiresInIsClampedToTheRenewalRule(t *testing.T) {
	for _, tc := range []struct {
		expiresIn int
		life      time.Duration // 0: no expiry, kept until rejected
		renewed   bool          // two seconds later, a new token is fetched
	}{
		{expiresIn: 9_300_000_000, life: math.MaxInt64},
		{expiresIn: math.MaxInt64, life: math.MaxInt64},
		{expiresIn: 5},
		{expiresIn: int(tokenEarly / time.Second)},
		{expiresIn: int(tokenEarly/time.Second) + 1, life: tokenEarly + time.Second, renewed: true},
	} {
		t.Run(strconv.Itoa(tc.expiresIn), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				f.expiresIn = tc.expiresIn
				u := newUsers(t, f)
				issued := time.Now()
				for range 5 {
					require.NoError(t, list(u))
				}
				assert.Equal(t, int32(1), f.tokens.Load(), "one token for five calls")
				tok, err := u.TokenSource().Token()
				require.NoError(t, err)
				if tc.life == 0 {
					assert.True(t, tok.Expiry.IsZero(), "no expiry: %v", tok.Expiry)
				} else {
					assert.True(t, issued.Add(tc.life).Equal(tok.Expiry), "expiry %v", tok.Expiry)
				}

				time.Sleep(2 * time.Second)
				require.NoError(t, list(u))
				want := int32(1)
				if tc.renewed {
					want = 2
				}
				assert.Equal(t, want, f.tokens.Load())
			})
		})
	}
}

func TestTokenWithoutExpiryKeptUntilRejected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.expiresIn = 0
		u := newUsers(t, f)
		require.NoError(t, list(u))
		time.Sleep(30 * 24 * time.Hour)
		require.NoError(t, list(u))
		assert.Equal(t, int32(1), f.tokens.Load(), "a token without expires_in is kept")

		f.reject = func(tok string) bool { return tok == "tok-1" }
		require.NoError(t, list(u))
		assert.Equal(t, int32(2), f.tokens.Load(), "renewed after the 401")
		assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"}, f.sentHeaders())
	})
}

func TestSpentHourlyBudgetIsNotRetried(t *testing.T) {
	for name, reset := range map[string]string{"with X-RateLimit-Reset": "900", "without": ""} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newFake(t)
				f.mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
					f.apiCalls.Add(1)
					resp := httpmock.NewStringResponse(http.StatusTooManyRequests, `{"message":"Rate limit exceeded","status":"rate_limit_exceeded"}`)
					if reset != "" {
						resp.Header.Set("X-RateLimit-Reset", reset)
					}
					return resp, nil
				})
				u := newUsers(t, f)
				start := time.Now()
				rl, _ := failedList[*usersdk.RateLimitError](t, u)
				assert.Equal(t, CodeRateLimitExceeded, rl.Code)
				assert.Equal(t, int32(1), f.apiCalls.Load(), "not retried")
				assert.Equal(t, time.Duration(0), time.Since(start))
				want := start.Truncate(time.Hour).Add(time.Hour)
				if reset != "" {
					want = start.Add(15 * time.Minute)
				}
				assert.Equal(t, want, rl.Reset)
				// The client now knows the budget is spent: the next call is not sent.
				require.ErrorAs(t, list(u), &rl)
				assert.Equal(t, int32(1), f.apiCalls.Load())
			})
		})
	}
}

func TestNoSecretOrTokenInErrorsOrLogs(t *testing.T) {
	f := newFake(t)
	leaks := fuzzkit.NewLeaks()
	f.reject = func(string) bool { return true }
	u := newUsers(t, f, core.WithLogger(leaks.Logger))
	leaks.Error(t, list(u)) // 401, new token, 401 again
	_, err := u.Get(context.Background(), Me, 0)
	leaks.Error(t, err)
	tok, err := u.TokenSource().Token()
	require.NoError(t, err)
	require.Equal(t, "tok-2", tok.AccessToken)

	f.tokenStatus, f.tokenBody = 401, `{"error":"invalid_client"}`
	f.reject = func(string) bool { return true }
	leaks.Error(t, list(u)) // 401, and the token endpoint refuses
	leaks.Print(WithClientCredentials(testAppID, testSecret), WithToken("tok-1"), u, u.TokenSource())
	require.Contains(t, leaks.Log(), "credentials rejected", "debug logging is on")
	require.Contains(t, leaks.Log(), "requesting token")
	leaks.Check(t, testSecret, "tok-1", "tok-2")
}

func TestHungTokenEndpointTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		f.gate = make(chan struct{}) // never opened
		start := time.Now()
		_, err := failedList[*usersdk.AuthError](t, newUsers(t, f))
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, core.FetchTimeout, time.Since(start))
		assert.Equal(t, int32(0), f.apiCalls.Load())
	})
}

func TestTokenEndpointFailureIsAuthErrorWithoutSecret(t *testing.T) {
	tests := map[string]struct {
		status       int
		body         string
		unauthorized bool
		code         string
	}{
		"rejected credentials": {401, `{"error":"invalid_client","error_description":"no client test-app-id with secret test-app-secret"}`, true, "invalid_client"},
		"bad request":          {400, `{"error":"invalid_request","error_description":"client_secret=test-app-secret is malformed"}`, true, "invalid_request"},
		"code echoes secret":   {400, `{"error":"bad_secret_test-app-secret","error_description":"refused"}`, true, "bad_secret_" + core.Redacted},
		"telphin error body":   {403, `{"message":"Application blocked","status":"app_access_type_deny"}`, true, CodeAppAccessTypeDeny},
		"server error":         {500, `<html>failed for client_secret=test-app-secret</html>`, false, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			f.tokenStatus, f.tokenBody = tt.status, tt.body
			leaks := fuzzkit.NewLeaks()
			u := newUsers(t, f, core.WithLogger(leaks.Logger))
			_, err := failedList[*usersdk.AuthError](t, u)
			assert.Equal(t, tt.unauthorized, errors.Is(err, usersdk.ErrUnauthorized))
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a token request creates nothing")
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr, "the token endpoint's answer is a typed error")
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, int32(0), f.apiCalls.Load(), "no API request without a token")

			assert.Contains(t, err.Error(), "obtaining credentials")
			require.Contains(t, leaks.Log(), "token request failed")
			leaks.Error(t, err)
			leaks.Print(apiErr.Error(), apiErr.Message, apiErr.Code)
			leaks.Check(t, testSecret)
		})
	}
}

func TestLongTokenEndpointAnswerIsNotQuoted(t *testing.T) {
	f := newFake(t)
	f.tokenStatus, f.tokenBody = 502, "<html>"+strings.Repeat("bad gateway ", 100)+"</html>"
	u := newUsers(t, f, core.WithoutRetries()) // a 502 token answer is otherwise retried
	err := list(u)
	require.EqualError(t, err, "obtaining credentials: POST /oauth/token: 502 Bad Gateway (1213-byte untyped body)")
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, 1213, "the body stays available")
}

func TestTokenRequestIsRetriedLikeARead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFake(t)
		var n atomic.Int32
		token := f.token
		f.mt.RegisterResponder(http.MethodPost, "https://api.test/oauth/token", func(r *http.Request) (*http.Response, error) {
			if n.Add(1) < 3 {
				return httpmock.NewStringResponse(http.StatusBadGateway, "<html>bad gateway</html>"), nil
			}
			return token(r)
		})
		u := newUsers(t, f)
		require.NoError(t, list(u))
		assert.Equal(t, int32(3), n.Load())
	})
}

func TestTokenAnswerIsReadWithinTheSizeLimit(t *testing.T) {
	f := newFake(t)
	f.mt.RegisterResponder(http.MethodPost, "https://api.test/oauth/token",
		httpmock.NewStringResponder(http.StatusOK, `{"access_token":"`+strings.Repeat("a", 4096)+`"}`))
	u := newUsers(t, f, core.WithMaxResponseBytes(1024))
	err := list(u)
	require.ErrorIs(t, err, usersdk.ErrResponseTooLarge)
	assert.Equal(t, int32(0), f.apiCalls.Load())
}

func TestTokenRedirectToPlainHTTPGetsNothing(t *testing.T) {
	var got atomic.Int32
	var seen atomic.Value
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		b, _ := io.ReadAll(r.Body)
		seen.Store(r.URL.String() + " " + string(b) + " " + r.Header.Get("Authorization"))
	}))
	defer plain.Close()
	var redirected atomic.Int32
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == TokenPath {
			redirected.Add(1)
			http.Redirect(w, r, plain.URL+TokenPath, http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(http.StatusTeapot)
	}))
	defer tls.Close()
	leaks := fuzzkit.NewLeaks()
	u, err := New("test", KindClient, hasTestID, []core.Option{
		core.WithBaseURL(tls.URL + "/api/ver1.0"), core.WithHTTPClient(tls.Client()), core.WithLogger(leaks.Logger),
		WithClientCredentials(testAppID, testSecret),
	})
	require.NoError(t, err)
	err = list(u)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing a redirect from https to http")
	assert.Equal(t, int32(0), got.Load(), "the plain-http server received: %v", seen.Load())
	assert.Equal(t, int32(1), redirected.Load(), "a refused redirect is not retried")
	leaks.Error(t, err)
	leaks.Check(t, testSecret)
}
