package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func program(t *testing.T) (exampletest.Program[accountuser.User], *server.Accountuser) {
	srv := exampletest.Open(t, server.ForAccountuser)
	return exampletest.Program[accountuser.User]{
		Common: &srv.Common, Fake: srv.Fake, Run: exampletest.Bind(runAccountuser, srv), Users: srv.Fake.Users,
		ListPath: "/usr/acc/1",
	}, srv
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	p, srv := program(t)
	out, stored, _ := p.CheckRun(t)
	assert.Equal(t, accountuser.Disabled, stored.Active, "the update cleared the active flag")
	assert.Equal(t, "Example User", stored.ContactName, "and only that")
	assert.Equal(t, srv.AccountID, stored.DefaultAccountID)
	assert.Contains(t, out, "1 of them ours")
	assert.Contains(t, out, `errors.Is(err, accountuser.ErrNotFound), "Unknown userId Error"`)
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) {
	p, _ := program(t)
	p.CheckFailedList(t)
}
