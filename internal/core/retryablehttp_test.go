package core

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

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

func TestRedirectsThatWouldLeakARequestBody(t *testing.T) {
	var plain atomic.Int32
	plainSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain.Add(1)
	}))
	defer plainSrv.Close()
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plain.Add(1)
	}))
	defer other.Close()
	for name, target := range map[string]string{"https to http": plainSrv.URL + "/token", "to another host": other.URL + "/token"} {
		t.Run(name, func(t *testing.T) {
			plain.Store(0)
			var hops atomic.Int32
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hops.Add(1)
				http.Redirect(w, r, target, http.StatusTemporaryRedirect)
			}))
			defer srv.Close()
			s := NewSettings(srv.URL, nil)
			s.HTTPClient = srv.Client()
			c, err := New(s, Family{Name: "test"})
			require.NoError(t, err)
			err = c.Do(context.Background(), &Request{Method: http.MethodPost, URL: srv.URL + "/token", NoAuth: true, Repeat: RepeatSafe,
				Form: url.Values{"client_secret": {"s3cret"}}}, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "refusing")
			assert.Equal(t, int32(0), plain.Load(), "the target received nothing")
			assert.Equal(t, int32(1), hops.Load(), "a refused redirect is not retried")
			assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
		})
	}
}
