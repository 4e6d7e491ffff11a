package core

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

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

// Bodies are read into pooled buffers that the next call reuses: what a call returns must
// not lie in one. Each path answers a body of the same length, so a reused buffer would
// overwrite an earlier result.
func TestResultsOutliveThePooledBody(t *testing.T) {
	bodies := map[string]string{
		"/raw":  `{"v":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`,
		"/obj":  `{"v":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}`,
		"/bad":  `{"error":{"type":"E","message":"ccccccccccccccc"}}`,
		"/next": `{"v":"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, bodies[r.URL.Path])
	}))
	t.Cleanup(srv.Close)
	for name, fam := range map[string]Family{
		"plain":          {Name: "t", ParseError: ParseCommonError},
		"ErrorInSuccess": {Name: "t", ParseError: ParseCommonError, ErrorInSuccess: func(b []byte) bool { return bytes.HasPrefix(b, []byte(`{"error"`)) }},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(NewSettings(srv.URL, nil), fam)
			require.NoError(t, err)
			ctx := context.Background()
			get := func(path string, out any) error { return c.Do(ctx, &Request{Method: http.MethodGet, Path: path}, out) }
			var raw []byte
			require.NoError(t, get("/raw", &raw))
			var obj struct{ V json.RawMessage }
			require.NoError(t, get("/obj", &obj))
			var apiErr *usersdk.APIError
			if fam.ErrorInSuccess != nil {
				require.ErrorAs(t, get("/bad", nil), &apiErr)
			}
			for range 20 {
				var next struct{ V string }
				require.NoError(t, get("/next", &next))
			}
			assert.Equal(t, bodies["/raw"], string(raw))
			assert.Equal(t, `"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"`, string(obj.V))
			if apiErr != nil {
				assert.Equal(t, bodies["/bad"], string(apiErr.Body))
			}
		})
	}
}

// pipeTransport answers each request over an in-memory connection: answer writes the
// answer once the request has been read.
func pipeTransport(answer func(srv net.Conn, br *bufio.Reader)) *http.Transport {
	return &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		srv, cli := net.Pipe()
		go func() {
			defer srv.Close()
			br := bufio.NewReader(srv)
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, req.Body)
			answer(srv, br)
		}()
		return cli, nil
	}}
}

// stallingTransport answers with status and a chunked body that holds answer whole but
// never ends, as a stalled proxy would: reading past the answer blocks until the client
// drops the connection.
func stallingTransport(status int, answer string) *http.Transport {
	return pipeTransport(func(srv net.Conn, br *bufio.Reader) {
		fmt.Fprintf(srv, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n",
			status, http.StatusText(status), len(answer), answer)
		_, _ = br.ReadByte() // no last chunk: wait until the client drops the connection
	})
}

// rawUser decodes itself from the body whole, as backoffice's User does.
type rawUser struct{ ID int }

func (u *rawUser) DecodeRaw(b []byte) error { return json.Unmarshal(b, u) }

// An answer whose end is known is not held hostage by the rest of its body: with a
// context without deadline, a server that stalls after the answer is waited for
// drainWait, then its connection is dropped. (A token fetch would otherwise fail every
// caller waiting.) This holds for answers decoded as they stream in and for bodies read
// whole: raw results, a family that reads every 2xx ahead, error answers.
func TestStalledBodyAfterTheAnswerDoesNotHoldTheCall(t *testing.T) {
	user := func(ctx context.Context, c *Client, out any, id func() int) error {
		err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/u"}, out)
		if err == nil && id() != 7 {
			return fmt.Errorf("decoded %+v", out)
		}
		return err
	}
	for name, tt := range map[string]struct {
		status int
		answer string
		family *Family // nil: the default test family
		call   func(context.Context, *Client) error
	}{
		"decoded": {200, `{"id":7}`, nil, func(ctx context.Context, c *Client) error {
			var out struct{ ID int }
			return user(ctx, c, &out, func() int { return out.ID })
		}},
		"not wanted": {200, `{"id":7}`, nil, func(ctx context.Context, c *Client) error {
			return c.Do(ctx, &Request{Method: http.MethodDelete, Path: "/u"}, nil)
		}},
		"list": {200, `[{"id":7}]`, nil, func(ctx context.Context, c *Client) error {
			items, err := List[map[string]int](ctx, c, &Request{Method: http.MethodGet, Path: "/u"})
			if err == nil && len(items) != 1 {
				return fmt.Errorf("listed %v", items)
			}
			return err
		}},
		"decodes itself": {200, `{"id":7,"note":"a \"}\" in a string"}`, nil, func(ctx context.Context, c *Client) error {
			var out rawUser
			return user(ctx, c, &out, func() int { return out.ID })
		}},
		"raw bytes": {200, `{"id":7}`, nil, func(ctx context.Context, c *Client) error {
			var out []byte
			return user(ctx, c, &out, func() int { return len(out) - 1 })
		}},
		"read ahead": {200, `{"id":7}`, &Family{Name: "test", ErrorInSuccess: func([]byte) bool { return false }}, func(ctx context.Context, c *Client) error {
			var out struct{ ID int }
			return user(ctx, c, &out, func() int { return out.ID })
		}},
		"error answer": {400, `{"message":"bad"}`, nil, func(ctx context.Context, c *Client) error {
			var apiErr *usersdk.APIError
			if err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/u"}, nil); !errors.As(err, &apiErr) || apiErr.Message != "bad" {
				return fmt.Errorf("want the 400 with its message, got %v", err)
			}
			return nil
		}},
		"error answer after a byte order mark": {400, "\ufeff" + `{"message":"bad"}`, nil, func(ctx context.Context, c *Client) error {
			var apiErr *usersdk.APIError
			if err := c.Do(ctx, &Request{Method: http.MethodGet, Path: "/u"}, nil); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
				return fmt.Errorf("want the 400, got %v", err)
			}
			return nil
		}},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := serverClient(t, "http://127.0.0.1", WithHTTPClient(&http.Client{Transport: stallingTransport(tt.status, tt.answer)}))
				if tt.family != nil {
					c.family = *tt.family
				}
				start := time.Now()
				require.NoError(t, tt.call(context.Background(), c))
				assert.Equal(t, drainWait, time.Since(start))
			})
		})
	}
}

func TestJSONEndFindsTheEndOfAnObjectOrArray(t *testing.T) {
	for _, tc := range []struct {
		chunks []string
		done   bool
	}{
		{[]string{`{"id":7}`}, true},
		{[]string{"\xef\xbb\xbf", `{"id":7}`}, true}, // a byte order mark first
		{[]string{" \n[1,", `[2,{"a":"]}"}]`, "]"}, true},
		{[]string{`{"a":"\"}`, `\\"}`}, true}, // the string holds "} and a backslash
		{[]string{`{"a":{"b":1}`}, false},
		{[]string{`{"a":"}`}, false},
		{[]string{`"x"`, `{}`}, false}, // not an object or an array: read to the end
		{[]string{`7 {}`}, false},
		{[]string{``}, false},
	} {
		var j jsonEnd
		done := false
		for _, c := range tc.chunks {
			done = j.feed([]byte(c))
		}
		assert.Equal(t, tc.done, done, "%q", tc.chunks)
	}
}

// tricklingTransport answers with a chunked body sent as chunks, one every gap, then
// ends it properly.
func tricklingTransport(gap time.Duration, chunks ...string) *http.Transport {
	return pipeTransport(func(srv net.Conn, _ *bufio.Reader) {
		fmt.Fprint(srv, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
		for _, c := range chunks {
			fmt.Fprintf(srv, "%x\r\n%s\r\n", len(c), c)
			time.Sleep(gap)
		}
		fmt.Fprint(srv, "0\r\n\r\n")
	})
}

// A body that keeps coming after its first JSON value (JSON lines, a log) is read to its
// end, however long it takes, as long as no pause reaches drainWait.
func TestBodyStillComingIsReadWhole(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lines := []string{`{"line":0}` + "\n", `{"line":1}` + "\n", `{"line":2}` + "\n"}
		c := serverClient(t, "http://127.0.0.1", WithHTTPClient(&http.Client{Transport: tricklingTransport(drainWait*7/10, lines...)}))
		var out []byte
		require.NoError(t, c.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/log"}, &out))
		assert.Equal(t, strings.Join(lines, ""), string(out))
	})
}
