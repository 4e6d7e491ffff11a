package core

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
	"golang.org/x/oauth2"
)

func TestTokenCacheFetchesOnceForConcurrentCallers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var fetches atomic.Int32
		release := make(chan struct{})
		cache := NewTokenCache(time.Minute, func(context.Context) (*tokenT, error) {
			fetches.Add(1)
			<-release
			return &tokenT{AccessToken: "t1", Expiry: time.Now().Add(time.Hour)}, nil
		})
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				tok, err := cache.Token(context.Background())
				assert.NoError(t, err)
				assert.Equal(t, "t1", tok.AccessToken)
			})
		}
		synctest.Wait() // every caller waits on the one fetch
		close(release)
		wg.Wait()
		assert.Equal(t, int32(1), fetches.Load())

		// 50 callers that all saw t1 rejected cause one more fetch.
		cache.fetch = func(context.Context) (*tokenT, error) {
			fetches.Add(1)
			return &tokenT{AccessToken: "t2", Expiry: time.Now().Add(time.Hour)}, nil
		}
		for range 50 {
			wg.Go(func() { assert.NoError(t, cache.Refresh(context.Background(), "t1")) })
		}
		wg.Wait()
		assert.Equal(t, int32(2), fetches.Load())
		assert.Equal(t, "t2", cache.Current().AccessToken)

		// A token is replaced a minute before it expires, not later.
		time.Sleep(58 * time.Minute)
		_, _ = cache.Token(context.Background())
		assert.Equal(t, int32(2), fetches.Load())
		time.Sleep(time.Minute + time.Second)
		_, _ = cache.Token(context.Background())
		assert.Equal(t, int32(3), fetches.Load())
	})
}

func TestTokenCacheCallerCancelDoesNotFailOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		cache := NewTokenCache(0, func(ctx context.Context) (*tokenT, error) {
			<-release
			return &tokenT{AccessToken: "t"}, ctx.Err()
		})
		ctx, cancel := context.WithCancel(context.Background())
		first := make(chan error)
		go func() { _, err := cache.Token(ctx); first <- err }()
		synctest.Wait()
		cancel()
		require.ErrorIs(t, <-first, context.Canceled)
		second := make(chan error)
		go func() { _, err := cache.Token(context.Background()); second <- err }()
		synctest.Wait()
		close(release)
		require.NoError(t, <-second)
	})
}

// A fetch outlives its caller and serves others, so it must not write the caller's
// WithResponse capture (after a cancelled call returned, that was a data race); the
// caller's other values still reach it.
func TestTokenFetchLeavesTheCallersResponseAlone(t *testing.T) {
	type key struct{}
	var got usersdk.Response
	ctx := context.WithValue(usersdk.WithResponse(context.Background(), &got), key{}, "kept")
	var capture *usersdk.Response
	var value any
	cache := NewTokenCache(0, func(ctx context.Context) (*tokenT, error) {
		capture, value = usersdk.ResponseFrom(ctx), ctx.Value(key{})
		return &tokenT{AccessToken: "t"}, nil
	})
	_, err := cache.Token(ctx)
	require.NoError(t, err)
	assert.Nil(t, capture)
	assert.Equal(t, "kept", value)
}

func TestHungTokenSourceIsAbandoned(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		block := make(chan struct{})
		defer close(block)
		tc := NewTokenSourceCache(tsFunc(func() (*oauth2.Token, error) {
			if n.Add(1) == 1 {
				<-block // the first fetch never returns
			}
			return &oauth2.Token{AccessToken: "ok"}, nil
		}))
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := tc.Token(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
		time.Sleep(FetchTimeout) // fake time: the hung fetch is given up
		tok, err := tc.Token(context.Background())
		require.NoError(t, err)
		assert.Equal(t, "ok", tok.AccessToken)
		assert.Equal(t, int32(2), n.Load())
	})
}

type tsFunc func() (*oauth2.Token, error)

func (f tsFunc) Token() (*oauth2.Token, error) { return f() }

func TestRefreshOn401ThenSuccess(t *testing.T) {
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]int{"id": 1})
	}))
	defer srv.Close()
	cache := NewTokenCache(0, func(context.Context) (*tokenT, error) {
		if fetches.Add(1) == 1 {
			return &tokenT{AccessToken: "stale"}, nil
		}
		return &tokenT{AccessToken: "fresh"}, nil
	})
	c := serverClient(t, srv.URL, func(s *Settings) error { s.Auth = cache; return nil })
	var out struct{ ID int }
	require.NoError(t, c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, &out))
	assert.Equal(t, 1, out.ID)
	assert.Equal(t, int32(2), fetches.Load())
}

func TestSecond401IsUnauthorized(t *testing.T) {
	var hits, fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"Token expired"}`)
	}))
	defer srv.Close()
	cache := NewTokenCache(0, func(context.Context) (*tokenT, error) {
		return &tokenT{AccessToken: "t" + string(rune('0'+fetches.Add(1)))}, nil
	})
	c := serverClient(t, srv.URL, func(s *Settings) error { s.Auth = cache; return nil })
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	assert.Equal(t, int32(2), hits.Load(), "one retry after one refresh")
	assert.Equal(t, int32(2), fetches.Load())
}

func TestRefreshThatYieldsTheSameTokenIsNotResent(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	reuse := oauth2.ReuseTokenSource(nil, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "A"}))
	c := serverClient(t, srv.URL, func(s *Settings) error { s.Auth = NewTokenSourceCache(reuse); return nil })
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	assert.Equal(t, int32(1), hits.Load())
}

type tokenT = oauth2.Token

func TestCheckToken(t *testing.T) {
	for token, want := range map[string]string{
		"abc":             "",
		"eyJ.a-b_c.d+/=~": "",
		"abc\n":           "contains a control character (byte 3 is 0x0a)",
		"abc\r\n":         "contains a control character (byte 3 is 0x0d)",
		"a\tb":            "contains a control character (byte 1 is 0x09)",
		"\x00":            "contains a control character (byte 0 is 0x00)",
		"a\x7f":           "contains a control character (byte 1 is 0x7f)",
	} {
		err := CheckToken(token)
		if want == "" {
			assert.NoError(t, err, "%q", token)
			continue
		}
		assert.EqualError(t, err, want, "%q", token)
		ve := CheckTokenOption("WithToken", "the token", token)
		var verr *usersdk.ValidationError
		require.ErrorAs(t, ve, &verr)
		assert.Equal(t, "WithToken", verr.Field)
		assert.ErrorIs(t, ve, usersdk.ErrInvalidInput)
	}
}

// A fetched token that no header can carry is an *AuthError and is not kept: the next
// call fetches again.
func TestTokenCacheRefusesAnUnusableToken(t *testing.T) {
	for _, bad := range []string{"abc\n", "abc\r\n", "a\x00b"} {
		var fetches atomic.Int32
		cache := NewTokenCache(0, func(context.Context) (*tokenT, error) {
			if fetches.Add(1) == 1 {
				return &tokenT{AccessToken: bad}, nil
			}
			return &tokenT{AccessToken: "good"}, nil
		})
		req := httptest.NewRequest(http.MethodGet, "https://api.test/u", nil)
		_, err := cache.Authenticate(t.Context(), req)
		var authErr *usersdk.AuthError
		require.ErrorAs(t, err, &authErr, "%q", bad)
		assert.Contains(t, err.Error(), "unusable access token")
		assert.Nil(t, cache.Current(), "%q is not kept", bad)
		assert.Empty(t, req.Header.Get("Authorization"))

		cred, err := cache.Authenticate(t.Context(), req)
		require.NoError(t, err)
		assert.Equal(t, "good", cred)
		assert.Equal(t, "Bearer good", req.Header.Get("Authorization"))
		assert.Equal(t, int32(2), fetches.Load())
	}
}

func TestTokenExpiry(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct{ expiry, want time.Time }{
		"none":                {time.Time{}, time.Time{}},
		"past (clock skew)":   {now.Add(-time.Hour), time.Time{}},
		"within the margin":   {now.Add(30 * time.Second), time.Time{}},
		"at the margin":       {now.Add(time.Minute), time.Time{}},
		"beyond the margin":   {now.Add(time.Minute + time.Second), now.Add(time.Minute + time.Second)},
		"further than a life": {now.Add(math.MaxInt64), now.Add(math.MaxInt64)},
	} {
		assert.Equal(t, tc.want, TokenExpiry(tc.expiry, now, time.Minute), name)
	}
}
