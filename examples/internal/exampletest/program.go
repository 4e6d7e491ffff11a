package exampletest

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/recorder"
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

// Program is a one-API example program, as its tests see it. Every such program creates
// a user, lists users to find it, changes it, shows a typed not-found error, and deletes
// the user.
type Program[S server.Settings, U any] struct {
	// Open reads the program's settings (server.ForBackoffice, …).
	Open func(server.Env) (S, error)
	// Run is the program's run function, as main calls it.
	Run func(context.Context, io.Writer, S) error
	// Users returns the users the program created that the fake holds.
	Users func(S) []U
	// ListPath is how the path of the program's list ends: a GET there is the list.
	ListPath string
}

// Ran is what a run of a program left, for the checks that are the API's.
type Ran[S, U any] struct {
	// Srv is the program's settings; Srv's fake is the one it ran against.
	Srv S
	// Out is what the program wrote.
	Out string
	// Stored is the program's user as the fake held it just before the program deleted it.
	Stored U
	// List is the program's list request.
	List usersdktest.Request
}

// Test runs the checks every program gets, each as a subtest: Run (checkRun, then check,
// which holds the API's own checks), RemovesTheUserWhenAStepFails (checkFailedList) and
// RecordingHoldsNoSecret (checkRecording).
func (p Program[S, U]) Test(t *testing.T, check func(*testing.T, Ran[S, U])) {
	t.Run("Run", func(t *testing.T) { check(t, p.checkRun(t)) })
	t.Run("RemovesTheUserWhenAStepFails", p.checkFailedList)
	t.Run("RecordingHoldsNoSecret", p.checkRecording)
}

func (p Program[S, U]) isList(method, path string) bool {
	return method == http.MethodGet && strings.HasSuffix(path, p.ListPath)
}

// fake opens the program's settings with no variables set, and returns them with the
// fake they start.
func (p Program[S, U]) fake(t *testing.T) (S, server.FakeServer) {
	t.Helper()
	srv := Open(t, p.Open)
	fake := srv.Shared().FakeServer()
	require.NotNil(t, fake, "no variables: the program uses the fake")
	return srv, fake
}

// checkRun runs the program as `go run` does with no configuration, and checks that it
// succeeds, that the fake held exactly one user of its making just before its delete,
// that it deletes what it creates, that it lists once, and that it shows its package's
// ErrNotFound.
func (p Program[S, U]) checkRun(t *testing.T) Ran[S, U] {
	t.Helper()
	srv, fake := p.fake(t)
	var atDelete []U
	c := srv.Shared()
	c.HTTPClient = Before(c.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			atDelete = p.Users(srv)
		}
	})
	var buf bytes.Buffer
	require.NoError(t, p.Run(context.Background(), &buf, srv), buf.String())

	require.Len(t, atDelete, 1, "the user as stored just before the program deletes it")
	assert.Empty(t, p.Users(srv), "the program deletes what it creates")
	var lists []usersdktest.Request
	for _, r := range fake.Requests() {
		if p.isList(r.Method, r.Path) {
			lists = append(lists, r)
		}
	}
	require.Len(t, lists, 1, "the program lists once")
	assert.Contains(t, buf.String(), "errors.Is(err, "+c.API+".ErrNotFound)")
	return Ran[S, U]{Srv: srv, Out: buf.String(), Stored: atDelete[0], List: lists[0]}
}

// checkFailedList makes the program's list fail, and checks that the program says so and
// still deletes the user it created.
func (p Program[S, U]) checkFailedList(t *testing.T) {
	t.Helper()
	srv, fake := p.fake(t)
	c := srv.Shared()
	c.HTTPClient = Before(c.HTTPClient, func(r *http.Request) {
		if p.isList(r.Method, r.URL.EscapedPath()) {
			fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, p.Run(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, p.Users(srv))
}

// jwt finds a JWT by its shape, such as DeviceHive's refresh token, which a session may
// never send.
var jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.`)

// checkRecording runs the program in record mode (USERSDK_RECORD) against its fake, then
// searches every file it wrote for the credential of its settings, the password of its
// user, every credential it sent in an Authorization header, and any JWT.
func (p Program[S, U]) checkRecording(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(recorder.EnvVar, dir)
	srv, _ := p.fake(t)
	c := srv.Shared()
	secrets := []string{"Example-Pw-1", c.Credential} // the programs' users' password, the server's
	c.HTTPClient = Before(c.HTTPClient, func(r *http.Request) {
		scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok {
			return
		}
		secrets = append(secrets, cred)
		if b, err := base64.StdEncoding.DecodeString(cred); err == nil && strings.EqualFold(scheme, "Basic") {
			_, pass, _ := strings.Cut(string(b), ":")
			secrets = append(secrets, pass)
		}
	})
	require.NoError(t, p.Run(context.Background(), io.Discard, srv))

	files := 0
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		assert.Equal(t, c.API, filepath.Base(filepath.Dir(path)), "written under DIR/<api>/")
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		for _, s := range secrets {
			require.NotEmpty(t, s)
			assert.NotContains(t, string(b), s, "%s holds a credential", path)
		}
		assert.False(t, jwt.Match(b), "%s holds a JWT", path)
		return nil
	}))
	assert.GreaterOrEqual(t, files, 6, "every exchange of the program was recorded")
	assert.Greater(t, len(secrets), 2, "the program sent credentials")
}
