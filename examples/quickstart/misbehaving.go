package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// misbehaving shows what the SDK does when a server fails a request, lets a token expire,
// or could be asked for one token too many. It needs servers that do so on cue, so it
// always uses fresh fakes, and its clients keep the SDK's default HTTP client: record mode
// is for what real servers say, and these answers are staged.
func misbehaving(ctx context.Context, w io.Writer) error {
	fmt.Fprintf(w, "\n== When a server misbehaves (fresh fakes, whatever the variables say)\n")
	for _, show := range []func(context.Context, io.Writer) error{retried503, renewedToken, sharedToken} {
		if err := show(ctx, w); err != nil {
			return err
		}
	}
	return nil
}

// retried503 has a read answered 503 once, with Retry-After: 0: the SDK waits as long as
// the server asks (here not at all; without the header, a backoff) and sends it again.
func retried503(ctx context.Context, w io.Writer) error {
	fake := backofficetest.NewServer()
	defer fake.Close()
	u := fake.AddUser(backoffice.User{Name: "Mary", Email: "mary@example.com", Active: true, Groups: []int64{1}}, "Mary-Pw-1")
	c, err := backoffice.New(backoffice.WithBaseURL(fake.URL), backoffice.WithToken(fake.Token()))
	if err != nil {
		return err
	}
	fake.FailNext(1, http.StatusServiceUnavailable, "0")
	// WithResponse captures the final answer of one call: status, headers, attempts.
	var resp usersdk.Response
	if _, err := c.Get(usersdk.WithResponse(ctx, &resp), u.ID); err != nil {
		return fmt.Errorf("get after a 503: %w", err)
	}
	if resp.Attempts != 2 {
		return fmt.Errorf("get after a 503: %d attempts, want 2", resp.Attempts)
	}
	// A write that may have reached the server is never sent again: it fails with
	// ErrOutcomeUnknown instead.
	fmt.Fprintf(w, "a read got a 503 and was sent again: status %d after %d attempts\n", resp.StatusCode, resp.Attempts)
	return nil
}

// renewedToken lets DeviceHive's access token expire: the client renews it with the
// refresh token and sends the request again.
func renewedToken(ctx context.Context, w io.Writer) error {
	fake := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	defer fake.Close()
	c, err := iotuser.New(iotuser.WithBaseURL(fake.BaseURL()), iotuser.WithAuthURL(fake.AuthURL()),
		iotuser.WithLogin(fake.AdminLogin(), fake.AdminPassword()))
	if err != nil {
		return err
	}
	if _, err := c.GetCurrent(ctx); err != nil { // logs in first
		return err
	}
	fake.ExpireAccessTokens()
	if _, err := c.GetCurrent(ctx); err != nil {
		return fmt.Errorf("get after expiry: %w", err)
	}
	if fake.Logins() != 1 || fake.Refreshes() != 1 {
		return fmt.Errorf("%d logins and %d refreshes, want 1 of each", fake.Logins(), fake.Refreshes())
	}
	fmt.Fprintf(w, "DeviceHive's access token expired: the client refreshed it (%d login, %d refresh) and carried on\n",
		fake.Logins(), fake.Refreshes())
	return nil
}

// sharedToken serves both Telphin clients with one OAuth token: extensionuser takes
// clientuser's TokenSource.
func sharedToken(ctx context.Context, w io.Writer) error {
	fake := clientusertest.NewServer()
	defer fake.Close()
	users, err := clientuser.New(clientuser.WithBaseURL(fake.BaseURL()), clientuser.WithClientCredentials(fake.AppID(), fake.Secret()))
	if err != nil {
		return err
	}
	extensions, err := extensionuser.New(extensionuser.WithBaseURL(fake.BaseURL()), extensionuser.WithTokenSource(users.TokenSource()))
	if err != nil {
		return err
	}
	if _, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{}); err != nil {
		return err
	}
	if _, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{}); err != nil {
		return err
	}
	if n := fake.TokenRequests(); n != 1 {
		return fmt.Errorf("%d token requests, want 1", n)
	}
	fmt.Fprintf(w, "clientuser and extensionuser shared one OAuth token: %d token request for both\n", fake.TokenRequests())
	return nil
}
