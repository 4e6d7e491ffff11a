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

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/extensionuser"
)

func fake(t *testing.T) *server.Extensionuser {
	srv, err := server.ForExtensionuser(exampletest.NoEnv)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.NotNil(t, srv.Fake, "no variables: the program uses the fake")
	return srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	srv := fake(t)
	var stored []extensionuser.User
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			stored = srv.Fake.ExtensionUsers()
		}
	})
	var out bytes.Buffer
	require.NoError(t, runExtensionuser(context.Background(), &out, srv), out.String())

	require.Len(t, stored, 1, "the user as stored just before the program deletes it")
	assert.Equal(t, extensionuser.AccessReadOnly, stored[0].Access, "the update changed the access")
	assert.Equal(t, extensionuser.StatusActive, stored[0].Status, "and only the access")
	assert.Equal(t, srv.ExtensionID, stored[0].ExtensionID)
	assert.Empty(t, srv.Fake.ExtensionUsers(), "the program deletes what it creates")

	var lists int
	for _, r := range srv.Fake.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/client/@me/user/extension/") {
			lists++
			assert.Equal(t, []string{stored[0].Login}, r.Query["login"])
			assert.Equal(t, []string{"5001"}, r.Query["extension_id"])
		}
	}
	assert.Equal(t, 1, lists)
	assert.Contains(t, out.String(), "1 found")
	assert.Contains(t, out.String(), "errors.Is(err, extensionuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	srv := fake(t)
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Has("login") {
			srv.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, runExtensionuser(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, srv.Fake.ExtensionUsers())
}
