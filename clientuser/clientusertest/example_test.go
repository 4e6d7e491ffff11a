package clientusertest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
)

// A test of the token flow of code that uses package clientuser: the fake issues OAuth
// tokens, counts the requests for them, and can expire every token it issued.
func ExampleServer_ExpireTokens() {
	srv := clientusertest.NewServer()
	defer srv.Close()
	mary := srv.AddClientUser(clientuser.User{Login: "mary"}, "pw")
	c, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL()), clientuser.WithClientCredentials(srv.AppID(), srv.Secret()))
	if err != nil {
		log.Fatal(err)
	}

	for range 2 {
		u, err := c.Get(context.Background(), clientuser.Me, mary.ID)
		fmt.Println(u.Login, err, srv.TokenRequests())
		// The token is rejected next time: the client asks for a new one and resends.
		srv.ExpireTokens()
	}
	// Output:
	// mary <nil> 1
	// mary <nil> 2
}
