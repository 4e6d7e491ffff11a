package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/oauth2"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

// serverClient returns a core client for a real loopback server, retrying without waits
// (these tests are about connections, not timing).
func serverClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	s := NewSettings(url, nil)
	s.RetryWaitMin, s.RetryWaitMax = 0, 0
	s.Auth = StaticToken("tok")
	require.NoError(t, Apply(s, opts))
	c, err := New(s, Family{Name: "test", ParseError: ParseCommonError})
	require.NoError(t, err)
	return c
}

// startCounting starts srv, closed when t ends, and counts the connections it accepts.
func startCounting(t *testing.T, srv *httptest.Server) *atomic.Int32 {
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return &conns
}

func TestOneConnectionServesSequentialRequestsWithErrors(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		switch {
		case i%10 == 3:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"nope"}`)
		case i%10 == 6:
			w.WriteHeader(http.StatusServiceUnavailable) // retried by the client
			io.WriteString(w, `{"message":"busy"}`)
		default:
			io.WriteString(w, `{"id":1}`)
		}
	}))
	conns := startCounting(t, srv)
	c := serverClient(t, srv.URL)
	var notFound int
	for range 100 {
		err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
		if err != nil {
			require.ErrorIs(t, err, usersdk.ErrNotFound)
			notFound++
		}
	}
	assert.Equal(t, int32(1), conns.Load(), "connections opened")
	assert.Greater(t, notFound, 5)
	assert.Greater(t, n.Load(), int32(100), "some answers were retried")
}

// resetAfterBody reads the whole request and then drops the connection without answering.
func resetAfterBody(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // RST instead of FIN
	}
	conn.Close()
}

func TestRealResetAfterSend(t *testing.T) {
	var posts, gets atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts.Add(1)
		} else {
			gets.Add(1)
		}
		resetAfterBody(w, r)
	}))
	defer srv.Close()
	c := serverClient(t, srv.URL)

	err := c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: map[string]string{"login": "a"}}, nil)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, int32(1), posts.Load(), "a write that reached the server is sent once")

	err = c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.GreaterOrEqual(t, gets.Load(), int32(4), "reads are retried")
}

func TestRealConnectionRefusedWriteIsRetried(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens here now
	c := serverClient(t, "http://"+addr)
	err = c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a refused connection surely did not deliver the write")
	var re *usersdk.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 4, re.Attempts)
}

func TestResponseLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"name":"`+strings.Repeat("x", 200)+`"}`)
	}))
	defer srv.Close()
	var out map[string]string
	c := serverClient(t, srv.URL, WithMaxResponseBytes(100))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/"}, &out)
	require.ErrorIs(t, err, usersdk.ErrResponseTooLarge)
	c = serverClient(t, srv.URL, WithMaxResponseBytes(211)) // exactly the body's size
	require.NoError(t, c.Do(context.Background(), &Request{Method: "GET", Path: "/"}, &out))
	assert.Len(t, out["name"], 200)
}

func TestRetryablehttpNeverWritesToStderr(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	orig := os.Stderr
	os.Stderr = w
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	c := serverClient(t, srv.URL)
	_ = c.Do(context.Background(), &Request{Method: "GET", Path: "/"}, nil)
	srv.Close()
	os.Stderr = orig
	w.Close()
	out, _ := io.ReadAll(r)
	assert.Empty(t, string(out))
}

func TestDebugLogRedactsSecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"bad token"}`)
	}))
	defer srv.Close()
	var buf bytes.Buffer
	c := serverClient(t, srv.URL, WithLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u", Query: url.Values{"access_token": {"tok"}, "q": {"x"}}}, nil)
	require.ErrorIs(t, err, usersdk.ErrUnauthorized)
	require.NotEmpty(t, buf.String())
	assert.NotContains(t, buf.String(), "tok\"")
	assert.NotContains(t, err.Error(), "tok&")
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.URL, "access_token=%5BREDACTED%5D")
}

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

type tokenT = oauth2.Token
