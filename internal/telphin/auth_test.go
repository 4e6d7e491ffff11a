package telphin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

const (
	testAppID  = "test-app-id"
	testSecret = "test-app-secret"
	testBase   = "https://api.test/api/ver1.0"
	usersURL   = "https://api.test/api/ver1.0/client/@me/user/client/"
)

type testUser struct {
	ID int64 `json:"id"`
}

// fakeTelphin is a token endpoint and a user list behind an httpmock transport. Tokens
// are tok-1, tok-2, ... in the order they are issued.
type fakeTelphin struct {
	t  *testing.T
	mt *httpmock.MockTransport

	expiresIn   int           // 0: the answer has no expires_in
	gate        chan struct{} // when set, token requests wait for it to close
	tokenStatus int           // when set, the token endpoint fails with it
	tokenBody   string
	// reject lists the tokens the API answers with 401.
	reject func(token string) bool

	tokens   atomic.Int32
	apiCalls atomic.Int32

	mu   sync.Mutex
	sent []string // Authorization header of each API request
}

func newFake(t *testing.T) *fakeTelphin {
	f := &fakeTelphin{t: t, mt: httpmock.NewMockTransport(), expiresIn: 3600, reject: func(string) bool { return false }}
	f.mt.RegisterResponder(http.MethodPost, "https://api.test/oauth/token", f.token)
	f.mt.RegisterNoResponder(f.api)
	return f
}

func (f *fakeTelphin) client() *http.Client { return &http.Client{Transport: f.mt} }

func (f *fakeTelphin) token(r *http.Request) (*http.Response, error) {
	// The token endpoint must get the client credentials in the form and never a bearer.
	assert.Empty(f.t, r.Header.Get("Authorization"), "token request carries credentials in a header")
	if err := r.ParseForm(); err != nil {
		return nil, err
	}
	assert.Equal(f.t, url.Values{"grant_type": {"client_credentials"}, "client_id": {testAppID}, "client_secret": {testSecret}}, r.PostForm)
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	if f.tokenStatus != 0 {
		f.tokens.Add(1)
		return httpmock.NewStringResponse(f.tokenStatus, f.tokenBody), nil
	}
	n := f.tokens.Add(1)
	tok := map[string]any{"access_token": "tok-" + strconv.Itoa(int(n)), "token_type": "Bearer", "scope": "all"}
	if f.expiresIn > 0 {
		tok["expires_in"] = f.expiresIn
	}
	return httpmock.NewJsonResponse(http.StatusOK, tok)
}

func (f *fakeTelphin) api(r *http.Request) (*http.Response, error) {
	f.apiCalls.Add(1)
	h := r.Header.Get("Authorization")
	f.mu.Lock()
	f.sent = append(f.sent, h)
	f.mu.Unlock()
	if tok, ok := bytes.CutPrefix([]byte(h), []byte("Bearer ")); !ok || f.reject(string(tok)) {
		return httpmock.NewStringResponse(http.StatusUnauthorized, `{"message":"Unauthorized"}`), nil
	}
	return httpmock.NewStringResponse(http.StatusOK, `[{"id":1}]`), nil
}

func (f *fakeTelphin) sentHeaders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.sent...)
}

func newUsers(t *testing.T, f *fakeTelphin, opts ...core.Option) *Users[testUser] {
	t.Helper()
	all := append([]core.Option{core.WithBaseURL(testBase), core.WithHTTPClient(f.client()), WithClientCredentials(testAppID, testSecret)}, opts...)
	u, err := New("test", KindClient, hasTestID, all)
	require.NoError(t, err)
	return u
}

func list(u *Users[testUser]) error {
	_, err := u.List(context.Background(), Me, nil)
	return err
}

// failedList lists with u and returns the error, which must be (or wrap) an E, both as
// that E and whole.
func failedList[E error](t *testing.T, u *Users[testUser]) (E, error) {
	t.Helper()
	err := list(u)
	var target E
	require.ErrorAs(t, err, &target)
	return target, err
}

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
			var logs bytes.Buffer
			u := newUsers(t, f, core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			_, err := failedList[*usersdk.AuthError](t, u)
			assert.Equal(t, tt.unauthorized, errors.Is(err, usersdk.ErrUnauthorized))
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a token request creates nothing")
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr, "the token endpoint's answer is a typed error")
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, int32(0), f.apiCalls.Load(), "no API request without a token")

			assert.Contains(t, err.Error(), "obtaining credentials")
			require.Contains(t, logs.String(), "token request failed")
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err),
				apiErr.Error(), string(apiErr.Body), apiErr.Message, apiErr.Code, logs.String()} {
				assert.NotContains(t, s, testSecret)
			}
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
	var logs bytes.Buffer
	u, err := New("test", KindClient, hasTestID, []core.Option{
		core.WithBaseURL(tls.URL + "/api/ver1.0"), core.WithHTTPClient(tls.Client()),
		core.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithClientCredentials(testAppID, testSecret),
	})
	require.NoError(t, err)
	err = list(u)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing a redirect from https to http")
	assert.Equal(t, int32(0), got.Load(), "the plain-http server received: %v", seen.Load())
	assert.Equal(t, int32(1), redirected.Load(), "a refused redirect is not retried")
	assert.NotContains(t, err.Error(), testSecret)
	assert.NotContains(t, logs.String(), testSecret)
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
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.reject = func(string) bool { return true }
	u := newUsers(t, f, core.WithLogger(logger))
	var texts []string
	addErr := func(err error) {
		require.Error(t, err)
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err))
	}
	addErr(list(u)) // 401, new token, 401 again
	_, err := u.Get(context.Background(), Me, 0)
	addErr(err)
	tok, err := u.TokenSource().Token()
	require.NoError(t, err)
	require.Equal(t, "tok-2", tok.AccessToken)

	f.tokenStatus, f.tokenBody = 401, `{"error":"invalid_client"}`
	f.reject = func(string) bool { return true }
	addErr(list(u)) // 401, and the token endpoint refuses
	texts = append(texts, logs.String(),
		fmt.Sprintf("%v", WithClientCredentials(testAppID, testSecret)), fmt.Sprintf("%+v", WithClientCredentials(testAppID, testSecret)),
		fmt.Sprintf("%v", WithToken("tok-1")), fmt.Sprintf("%+v", WithToken("tok-1")),
		fmt.Sprintf("%v", u), fmt.Sprintf("%+v", u), fmt.Sprintf("%+v", u.TokenSource()))
	require.Contains(t, logs.String(), "credentials rejected", "debug logging is on")
	require.Contains(t, logs.String(), "requesting token")
	for _, s := range texts {
		assert.NotContains(t, s, testSecret)
		assert.NotContains(t, s, "tok-1")
		assert.NotContains(t, s, "tok-2")
	}
}

type sourceFunc func() (*oauth2.Token, error)

func (f sourceFunc) Token() (*oauth2.Token, error) { return f() }

func hasTestID(u *testUser) bool { return u.ID != 0 }
