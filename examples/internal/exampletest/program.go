package exampletest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// Open returns the settings open reads from an empty environment (NoEnv): a fresh fake,
// closed when the test ends.
func Open[S interface{ Close() }](t testing.TB, open func(server.Env) (S, error)) S {
	t.Helper()
	s, err := open(NoEnv)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// Bind returns run with its settings bound, as Program.Run wants it.
func Bind[S any](run func(context.Context, io.Writer, S) error, s S) func(context.Context, io.Writer) error {
	return func(ctx context.Context, w io.Writer) error { return run(ctx, w, s) }
}

// Fake is what the tests need of any API's fake.
type Fake interface {
	Requests() []usersdktest.Request
	FailNext(n, status int, retryAfter string)
}

// Program is a one-API example program wired to its fake. Every such program creates a
// user, lists users to find it, changes it, and deletes it.
type Program[U any] struct {
	// Common is the program's settings; its HTTPClient is wrapped to watch the requests.
	Common *server.Common
	// Fake is the fake the program runs against (not nil: no variables are set).
	Fake Fake
	// Run runs the program as main does.
	Run func(ctx context.Context, w io.Writer) error
	// Users returns the users the program created that the fake holds.
	Users func() []U
	// ListPath is how the path of the program's list ends: a GET there is the list.
	ListPath string
}

func (p Program[U]) isList(method, path string) bool {
	return method == http.MethodGet && strings.HasSuffix(path, p.ListPath)
}

// CheckRun runs the program as `go run` does with no configuration, and checks that it
// succeeds, that the fake held exactly one user of its making just before its delete,
// that it deletes what it creates, and that it lists once. It returns the program's
// output, that user as stored, and the list request, for the checks that are the API's.
func (p Program[U]) CheckRun(t *testing.T) (out string, stored U, list usersdktest.Request) {
	t.Helper()
	require.NotNil(t, p.Fake, "no variables: the program uses the fake")
	var atDelete []U
	p.Common.HTTPClient = Before(p.Common.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			atDelete = p.Users()
		}
	})
	var buf bytes.Buffer
	require.NoError(t, p.Run(context.Background(), &buf), buf.String())

	require.Len(t, atDelete, 1, "the user as stored just before the program deletes it")
	assert.Empty(t, p.Users(), "the program deletes what it creates")
	var lists []usersdktest.Request
	for _, r := range p.Fake.Requests() {
		if p.isList(r.Method, r.Path) {
			lists = append(lists, r)
		}
	}
	require.Len(t, lists, 1, "the program lists once")
	return buf.String(), atDelete[0], lists[0]
}

// CheckFailedList makes the program's list fail, and checks that the program says so and
// still deletes the user it created.
func (p Program[U]) CheckFailedList(t *testing.T) {
	t.Helper()
	require.NotNil(t, p.Fake, "no variables: the program uses the fake")
	p.Common.HTTPClient = Before(p.Common.HTTPClient, func(r *http.Request) {
		if p.isList(r.Method, r.URL.EscapedPath()) {
			p.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, p.Run(context.Background(), io.Discard), "list:")
	assert.Empty(t, p.Users())
}
