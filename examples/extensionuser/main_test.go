package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/extensionuser"
)

func program(t *testing.T) (exampletest.Program[extensionuser.User], *server.Extensionuser) {
	srv := exampletest.Open(t, server.ForExtensionuser)
	return exampletest.Program[extensionuser.User]{
		Common: &srv.Common, Fake: srv.Fake, Run: exampletest.Bind(runExtensionuser, srv), Users: srv.Fake.ExtensionUsers,
		ListPath: "/client/@me/user/extension/",
	}, srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	p, srv := program(t)
	out, stored, list := p.CheckRun(t)
	assert.Equal(t, extensionuser.AccessReadOnly, stored.Access, "the update changed the access")
	assert.Equal(t, extensionuser.StatusActive, stored.Status, "and only the access")
	assert.Equal(t, srv.ExtensionID, stored.ExtensionID)
	assert.Equal(t, []string{stored.Login}, list.Query["login"])
	assert.Equal(t, []string{"5001"}, list.Query["extension_id"])
	assert.Contains(t, out, "1 found")
	assert.Contains(t, out, "errors.Is(err, extensionuser.ErrNotFound)")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	p, _ := program(t)
	p.CheckFailedList(t)
}
