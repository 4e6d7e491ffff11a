// Command quickstart is a first look at the SDK's five APIs. For each it builds a client
// with the same option names (WithBaseURL, a credential, WithHTTPClient), creates a user,
// reads it back and deletes it with the same method names, and shows that reading it again
// fails with the package's ErrNotFound. Then it shows, against fakes that misbehave on cue,
// what the SDK does when a server does: a 503 retried, an expired token renewed, and one
// OAuth token shared by the two Telphin clients.
//
//	go run ./examples/quickstart
//
// With no configuration every API runs against its in-memory fake, started in-process. To
// use real servers, set an API's variables; its part then runs against that server and
// touches only the user it creates:
//
//	BACKOFFICE_BASE_URL, BACKOFFICE_TOKEN                        B2Core Back Office
//	TELPHIN_APP_ID, TELPHIN_APP_SECRET, TELPHIN_EXTENSION_ID,
//	TELPHIN_BASE_URL (optional)                                  Telphin cloud PBX
//	REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD,
//	REVIVE_ACCOUNT_ID                                            Revive Adserver
//	DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN, DEVICEHIVE_PASSWORD,
//	DEVICEHIVE_AUTH_URL, DEVICEHIVE_NETWORK_ID (optional)        DeviceHive
//
// With USERSDK_RECORD=DIR it writes each exchange, secrets redacted, under DIR/<api>/
// (the misbehaving fakes' staged answers are not recorded).
//
// Each API's full tour (list with a filter, update, rate limits, the API's quirks) is its
// own program: examples/backoffice, examples/clientuser, examples/extensionuser,
// examples/accountuser and examples/iotuser.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/iotuser"
)

func main() {
	server.Run("quickstart", 5*time.Minute, func(ctx context.Context, w io.Writer) error {
		return run(ctx, w, os.Getenv)
	})
}

// run takes each API in turn, then the SDK's handling of misbehaving servers, and stops at
// the first failure.
func run(ctx context.Context, w io.Writer, env server.Env) error {
	for _, part := range []struct {
		name string
		run  func() error
	}{
		{"backoffice", func() error {
			return server.Use(ctx, w, env, "B2Core Back Office (backoffice)", server.ForBackoffice, backofficeUsers)
		}},
		{"clientuser", func() error {
			return server.Use(ctx, w, env, "Telphin client-level users (clientuser)", server.ForClientuser, clientUsers)
		}},
		{"extensionuser", func() error {
			return server.Use(ctx, w, env, "Telphin internal-number users (extensionuser)", server.ForExtensionuser, extensionUsers)
		}},
		{"accountuser", func() error {
			return server.Use(ctx, w, env, "Revive Adserver (accountuser)", server.ForAccountuser, accountUsers)
		}},
		{"iotuser", func() error { return server.Use(ctx, w, env, "DeviceHive (iotuser)", server.ForIotuser, iotUsers) }},
		{"misbehaving servers", func() error { return misbehaving(ctx, w) }},
	} {
		if err := part.run(); err != nil {
			return fmt.Errorf("%s: %w", part.name, err)
		}
	}
	fmt.Fprintln(w, "\nDone: every step succeeded.")
	return nil
}

// password is the password of the users the quickstart creates.
const password = "Example-Pw-1"

func backofficeUsers(ctx context.Context, w io.Writer, srv *server.Backoffice) error {
	c, err := backoffice.New(backoffice.WithBaseURL(srv.BaseURL), backoffice.WithToken(srv.Token),
		backoffice.WithHTTPClient(srv.HTTPClient))
	if err != nil {
		return err
	}
	create := func(ctx context.Context, name string) (*backoffice.User, error) {
		return c.Create(ctx, &backoffice.CreateRequest{
			Name: name, Email: name + "@example.com", Password: password, Active: true, Groups: []int64{1}})
	}
	id := func(u *backoffice.User) int64 { return u.ID }
	return users(ctx, w, "backoffice", backoffice.ErrNotFound, create, id, c.Get, c.Delete)
}

// The Telphin packages name the client the users belong to in every call: Me is the
// client that owns the application.
func clientUsers(ctx context.Context, w io.Writer, srv *server.Clientuser) error {
	c, err := clientuser.New(clientuser.WithBaseURL(srv.BaseURL),
		clientuser.WithClientCredentials(srv.AppID, srv.Secret), clientuser.WithHTTPClient(srv.HTTPClient))
	if err != nil {
		return err
	}
	create := func(ctx context.Context, login string) (*clientuser.User, error) {
		return c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: login, Name: "Quickstart",
			Password: password, Email: login + "@example.com", Access: clientuser.AccessReadOnly})
	}
	get := func(ctx context.Context, id int64) (*clientuser.User, error) { return c.Get(ctx, clientuser.Me, id) }
	del := func(ctx context.Context, id int64) error { return c.Delete(ctx, clientuser.Me, id) }
	id := func(u *clientuser.User) int64 { return u.ID }
	return users(ctx, w, "clientuser", clientuser.ErrNotFound, create, id, get, del)
}

// An extension user lives on an internal number (extension) of the client.
func extensionUsers(ctx context.Context, w io.Writer, srv *server.Extensionuser) error {
	c, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL),
		extensionuser.WithClientCredentials(srv.AppID, srv.Secret), extensionuser.WithHTTPClient(srv.HTTPClient))
	if err != nil {
		return err
	}
	create := func(ctx context.Context, login string) (*extensionuser.User, error) {
		return c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{ExtensionID: srv.ExtensionID,
			Login: login, Name: "Quickstart", Password: password, Email: login + "@example.com"})
	}
	get := func(ctx context.Context, id int64) (*extensionuser.User, error) {
		return c.Get(ctx, extensionuser.Me, id)
	}
	del := func(ctx context.Context, id int64) error { return c.Delete(ctx, extensionuser.Me, id) }
	id := func(u *extensionuser.User) int64 { return u.ID }
	return users(ctx, w, "extensionuser", extensionuser.ErrNotFound, create, id, get, del)
}

// Revive takes HTTP Basic credentials, and a user belongs to an existing account.
func accountUsers(ctx context.Context, w io.Writer, srv *server.Accountuser) error {
	c, err := accountuser.New(accountuser.WithBaseURL(srv.BaseURL), accountuser.WithBasicAuth(srv.User, srv.Password),
		accountuser.WithHTTPClient(srv.HTTPClient))
	if err != nil {
		return err
	}
	create := func(ctx context.Context, name string) (*accountuser.User, error) {
		return c.Create(ctx, &accountuser.CreateRequest{ContactName: "Quickstart", EmailAddress: name + "@example.com",
			Username: name, Password: password, DefaultAccountID: srv.AccountID})
	}
	id := func(u *accountuser.User) accountuser.ID { return u.UserID }
	return users(ctx, w, "accountuser", accountuser.ErrNotFound, create, id, c.Get, c.Delete)
}

// DeviceHive logs in with a login and password, from a token service that may have an
// address of its own; Get answers with the user's networks too.
func iotUsers(ctx context.Context, w io.Writer, srv *server.Iotuser) error {
	opts := []iotuser.Option{iotuser.WithBaseURL(srv.BaseURL), iotuser.WithLogin(srv.Login, srv.Password),
		iotuser.WithHTTPClient(srv.HTTPClient)}
	if srv.AuthURL != "" {
		opts = append(opts, iotuser.WithAuthURL(srv.AuthURL))
	}
	c, err := iotuser.New(opts...)
	if err != nil {
		return err
	}
	create := func(ctx context.Context, login string) (*iotuser.User, error) {
		// Role's zero value is RoleAdmin.
		return c.Create(ctx, &iotuser.CreateRequest{Login: login, Password: password, Role: iotuser.Ptr(iotuser.RoleClient)})
	}
	id := func(u *iotuser.User) int64 { return u.ID }
	return users(ctx, w, "iotuser", iotuser.ErrNotFound, create, id, c.Get, c.Delete)
}

// users makes the calls every package has, under the same names: Create a user with a
// name no server holds yet, Get it back, Delete it, and Get it again, which must fail
// with the package's ErrNotFound (pkg names the package in the output). If Get fails, the
// user is still deleted.
func users[U, G any, ID comparable](ctx context.Context, w io.Writer, pkg string, notFound error,
	create func(context.Context, string) (U, error), id func(U) ID,
	get func(context.Context, ID) (G, error), del func(context.Context, ID) error) error {
	u, err := create(ctx, server.UniqueName())
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	userID := id(u)
	fmt.Fprintf(w, "created user %v\n", userID)
	if _, err := get(ctx, userID); err != nil {
		_ = del(context.WithoutCancel(ctx), userID)
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %v\n", userID)
	if err := del(ctx, userID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %v\n", userID)
	if _, err := get(ctx, userID); !errors.Is(err, notFound) {
		return fmt.Errorf("get after delete: want %s.ErrNotFound, got %v", pkg, err)
	}
	fmt.Fprintf(w, "user %v is gone: errors.Is(err, %s.ErrNotFound)\n", userID, pkg)
	return nil
}
