package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

// check holds the checks that are accountuser's, on what the fake stored at each step.
func check(t *testing.T, r exampletest.Ran[*server.Accountuser, accountuser.User]) {
	assert.Contains(t, r.Out, "1 of them ours")
	assert.Equal(t, r.Srv.AccountID, r.Stored.DefaultAccountID)
	assert.Equal(t, accountuser.Disabled, r.Stored.Active, "the update cleared the active flag")
	assert.Equal(t, "Example User", r.Stored.ContactName, "and only that")
	assert.Contains(t, r.Out, `errors.Is(err, accountuser.ErrNotFound), status 404, "Unknown userId Error"`)
}

// TestProgram runs the program as `go run` does with no configuration: the checks every
// program gets (exampletest.Program.Test), then check.
func TestProgram(t *testing.T) {
	exampletest.Program[*server.Accountuser, accountuser.User]{Open: server.ForAccountuser, Run: runAccountuser, ListPath: "/usr/acc/1",
		Users: func(s *server.Accountuser) []accountuser.User { return s.Fake.Users() }}.Test(t, check)
}
