package core

import (
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"
)

// mockClient returns a core client with a static token whose requests go to responder,
// counting calls.
func mockClient(t *testing.T, responder httpmock.Responder, opts ...Option) (*Client, *atomic.Int32) {
	t.Helper()
	return familyClient(t, Family{Name: "test", ParseError: ParseCommonError}, StaticToken("tok"), responder, opts...)
}

// familyClient is mockClient for fam, with auth (nil: none).
func familyClient(t *testing.T, fam Family, auth Authenticator, responder httpmock.Responder, opts ...Option) (*Client, *atomic.Int32) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var calls atomic.Int32
	mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		calls.Add(1)
		return responder(req)
	})
	s := NewSettings("https://api.test", nil)
	s.HTTPClient = &http.Client{Transport: mt}
	s.Auth = auth
	require.NoError(t, Apply(s, opts))
	c, err := New(s, fam)
	require.NoError(t, err)
	return c, &calls
}

var (
	errRefused = &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	errReset   = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
)

// sequence answers with each responder in turn, repeating the last.
func sequence(rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(req *http.Request) (*http.Response, error) {
		i := int(n.Add(1)) - 1
		return rs[min(i, len(rs)-1)](req)
	}
}

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
