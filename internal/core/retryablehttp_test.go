package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

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

// Credentials go to the configured host only: never over plain http, never to another
// host, not even the same name on another port (net/http alone would keep them there).
func TestRedirectsSendCredentialsOnlyToTheConfiguredHost(t *testing.T) {
	var got atomic.Pointer[string] // the Authorization the last answering server saw
	record := func(w http.ResponseWriter, r *http.Request) {
		a := r.Header.Get("Authorization")
		got.Store(&a)
		io.WriteString(w, `{}`)
	}
	other := httptest.NewServer(http.HandlerFunc(record))
	defer other.Close()
	for name, tt := range map[string]struct {
		tls     bool
		target  string // where /u redirects; /same answers on the first server
		wantErr string
		want    string
	}{
		"https to http": {tls: true, target: other.URL + "/u", wantErr: "redirect from https"},
		"another port":  {target: other.URL + "/u", want: ""},
		"same host":     {target: "/same", want: "Bearer tok"},
	} {
		t.Run(name, func(t *testing.T) {
			got.Store(nil)
			redirect := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/same" {
					record(w, r)
					return
				}
				http.Redirect(w, r, tt.target, http.StatusTemporaryRedirect)
			})
			srv := httptest.NewUnstartedServer(redirect)
			if tt.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			c := serverClient(t, srv.URL, WithHTTPClient(srv.Client()))
			err := c.Do(context.Background(), &Request{Method: "GET", Path: "/u"}, nil)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Nil(t, got.Load(), "the target must not be reached")
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got.Load())
			assert.Equal(t, tt.want, *got.Load())
		})
	}
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

// blockingBody is what net/http hands back for a 101: a connection that never sends and
// ignores the request's deadline. Reading it blocks until it is closed.
type blockingBody struct {
	once   sync.Once
	closed chan struct{}
}

func (b *blockingBody) Read([]byte) (int, error) { <-b.closed; return 0, io.EOF }
func (b *blockingBody) Close() error             { b.once.Do(func() { close(b.closed) }); return nil }

func TestSwitchingProtocolsIsRefusedWithoutReadingTheConnection(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		t.Run(method, func(t *testing.T) {
			// In a bubble, a read that blocks for ever is reported as a deadlock.
			synctest.Test(t, func(t *testing.T) {
				body := &blockingBody{closed: make(chan struct{})}
				c, calls := mockClient(t, func(*http.Request) (*http.Response, error) {
					return &http.Response{StatusCode: http.StatusSwitchingProtocols, Status: "101 Switching Protocols",
						Header: http.Header{"Upgrade": {"websocket"}}, Body: body}, nil
				})
				err := c.Do(context.Background(), &Request{Method: method, Path: "/u", Body: map[string]int{"a": 1}}, nil)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "101 Switching Protocols")
				assert.Equal(t, int32(1), calls.Load(), "not retried")
				assert.Equal(t, method == http.MethodPost, errors.Is(err, usersdk.ErrOutcomeUnknown),
					"a write that was sent may have taken effect")
				select {
				case <-body.closed:
				default:
					t.Error("the connection was not closed")
				}
			})
		})
	}
}

type nilAnswer struct{}

func (nilAnswer) RoundTrip(*http.Request) (*http.Response, error) { return nil, nil }

func TestATransportThatAnswersNothingIsAnError(t *testing.T) {
	c := serverClient(t, "https://api.test", WithHTTPClient(&http.Client{Transport: nilAnswer{}}), WithoutRetries())
	err := c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/u"}, nil)
	var re *usersdk.RequestError
	require.ErrorAs(t, err, &re)
	assert.Contains(t, err.Error(), "nil *Response")
}

// net/http follows a 301, 302 or 303 to a write with a GET, whose answer would pass for
// the write's. Such a redirect is not followed: the 3xx is the error, sent once, and a 303
// (the server processed the write) matches ErrOutcomeUnknown for a write that is not safe
// to repeat. A GET follows every redirect, and a 307 or 308 keeps the method and body.
func TestRedirectsThatWouldChangeTheMethod(t *testing.T) {
	for _, method := range []string{http.MethodGet, http.MethodDelete, http.MethodPut, http.MethodPatch, http.MethodPost} {
		for _, code := range []int{301, 302, 303, 307, 308} {
			t.Run(fmt.Sprint(method, code), func(t *testing.T) {
				var hops, seen []string
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					if r.URL.Path == "/old" {
						hops = append(hops, r.Method)
						http.Redirect(w, r, "/new?token=s3cret", code)
						return
					}
					seen = append(seen, r.Method+" "+string(body))
					io.WriteString(w, `{"id":5}`)
				}))
				defer srv.Close()
				c := serverClient(t, srv.URL)
				var body any
				if method != http.MethodGet && method != http.MethodDelete {
					body = map[string]int{"a": 1}
				}
				var out map[string]int
				err := c.Do(context.Background(), &Request{Method: method, Path: "/old", Body: body}, &out)

				assert.Equal(t, []string{method}, hops, "sent once")
				if method == http.MethodGet || code == 307 || code == 308 {
					require.NoError(t, err)
					assert.Equal(t, map[string]int{"id": 5}, out)
					want := method + " "
					if body != nil {
						want += `{"a":1}`
					}
					assert.Equal(t, []string{want}, seen, "followed with the same method and body")
					return
				}
				assert.Empty(t, seen, "the target is not reached")
				var apiErr *usersdk.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, code, apiErr.StatusCode)
				assert.Equal(t, 1, apiErr.Attempts)
				assert.Contains(t, err.Error(), fmt.Sprintf("%d %s", code, http.StatusText(code)))
				assert.Contains(t, err.Error(), "redirect to /new not followed")
				assert.NotContains(t, err.Error(), "s3cret")
				// A 303, or a 301/302 after a POST (Post/Redirect/Get), says the write was
				// processed; only a write that is unsafe to repeat is reported so.
				unsafe := method == http.MethodPost || method == http.MethodPatch
				assert.Equal(t, unsafe, errors.Is(err, usersdk.ErrOutcomeUnknown))
			})
		}
	}
}
