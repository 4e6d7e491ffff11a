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
	"github.com/usersdk/usersdk-go/iotuser"
)

func fake(t *testing.T) *server.Iotuser {
	srv, err := server.ForIotuser(exampletest.NoEnv)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	require.NotNil(t, srv.Fake, "no variables: the program uses the fake")
	return srv
}

// created returns the users the program created (the fake's administrator aside).
func created(srv *server.Iotuser) []iotuser.User {
	var us []iotuser.User
	for _, u := range srv.Fake.Users() {
		if strings.HasPrefix(u.Login, "example-") {
			us = append(us, u)
		}
	}
	return us
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step: above all, that the update kept the user's data, which
// DeviceHive clears on any update that does not send it.
func TestRun(t *testing.T) {
	srv := fake(t)
	var stored []iotuser.UserWithNetworks
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodDelete {
			for _, u := range created(srv) {
				full, _ := srv.Fake.User(u.ID)
				stored = append(stored, full)
			}
		}
	})
	var out bytes.Buffer
	require.NoError(t, runIotuser(context.Background(), &out, srv), out.String())

	require.Len(t, stored, 1, "the user as stored just before the program deletes it")
	u := stored[0]
	assert.Equal(t, iotuser.StatusDisabled, u.Status, "the update changed the status")
	assert.JSONEq(t, `{"team":"examples"}`, string(u.Data), "and kept the data")
	assert.Equal(t, iotuser.RoleClient, u.Role)
	require.Len(t, u.Networks, 1, "the program assigned the network")
	assert.Equal(t, srv.NetworkID, u.Networks[0].ID)
	assert.Empty(t, created(srv), "the program deletes what it creates")

	var lists int
	for _, r := range srv.Fake.Requests() {
		if r.Method == http.MethodGet && r.Query.Has("loginPattern") {
			lists++
			assert.Equal(t, u.Login+"%", r.Query.Get("loginPattern"))
		}
	}
	assert.Equal(t, 1, lists)
	assert.Equal(t, 1, srv.Fake.Logins(), "one login serves every call")
	assert.Contains(t, out.String(), "1 found")
	assert.Contains(t, out.String(), "errors.Is(err, iotuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	srv := fake(t)
	srv.HTTPClient = exampletest.Before(srv.HTTPClient, func(r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Query().Has("loginPattern") {
			srv.Fake.FailNext(1, http.StatusInternalServerError, "")
		}
	})
	require.ErrorContains(t, runIotuser(context.Background(), io.Discard, srv), "list:")
	assert.Empty(t, created(srv))
}
