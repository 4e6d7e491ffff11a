package usersdktest_test

import (
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/usersdktest"
)

// start serves a handler that answers 200 "ok" and counts the requests it handles.
func start(t *testing.T) (*usersdktest.Server, *atomic.Int64) {
	t.Helper()
	handled := new(atomic.Int64)
	srv := usersdktest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, handled
}

// get sends a request and returns its status and body; status 0 is a broken connection.
func get(t *testing.T, srv *usersdktest.Server, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader("payload"))
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestZeroCountInjectsNothing(t *testing.T) {
	srv, handled := start(t)
	srv.FailNext(0, http.StatusServiceUnavailable, "")
	srv.DropNext(0)
	srv.Inject(0, usersdktest.Fault{Status: http.StatusBadGateway})
	for range 3 {
		status, body := get(t, srv, http.MethodGet, "/")
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, "ok", body)
	}
	assert.EqualValues(t, 3, handled.Load())
	assert.Zero(t, srv.FaultsInjected())
}

func TestCountedAndUnlimitedFaults(t *testing.T) {
	srv, handled := start(t)
	srv.FailNext(2, http.StatusServiceUnavailable, "7")
	for range 2 {
		status, body := get(t, srv, http.MethodGet, "/")
		assert.Equal(t, http.StatusServiceUnavailable, status)
		assert.Equal(t, "injected fault 503", body, "a body no vendor sends")
	}
	status, _ := get(t, srv, http.MethodGet, "/")
	assert.Equal(t, http.StatusOK, status, "the fault is used up")
	assert.EqualValues(t, 1, handled.Load(), "a faulted request is not handled")

	srv.Inject(-1, usersdktest.Fault{Status: http.StatusTeapot, Body: `{"e":1}`})
	for range 5 {
		status, body := get(t, srv, http.MethodGet, "/")
		assert.Equal(t, http.StatusTeapot, status)
		assert.Equal(t, `{"e":1}`, body)
	}
	srv.ClearFaults()
	status, _ = get(t, srv, http.MethodGet, "/")
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, 7, srv.FaultsInjected())
}

// A fault that sets no status and no other effect answers 500, not a broken handler.
func TestFaultWithoutStatusAnswers500(t *testing.T) {
	srv, handled := start(t)
	srv.Inject(1, usersdktest.Fault{Method: http.MethodPost})
	srv.FailNext(1, 0, "")
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		status, body := get(t, srv, method, "/")
		assert.Equal(t, http.StatusInternalServerError, status, method)
		assert.Equal(t, "injected fault 500", body)
	}
	assert.Zero(t, handled.Load())
}

func TestFaultsMatchMethodAndRequest(t *testing.T) {
	srv, handled := start(t)
	srv.Inject(1, usersdktest.Fault{Status: http.StatusBadGateway, Method: http.MethodPost})
	srv.Inject(1, usersdktest.Fault{Status: http.StatusGatewayTimeout, Match: func(r *http.Request) bool { return r.URL.Path == "/b" }})

	status, _ := get(t, srv, http.MethodGet, "/a")
	assert.Equal(t, http.StatusOK, status)
	status, _ = get(t, srv, http.MethodGet, "/b")
	assert.Equal(t, http.StatusGatewayTimeout, status)
	status, _ = get(t, srv, http.MethodPost, "/b")
	assert.Equal(t, http.StatusBadGateway, status, "the first fault that matches applies")
	status, _ = get(t, srv, http.MethodPost, "/b")
	assert.Equal(t, http.StatusOK, status)
	assert.EqualValues(t, 2, handled.Load())
}

func TestDrops(t *testing.T) {
	srv, handled := start(t)
	srv.DropNext(1)
	status, _ := get(t, srv, http.MethodGet, "/")
	assert.Zero(t, status, "reset before handling")
	assert.Zero(t, handled.Load())

	srv.Inject(1, usersdktest.Fault{DropAfterHandling: true})
	status, _ = get(t, srv, http.MethodPost, "/")
	assert.Zero(t, status, "reset after handling")
	assert.EqualValues(t, 1, handled.Load())
}

func TestRequestLog(t *testing.T) {
	srv, _ := start(t)
	srv.FailNext(1, http.StatusInternalServerError, "")
	get(t, srv, http.MethodPost, "/a%2Fb?x=1&x=2")
	get(t, srv, http.MethodGet, "/c")

	reqs := srv.Requests()
	require.Len(t, reqs, 2, "faulted requests are logged too")
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/a%2Fb", reqs[0].Path, "the path as sent")
	assert.Equal(t, []string{"1", "2"}, reqs[0].Query["x"])
	assert.Equal(t, "payload", string(reqs[0].Body))
	assert.NotEmpty(t, reqs[0].Header.Get("User-Agent"))
	assert.Equal(t, "/c", reqs[1].Path)

	reqs[0].Method = "changed"
	assert.Equal(t, http.MethodPost, srv.Requests()[0].Method, "Requests returns a copy")
	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
}
