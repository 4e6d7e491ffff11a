package accountusertest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
)

// A test of code that uses package accountuser against an installation that answers
// every error with status 200: the client still reads Revive's error object.
func ExampleServer_SetErrorStatus() {
	srv := accountusertest.NewServer()
	defer srv.Close()
	srv.AddUser(accountuser.User{Username: "mary", DefaultAccountID: 2}, "pw")
	srv.SetErrorStatus(200)
	user, pass := srv.Credentials()
	c, err := accountuser.New(accountuser.WithBaseURL(srv.BaseURL()), accountuser.WithBasicAuth(user, pass))
	if err != nil {
		log.Fatal(err)
	}

	users, err := c.ListByAccount(context.Background(), 2)
	fmt.Println(len(users), users[0].Username, err)
	_, err = c.Get(context.Background(), 99)
	fmt.Println(errors.Is(err, accountuser.ErrNotFound), err)
	// Output:
	// 1 mary <nil>
	// true GET /usr/99: 200 OK: Unknown userId Error [Exception]
}
