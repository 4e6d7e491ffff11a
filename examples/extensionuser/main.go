// Command extensionuser shows Telphin's internal-number users API (package extensionuser)
// top to bottom: a client with options, then a user created on an internal number, the
// list of that number's users, get, update, a typed 404 and delete.
//
// With no configuration it runs against the SDK's in-memory Telphin fake. To use the real
// platform, with the id and secret of a trusted Telphin application and an internal number
// (extension) of its client:
//
//	TELPHIN_APP_ID=... TELPHIN_APP_SECRET=... TELPHIN_EXTENSION_ID=... go run ./examples/extensionuser
//
// TELPHIN_BASE_URL overrides https://apiproxy.telphin.ru/api/ver1.0. Against a real server
// it touches only the user it creates, and deletes it. With USERSDK_RECORD=DIR it also
// writes each exchange, secrets redacted, under DIR/extensionuser/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/usersdk/usersdk-go/examples/internal/server"
	"github.com/usersdk/usersdk-go/extensionuser"
)

func main() {
	server.Main("extensionuser", "Telphin internal-number users", server.ForExtensionuser, runExtensionuser)
} // TELPHIN_*, or a fresh fake

// runExtensionuser puts a user on an internal number, finds it among that number's users,
// reads and changes it, shows a typed 404, and deletes the user.
func runExtensionuser(ctx context.Context, w io.Writer, srv *server.Extensionuser) (err error) {
	// With clientuser too, pass one client's TokenSource to the other's WithTokenSource:
	// the two then share one OAuth token.
	c, err := extensionuser.New(
		extensionuser.WithBaseURL(srv.BaseURL),
		extensionuser.WithClientCredentials(srv.AppID, srv.Secret),
		extensionuser.WithHTTPClient(srv.HTTPClient),
	)
	if err != nil {
		return err
	}

	// Every call names the Telphin client: its numeric id as a string, or
	// extensionuser.Me ("@me"), the client that owns the application. A user belongs to
	// one internal number (extension) of that client: a field of the user, not part of
	// the path, set on creation (and changed by Update, which moves the user).
	const client = extensionuser.Me
	number := srv.ExtensionID

	// A unique login, so that a real server's own users are never touched.
	login := server.UniqueName()
	u, err := c.Create(ctx, client, &extensionuser.CreateRequest{
		ExtensionID: number, Login: login, Name: "Example User",
		Password: "Example-Pw-1", Email: login + "@example.com",
	})
	if err != nil {
		// errors.Is(err, extensionuser.ErrOutcomeUnknown): the user may exist; list by
		// login before creating it again.
		return fmt.Errorf("create: %w", err)
	}
	fmt.Fprintf(w, "created user %d (%s, %s access) on internal number %d\n", u.ID, u.Login, u.Access, u.ExtensionID)
	// If a later step fails, still remove the user.
	defer server.Undo(ctx, &err, func(ctx context.Context) error { return c.Delete(ctx, client, u.ID) })

	// The internal number is the filter: extension_id=<number> lists the number's users.
	// Filters are lists, sent as repeated keys; different keys must all match.
	users, err := c.List(ctx, client, extensionuser.ListOptions{ExtensionID: []int64{number}})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	ours := slices.IndexFunc(users, func(x extensionuser.User) bool { return x.ID == u.ID }) >= 0
	fmt.Fprintf(w, "listed internal number %d: %d users, ours among them: %t\n", number, len(users), ours)

	got, err := c.Get(ctx, client, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w, "got user %d: %s <%s> on internal number %d, %s access\n", got.ID, got.Name, got.Email, got.ExtensionID, got.Access)

	// Only the fields that are set are sent: the user stays on its number.
	got, err = c.Update(ctx, client, u.ID, &extensionuser.UpdateRequest{Access: extensionuser.Ptr(extensionuser.AccessReadOnly)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Fprintf(w, "updated the access only: %s, still on internal number %d\n", got.Access, got.ExtensionID)

	// Errors are typed: errors.Is for the kind, errors.As for Telphin's message.
	const missing = 2_147_483_647 // an id no server has handed out
	_, err = c.Get(ctx, client, missing)
	var apiErr *extensionuser.APIError
	if !errors.Is(err, extensionuser.ErrNotFound) || !errors.As(err, &apiErr) {
		return fmt.Errorf("get %d: want a not-found error, got %v", missing, err)
	}
	fmt.Fprintf(w, "user %d: errors.Is(err, extensionuser.ErrNotFound), %q\n", missing, apiErr.Message)

	if err = c.Delete(ctx, client, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	fmt.Fprintf(w, "deleted user %d from internal number %d\n", u.ID, number)
	return nil
}
