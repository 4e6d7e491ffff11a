package telphintest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// credentials returns a client that authenticates with the recordings' application
// credentials, over hc, without retries.
func (k Kind[Cl, U, C, P, L, O]) credentials(t testing.TB, hc *http.Client, opts ...O) Cl {
	t.Helper()
	return k.client(t, append([]O{k.Opt.BaseURL(testBaseURL), k.Opt.ClientCredentials(testAppID, testSecret),
		k.Opt.HTTPClient(hc), k.Opt.WithoutRetries()}, opts...)...)
}

// withToken is a recording sent with token; status, when not 0, replaces its answer with
// a 401-like refusal.
func withToken(t testing.TB, file, token string, status int) *fixture.Exchange {
	return change(t, file, func(ex *fixture.Exchange) {
		ex.Request.Headers["Authorization"] = "Bearer " + token
		if status != 0 {
			ex.Response = fixture.Response{Status: status, Body: []byte(`{"message":"Unauthorized"}`)}
		}
	})
}

// renewed is the token exchange answered with a second token, test-token-2.
func renewed(t testing.TB, file string) *fixture.Exchange {
	return change(t, file, func(ex *fixture.Exchange) {
		ex.Response.Body = bytes.Replace(ex.Response.Body, []byte(`"test-token"`), []byte(`"test-token-2"`), 1)
	})
}

func tokenRequests(rec *fixture.Recorder) int {
	n := 0
	for _, r := range rec.Received() {
		if r.URL.Path == "/oauth/token" {
			n++
		}
	}
	return n
}

func (k Kind[Cl, U, C, P, L, O]) testTokenExchange(t *testing.T) {
	get := k.load(t, "get")
	rec := fixture.New(t).Expect(tokenFile, testdata("get"))
	u, err := k.credentials(t, rec.Client()).Get(context.Background(), get.clientID, get.userID)
	require.NoError(t, err)
	assert.Equal(t, get.userID, idOf(t, u))

	got := rec.Received()
	require.Len(t, got, 2)
	assert.Equal(t, "https://api.test/oauth/token", got[0].URL.String(), "the base URL's host, not its path")
	assert.Empty(t, got[0].Header.Get("Authorization"), "the token endpoint gets no bearer and no Basic auth")
}

func (k Kind[Cl, U, C, P, L, O]) testDefaultBaseURL(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(&fixture.Exchange{
		Request:  fixture.Request{Method: "GET", Path: k.collection(me), Headers: map[string]string{"Authorization": "Bearer test-token"}},
		Response: fixture.Response{Status: 200, Body: []byte(`[]`)},
	})
	c := k.client(t, k.Opt.ClientCredentials(testAppID, testSecret), k.Opt.HTTPClient(rec.Client()))
	users, err := c.List(context.Background(), me, *new(L))
	require.NoError(t, err)
	assert.Empty(t, users)
	got := rec.Received()
	require.Len(t, got, 2)
	assert.Equal(t, "https://apiproxy.telphin.ru/oauth/token", got[0].URL.String())
	assert.Equal(t, "https://apiproxy.telphin.ru"+k.collection(me), got[1].URL.String())
}

// gatedTransport holds token requests until the gate opens.
type gatedTransport struct {
	next http.RoundTripper
	gate chan struct{}
}

func (g gatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/oauth/token" {
		<-g.gate
	}
	return g.next.RoundTrip(r)
}

func (k Kind[Cl, U, C, P, L, O]) testTokenFetchedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		get := k.load(t, "get")
		rec := fixture.New(t).Expect(tokenFile)
		for range 50 {
			rec.Expect(testdata("get"))
		}
		gate := make(chan struct{})
		c := k.credentials(t, &http.Client{Transport: gatedTransport{rec.Transport(), gate}})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				_, err := c.Get(context.Background(), get.clientID, get.userID)
				assert.NoError(t, err)
			})
		}
		synctest.Wait() // all 50 are waiting for the one token request
		close(gate)
		wg.Wait()
		assert.Equal(t, 1, tokenRequests(rec))
		assert.Len(t, rec.Received(), 51)
	})
}

func (k Kind[Cl, U, C, P, L, O]) testRejectedTokenRenewed(t *testing.T) {
	get := k.load(t, "get")
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(withToken(t, testdata("get"), "test-token", http.StatusUnauthorized))
	rec.ExpectExchange(renewed(t, tokenFile))
	rec.ExpectExchange(withToken(t, testdata("get"), "test-token-2", 0))
	u, err := k.credentials(t, rec.Client()).Get(context.Background(), get.clientID, get.userID)
	require.NoError(t, err)
	assert.JSONEq(t, string(get.ex.Response.Body), mustJSON(t, u))
	assert.Equal(t, 2, tokenRequests(rec))
}

func (k Kind[Cl, U, C, P, L, O]) testSecond401(t *testing.T) {
	get := k.load(t, "get")
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(withToken(t, testdata("get"), "test-token", http.StatusUnauthorized))
	rec.ExpectExchange(renewed(t, tokenFile))
	rec.ExpectExchange(withToken(t, testdata("get"), "test-token-2", http.StatusUnauthorized))
	_, err := k.credentials(t, rec.Client()).Get(context.Background(), get.clientID, get.userID)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Unauthorized", apiErr.Message)
	assert.Len(t, rec.Received(), 4, "one new token, one retry, nothing more")
}

func (k Kind[Cl, U, C, P, L, O]) testTokenReplacedBeforeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := k.load(t, "get")
		rec := fixture.New(t).Expect(tokenFile, testdata("get"), testdata("get"), tokenFile, testdata("get"))
		c := k.credentials(t, rec.Client())
		get := func() { _, err := c.Get(context.Background(), g.clientID, g.userID); require.NoError(t, err) }
		get()
		time.Sleep(time.Hour - 11*time.Second) // expires_in is 3600
		get()
		assert.Equal(t, 1, tokenRequests(rec))
		time.Sleep(2 * time.Second) // within 10 s of the expiry
		get()
		assert.Equal(t, 2, tokenRequests(rec))
	})
}

func (k Kind[Cl, U, C, P, L, O]) testTokenWithoutExpiresIn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := k.load(t, "get")
		rec := fixture.New(t).Expect(tokenNoExpiryFile, testdata("get"), testdata("get"))
		rec.ExpectExchange(withToken(t, testdata("get"), "test-token", http.StatusUnauthorized))
		rec.ExpectExchange(renewed(t, tokenNoExpiryFile))
		rec.ExpectExchange(withToken(t, testdata("get"), "test-token-2", 0))
		c := k.credentials(t, rec.Client())
		get := func() { _, err := c.Get(context.Background(), g.clientID, g.userID); require.NoError(t, err) }
		get()
		time.Sleep(7 * 24 * time.Hour)
		get()
		assert.Equal(t, 1, tokenRequests(rec), "no expiry: kept")
		get() // 401, new token, retry
		assert.Equal(t, 2, tokenRequests(rec))
	})
}

// A refusal by the token endpoint is an *AuthError holding the endpoint's typed answer,
// with the secret it may echo removed from every text and log.
func (k Kind[Cl, U, C, P, L, O]) testTokenEndpointFailure(t *testing.T) {
	for name, tt := range map[string]struct {
		status int
		body   string
		code   string
	}{
		"rejected credentials": {http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Client test-app-id with secret test-app-secret is unknown"}`, "invalid_client"},
		"bad request":          {http.StatusBadRequest, `{"error":"invalid_request","error_description":"bad client_secret test-app-secret"}`, "invalid_request"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t)
			rec.ExpectExchange(change(t, tokenFile, func(ex *fixture.Exchange) {
				ex.Response = fixture.Response{Status: tt.status, Body: []byte(tt.body)}
			}))
			leaks := fuzzkit.NewLeaks()
			c := k.credentials(t, rec.Client(), k.Opt.Logger(leaks.Logger))
			_, err := c.List(context.Background(), me, *new(L))
			var authErr *usersdk.AuthError
			require.ErrorAs(t, err, &authErr)
			require.ErrorIs(t, err, usersdk.ErrUnauthorized, "rejected credentials")
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a token request creates nothing")
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr, "the token endpoint's OAuth error is typed")
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			require.Contains(t, leaks.Log(), "token request failed", "the client logged")
			leaks.Error(t, err)
			leaks.Print(apiErr.Error(), k.Opt.ClientCredentials(testAppID, testSecret))
			leaks.Check(t, testSecret)
			for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), apiErr.Error()} {
				assert.Contains(t, s, tt.code)
			}
			assert.Len(t, rec.Received(), 1, "no API request without a token")
		})
	}
}

func (k Kind[Cl, U, C, P, L, O]) testNoSecretInErrorsOrLogs(t *testing.T) {
	const password = "pa55-Secret-word"
	req := k.newUser(t, "l", password)
	body := []byte(mustJSON(t, req))
	create := func(status int) *fixture.Exchange {
		return &fixture.Exchange{
			Request:  fixture.Request{Method: "POST", Path: k.collection(me), Body: body},
			Response: fixture.Response{Status: status, Body: []byte(`{"message":"refused"}`)},
		}
	}
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(create(401))
	rec.ExpectExchange(renewed(t, tokenFile))
	rec.ExpectExchange(create(401)) // 1: ErrUnauthorized
	lost := create(500)             // 2: ErrOutcomeUnknown: a proxy's page proves no refusal
	lost.Response.Body, lost.Response.BodyText = nil, "<html>500 Internal Server Error</html>"
	rec.ExpectExchange(lost)
	rec.ExpectExchange(create(422)) // 3: ErrInvalidInput
	rec.ExpectExchange(create(401)) // 4: the token endpoint then refuses: *AuthError
	rec.ExpectExchange(change(t, tokenFile, func(ex *fixture.Exchange) {
		ex.Response = fixture.Response{Status: 401, Body: []byte(`{"error":"invalid_client"}`)}
	}))
	leaks := fuzzkit.NewLeaks()
	c := k.credentials(t, rec.Client(), k.Opt.Logger(leaks.Logger))
	ctx := context.Background()

	var authErr *usersdk.AuthError
	for i, want := range []error{usersdk.ErrUnauthorized, usersdk.ErrOutcomeUnknown, usersdk.ErrInvalidInput, nil} {
		_, err := c.Create(ctx, me, req)
		require.Error(t, err)
		if i < 3 {
			assert.ErrorIs(t, err, want)
		} else {
			assert.ErrorAs(t, err, &authErr)
		}
		leaks.Error(t, err)
	}
	leaks.Logger.Debug("request", "req", req)
	leaks.Print(req, *req, k.Opt.ClientCredentials(testAppID, testSecret), k.Opt.Token(testToken), c, c.TokenSource())
	require.Contains(t, leaks.Log(), "requesting token", "debug logging is on")
	require.Contains(t, leaks.Log(), "credentials rejected")
	leaks.Check(t, password, testSecret, testToken)
}
