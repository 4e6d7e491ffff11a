package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func fake(t *testing.T) *server.Backoffice {
	srv, err := server.ForBackoffice(exampletest.NoEnv)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.NotNil(t, srv.Fake, "no variables: the program uses the fake")
	return srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	srv := fake(t)
	var stored []backoffice.User
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			stored = srv.Fake.Users()
		}
	})
	var out bytes.Buffer
	require.NoError(t, runBackoffice(context.Background(), &out, srv), out.String())

	require.Len(t, stored, 1, "the user as stored just before the program deletes it")
	assert.Equal(t, "Example User (renamed)", stored[0].Name, "the patch changed the name")
	assert.True(t, stored[0].Active, "and only the name")
	assert.Equal(t, backoffice.GroupIDs{1}, stored[0].Groups)
	assert.Empty(t, srv.Fake.Users(), "the program deletes what it creates")

	var lists int
	for _, r := range srv.Fake.Requests() {
		if r.Method == http.MethodGet && r.Path == "/api/v2/users" {
			lists++
			assert.Equal(t, stored[0].Email, r.Query.Get("filter[email]"))
			assert.Equal(t, "1", r.Query.Get("filter[active]"))
		}
	}
	assert.Equal(t, 1, lists)
	assert.Contains(t, out.String(), "1 found")
	assert.Contains(t, out.String(), "errors.Is(err, backoffice.ErrNotFound), status 404")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	srv := fake(t)
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Has("filter[email]") {
			srv.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, runBackoffice(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, srv.Fake.Users())
}
