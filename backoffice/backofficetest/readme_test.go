package backofficetest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// readmeSnippet is the README's "Testing your code with the fakes" block.
func readmeSnippet(ctx context.Context, yourCode func(context.Context, *backoffice.Client) error) error {
	// README:begin
	srv := backofficetest.NewServer()
	defer srv.Close()
	srv.AddUser(backoffice.User{Name: "Mary", Email: "mary@example.com"}, "pw") // seed data
	srv.FailNext(1, http.StatusServiceUnavailable, "")                          // inject a fault
	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()))
	if err != nil {
		return err
	}
	err = yourCode(ctx, c) // then inspect srv.Users() and srv.Requests()
	// README:end
	return err
}

func TestReadmeSnippet(t *testing.T) {
	fuzzkit.Readme(t, "readme_test.go", "../../README.md", "backofficetest.NewServer()")

	var seen []backoffice.User
	err := readmeSnippet(context.Background(), func(ctx context.Context, c *backoffice.Client) error {
		var err error
		seen, err = c.List(ctx, backoffice.ListOptions{Name: "Mary"}) // the 503 is retried
		return err
	})
	require.NoError(t, err)
	require.Len(t, seen, 1)
	assert.Equal(t, "mary@example.com", seen[0].Email)
}
