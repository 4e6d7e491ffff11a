package core

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
