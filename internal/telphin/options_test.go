package telphin

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// Token sources, New's checks of its options and the token URL.

func TestSharedTokenSource(t *testing.T) {
	f := newFake(t)
	first := newUsers(t, f)
	second, err := New("test2", KindExtension, hasTestID, []core.Option{
		core.WithBaseURL(testBase), core.WithHTTPClient(f.client()), WithTokenSource(first.TokenSource()),
	})
	require.NoError(t, err)
	require.NoError(t, list(first))
	_, err = second.List(context.Background(), Me, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(1), f.tokens.Load(), "one token serves both")

	// A 401 seen by either renews the token once for both.
	f.reject = func(tok string) bool { return tok == "tok-1" }
	_, err = second.List(context.Background(), Me, nil)
	require.NoError(t, err)
	require.NoError(t, list(first))
	assert.Equal(t, int32(2), f.tokens.Load())
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-2"}, f.sentHeaders())
}

func TestTokenSourceOfEachAuthKind(t *testing.T) {
	f := newFake(t)
	static, err := New("test", KindClient, hasTestID, []core.Option{core.WithHTTPClient(f.client()), WithToken("fixed")})
	require.NoError(t, err)
	tok, err := static.TokenSource().Token()
	require.NoError(t, err)
	assert.Equal(t, "fixed", tok.AccessToken)

	var calls atomic.Int32
	src := sourceFunc(func() (*oauth2.Token, error) {
		calls.Add(1)
		return &oauth2.Token{AccessToken: "from-source"}, nil
	})
	wrapped, err := New("test", KindClient, hasTestID, []core.Option{core.WithHTTPClient(f.client()), WithTokenSource(src)})
	require.NoError(t, err)
	_, ok := wrapped.TokenSource().(*TokenSource)
	require.True(t, ok, "a caller's source is cached, and the cache is what is shared")
	for range 3 {
		tok, err = wrapped.TokenSource().Token()
		require.NoError(t, err)
		assert.Equal(t, "from-source", tok.AccessToken)
	}
	assert.Equal(t, int32(1), calls.Load())
}

func TestSourceThatReturnsTheRejectedTokenGetsNoRetry(t *testing.T) {
	f := newFake(t)
	f.reject = func(string) bool { return true }
	var calls atomic.Int32
	src := sourceFunc(func() (*oauth2.Token, error) {
		calls.Add(1)
		return &oauth2.Token{AccessToken: "cached"}, nil // as oauth2.ReuseTokenSource would
	})
	u, err := New("test", KindClient, hasTestID, []core.Option{core.WithHTTPClient(f.client()), core.WithBaseURL(testBase), WithTokenSource(src)})
	require.NoError(t, err)
	err = list(u)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	assert.Equal(t, int32(1), f.apiCalls.Load(), "resending the rejected token would be pointless")
	assert.Equal(t, int32(2), calls.Load(), "the source was asked again")
}

func TestNewChecksTheTokenEndpoint(t *testing.T) {
	s := core.NewSettings("https://api.test:8443/api/ver1.0", &settings{})
	require.NoError(t, core.Apply(s, []core.Option{WithClientCredentials(testAppID, testSecret)}))
	f, err := core.FamilySettings[settings](s, "test")
	require.NoError(t, err)
	require.NotNil(t, prepare(s, f))
	assert.Equal(t, []string{"https://api.test:8443/oauth/token"}, s.AuthURLs)
	assert.IsType(t, &core.TokenCache{}, s.Auth)

	tests := map[string]struct {
		base string
		opts []core.Option
		ok   bool
	}{
		"plain http to a remote host": {"http://telphin.example.com/api/ver1.0", nil, false},
		"allowed when insecure":       {"http://telphin.example.com/api/ver1.0", []core.Option{core.WithInsecureHTTP()}, true},
		"loopback":                    {"http://127.0.0.1:8080/api/ver1.0", nil, true},
		"no host":                     {"https:///api/ver1.0", nil, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			opts := append([]core.Option{core.WithBaseURL(tt.base), WithClientCredentials(testAppID, testSecret)}, tt.opts...)
			_, err := New("test", KindClient, hasTestID, opts)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}

func TestTokenURL(t *testing.T) {
	for base, want := range map[string]string{
		DefaultBaseURL:                          "https://apiproxy.telphin.ru/oauth/token",
		"https://api.test/api/ver1.0/":          "https://api.test/oauth/token",
		"http://127.0.0.1:8080/api/ver1.0?x=1":  "http://127.0.0.1:8080/oauth/token",
		"https://pbx.example.com:8443/deep/api": "https://pbx.example.com:8443/oauth/token",
		"://bad":                                "",
		"/api/ver1.0":                           "",
	} {
		assert.Equal(t, want, TokenURL(base), base)
	}
}

func TestOptions(t *testing.T) {
	newS := func() *core.Settings { return core.NewSettings(DefaultBaseURL, &settings{}) }
	bad := map[string]core.Option{
		"empty app id":         WithClientCredentials(" ", testSecret),
		"empty secret":         WithClientCredentials(testAppID, ""),
		"empty token":          WithToken(""),
		"nil source":           WithTokenSource(nil),
		"typed nil source":     WithTokenSource((*TokenSource)(nil)),
		"source without cache": WithTokenSource(&TokenSource{}),
	}
	for name, o := range bad {
		t.Run(name, func(t *testing.T) { assert.Error(t, o(newS())) })
	}
	t.Run("not a Telphin client", func(t *testing.T) {
		assert.Error(t, WithToken("t")(core.NewSettings("", nil)))
	})

	// The last auth option wins.
	s := newS()
	require.NoError(t, core.Apply(s, []core.Option{WithToken("t"), WithClientCredentials(testAppID, testSecret)}))
	assert.Nil(t, s.Auth)
	assert.Equal(t, settings{appID: testAppID, secret: testSecret}, *s.Family.(*settings))
	require.NoError(t, core.Apply(s, []core.Option{WithToken("t")}))
	assert.NotNil(t, s.Auth)
	assert.Equal(t, settings{token: "t"}, *s.Family.(*settings))

	_, err := New("pkg", KindClient, hasTestID, []core.Option{core.WithBaseURL(testBase)})
	require.EqualError(t, err, "pkg: no credentials: use WithClientCredentials, WithTokenSource or WithToken")
	_, err = New("pkg", KindClient, hasTestID, []core.Option{WithToken("")})
	require.EqualError(t, err, "pkg: WithToken: empty token")
}
