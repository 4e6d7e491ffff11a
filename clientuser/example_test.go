package clientuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// Example adds a read-only user to the client that owns the application (Me), then blocks
// it: access (full or read-only) and status (active or blocked) are what a client-level
// user has beyond its sign-in data. The examples talk to clientusertest's in-memory fake of
// Telphin.
func Example() {
	srv := clientusertest.NewServer()
	defer srv.Close()
	c, err := clientuser.New(
		clientuser.WithBaseURL(srv.BaseURL()), // leave out to talk to Telphin's own API
		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	u, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga@example.com",
		Access: clientuser.AccessReadOnly,
	})
	if err != nil {
		log.Fatal(err)
	}
	// Me stands for the client's numeric id, which the answer carries.
	fmt.Println(u.Login, u.Access, u.Status, u.ClientID == clientusertest.DefaultClientID)

	if _, err := c.Update(ctx, clientuser.Me, u.ID, &clientuser.UpdateRequest{Status: clientuser.Ptr(clientuser.StatusBlocked)}); err != nil {
		log.Fatal(err)
	}
	// Filters are arrays, sent as repeated keys: ?login=auditor&login=nobody.
	users, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"auditor", "nobody"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.Login, u.Access, u.Status)
	}
	// Output:
	// auditor read_only active true
	// auditor read_only blocked
}

// All pages through the list with page and per_page, which Telphin does not document for
// the user lists; it stops at the first page shorter than asked.
func ExampleClient_All() {
	srv := clientusertest.NewServer()
	defer srv.Close()
	for _, login := range []string{"operator1", "operator2", "operator3"} {
		srv.AddClientUser(clientuser.User{Login: login, Name: login, Email: login + "@example.com"}, "pw")
	}
	c, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL()), clientuser.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	for u, err := range c.All(context.Background(), clientuser.Me, clientuser.ListOptions{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Login)
	}
	fmt.Println(len(srv.Requests()), "pages")
	// Output:
	// operator1
	// operator2
	// operator3
	// 2 pages
}

// One token serves both packages: the extensionuser client takes the clientuser client's
// token source, so the two share one cached token and renew it together after a 401. The
// source is an oauth2.TokenSource: asking it for a token at start-up shows bad
// credentials at once, not on the first call.
func ExampleClient_TokenSource() {
	srv := clientusertest.NewServer()
	defer srv.Close()
	users, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL()), clientuser.WithClientCredentials(srv.AppID(), srv.Secret()))
	if err != nil {
		log.Fatal(err)
	}
	tok, err := users.TokenSource().Token()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.Type(), "token fetched")
	extensions, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL()), extensionuser.WithTokenSource(users.TokenSource()))
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	if _, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{}); err != nil {
		log.Fatal(err)
	}
	if _, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("tokens fetched:", srv.TokenRequests())
	// Output:
	// Bearer token fetched
	// tokens fetched: 1
}

func ExampleClient_Create() {
	c, err := clientuser.New(clientuser.WithToken("my-token"))
	if err != nil {
		log.Fatal(err)
	}
	// Missing required fields are refused before anything is sent.
	_, err = c.Create(context.Background(), clientuser.Me, &clientuser.CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass",
	})
	var ve *clientuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true email
}

func ExampleUpdateRequest() {
	// Only the fields that are set go on the wire; a pointer to "" clears a field.
	req := &clientuser.UpdateRequest{Status: clientuser.Ptr(clientuser.StatusBlocked), Comment: clientuser.Ptr("")}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output: {"status":"blocked","comment":""}
}

// Telphin allows a client so many requests an hour. Once an answer says the budget is
// spent, calls fail at once until the next hour, instead of sleeping or being sent.
func ExampleClient_RateLimit() {
	srv := clientusertest.NewServer()
	defer srv.Close()
	srv.SetClock(func() time.Time { return time.Date(2030, 1, 1, 10, 30, 0, 0, time.UTC) })
	srv.SetRateLimit(1)
	c, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL()), clientuser.WithToken(srv.IssueToken()))
	if err != nil {
		log.Fatal(err)
	}
	// The budget is known once an answer has carried the X-RateLimit-* headers.
	_, known := c.RateLimit()
	fmt.Println("known:", known)

	ctx := context.Background()
	if _, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{}); err != nil {
		log.Fatal(err)
	}
	last, known := c.RateLimit()
	fmt.Println("known:", known, "-", last.Remaining, "of", last.Limit, "left")
	_, err = c.List(ctx, clientuser.Me, clientuser.ListOptions{})
	var rl *clientuser.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println(errors.Is(err, clientuser.ErrRateLimited), "- retry in", time.Until(rl.Reset).Round(time.Minute))
	}
	// Output:
	// known: false
	// known: true - 0 of 1 left
	// true - retry in 30m0s
}
