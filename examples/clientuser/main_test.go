package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func program(t *testing.T) (exampletest.Program[clientuser.User], *server.Clientuser) {
	srv := exampletest.Open(t, server.ForClientuser)
	return exampletest.Program[clientuser.User]{
		Common: &srv.Common, Fake: srv.Fake, Run: exampletest.Bind(runClientuser, srv), Users: srv.Fake.ClientUsers,
		ListPath: "/client/@me/user/client/",
	}, srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	p, srv := program(t)
	out, stored, list := p.CheckRun(t)
	assert.Equal(t, clientuser.StatusBlocked, stored.Status, "the update changed the status")
	assert.Equal(t, clientuser.AccessReadOnly, stored.Access, "and only the status")
	assert.Equal(t, srv.Fake.ClientID(), stored.ClientID, `"@me" is the application's own client`)
	assert.Equal(t, []string{stored.Login}, list.Query["login"])
	assert.Equal(t, 1, srv.Fake.TokenRequests(), "one token serves every call")
	assert.Contains(t, out, "1 found")
	assert.Contains(t, out, "rate limit:")
	assert.Contains(t, out, "errors.Is(err, clientuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	p, _ := program(t)
	p.CheckFailedList(t)
}
