package clientuser_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// readmeSnippet is the README's Telphin section (both packages). It is compiled, not run:
// it needs a real server.
func readmeSnippet(ctx context.Context, pw string) error {
	// README:begin
	users, err := clientuser.New(
		clientuser.WithClientCredentials(os.Getenv("TELPHIN_APP_ID"), os.Getenv("TELPHIN_APP_SECRET")),
	)
	if err != nil {
		return err
	}
	// One token for both packages: fetched once, renewed together after a 401.
	extensions, err := extensionuser.New(extensionuser.WithTokenSource(users.TokenSource()))
	if err != nil {
		return err
	}
	u, err := users.Create(ctx, clientuser.Me, &clientuser.CreateRequest{ // POST /client/@me/user/client/
		Login: "auditor", Name: "Olga Ivanova", Password: pw, Email: "olga@example.com",
		Access: clientuser.AccessReadOnly,
	})
	if err != nil {
		return err
	}
	list, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{
		ExtensionID: []int64{5001, 5002}, // ?extension_id=5001&extension_id=5002
	})
	if err != nil {
		return err
	}
	for _, e := range list {
		fmt.Println(e.ID, e.ExtensionID, e.Login)
	}
	_, err = users.Update(ctx, clientuser.Me, u.ID, &clientuser.UpdateRequest{
		Status: clientuser.Ptr(clientuser.StatusBlocked), // sends {"status":"blocked"}
	})
	// README:end
	return err
}

func TestReadmeSnippet(t *testing.T) {
	fuzzkit.Readme(t, "readme_test.go", "../README.md", "clientuser.New(")
	_ = readmeSnippet // compiled, not run: it needs a real server
}
