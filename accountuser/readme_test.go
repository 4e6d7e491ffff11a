package accountuser_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// readmeSnippet is the README's accountuser section. It is compiled, not run: it needs a
// real server. A test comparing it with README.md comes with the README's block.
func readmeSnippet(ctx context.Context, pw string) error {
	// README:begin
	c, err := accountuser.New(
		accountuser.WithBaseURL("https://revive.example.com/api"), // where the REST API is installed
		accountuser.WithBasicAuth(os.Getenv("REVIVE_USER"), os.Getenv("REVIVE_PASSWORD")),
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &accountuser.CreateRequest{ // POST /usr/new as text/javascript
		ContactName: "Mary", EmailAddress: "mary@example.com", DefaultAccountID: 2,
		Username: "mary", Password: pw,
	})
	if err != nil {
		return err
	}
	users, err := c.ListByAccount(ctx, 2) // GET /usr/acc/2 (WithPubListPath: /pub/usr/acc/2)
	if err != nil {
		return err
	}
	for _, user := range users {
		fmt.Println(user.UserID, user.Username, user.Active.Bool()) // "21" and "1" on the wire
	}
	_, err = c.Update(ctx, u.UserID, &accountuser.UpdateRequest{Active: accountuser.Ptr(accountuser.Disabled)}) // sends {"active":0}
	// README:end
	return err
}

func TestReadmeSnippet(t *testing.T) {
	fuzzkit.Readme(t, "readme_test.go", "../README.md", "accountuser.New(")
	_ = readmeSnippet // compiled, not run: it needs a real server
}
