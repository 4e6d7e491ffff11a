package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/iotuser"
)

func program(t *testing.T) (exampletest.Program[iotuser.UserWithNetworks], *server.Iotuser) {
	srv := exampletest.Open(t, server.ForIotuser)
	// created returns the users the program created (the fake's administrator aside).
	created := func() []iotuser.UserWithNetworks {
		var us []iotuser.UserWithNetworks
		for _, u := range srv.Fake.Users() {
			if strings.HasPrefix(u.Login, "example-") {
				full, _ := srv.Fake.User(u.ID)
				us = append(us, full)
			}
		}
		return us
	}
	return exampletest.Program[iotuser.UserWithNetworks]{
		Common: &srv.Common, Fake: srv.Fake, Run: exampletest.Bind(runIotuser, srv), Users: created,
		ListPath: "/user",
	}, srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step: above all, that the update kept the user's data, which
// DeviceHive clears on any update that does not send it.
func TestRun(t *testing.T) {
	p, srv := program(t)
	out, u, list := p.CheckRun(t)
	assert.Equal(t, iotuser.StatusDisabled, u.Status, "the update changed the status")
	assert.JSONEq(t, `{"team":"examples"}`, string(u.Data), "and kept the data")
	assert.Equal(t, iotuser.RoleClient, u.Role)
	require.Len(t, u.Networks, 1, "the program assigned the network")
	assert.Equal(t, srv.NetworkID, u.Networks[0].ID)
	assert.Equal(t, u.Login+"%", list.Query.Get("loginPattern"))
	assert.Equal(t, 1, srv.Fake.Logins(), "one login serves every call")
	assert.Contains(t, out, "1 found")
	assert.Contains(t, out, "errors.Is(err, iotuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	p, _ := program(t)
	p.CheckFailedList(t)
}
