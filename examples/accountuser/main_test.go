package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func fake(t *testing.T) *server.Accountuser {
	srv, err := server.ForAccountuser(exampletest.NoEnv)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.NotNil(t, srv.Fake, "no variables: the program uses the fake")
	return srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	srv := fake(t)
	var stored []accountuser.User
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			stored = srv.Fake.Users()
		}
	})
	var out bytes.Buffer
	require.NoError(t, runAccountuser(context.Background(), &out, srv), out.String())

	require.Len(t, stored, 1, "the user as stored just before the program deletes it")
	assert.Equal(t, accountuser.Disabled, stored[0].Active, "the update cleared the active flag")
	assert.Equal(t, "Example User", stored[0].ContactName, "and only that")
	assert.Equal(t, srv.AccountID, stored[0].DefaultAccountID)
	assert.Empty(t, srv.Fake.Users(), "the program deletes what it creates")

	var lists int
	for _, r := range srv.Fake.Requests() {
		if r.Method == http.MethodGet && r.Path == "/usr/acc/1" {
			lists++
		}
	}
	assert.Equal(t, 1, lists)
	assert.Contains(t, out.String(), "1 of them ours")
	assert.Contains(t, out.String(), `errors.Is(err, accountuser.ErrNotFound), "Unknown userId Error"`)
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	srv := fake(t)
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/usr/acc/1" {
			srv.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, runAccountuser(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, srv.Fake.Users())
}
