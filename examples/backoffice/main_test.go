package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func program(t *testing.T) exampletest.Program[backoffice.User] {
	srv := exampletest.Open(t, server.ForBackoffice)
	return exampletest.Program[backoffice.User]{
		Common: &srv.Common, Fake: srv.Fake, Run: exampletest.Bind(runBackoffice, srv), Users: srv.Fake.Users,
		ListPath: "/api/v2/users",
	}
}

// TestRun runs the program as `go run` does with no configuration, and checks what the
// fake stored at each step.
func TestRun(t *testing.T) {
	out, stored, list := program(t).CheckRun(t)
	assert.Equal(t, "Example User (renamed)", stored.Name, "the patch changed the name")
	assert.True(t, stored.Active, "and only the name")
	assert.Equal(t, backoffice.GroupIDs{1}, stored.Groups)
	assert.Equal(t, stored.Email, list.Query.Get("filter[email]"))
	assert.Equal(t, "1", list.Query.Get("filter[active]"))
	assert.Contains(t, out, "1 found")
	assert.Contains(t, out, "errors.Is(err, backoffice.ErrNotFound), status 404")
}

// TestRunRemovesTheUserWhenAStepFails: a failure after the create still deletes the user.
func TestRunRemovesTheUserWhenAStepFails(t *testing.T) { program(t).CheckFailedList(t) }
