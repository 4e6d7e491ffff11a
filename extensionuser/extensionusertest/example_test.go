package extensionusertest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
)

// A test of how code that uses package extensionuser spends Telphin's hourly budget: the
// fake counts every API request and sends the X-RateLimit-* headers Telphin sends.
func ExampleServer_SetRateLimit() {
	srv := extensionusertest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(100)
	srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "reception"}, "pw")
	c, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL()), extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()))
	if err != nil {
		log.Fatal(err)
	}

	users, err := c.List(context.Background(), extensionuser.Me, extensionuser.ListOptions{})
	fmt.Println(len(users), err)
	rl, ok := c.RateLimit()
	fmt.Println(ok, rl.Limit, rl.Remaining)
	// Output:
	// 1 <nil>
	// true 100 99
}
