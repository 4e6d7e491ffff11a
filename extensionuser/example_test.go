package extensionuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
)

// Example adds a user to internal number 5001 and lists the users of two numbers. An
// in-memory fake of Telphin (package extensionusertest) answers; a client without
// WithBaseURL talks to Telphin itself.
func Example() {
	srv := extensionusertest.NewServer()
	defer srv.Close()
	srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5002, Login: "sales", Name: "Sales line", Email: "sales@example.com",
		Access: extensionuser.AccessReadOnly, Status: extensionuser.StatusBlocked}, "pw")
	c, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL()), extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "reception", Name: "Reception", Password: "S3cret-pass", Email: "reception@example.com",
	})
	if err != nil {
		log.Fatal(err)
	}

	// Every filter is an array, sent as repeated query keys: ?extension_id=5001&extension_id=5002.
	users, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{ExtensionID: []int64{5001, 5002}})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.ExtensionID, u.Login, u.Access, u.Status)
	}
	// Values of one filter are alternatives; different filters must all match.
	blocked, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{
		ExtensionID: []int64{5001, 5002}, Status: []extensionuser.Status{extensionuser.StatusBlocked},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(blocked), "blocked:", blocked[0].Login)

	// An unknown client is a 404 too, told from an unknown user by its Code.
	_, err = c.List(ctx, "777", extensionuser.ListOptions{})
	var apiErr *extensionuser.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, errors.Is(err, extensionuser.ErrNotFound))
	}
	// Output:
	// 5002 sales read_only blocked
	// 5001 reception full active
	// 1 blocked: sales
	// 404 client_not_found true
}

// One token serves both packages: the clientuser client takes the extensionuser client's
// token source, so the two share one cached token and renew it together after a 401.
func ExampleWithTokenSource() {
	srv := extensionusertest.NewServer()
	defer srv.Close()
	extensions, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL()),
		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()))
	if err != nil {
		log.Fatal(err)
	}
	users, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL()), clientuser.WithTokenSource(extensions.TokenSource()))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	listBoth := func() {
		if _, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{}); err != nil {
			log.Fatal(err)
		}
		if _, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{}); err != nil {
			log.Fatal(err)
		}
		fmt.Println("tokens fetched:", srv.TokenRequests())
	}
	listBoth()
	srv.ExpireTokens() // the next call gets a 401, and renews the token for both clients
	listBoth()
	// Output:
	// tokens fetched: 1
	// tokens fetched: 2
}

func ExampleClient_Create() {
	c, err := extensionuser.New(extensionuser.WithToken("my-token"))
	if err != nil {
		log.Fatal(err)
	}
	// Missing required fields are refused before anything is sent.
	_, err = c.Create(context.Background(), extensionuser.Me, &extensionuser.CreateRequest{
		Login: "ext102", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
	})
	var ve *extensionuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true extension_id
}

func ExampleUpdateRequest() {
	// Only the fields that are set go on the wire: this moves the user to internal number
	// 5004 and leaves everything else alone.
	req := &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr[int64](5004)}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output: {"extension_id":5004}
}
