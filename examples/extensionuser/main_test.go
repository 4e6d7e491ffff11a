package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// check holds the checks that are extensionuser's, on what the fake stored at each step.
func check(t *testing.T, r exampletest.Ran[*server.Extensionuser, extensionuser.User]) {
	assert.Equal(t, []string{"5001"}, r.List.Query["extension_id"], "the internal number is the list's filter")
	assert.Empty(t, r.List.Query["login"], "and the only one")
	assert.Equal(t, r.Srv.ExtensionID, r.Stored.ExtensionID)
	assert.Equal(t, extensionuser.AccessReadOnly, r.Stored.Access, "the update changed the access")
	assert.Equal(t, extensionuser.StatusActive, r.Stored.Status, "and only the access")
	assert.Contains(t, r.Out, "ours among them: true")
	assert.Contains(t, r.Out, "still on internal number 5001")
}

// TestProgram runs the program as `go run` does with no configuration: the checks every
// program gets (exampletest.Program.Test), then check.
func TestProgram(t *testing.T) {
	exampletest.Program[*server.Extensionuser, extensionuser.User]{Open: server.ForExtensionuser, Run: runExtensionuser, ListPath: "/client/@me/user/extension/",
		Users: func(s *server.Extensionuser) []extensionuser.User { return s.Fake.ExtensionUsers() }}.Test(t, check)
}
