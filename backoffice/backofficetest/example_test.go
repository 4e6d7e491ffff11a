package backofficetest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

// A test of code that uses package backoffice: users seeded straight into the fake, and
// knobs for what the vendor leaves open (an envelope around lists) or what a test must
// provoke (a token the server stops accepting).
func ExampleNewServer() {
	srv := backofficetest.NewServer()
	defer srv.Close()
	srv.AddUser(backoffice.User{Name: "Ann", Email: "ann@example.com", Active: true}, "pw")
	srv.WrapLists(true) // lists come as {"data": [...], "total": n}
	c, err := backoffice.New(backoffice.WithBaseURL(srv.BaseURL()), backoffice.WithToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}

	users, err := c.List(context.Background(), backoffice.ListOptions{})
	fmt.Println(len(users), users[0].Name, err)

	srv.ExpireTokens()
	_, err = c.Get(context.Background(), users[0].ID)
	fmt.Println(errors.Is(err, backoffice.ErrUnauthorized))
	// Output:
	// 1 Ann <nil>
	// true
}
