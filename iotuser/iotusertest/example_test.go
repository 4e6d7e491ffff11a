package iotusertest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// A test of the session of code that uses package iotuser: the fake counts logins and
// refreshes, and can expire the access tokens it issued; the client then refreshes its
// session instead of logging in again.
func ExampleServer_ExpireAccessTokens() {
	srv := iotusertest.NewServer()
	defer srv.Close()
	mary := srv.AddUser(iotuser.User{Login: "mary", Role: iotuser.RoleClient}, "S3cret-pass")
	c, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()))
	if err != nil {
		log.Fatal(err)
	}

	for range 2 {
		u, err := c.Get(context.Background(), mary.ID)
		fmt.Println(u.Login, err, srv.Logins(), srv.Refreshes())
		srv.ExpireAccessTokens()
	}
	// Output:
	// mary <nil> 1 0
	// mary <nil> 1 1
}
