package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

// check holds the checks that are backoffice's, on what the fake stored at each step.
func check(t *testing.T, r exampletest.Ran[*server.Backoffice, backoffice.User]) {
	assert.Equal(t, "Example User (renamed)", r.Stored.Name, "the patch changed the name")
	assert.True(t, r.Stored.Active, "and only the name")
	assert.Equal(t, backoffice.GroupIDs{1}, r.Stored.Groups)
	assert.Equal(t, r.Stored.Email, r.List.Query.Get("filter[email]"))
	assert.Equal(t, "1", r.List.Query.Get("filter[active]"))
	assert.Contains(t, r.Out, "1 found")
	assert.Contains(t, r.Out, "errors.Is(err, backoffice.ErrNotFound), status 404")
}

// TestProgram runs the program as `go run` does with no configuration: the checks every
// program gets (exampletest.Program.Test), then check.
func TestProgram(t *testing.T) {
	exampletest.Program[*server.Backoffice, backoffice.User]{Open: server.ForBackoffice, Run: runBackoffice, ListPath: "/api/v2/users",
		Users: func(s *server.Backoffice) []backoffice.User { return s.Fake.Users() }}.Test(t, check)
}
