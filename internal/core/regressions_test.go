package core

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
	"golang.org/x/oauth2"
)

// Regressions found in review; each test failed before its fix.

func TestTransportErrorLogHidesQuery(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(resetAfterBody))
	defer srv.Close()
	var buf bytes.Buffer
	c := serverClient(t, srv.URL, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u", Query: url.Values{"access_token": {"S3CRET"}}}, nil)
	require.Error(t, err)
	require.Contains(t, buf.String(), "http attempt")
	assert.NotContains(t, buf.String(), "S3CRET")
	assert.NotContains(t, err.Error(), "S3CRET")
}

func TestFailedCallKeepsThePoolsIdleConnections(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) }))
	conns := startCounting(t, srv)
	c := serverClient(t, srv.URL)
	ctx := context.Background()
	require.NoError(t, c.Do(ctx, &Request{Method: "GET", Path: "/a"}, nil))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	require.Error(t, c.Do(cancelled, &Request{Method: "GET", Path: "/b"}, nil))
	require.NoError(t, c.Do(ctx, &Request{Method: "GET", Path: "/a"}, nil))
	assert.Equal(t, int32(1), conns.Load(), "another caller's failure must not close the pool")
}

func TestSucceededWriteWithUnreadableAnswerIsOutcomeUnknown(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id":7,`)
	}))
	defer srv.Close()
	c := serverClient(t, srv.URL)
	var out map[string]any
	err := c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, &out)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, int32(1), posts.Load())
}

func TestTLSRecordErrorAfterSendIsNotRetried(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		_, _ = io.ReadAll(r.Body)
		conn, _, _ := w.(http.Hijacker).Hijack()
		_, _ = conn.(*tls.Conn).NetConn().Write([]byte("\x17\x03\x01\x00\x05hello")) // garbage on the TLS stream
		conn.Close()
	}))
	defer srv.Close()
	c := serverClient(t, srv.URL, WithHTTPClient(srv.Client()))
	err := c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, nil)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, int32(1), posts.Load())
}

func TestWrappedNullListIsEmpty(t *testing.T) {
	n := 0
	require.NoError(t, decodeList(strings.NewReader(`{"data":null,"total":0}`), wrapKeys, func(*json.Decoder) error { n++; return nil }))
	assert.Zero(t, n)
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

func TestRedirectToPlainHTTPIsRefused(t *testing.T) {
	var got atomic.Value
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization"))
		io.WriteString(w, `{}`)
	}))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer tlsSrv.Close()
	c := serverClient(t, tlsSrv.URL, WithHTTPClient(tlsSrv.Client()))
	err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "redirect from https")
	assert.Nil(t, got.Load(), "the plain-http server must not be reached")
}

func TestURLErrorsNeverQuoteTheURL(t *testing.T) {
	for _, raw := range []string{"admin:hunter2@bo.example.com", "ftp://admin:hunter2@h", "https://admin:hunter2@", "::hunter2"} {
		err := checkURL(raw, true, false)
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), "hunter2")
	}
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

func TestWriteIsNotRetriedOnRateLimitResetAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			r := &http.Response{StatusCode: 429, Header: http.Header{"X-Ratelimit-Reset": {"2"}}, Body: http.NoBody}
			return r, nil
		})
		err := c.Do(context.Background(), &Request{Method: "POST", Path: "/u", Body: 1}, nil)
		require.ErrorIs(t, err, usersdk.ErrRateLimited)
		assert.Equal(t, int32(1), calls.Load())
	})
}

func TestPastRateLimitResetFallsBackToBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		c, _ := mockClient(t, func(*http.Request) (*http.Response, error) {
			if n.Add(1) == 1 {
				past := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
				return &http.Response{StatusCode: 429, Header: http.Header{"X-Ratelimit-Reset": {past}}, Body: http.NoBody}, nil
			}
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{}`))}, nil
		}, WithRetry(3, time.Second, time.Second))
		start := time.Now()
		require.NoError(t, c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil))
		assert.Greater(t, time.Since(start), time.Duration(0), "a past reset must not mean retrying at once")
	})
}

func TestErrorInSuccessBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "r-1")
		if r.URL.Path == "/bad" {
			io.WriteString(w, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`)
			return
		}
		io.WriteString(w, `[{"id":1},{"id":2}]`)
	}))
	defer srv.Close()
	s := NewSettings(srv.URL, nil)
	c, err := New(s, Family{Name: "t", ParseError: ParseCommonError, ErrorInSuccess: func(b []byte) bool {
		return bytes.Contains(b, []byte(`"error"`))
	}})
	require.NoError(t, err)
	_, err = List[map[string]int](context.Background(), c, &Request{Method: "GET", Path: "/bad"})
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 200, apiErr.StatusCode)
	assert.Equal(t, "Exception", apiErr.Code)
	assert.Equal(t, "GET /bad: 200 OK: Unknown userId Error [Exception] (request id r-1)", err.Error())
	items, err := List[map[string]int](context.Background(), c, &Request{Method: "GET", Path: "/ok"})
	require.NoError(t, err)
	assert.Len(t, items, 2)
}

func TestNotIdempotentPUTIsSentOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 502, Body: http.NoBody}, nil
		})
		err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/usr/new", Body: 1, Repeat: RepeatUnsafe}, nil)
		require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
		assert.Equal(t, int32(1), calls.Load())
	})
}

// A server that echoes a refused request holds its secret as the request spelt it: in a
// form, + / and = are escaped, and in JSON, < & and " are. No spelling reaches the error.
func TestEchoedSecretIsRedactedInEverySpelling(t *testing.T) {
	const secret = `ab+c/d=<&"x`
	c, _ := mockClient(t, func(req *http.Request) (*http.Response, error) {
		sent, _ := io.ReadAll(req.Body)
		quoted, _ := json.Marshal(secret)
		body := fmt.Sprintf(`{"message":"refused %s","code":%s,"echo":%q}`, sent, quoted, sent)
		return httpmock.NewStringResponse(http.StatusBadRequest, body), nil
	})
	err := c.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/token", NoAuth: true,
		Form: url.Values{"client_secret": {secret}}, Secrets: []string{secret}}, nil)
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "refused", "the rest of the message is kept")
	for _, s := range []string{secret, `ab%2Bc%2Fd%3D%3C%26%22x`, `ab+c/d=\u003c\u0026\"x`} {
		for _, text := range []string{err.Error(), apiErr.Message, apiErr.Code, string(apiErr.Body)} {
			assert.NotContains(t, text, s)
		}
	}
}
