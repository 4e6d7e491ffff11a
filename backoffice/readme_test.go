package backoffice_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
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
	fuzzkit.Readme(t, "readme_test.go", "../README.md", "backoffice.New(")
	_ = readmeSnippet // compiled, not run: it needs a real server
}
