// Command accountuser shows the Revive Adserver user API (package accountuser) top to
// bottom: a client with options, then create, list an account's users, get, update, a
// typed not-found error and delete.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server,
// with a Revive user allowed to manage the account's users:
//
//	REVIVE_BASE_URL=https://revive.example.com/api REVIVE_USER=... REVIVE_PASSWORD=... \
//	REVIVE_ACCOUNT_ID=2 go run ./examples/accountuser
//
// Against a real server it touches only the user it creates, and deletes it. With
// USERSDK_RECORD=DIR it also writes each exchange, secrets redacted, under DIR/accountuser/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func main() { server.Main("accountuser", "Revive Adserver", server.ForAccountuser, runAccountuser) } // REVIVE_*, or a fresh fake

// runAccountuser creates a user in an account, finds, reads and changes it, shows a typed
// not-found error, and deletes the user.
func runAccountuser(ctx context.Context, w io.Writer, srv *server.Accountuser) (err error) {
	// Every installation has its own address, and the API takes HTTP Basic credentials.
	c, err := accountuser.New(
		accountuser.WithBaseURL(srv.BaseURL),
		accountuser.WithBasicAuth(srv.User, srv.Password),
		accountuser.WithHTTPClient(srv.HTTPClient),
		// WithPUT and WithJSONContentType are for installations that differ from the docs.
	)
	if err != nil {
		return err
	}

	// A unique username, so that a real server's own users are never touched.
	name := server.UniqueName()
	u, err := c.Create(ctx, &accountuser.CreateRequest{
		ContactName: "Example User", EmailAddress: name + "@example.com", Username: name,
		Password: "Example-Pw-1", DefaultAccountID: srv.AccountID, // must be an existing account
	})
	if err != nil {
		// errors.Is(err, accountuser.ErrOutcomeUnknown): the user may exist; look for the
		// username before creating it again.
		return fmt.Errorf("create: %w", err)
	}
	// Revive sends every number as a string ({"userId":"21","active":"1"}); ID and Active
	// decode either form, so u.UserID is a number here.
	fmt.Fprintf(w, "created user %d (%s) in account %d\n", u.UserID, u.Username, u.DefaultAccountID)
	// If a later step fails, still remove the user.
	defer server.Undo(ctx, &err, func(ctx context.Context) error { return c.Delete(ctx, u.UserID) })

	// The account is the list's filter: GET /usr/acc/{accountId}.
	users, err := c.ListByAccount(ctx, srv.AccountID)
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	found := 0
	for _, x := range users {
		if x.UserID == u.UserID {
			found++
		}
	}
	fmt.Fprintf(w, "listed account %d: %d users, %d of them ours\n", srv.AccountID, len(users), found)

	got, err := c.Get(ctx, u.UserID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %d: %s <%s>, active=%t\n", got.UserID, got.ContactName, got.EmailAddress, got.Active.Bool())

	// Only the fields that are set are sent. Update returns the stored user, reading it back
	// when Revive's answer does not hold it.
	got, err = c.Update(ctx, u.UserID, &accountuser.UpdateRequest{Active: accountuser.Ptr(accountuser.Disabled)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Fprintf(w, "updated the active flag only: active=%t\n", got.Active.Bool())

	// Revive answers "Unknown userId Error", with whatever status; it matches ErrNotFound.
	const missing = 2_147_483_647 // an id no server has handed out
	_, err = c.Get(ctx, missing)
	var apiErr *accountuser.APIError
	if !errors.Is(err, accountuser.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get %d: want a not-found error, got %v", missing, err)
	}
	fmt.Fprintf(w, "user %d: errors.Is(err, accountuser.ErrNotFound), status %d, %q\n", missing, apiErr.StatusCode, apiErr.Message)

	if err = c.Delete(ctx, u.UserID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %d\n", u.UserID)
	return nil
}
