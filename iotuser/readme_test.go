package iotuser_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
)

// readmeSnippet is the README's iotuser section. It is compiled, not run: it needs a real
// server. A test comparing it with README.md comes with the README's block.
func readmeSnippet(ctx context.Context, pw string) error {
	// README:begin
	c, err := iotuser.New(
		iotuser.WithBaseURL("https://dh.example.com/dh/rest"),
		iotuser.WithAuthURL("https://dh.example.com:8090/dh/rest"), // the auth service: DeviceHive serves /token there
		iotuser.WithLogin("dhadmin", os.Getenv("DH_PASSWORD")),     // or WithTokens(access, refresh)
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &iotuser.CreateRequest{Login: "mary", Role: iotuser.RoleClient, Password: pw})
	if err != nil {
		return err // a taken login: errors.Is(err, iotuser.ErrConflict), though the server says 403
	}
	for u, err := range c.All(ctx, iotuser.ListOptions{LoginPattern: "mar%"}) { // pages with take/skip
		if err != nil {
			return err
		}
		fmt.Println(u.ID, u.Login, u.Role, u.LastLogin) // lastLogin arrives without a zone
	}
	cur, err := c.Get(ctx, u.ID)
	if err != nil {
		return err
	}
	// An update that leaves data out clears it on the server: send it back to keep it.
	err = c.Update(ctx, u.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &cur.Data})
	// README:end
	return err
}

func TestReadmeSnippet(t *testing.T) {
	fuzzkit.Readme(t, "readme_test.go", "../README.md", "iotuser.New(")
	_ = readmeSnippet // compiled, not run: it needs a real server
}
