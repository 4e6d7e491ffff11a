package clientuser

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

// The token endpoint's recordings are shared with extensionuser.
const (
	tokenFile         = "../internal/telphin/testdata/token.json"
	tokenNoExpiryFile = "../internal/telphin/testdata/token_no_expiry.json"
	testAppID         = "test-app-id"
	testSecret        = "test-app-secret"
)

func credentialsClient(t *testing.T, hc *http.Client, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithBaseURL(testBaseURL), WithClientCredentials(testAppID, testSecret), WithHTTPClient(hc), WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	return c
}

// unauthorized is the get.json request answered with 401.
func unauthorized(t *testing.T) *fixture.Exchange {
	return exchange(t, "testdata/get.json", func(ex *fixture.Exchange) {
		ex.Response = fixture.Response{Status: http.StatusUnauthorized, Body: []byte(`{"message":"Unauthorized"}`)}
	})
}

// renewed is the token exchange answered with a second token, test-token-2.
func renewed(t *testing.T, file string) *fixture.Exchange {
	return exchange(t, file, func(ex *fixture.Exchange) {
		ex.Response.Body = bytes.Replace(ex.Response.Body, []byte(`"test-token"`), []byte(`"test-token-2"`), 1)
	})
}

// getWithRenewed is get.json sent with the second token.
func getWithRenewed(t *testing.T) *fixture.Exchange {
	return exchange(t, "testdata/get.json", func(ex *fixture.Exchange) {
		ex.Request.Headers["Authorization"] = "Bearer test-token-2"
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

func TestClientCredentialsTokenExchange(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile, "testdata/get.json")
	c := credentialsClient(t, rec.Client())
	u, err := c.Get(context.Background(), "12345", 101)
	require.NoError(t, err)
	assert.Equal(t, int64(101), u.ID)

	got := rec.Received()
	require.Len(t, got, 2)
	assert.Equal(t, "https://api.test/oauth/token", got[0].URL.String(), "the base URL's host, not its path")
	assert.Empty(t, got[0].Header.Get("Authorization"), "the token endpoint gets no bearer and no Basic auth")
}

func TestDefaultBaseURLAndTokenEndpoint(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(&fixture.Exchange{
		Request:  fixture.Request{Method: "GET", Path: "/api/ver1.0/client/@me/user/client/", Headers: map[string]string{"Authorization": "Bearer test-token"}},
		Response: fixture.Response{Status: 200, Body: []byte(`[]`)},
	})
	c, err := New(WithClientCredentials(testAppID, testSecret), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	users, err := c.List(context.Background(), Me, ListOptions{})
	require.NoError(t, err)
	assert.Empty(t, users)
	got := rec.Received()
	require.Len(t, got, 2)
	assert.Equal(t, "https://apiproxy.telphin.ru/oauth/token", got[0].URL.String())
	assert.Equal(t, "https://apiproxy.telphin.ru/api/ver1.0/client/@me/user/client/", got[1].URL.String())
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

func TestTokenFetchedOnceFor50ConcurrentRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect(tokenFile).Expect(slices.Repeat([]string{"testdata/get.json"}, 50)...)
		gate := make(chan struct{})
		c := credentialsClient(t, &http.Client{Transport: gatedTransport{rec.Transport(), gate}})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				_, err := c.Get(context.Background(), "12345", 101)
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

func TestRejectedTokenIsRenewedOnceAndRequestRetried(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(unauthorized(t))
	rec.ExpectExchange(renewed(t, tokenFile))
	rec.ExpectExchange(getWithRenewed(t))
	c := credentialsClient(t, rec.Client())
	u, err := c.Get(context.Background(), "12345", 101)
	require.NoError(t, err)
	assert.Equal(t, "operator1", u.Login)
	assert.Equal(t, 2, tokenRequests(rec))
}

func TestSecond401IsUnauthorized(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(unauthorized(t))
	rec.ExpectExchange(renewed(t, tokenFile))
	rec.ExpectExchange(exchange(t, "testdata/get.json", func(ex *fixture.Exchange) {
		ex.Request.Headers["Authorization"] = "Bearer test-token-2"
		ex.Response = fixture.Response{Status: http.StatusUnauthorized, Body: []byte(`{"message":"Unauthorized"}`)}
	}))
	c := credentialsClient(t, rec.Client())
	_, err := c.Get(context.Background(), "12345", 101)
	require.ErrorIs(t, err, ErrUnauthorized)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Unauthorized", apiErr.Message)
	assert.Len(t, rec.Received(), 4, "one new token, one retry, nothing more")
}

func TestTokenReplacedBeforeExpiry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect(tokenFile, "testdata/get.json", "testdata/get.json", tokenFile, "testdata/get.json")
		c := credentialsClient(t, rec.Client())
		get := func() { _, err := c.Get(context.Background(), "12345", 101); require.NoError(t, err) }
		get()
		time.Sleep(time.Hour - 11*time.Second) // expires_in is 3600
		get()
		assert.Equal(t, 1, tokenRequests(rec))
		time.Sleep(2 * time.Second) // within 10 s of the expiry
		get()
		assert.Equal(t, 2, tokenRequests(rec))
	})
}

func TestTokenWithoutExpiresInIsKeptUntil401(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect(tokenNoExpiryFile, "testdata/get.json", "testdata/get.json")
		rec.ExpectExchange(unauthorized(t))
		rec.ExpectExchange(renewed(t, tokenNoExpiryFile))
		rec.ExpectExchange(getWithRenewed(t))
		c := credentialsClient(t, rec.Client())
		get := func() { _, err := c.Get(context.Background(), "12345", 101); require.NoError(t, err) }
		get()
		time.Sleep(7 * 24 * time.Hour)
		get()
		assert.Equal(t, 1, tokenRequests(rec), "no expiry: kept")
		get() // 401, new token, retry
		assert.Equal(t, 2, tokenRequests(rec))
	})
}

func TestTokenEndpointFailureIsAuthError(t *testing.T) {
	rec := fixture.New(t)
	rec.ExpectExchange(exchange(t, tokenFile, func(ex *fixture.Exchange) {
		ex.Response = fixture.Response{Status: http.StatusUnauthorized,
			Body: []byte(`{"error":"invalid_client","error_description":"Client test-app-id with secret test-app-secret is unknown"}`)}
	}))
	c := credentialsClient(t, rec.Client())
	_, err := c.List(context.Background(), Me, ListOptions{})
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	require.ErrorIs(t, err, ErrUnauthorized, "rejected credentials")
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a token request creates nothing")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the token endpoint's OAuth error is typed")
	assert.Equal(t, "invalid_client", apiErr.Code)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), apiErr.Error()} {
		assert.NotContains(t, s, testSecret)
		assert.Contains(t, s, "invalid_client")
	}
	assert.Len(t, rec.Received(), 1, "no API request without a token")
}

func TestNoSecretPasswordOrTokenInErrorsOrLogs(t *testing.T) {
	const password = "pa55-Secret-word"
	body := []byte(`{"login":"l","name":"n","password":"` + password + `","email":"e@example.com"}`)
	create := func(status int) *fixture.Exchange {
		return &fixture.Exchange{
			Request:  fixture.Request{Method: "POST", Path: "/api/ver1.0/client/@me/user/client/", Body: body},
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
	rec.ExpectExchange(exchange(t, tokenFile, func(ex *fixture.Exchange) {
		ex.Response = fixture.Response{Status: 401, Body: []byte(`{"error":"invalid_client"}`)}
	}))
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := credentialsClient(t, rec.Client(), WithLogger(logger))
	req := &CreateRequest{Login: "l", Name: "n", Password: password, Email: "e@example.com"}
	ctx := context.Background()

	var texts []string
	var authErr *AuthError
	for i, want := range []error{ErrUnauthorized, ErrOutcomeUnknown, ErrInvalidInput, authErr} {
		_, err := c.Create(ctx, Me, req)
		require.Error(t, err)
		if i < 3 {
			assert.ErrorIs(t, err, want)
		} else {
			assert.ErrorAs(t, err, &authErr)
		}
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err))
	}
	logger.Debug("request", "req", req)
	texts = append(texts, logs.String(),
		fmt.Sprintf("%v", req), fmt.Sprintf("%+v", req), fmt.Sprintf("%#v", *req),
		fmt.Sprintf("%v", WithClientCredentials(testAppID, testSecret)), fmt.Sprintf("%+v", WithClientCredentials(testAppID, testSecret)),
		fmt.Sprintf("%v", WithToken(testToken)), fmt.Sprintf("%+v", WithToken(testToken)),
		fmt.Sprintf("%+v", c), fmt.Sprintf("%+v", c.TokenSource()))
	require.Contains(t, logs.String(), "requesting token", "debug logging is on")
	require.Contains(t, logs.String(), "credentials rejected")
	for _, s := range texts {
		assert.NotContains(t, s, password)
		assert.NotContains(t, s, testSecret)
		assert.NotContains(t, s, testToken)
	}
}
