package backoffice_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/readme"
)

// readmeSnippet is the README's backoffice section; TestReadmeSnippet keeps the two equal.
func readmeSnippet(ctx context.Context, pw string) error {
	// README:begin
	c, err := backoffice.New(
		backoffice.WithBaseURL("https://bo.example.com"),
		backoffice.WithToken(os.Getenv("BACKOFFICE_TOKEN")), // or WithTokenSource(oauth2.TokenSource)
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &backoffice.CreateRequest{
		Name: "Mary", Email: "mary@example.com", Password: pw, Active: true, Groups: []int64{1},
	})
	if err != nil {
		return err
	}
	for u, err := range c.All(ctx, backoffice.ListOptions{Name: "Mary"}) { // pages with limit/offset
		if err != nil {
			return err
		}
		fmt.Println(u.ID, u.Email)
	}
	_, err = c.Patch(ctx, u.ID, &backoffice.UpdateRequest{Active: backoffice.Ptr(false)}) // sends {"active":false}
	// README:end
	return err
}

func TestReadmeSnippet(t *testing.T) {
	want, err := readme.Snippet("readme_test.go")
	require.NoError(t, err)
	got, err := readme.Block("../README.md", "backoffice.New(")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	_ = readmeSnippet // compiled, not run: it needs a real server
}
