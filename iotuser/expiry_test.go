package iotuser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

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
