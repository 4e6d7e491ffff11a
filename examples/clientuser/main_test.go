package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/examples/internal/exampletest"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

// check holds the checks that are clientuser's, on what the fake stored at each step.
func check(t *testing.T, r exampletest.Ran[*server.Clientuser, clientuser.User]) {
	assert.Equal(t, clientuser.StatusBlocked, r.Stored.Status, "the update changed the status")
	assert.Equal(t, clientuser.AccessReadOnly, r.Stored.Access, "and only the status")
	assert.Equal(t, r.Srv.Fake.ClientID(), r.Stored.ClientID, `"@me" is the application's own client`)
	assert.Equal(t, []string{r.Stored.Login}, r.List.Query["login"])
	assert.Equal(t, 1, r.Srv.Fake.TokenRequests(), "one token serves every call")
	assert.Contains(t, r.Out, "1 found")
	assert.Contains(t, r.Out, "rate limit:")
}

// TestProgram runs the program as `go run` does with no configuration: the checks every
// program gets (exampletest.Program.Test), then check.
func TestProgram(t *testing.T) {
	exampletest.Program[*server.Clientuser, clientuser.User]{Open: server.ForClientuser, Run: runClientuser, ListPath: "/client/@me/user/client/",
		Users: func(s *server.Clientuser) []clientuser.User { return s.Fake.ClientUsers() }}.Test(t, check)
}
