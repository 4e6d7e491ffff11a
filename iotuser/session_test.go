package iotuser

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
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

// jwt builds a DeviceHive-shaped access token that expires at exp (unsigned: the client
// does not check signatures).
func jwt(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	payload := fmt.Sprintf(`{"payload":{"u":1,"a":[0],"n":["*"],"dt":["*"],"e":%d,"t":1}}`, exp.UnixMilli())
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".c2ln"
}

func TestTokenNearExpiryIsRefreshedBeforeUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		soon := jwt(time.Now().Add(2 * time.Minute))
		rec := fixture.New(t).ExpectExchange(withToken(t, "testdata/get.json", soon, ""))
		c, err := New(WithBaseURL(testBaseURL), WithTokens(soon, login.RefreshToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err, "two minutes left: the token is used")

		time.Sleep(61 * time.Second)
		rec.Expect("testdata/refresh.json", "testdata/get_after_refresh.json")
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err, "59 seconds left: refreshed first, without a 401")
		assert.Len(t, rec.Received(), 3)
		assert.Equal(t, refreshedAccess(t), c.Tokens().AccessToken)
	})
}

func TestPersistedExpiredTokenIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		rec := fixture.New(t).Expect("testdata/refresh.json", "testdata/get_after_refresh.json")
		c, err := New(WithBaseURL(testBaseURL), WithTokens(jwt(time.Now().Add(-time.Hour)), login.RefreshToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Len(t, rec.Received(), 2)
	})
}

func TestRefreshTokenAloneStartsTheSession(t *testing.T) {
	login := loginTokens(t)
	rec := fixture.New(t).Expect("testdata/refresh.json", "testdata/get_after_refresh.json")
	c, err := New(WithBaseURL(testBaseURL), WithTokens("", login.RefreshToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 2)
	require.NoError(t, err)
}

func TestEarlyRenewalFailureKeepsTheCurrentToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		login := loginTokens(t)
		soon := jwt(time.Now().Add(30 * time.Second))
		failed := fixture.Load(t, "testdata/refresh.json")
		failed.Response = fixture.Response{Status: 503, Body: json.RawMessage(`{"error":503,"message":"down"}`)}
		rec := fixture.New(t).ExpectExchange(failed).ExpectExchange(withToken(t, "testdata/get.json", soon, ""))
		c, err := New(WithBaseURL(testBaseURL), WithTokens(soon, login.RefreshToken), WithHTTPClient(rec.Client()), WithoutRetries())
		require.NoError(t, err)
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err, "the token still has 30 seconds")

		// Once it has expired, a failed renewal is an error and the token is not sent.
		time.Sleep(time.Minute)
		rec.ExpectExchange(failed)
		_, err = c.Get(context.Background(), 2)
		require.Error(t, err)
		assert.Len(t, rec.Received(), 3)
	})
}

func TestNearExpiryTokenWithoutRenewalIsStillSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		soon := jwt(time.Now().Add(30 * time.Second))
		rec := fixture.New(t).ExpectExchange(withToken(t, "testdata/get.json", soon, ""))
		c, err := New(WithBaseURL(testBaseURL), WithTokens(soon, ""), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		_, err = c.Get(context.Background(), 2)
		require.NoError(t, err, "nothing to renew with: the server decides")
	})
}

func TestJWTExpiry(t *testing.T) {
	login := loginTokens(t)
	assert.Equal(t, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), jwtExpiry(login.AccessToken).UTC())
	enc := base64.RawURLEncoding.EncodeToString
	tok := func(payload string) string {
		return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(payload)) + ".sig"
	}
	at := time.UnixMilli(1519135815123)
	tests := map[string]struct {
		token string
		want  time.Time
	}{
		"payload claim":      {tok(`{"payload":{"e":1519135815123}}`), at},
		"top-level claim":    {tok(`{"e":1519135815123}`), at},
		"float":              {tok(`{"payload":{"e":1.519135815123e12}}`), at},
		"string":             {tok(`{"payload":{"e":"1519135815123"}}`), at},
		"padded":             {enc([]byte(`{}`)) + "." + base64.URLEncoding.EncodeToString([]byte(`{"e":1519135815123}`)) + ".s", at},
		"no claim":           {tok(`{"payload":{"u":1}}`), time.Time{}},
		"zero":               {tok(`{"payload":{"e":0}}`), time.Time{}},
		"negative":           {tok(`{"payload":{"e":-5}}`), time.Time{}},
		"huge":               {tok(`{"payload":{"e":1e300}}`), time.Time{}},
		"not a number":       {tok(`{"payload":{"e":true}}`), time.Time{}},
		"not JSON":           {tok(`nope`), time.Time{}},
		"not base64":         {"a.@@@.c", time.Time{}},
		"opaque token":       {testToken, time.Time{}},
		"too many parts":     {"a.b.c.d", time.Time{}},
		"empty":              {"", time.Time{}},
		"payload not object": {tok(`{"payload":[1]}`), time.Time{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.True(t, tt.want.Equal(jwtExpiry(tt.token)), "got %v", jwtExpiry(tt.token))
		})
	}
}

// fakeDH is a DeviceHive token service and user endpoint for the concurrency tests. It
// issues opaque tokens and counts what it is asked.
type fakeDH struct {
	mu            sync.Mutex
	valid         map[string]bool
	issued        int
	logins        int
	refreshes     int
	gets          int
	unauthorized  int
	hold401       chan struct{} // when set, 401 answers wait for it to close
	users         int           // users in the list
	failListAfter int           // when > 0, a list request with skip >= this fails
	listCalls     []string
}

func newFakeDH(valid ...string) *fakeDH {
	f := &fakeDH{valid: map[string]bool{}}
	for _, v := range valid {
		f.valid[v] = true
	}
	return f
}

func (f *fakeDH) issue() string {
	f.issued++
	tok := "access-" + strconv.Itoa(f.issued)
	f.valid[tok] = true
	return tok
}

func (f *fakeDH) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	f.mu.Lock()
	switch r.URL.Path {
	case "/dh/rest/token":
		f.logins++
		tok := f.issue()
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"accessToken":%q,"refreshToken":"refresh-1"}`, tok)
		return
	case "/dh/rest/token/refresh":
		f.refreshes++
		tok := f.issue()
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"accessToken":%q}`, tok)
		return
	}
	if !f.valid[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")] {
		f.unauthorized++
		hold := f.hold401
		f.mu.Unlock()
		if hold != nil {
			<-hold
		}
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":401,"message":"Token expired"}`)
		return
	}
	defer f.mu.Unlock()
	if r.URL.Path == "/dh/rest/user" {
		f.list(w, r)
		return
	}
	f.gets++
	fmt.Fprint(w, `{"id":2,"login":"mary","role":1,"status":0,"networks":[]}`)
}

func (f *fakeDH) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.listCalls = append(f.listCalls, q.Encode())
	take, _ := strconv.Atoi(q.Get("take"))
	skip, _ := strconv.Atoi(q.Get("skip"))
	if f.failListAfter > 0 && skip >= f.failListAfter {
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprint(w, `{"error":500,"message":"database unavailable"}`)
		return
	}
	var b strings.Builder
	b.WriteByte('[')
	for id := skip + 1; id <= min(skip+take, f.users); id++ {
		if id > skip+1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"login":"user-%d","role":1,"status":0,"lastLogin":null,"data":null}`, id, id)
	}
	b.WriteByte(']')
	fmt.Fprint(w, b.String())
}

func (f *fakeDH) count() (logins, refreshes, gets, unauthorized int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.logins, f.refreshes, f.gets, f.unauthorized
}

func fakeClient(t *testing.T, f *fakeDH, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithBaseURL(testBaseURL), WithHTTPClient(fuzzkit.HandlerClient(f))}, opts...)
	c, err := New(opts...)
	require.NoError(t, err)
	return c
}

// getConcurrently starts n Gets of user 2 (mary) at once; wait waits for them all.
func getConcurrently(t *testing.T, c *Client, n int) (wait func()) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			u, err := c.Get(context.Background(), 2)
			if assert.NoError(t, err) {
				assert.Equal(t, "mary", u.Login)
			}
		})
	}
	return wg.Wait
}

func TestConcurrent401sCauseOneRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		f.hold401 = make(chan struct{})
		c := fakeClient(t, f, WithTokens("stale", "refresh-1"), WithLogin("admin", "pa55word"))
		wait := getConcurrently(t, c, 50)
		synctest.Wait() // all 50 requests hold a 401 for the stale token
		_, refreshes, _, unauthorized := f.count()
		assert.Equal(t, 50, unauthorized)
		assert.Equal(t, 0, refreshes)
		close(f.hold401)
		wait()
		logins, refreshes, gets, unauthorized := f.count()
		assert.Equal(t, 1, refreshes, "one refresh for 50 rejections of the same token")
		assert.Equal(t, 0, logins)
		assert.Equal(t, 50, gets)
		assert.Equal(t, 50, unauthorized)
		assert.Equal(t, "access-1", c.Tokens().AccessToken)
	})
}

func TestConcurrentRequestsOnAnExpiredTokenCauseOneRefresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		expired := jwt(time.Now().Add(-time.Minute))
		f.valid[expired] = true // the server would still take it: the client renews it anyway
		c := fakeClient(t, f, WithTokens(expired, "refresh-1"))
		getConcurrently(t, c, 50)()
		_, refreshes, gets, unauthorized := f.count()
		assert.Equal(t, 1, refreshes)
		assert.Equal(t, 50, gets)
		assert.Equal(t, 0, unauthorized, "renewed before use, not after a 401")
	})
}

func TestConcurrentFirstRequestsLogInOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var log tokenLog
		c := fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(log.add))
		getConcurrently(t, c, 50)()
		logins, refreshes, gets, _ := f.count()
		assert.Equal(t, 1, logins)
		assert.Equal(t, 0, refreshes)
		assert.Equal(t, 50, gets)
		assert.Equal(t, []Tokens{{AccessToken: "access-1", RefreshToken: "refresh-1"}}, log.all())
	})
}

func TestCallbackMayUseTheClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var c *Client
		var seen []string
		c = fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(func(tok Tokens) {
			seen = append(seen, tok.AccessToken)
			if len(seen) == 1 {
				// A request from the callback that renews the tokens again: its change is
				// delivered after this call returns, not inside it.
				f.mu.Lock()
				delete(f.valid, tok.AccessToken)
				f.mu.Unlock()
				_, err := c.Get(context.Background(), 2)
				assert.NoError(t, err)
				assert.Equal(t, []string{"access-1"}, seen, "no nested delivery")
			}
		}))
		_, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"access-1", "access-2"}, seen)
		assert.Equal(t, "access-2", c.Tokens().AccessToken)
	})
}

func TestAllPagesThroughEveryUser(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 1050
	c := fakeClient(t, f, WithTokens("tok", ""))
	seen := map[int64]int{}
	for u, err := range c.All(context.Background(), ListOptions{Role: Ptr(RoleClient)}) {
		require.NoError(t, err)
		seen[u.ID]++
	}
	assert.Len(t, seen, 1050)
	for id, n := range seen {
		require.Equal(t, 1, n, "user %d yielded once", id)
	}
	require.Len(t, f.listCalls, 11)
	assert.Equal(t, "role=1&sortField=ID&take=100", f.listCalls[0], "take is always sent; skip=0 is left out")
	assert.Equal(t, "role=1&skip=1000&sortField=ID&take=100", f.listCalls[10])
}

func TestAllYieldsAnErrorAndStops(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 1050
	f.failListAfter = 500
	c := fakeClient(t, f, WithTokens("tok", ""), WithoutRetries())
	var ids []int64
	var errs []error
	for u, err := range c.All(context.Background(), ListOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		require.Empty(t, errs, "nothing is yielded after the error")
		ids = append(ids, u.ID)
	}
	assert.Len(t, ids, 500)
	assert.Equal(t, int64(500), ids[499])
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.ErrorAs(t, errs[0], &apiErr)
	assert.Equal(t, "database unavailable", apiErr.Message)
	assert.Len(t, f.listCalls, 6)
}

func TestAllKeepsTheCallersOptions(t *testing.T) {
	f := newFakeDH("tok")
	f.users = 5
	c := fakeClient(t, f, WithTokens("tok", ""))
	opts := ListOptions{Take: 2, Skip: 1, SortField: SortByLogin, SortOrder: Descending}
	var n int
	for _, err := range c.All(context.Background(), opts) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
	assert.Equal(t, ListOptions{Take: 2, Skip: 1, SortField: SortByLogin, SortOrder: Descending}, opts)
	assert.Equal(t, []string{
		"skip=1&sortField=Login&sortOrder=DESC&take=2",
		"skip=3&sortField=Login&sortOrder=DESC&take=2",
		"skip=5&sortField=Login&sortOrder=DESC&take=2",
	}, f.listCalls)
}

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

func TestShortLivedTokenIsNotRenewedOnEveryRequest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		short := jwt(time.Now().Add(30 * time.Second)) // a server configured with a 30 s lifetime
		login := fixture.Load(t, "testdata/login.json")
		login.Response.Body = json.RawMessage(`{"accessToken":"` + short + `","refreshToken":"r"}`)
		rec := fixture.New(t).ExpectExchange(login).
			ExpectExchange(withToken(t, "testdata/get_current.json", short, "")).
			ExpectExchange(withToken(t, "testdata/get_current.json", short, ""))
		c, err := New(WithBaseURL(testBaseURL), WithLogin("test-user", "test-pass"), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		for range 2 {
			_, err := c.GetCurrent(context.Background())
			require.NoError(t, err)
		}
		assert.Len(t, rec.Received(), 3, "one login, used until the server rejects the token")
	})
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

func TestCallbackPanicDoesNotStopLaterNotifications(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFakeDH()
		var seen []string
		c := fakeClient(t, f, WithLogin("admin", "pa55word"), WithTokenCallback(func(tok Tokens) {
			seen = append(seen, tok.AccessToken)
			if len(seen) == 1 {
				panic("store unavailable")
			}
		}))
		assert.Panics(t, func() { _, _ = c.Get(context.Background(), 2) })
		f.mu.Lock()
		clear(f.valid)
		f.mu.Unlock()
		_, err := c.Get(context.Background(), 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"access-1", "access-2"}, seen)
	})
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
