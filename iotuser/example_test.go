package iotuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

func Example() {
	// iotusertest stands in for a DeviceHive server; its token service runs apart, as a
	// real installation's does.
	srv := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	defer srv.Close()

	c, err := iotuser.New(
		iotuser.WithBaseURL(srv.BaseURL()), // https://host/dh/rest in real life
		iotuser.WithAuthURL(srv.AuthURL()),
		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for _, req := range []iotuser.CreateRequest{
		{Login: "mary", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"},
		{Login: "maria", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"},
		{Login: "marco", Role: iotuser.Ptr(iotuser.RoleAdmin), Password: "s3cret-Pass"},
		{Login: "bob", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"},
	} {
		if _, err := c.Create(ctx, &req); err != nil {
			log.Fatal(err)
		}
	}
	// LoginPattern is an SQL LIKE pattern: "mar%" matches mary, maria and marco, not bob.
	opts := iotuser.ListOptions{LoginPattern: "mar%", Role: iotuser.Ptr(iotuser.RoleClient)}
	for u, err := range c.All(ctx, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Login, u.Role, u.Status)
	}
	// Count takes the same filters, without the paging and sorting.
	n, err := c.Count(ctx, opts.CountOptions())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "clients")
	// Output:
	// mary client active
	// maria client active
	// 2 clients
}

func ExampleClient_Update() {
	srv := iotusertest.NewServer()
	defer srv.Close()
	mary := srv.AddUser(iotuser.User{Login: "mary", Role: iotuser.RoleClient, Data: json.RawMessage(`{"phone":"+1-555-0100"}`)}, "s3cret-Pass")
	c, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// DeviceHive clears data on an update that leaves it out: read it and send it back.
	cur, err := c.Get(ctx, mary.ID)
	if err != nil {
		log.Fatal(err)
	}
	err = c.Update(ctx, mary.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &cur.Data})
	if err != nil {
		log.Fatal(err)
	}

	after, err := c.Get(ctx, mary.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(after.Status, string(after.Data))
	// Output: disabled {"phone":"+1-555-0100"}
}

func ExampleWithTokenCallback() {
	srv := iotusertest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	// Keep the tokens (in a file or a secret store) each time they change...
	var saved iotuser.Tokens
	c, err := iotuser.New(
		iotuser.WithBaseURL(srv.BaseURL()),
		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()),
		iotuser.WithTokenCallback(func(t iotuser.Tokens) { saved = t }),
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.GetCurrent(ctx); err != nil {
		log.Fatal(err)
	}

	// ...and the next run resumes the session without logging in.
	next, err := iotuser.New(
		iotuser.WithBaseURL(srv.BaseURL()),
		iotuser.WithTokens(saved.AccessToken, saved.RefreshToken),
		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()), // used only if the tokens are rejected
	)
	if err != nil {
		log.Fatal(err)
	}
	me, err := next.GetCurrent(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Login, "logins:", srv.Logins(), "same tokens:", next.Tokens() == saved)
	// Output: dhadmin logins: 1 same tokens: true
}

func ExampleClient_Create() {
	c, err := iotuser.New(iotuser.WithBaseURL("https://dh.example.com/dh/rest"), iotuser.WithTokens("access-token", ""))
	if err != nil {
		log.Fatal(err)
	}
	// Bad input is refused before anything is sent.
	_, err = c.Create(context.Background(), &iotuser.CreateRequest{Login: "mary", Password: "short"})
	var ve *iotuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field, errors.Is(err, iotuser.ErrInvalidInput))
	// Output: true password true
}

// A client-role user reaches only the devices of the networks assigned to it; Get and
// GetCurrent return a user with its networks.
func ExampleClient_AssignNetwork() {
	srv := iotusertest.NewServer()
	defer srv.Close()
	greenhouse := srv.AddNetwork(iotuser.Network{Name: "greenhouse"})
	mary := srv.AddUser(iotuser.User{Login: "mary", Role: iotuser.RoleClient}, "s3cret-Pass")
	c, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	if err := c.AssignNetwork(ctx, mary.ID, greenhouse.ID); err != nil {
		log.Fatal(err)
	}
	u, err := c.Get(ctx, mary.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Login, u.Role, u.Networks[0].Name)

	// DeviceHive's message says which id it did not find.
	err = c.AssignNetwork(ctx, mary.ID, 9)
	var apiErr *iotuser.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, iotuser.ErrNotFound))
	}
	// Output:
	// mary client greenhouse
	// 404 Network with id = 9 not found true
}
