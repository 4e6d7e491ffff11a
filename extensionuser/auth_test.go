package extensionuser

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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

// The token endpoint's recordings are shared with clientuser.
const (
	tokenFile  = "../internal/telphin/testdata/token.json"
	testAppID  = "test-app-id"
	testSecret = "test-app-secret"
)

func credentialsClient(t *testing.T, hc *http.Client, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithBaseURL(testBaseURL), WithClientCredentials(testAppID, testSecret), WithHTTPClient(hc), WithoutRetries()}, opts...)...)
	require.NoError(t, err)
	return c
}

func withStatus(t *testing.T, file, token string, status int) *fixture.Exchange {
	return exchange(t, file, func(ex *fixture.Exchange) {
		ex.Request.Headers["Authorization"] = "Bearer " + token
		if status != 0 {
			ex.Response = fixture.Response{Status: status, Body: []byte(`{"message":"Unauthorized"}`)}
		}
	})
}

// renewed is the token exchange answered with a second token, test-token-2.
func renewed(t *testing.T) *fixture.Exchange {
	return exchange(t, tokenFile, func(ex *fixture.Exchange) {
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

func TestClientCredentialsTokenExchange(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile, "testdata/get.json")
	c := credentialsClient(t, rec.Client())
	u, err := c.Get(context.Background(), "12345", 201)
	require.NoError(t, err)
	assert.Equal(t, int64(201), u.ID)
	got := rec.Received()
	require.Len(t, got, 2)
	assert.Equal(t, "https://api.test/oauth/token", got[0].URL.String())
	assert.Empty(t, got[0].Header.Get("Authorization"), "the token endpoint gets no bearer")
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
				_, err := c.Get(context.Background(), "12345", 201)
				assert.NoError(t, err)
			})
		}
		synctest.Wait()
		close(gate)
		wg.Wait()
		assert.Equal(t, 1, tokenRequests(rec))
	})
}

func TestRejectedTokenIsRenewedOnceAndRequestRetried(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token", http.StatusUnauthorized))
	rec.ExpectExchange(renewed(t))
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token-2", 0))
	c := credentialsClient(t, rec.Client())
	u, err := c.Get(context.Background(), "12345", 201)
	require.NoError(t, err)
	assert.Equal(t, "ext100", u.Login)
	assert.Equal(t, 2, tokenRequests(rec))
}

func TestSecond401IsUnauthorized(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile)
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token", http.StatusUnauthorized))
	rec.ExpectExchange(renewed(t))
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token-2", http.StatusUnauthorized))
	c := credentialsClient(t, rec.Client())
	_, err := c.Get(context.Background(), "12345", 201)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Len(t, rec.Received(), 4)
}

func TestTokenEndpointFailureHidesTheSecret(t *testing.T) {
	rec := fixture.New(t)
	rec.ExpectExchange(exchange(t, tokenFile, func(ex *fixture.Exchange) {
		ex.Response = fixture.Response{Status: http.StatusBadRequest,
			Body: []byte(`{"error":"invalid_request","error_description":"bad client_secret test-app-secret"}`)}
	}))
	var logs bytes.Buffer
	c := credentialsClient(t, rec.Client(), WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err := c.List(context.Background(), Me, ListOptions{})
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	require.NotEmpty(t, logs.String())
	for _, s := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), logs.String(),
		fmt.Sprintf("%+v", WithClientCredentials(testAppID, testSecret))} {
		assert.NotContains(t, s, testSecret)
	}
}

// The shared token: one fetch serves both packages, and a 401 in one renews it for both.
func TestTokenSharedWithClientuser(t *testing.T) {
	rec := fixture.New(t).Expect(tokenFile, "../clientuser/testdata/get.json", "testdata/get.json")
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token", http.StatusUnauthorized))
	rec.ExpectExchange(renewed(t))
	rec.ExpectExchange(withStatus(t, "testdata/get.json", "test-token-2", 0))
	rec.ExpectExchange(exchange(t, "../clientuser/testdata/get.json", func(ex *fixture.Exchange) {
		ex.Request.Headers["Authorization"] = "Bearer test-token-2"
	}))

	users, err := clientuser.New(clientuser.WithBaseURL(testBaseURL), clientuser.WithClientCredentials(testAppID, testSecret),
		clientuser.WithHTTPClient(rec.Client()), clientuser.WithoutRetries())
	require.NoError(t, err)
	exts, err := New(WithBaseURL(testBaseURL), WithTokenSource(users.TokenSource()), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()

	_, err = users.Get(ctx, "12345", 101)
	require.NoError(t, err)
	_, err = exts.Get(ctx, "12345", 201)
	require.NoError(t, err)
	assert.Equal(t, 1, tokenRequests(rec), "one token for both")

	_, err = exts.Get(ctx, "12345", 201) // 401: renewed once
	require.NoError(t, err)
	_, err = users.Get(ctx, "12345", 101) // uses the renewed token at once
	require.NoError(t, err)
	assert.Equal(t, 2, tokenRequests(rec))
}
