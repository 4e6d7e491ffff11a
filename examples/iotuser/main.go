// Command iotuser shows the DeviceHive user API (package iotuser) top to bottom: a client
// with options, then create, list with a login pattern, get, an update that keeps the
// user's data, a network assignment, delete, and the typed 404 of the deleted user.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server,
// with an administrator's login:
//
//	DEVICEHIVE_BASE_URL=https://dh.example.com/dh/rest \
//	DEVICEHIVE_AUTH_URL=https://dh.example.com:8090/dh/rest \
//	DEVICEHIVE_LOGIN=dhadmin DEVICEHIVE_PASSWORD=... DEVICEHIVE_NETWORK_ID=1 go run ./examples/iotuser
//
// DEVICEHIVE_AUTH_URL is the token service, when the API's host does not serve /token;
// DEVICEHIVE_NETWORK_ID names an existing network to assign, and without it that step is
// skipped. Against a real server it touches only the user it creates, and deletes it. With
// USERSDK_RECORD=DIR it also writes each exchange, secrets redacted, under DIR/iotuser/.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/iotuser"
)

func main() { server.Main("iotuser", "DeviceHive", server.ForIotuser, runIotuser) } // DEVICEHIVE_*, or a fresh fake

// runIotuser creates a user, finds, reads and changes it, assigns it a network, deletes
// it, and shows the typed 404 of reading it again.
func runIotuser(ctx context.Context, w io.Writer, srv *server.Iotuser) (err error) {
	// The client logs in on its first request and renews its JWT session by itself.
	opts := []iotuser.Option{
		iotuser.WithBaseURL(srv.BaseURL),
		iotuser.WithLogin(srv.Login, srv.Password),
		iotuser.WithHTTPClient(srv.HTTPClient),
	}
	if srv.AuthURL != "" { // DeviceHive issues tokens from a separate service (port 8090)
		opts = append(opts, iotuser.WithAuthURL(srv.AuthURL))
	}
	c, err := iotuser.New(opts...)
	if err != nil {
		return err
	}

	// A unique login, so that a real server's own users are never touched.
	login := server.UniqueName()
	u, err := c.Create(ctx, &iotuser.CreateRequest{
		Login: login, Password: "Example-Pw-1",
		Role: iotuser.Ptr(iotuser.RoleClient), // required: the server refuses a user without a role
		Data: json.RawMessage(`{"team":"examples"}`),
	})
	if err != nil {
		// errors.Is(err, iotuser.ErrOutcomeUnknown): the user may exist; list by login
		// before creating it again.
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(w, "created user %d (%s, role %s)\n", u.ID, u.Login, u.Role)
	// If a later step fails, still remove the user.
	defer server.Undo(ctx, &err, func(ctx context.Context) error { return c.Delete(ctx, u.ID) })

	// loginPattern is an SQL LIKE pattern. Without Take the server sends every match at
	// once; All pages with take and skip.
	users, err := c.List(ctx, iotuser.ListOptions{LoginPattern: login + "%", Take: 10})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintf(w, "listed users with loginPattern=%s%%: %d found\n", login, len(users))

	got, err := c.Get(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %d: status %s, data %s\n", got.ID, got.Status, got.Data)

	// Beware: DeviceHive replaces data on every update, so an update without Data clears
	// it. Send the current value back to keep it. The answer holds no user: read it back.
	if err = c.Update(ctx, u.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &got.Data}); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if got, err = c.Get(ctx, u.ID); err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "updated the status, data sent back: status %s, data %s\n", got.Status, got.Data)

	if srv.NetworkID > 0 { // networks are made by an administrator; the user is given access
		if err = c.AssignNetwork(ctx, u.ID, srv.NetworkID); err != nil {
			return fmt.Errorf("assign network: %w", err)
		}
		fmt.Fprintf(w, "gave the user network %d\n", srv.NetworkID)
	}

	if err = c.Delete(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %d\n", u.ID)

	// The user is gone. Errors are typed: errors.Is for the kind, errors.As for
	// DeviceHive's message.
	_, err = c.Get(ctx, u.ID)
	var apiErr *iotuser.APIError
	if !errors.Is(err, iotuser.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get after delete: want a not-found error, got %v", err)
	}
	fmt.Fprintf(w, "user %d: errors.Is(err, iotuser.ErrNotFound), %q\n", u.ID, apiErr.Message)
	return nil
}
