package recorder_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/recorder"
)

// echo answers with the request body it received, so tests can see what went out.
func echo(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", r.Header.Get("Content-Type"))
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// onlyReader hides bytes.Reader's type, so http.NewRequest sets no GetBody.
type onlyReader struct{ io.Reader }

func TestClientSeesTheSameExchange(t *testing.T) {
	srv := echo(t)
	dir := t.TempDir()
	c := &http.Client{Transport: recorder.New(dir, recorder.WithTransport(srv.Client().Transport))}
	for _, body := range []io.Reader{strings.NewReader(`{"name":"Mary"}`), onlyReader{strings.NewReader(`{"name":"Mary"}`)}} {
		req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL+"/users", body)
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, `{"name":"Mary"}`, string(got), "the server got the body, and the client its answer")
		assert.Same(t, req, resp.Request)
	}
	exs := fixture.LoadDir(t, dir)
	require.Len(t, exs, 2)
	for _, ex := range exs {
		assert.JSONEq(t, `{"name":"Mary"}`, string(ex.Request.Body))
		assert.JSONEq(t, `{"name":"Mary"}`, string(ex.Response.Body))
		assert.Equal(t, map[string]string{"Content-Type": "application/json"}, ex.Response.Headers)
	}
}

func TestNonJSONBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html>bad gateway</html>")
	}))
	defer srv.Close()
	dir := t.TempDir()
	rec := recorder.New(dir, recorder.WithTransport(srv.Client().Transport))
	c := &http.Client{Transport: rec}
	send(t, c, "GET", srv.URL+"/x", "", "")
	send(t, c, "POST", srv.URL+"/x", "text/plain", "not json")

	exs := fixture.LoadDir(t, dir)
	require.Len(t, exs, 1, "a request body that is neither JSON nor a form cannot be replayed, so it is not recorded")
	assert.Equal(t, "<html>bad gateway</html>", exs[0].Response.BodyText)
	assert.Equal(t, 502, exs[0].Response.Status)
	assert.ErrorContains(t, rec.Err(), "neither JSON nor a form")
}

func TestOversizedBodiesPassThroughUnrecorded(t *testing.T) {
	big := strings.Repeat("x", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if len(b) == 0 {
			b = []byte(big)
		}
		w.Write(b)
	}))
	defer srv.Close()
	dir := t.TempDir()
	var reported []error
	var mu sync.Mutex
	rec := recorder.New(dir, recorder.WithTransport(srv.Client().Transport), recorder.WithMaxBodySize(10),
		recorder.WithErrorHandler(func(err error) { mu.Lock(); reported = append(reported, err); mu.Unlock() }))
	c := &http.Client{Transport: rec}

	for _, body := range []io.Reader{nil, onlyReader{strings.NewReader(big)}, strings.NewReader(big)} {
		req, err := http.NewRequestWithContext(t.Context(), "POST", srv.URL, body)
		require.NoError(t, err)
		resp, err := c.Do(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, big, string(got))
	}
	assert.Empty(t, rec.Files())
	// The echo makes the last two answers too large as well.
	require.Len(t, reported, 5)
	assert.ErrorContains(t, reported[0], "POST /: answer larger than 10 bytes")
	assert.ErrorContains(t, reported[1], "POST /: request body larger than 10 bytes")
	assert.ErrorContains(t, rec.Err(), "not recorded")
}

type fakeTransport func(*http.Request) (*http.Response, error)

func (f fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestFailuresReachTheClientUnchanged(t *testing.T) {
	broken := errors.New("connection reset")
	dir := t.TempDir()
	rec := recorder.New(dir, recorder.WithTransport(fakeTransport(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/down" {
			return nil, broken
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r,
			Body: io.NopCloser(io.MultiReader(strings.NewReader(`{"a":`), onlyReader{iotestErr{broken}}))}, nil
	})))
	c := &http.Client{Transport: rec}

	_, err := c.Get("http://h/down")
	assert.ErrorIs(t, err, broken)

	resp, err := c.Get("http://h/half")
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.ErrorIs(t, err, broken, "a failing body fails the same way")
	assert.Equal(t, `{"a":`, string(got))
	assert.Empty(t, rec.Files())
	assert.ErrorIs(t, rec.Err(), broken)
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

func TestConcurrentExchangesGetDistinctNumbers(t *testing.T) {
	srv := echo(t)
	dir := t.TempDir()
	// Two transports on one directory share its numbering.
	a := recorder.New(dir, recorder.WithTransport(srv.Client().Transport))
	b := recorder.New(dir, recorder.WithTransport(srv.Client().Transport))
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			rt := http.RoundTripper(a)
			if i%2 == 1 {
				rt = b
			}
			req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/items/%d", srv.URL, i), bytes.NewReader([]byte(`{"n":1}`)))
			resp, err := rt.RoundTrip(req)
			if assert.NoError(t, err) {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	require.Len(t, names, 40)
	for i, n := range names {
		assert.Equal(t, fmt.Sprintf("%03d-put-items-id.json", i+1), n)
	}
	assert.Len(t, fixture.LoadDir(t, dir), 40)
}

func TestNumberingContinuesAfterExistingFiles(t *testing.T) {
	srv := echo(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "007-get-x.json"), []byte("{}"), 0o600))
	rec := recorder.New(dir, recorder.WithTransport(srv.Client().Transport),
		recorder.WithNamer(func(r *http.Request) string { return "My Op/" + r.Method }))
	send(t, &http.Client{Transport: rec}, "GET", srv.URL+"/a", "", "")
	assert.Equal(t, []string{filepath.Join(dir, "008-my_op_get.json")}, rec.Files())
}

func TestDefaultName(t *testing.T) {
	for target, want := range map[string]string{
		"GET /api/v2/users/7":     "get-users-id",
		"POST /oauth/token":       "post-oauth-token",
		"PATCH /api/rest/user/42": "patch-rest-user-id",
		"GET /":                   "get",
		"DELETE /users/3f2b8c1e-1c2d-4e5f-9a8b-7c6d5e4f3a2b": "delete-users-id",
		"GET /users/by-email/mary%40example.com":             "get-users-by_email-mary_example_com",
		"GET /v1.2/Devices/deadbeef99":                       "get-devices-id",
		"POST /api/ver1.0/client/@me/user/":                  "post-client-me-user",
	} {
		method, path, _ := strings.Cut(target, " ")
		req, err := http.NewRequest(method, "http://h"+path, nil)
		require.NoError(t, err)
		assert.Equal(t, want, recorder.DefaultName(req), target)
	}
}

func TestFromEnv(t *testing.T) {
	base := http.DefaultTransport
	t.Setenv(recorder.EnvVar, "")
	rt, err := recorder.FromEnv("backoffice", base)
	require.NoError(t, err)
	assert.Same(t, base.(*http.Transport), rt.(*http.Transport), "unset: the base, unchanged")
	rt, err = recorder.FromEnv("backoffice", nil)
	require.NoError(t, err)
	assert.Nil(t, rt)

	for _, bad := range []string{"", ".", "..", "a/b", `a\b`} {
		_, err := recorder.FromEnv(bad, nil)
		assert.ErrorContains(t, err, "plain directory name", bad)
	}

	root := t.TempDir()
	t.Setenv(recorder.EnvVar, root)
	rt, err = recorder.FromEnv("iotuser", nil)
	require.NoError(t, err)
	tr, ok := rt.(*recorder.Transport)
	require.True(t, ok)
	assert.Equal(t, filepath.Join(root, "iotuser"), tr.Dir())
	assert.DirExists(t, tr.Dir(), "created before any request")

	file := filepath.Join(root, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	t.Setenv(recorder.EnvVar, file)
	_, err = recorder.FromEnv("iotuser", nil)
	assert.ErrorContains(t, err, recorder.EnvVar)
}
