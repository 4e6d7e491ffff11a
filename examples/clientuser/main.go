// Command clientuser shows Telphin's client-level users API (package clientuser) top to
// bottom: a client with options, then create, list with a filter, get, update, a typed 404
// and delete.
//
// With no configuration it runs against the SDK's in-memory Telphin fake. To use the real
// platform, with the id and secret of a trusted Telphin application:
//
//	TELPHIN_APP_ID=... TELPHIN_APP_SECRET=... go run ./examples/clientuser
//
// TELPHIN_BASE_URL overrides https://apiproxy.telphin.ru/api/ver1.0. Against a real server
// it touches only the user it creates, and deletes it. With USERSDK_RECORD=DIR it also
// writes each exchange, secrets redacted, under DIR/clientuser/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func main() {
	server.Main("clientuser", "Telphin client-level users", server.ForClientuser, runClientuser)
} // TELPHIN_*, or a fresh fake

// runClientuser creates a client-level user, finds, reads and changes it, shows a typed
// 404, and deletes the user.
func runClientuser(ctx context.Context, w io.Writer, srv *server.Clientuser) (err error) {
	// The client fetches an OAuth token with the application's credentials, keeps it, and
	// fetches a new one when it expires or is rejected.
	c, err := clientuser.New(
		clientuser.WithBaseURL(srv.BaseURL),
		clientuser.WithClientCredentials(srv.AppID, srv.Secret),
		clientuser.WithHTTPClient(srv.HTTPClient),
	)
	if err != nil {
		return err
	}

	// Every call names the Telphin client the users belong to: its numeric id as a string,
	// or clientuser.Me ("@me"), the client that owns the application.
	const client = clientuser.Me

	// A unique login, so that a real server's own users are never touched.
	login := server.UniqueName()
	u, err := c.Create(ctx, client, &clientuser.CreateRequest{
		Login: login, Name: "Example User", Password: "Example-Pw-1", Email: login + "@example.com",
		Access: clientuser.AccessReadOnly, // the server's default is full access
	})
	if err != nil {
		// errors.Is(err, clientuser.ErrOutcomeUnknown): the user may exist; list by login
		// before creating it again.
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(w, "created user %d (%s, %s access) on client %s\n", u.ID, u.Login, u.Access, client)
	// If a later step fails, still remove the user.
	defer server.Undo(ctx, &err, func(ctx context.Context) error { return c.Delete(ctx, client, u.ID) })

	// Filters are lists, sent as repeated keys: login=a&login=b.
	users, err := c.List(ctx, client, clientuser.ListOptions{Login: []string{login}})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintf(w, "listed users with login=%s: %d found\n", login, len(users))

	got, err := c.Get(ctx, client, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %d: %s <%s>, status %s\n", got.ID, got.Name, got.Email, got.Status)

	// Only the fields that are set are sent; the login cannot be changed.
	got, err = c.Update(ctx, client, u.ID, &clientuser.UpdateRequest{Status: clientuser.Ptr(clientuser.StatusBlocked)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Fprintf(w, "updated the status only: %s\n", got.Status)

	// Telphin counts requests per hour; the client reports the last X-RateLimit-* values.
	if rl, ok := c.RateLimit(); ok {
		fmt.Fprintf(w, "rate limit: %d of %d requests left this hour\n", rl.Remaining, rl.Limit)
	}

	// Errors are typed: errors.Is for the kind, errors.As for Telphin's message.
	const missing = 2_147_483_647 // an id no server has handed out
	_, err = c.Get(ctx, client, missing)
	var apiErr *clientuser.APIError
	if !errors.Is(err, clientuser.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get %d: want a not-found error, got %v", missing, err)
	}
	fmt.Fprintf(w, "user %d: errors.Is(err, clientuser.ErrNotFound), %q\n", missing, apiErr.Message)

	if err = c.Delete(ctx, client, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %d\n", u.ID)
	return nil
}
