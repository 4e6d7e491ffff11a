// Command backoffice shows the B2Core Back Office users API (package backoffice) top to
// bottom: a client with options, then create, list with a filter, get, patch, a typed 404
// and delete.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server:
//
//	BACKOFFICE_BASE_URL=https://bo.example.com BACKOFFICE_TOKEN=... go run ./examples/backoffice
//
// Against a real server it touches only the user it creates, and deletes it. With
// USERSDK_RECORD=DIR it also writes each exchange, secrets redacted, under DIR/backoffice/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func main() { server.Main("backoffice", "B2Core Back Office", server.ForBackoffice, runBackoffice) } // BACKOFFICE_*, or a fresh fake

// runBackoffice creates a user, finds, reads and changes it, shows a typed 404, and
// deletes the user.
func runBackoffice(ctx context.Context, w io.Writer, srv *server.Backoffice) (err error) {
	c, err := backoffice.New(
		backoffice.WithBaseURL(srv.BaseURL),
		backoffice.WithToken(srv.Token), // or WithTokenSource, to renew it
		backoffice.WithHTTPClient(srv.HTTPClient),
		backoffice.WithRetry(3, 500*time.Millisecond, 10*time.Second), // reads and PUT only
	)
	if err != nil {
		return err
	}

	// A unique e-mail, so that a real server's own users are never touched.
	email := server.UniqueName() + "@example.com"
	u, err := c.Create(ctx, &backoffice.CreateRequest{
		Name: "Example User", Email: email, Password: "Example-Pw-1",
		Active: true, Groups: []int64{1}, // at least one group is required
	})
	if err != nil {
		// errors.Is(err, backoffice.ErrOutcomeUnknown): the user may exist; look it up by
		// e-mail before creating it again.
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(w, "created user %d <%s>\n", u.ID, u.Email)
	// If a later step fails, still remove the user.
	defer server.Undo(ctx, &err, func(ctx context.Context) error { return c.Delete(ctx, u.ID) })

	// filter[active]=1 keeps active users only. Beware: B2Core reads filter[active]=0 as
	// "whatever the status", not "inactive", so Active: Ptr(false) filters nothing.
	users, err := c.List(ctx, backoffice.ListOptions{Email: email, Active: backoffice.Ptr(true)})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintf(w, "listed active users with filter[email]=%s: %d found\n", email, len(users))

	got, err := c.Get(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %d: %s, active=%t, groups %v\n", got.ID, got.Name, got.Active, got.Groups)

	// Patch sends only the fields that are set; Update (PUT) is the same call with PUT.
	got, err = c.Patch(ctx, u.ID, &backoffice.UpdateRequest{Name: backoffice.Ptr("Example User (renamed)")})
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	fmt.Fprintf(w, "patched the name only: %q\n", got.Name)

	// Errors are typed: errors.Is for the kind, errors.As for the server's detail.
	const missing = 2_147_483_647 // an id no server has handed out
	_, err = c.Get(ctx, missing)
	var apiErr *backoffice.APIError
	if !errors.Is(err, backoffice.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get %d: want a not-found error, got %v", missing, err)
	}
	fmt.Fprintf(w, "user %d: errors.Is(err, backoffice.ErrNotFound), status %d\n", missing, apiErr.StatusCode)

	if err = c.Delete(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %d\n", u.ID)
	return nil
}
