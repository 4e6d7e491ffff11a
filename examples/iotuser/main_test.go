package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/iotuser"
)

// created returns the users the program created (the fake's administrator aside).
func created(srv *server.Iotuser) []iotuser.UserWithNetworks {
	var us []iotuser.UserWithNetworks
	for _, u := range srv.Fake.Users() {
		if u.Login != srv.Fake.AdminLogin() {
			full, _ := srv.Fake.User(u.ID)
			us = append(us, full)
		}
	}
	return us
}

// check holds the checks that are iotuser's, on what the fake stored at each step: above
// all, that the update kept the user's data, which DeviceHive clears on any update that
// does not send it.
func check(t *testing.T, r exampletest.Ran[*server.Iotuser, iotuser.UserWithNetworks]) {
	u := r.Stored
	assert.Equal(t, iotuser.StatusDisabled, u.Status, "the update changed the status")
	assert.JSONEq(t, `{"team":"examples"}`, string(u.Data), "and kept the data")
	assert.Equal(t, iotuser.RoleClient, u.Role)
	require.Len(t, u.Networks, 1, "the program assigned the network")
	assert.Equal(t, r.Srv.NetworkID, u.Networks[0].ID)
	assert.Equal(t, u.Login+"%", r.List.Query.Get("loginPattern"))
	assert.Equal(t, 1, r.Srv.Fake.Logins(), "one login serves every call")
	assert.Contains(t, r.Out, "1 found")
}

// TestProgram runs the program as `go run` does with no configuration: the checks every
// program gets (exampletest.Program.Test), then check.
func TestProgram(t *testing.T) {
	exampletest.Program[*server.Iotuser, iotuser.UserWithNetworks]{Open: server.ForIotuser, Run: runIotuser,
		Users: created, ListPath: "/user"}.Test(t, check)
}
