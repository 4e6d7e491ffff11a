package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func fake(t *testing.T) *server.Clientuser {
	srv, err := server.ForClientuser(exampletest.NoEnv)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.NotNil(t, srv.Fake, "no variables: the program uses the fake")
	return srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	srv := fake(t)
	var stored []clientuser.User
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			stored = srv.Fake.ClientUsers()
		}
	})
	var out bytes.Buffer
	require.NoError(t, runClientuser(context.Background(), &out, srv), out.String())

	require.Len(t, stored, 1, "the user as stored just before the program deletes it")
	assert.Equal(t, clientuser.StatusBlocked, stored[0].Status, "the update changed the status")
	assert.Equal(t, clientuser.AccessReadOnly, stored[0].Access, "and only the status")
	assert.Equal(t, srv.Fake.ClientID(), stored[0].ClientID, `"@me" is the application's own client`)
	assert.Empty(t, srv.Fake.ClientUsers(), "the program deletes what it creates")

	var lists int
	for _, r := range srv.Fake.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/client/@me/user/client/") {
			lists++
			assert.Equal(t, []string{stored[0].Login}, r.Query["login"])
		}
	}
	assert.Equal(t, 1, lists)
	assert.Equal(t, 1, srv.Fake.TokenRequests(), "one token serves every call")
	assert.Contains(t, out.String(), "1 found")
	assert.Contains(t, out.String(), "rate limit:")
	assert.Contains(t, out.String(), "errors.Is(err, clientuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	srv := fake(t)
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Has("login") {
			srv.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, runClientuser(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, srv.Fake.ClientUsers())
}
