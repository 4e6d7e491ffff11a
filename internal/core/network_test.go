package core

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

// Tests against real loopback servers: connections are pooled, reset and refused as
// they are in production, which a mock transport cannot show.

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

// An answer of unknown length is read to its end after decoding, the tail arriving after
// the JSON included, so that its connection serves the next call.
func TestChunkedAnswersKeepTheirConnection(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[{"id":1}]`)
		w.(http.Flusher).Flush() // no Content-Length: the body is chunked
		io.WriteString(w, "\n")
	}))
	conns := startCounting(t, srv)
	c := serverClient(t, srv.URL)
	ctx := context.Background()
	for range 3 {
		var out []map[string]int
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodGet, Path: "/u"}, &out))
		require.NoError(t, c.Do(ctx, &Request{Method: http.MethodDelete, Path: "/u"}, nil))
		_, err := List[map[string]int](ctx, c, &Request{Method: http.MethodGet, Path: "/u"})
		require.NoError(t, err)
	}
	assert.Equal(t, int32(1), conns.Load(), "connections opened")
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
