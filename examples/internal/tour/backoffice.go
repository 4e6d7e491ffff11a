package tour

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

// BackofficeEnv names the variables that point the backoffice tour at a real server.
var BackofficeEnv = []string{"BACKOFFICE_BASE_URL", "BACKOFFICE_TOKEN"}

// Backoffice walks through the B2Core Back Office users API. With BACKOFFICE_BASE_URL and
// BACKOFFICE_TOKEN set it uses that server and deletes only the user it created.
func Backoffice(ctx context.Context, w io.Writer, env Env) error {
	s := NewStep(w, "B2Core Back Office (backoffice)")
	opts := []backoffice.Option{}
	var fake *backofficetest.Server
	if base := env("BACKOFFICE_BASE_URL"); base != "" {
		opts = append(opts, backoffice.WithBaseURL(base), backoffice.WithToken(env("BACKOFFICE_TOKEN")))
		s.Printf("using %s", base)
	} else {
		fake = backofficetest.NewServer()
		defer fake.Close()
		opts = append(opts, backoffice.WithBaseURL(fake.URL), backoffice.WithToken(fake.Token()))
		s.Printf("no BACKOFFICE_BASE_URL: using the built-in fake at %s", fake.URL)
	}
	c, err := backoffice.New(opts...)
	if err != nil {
		return err
	}

	email := "quickstart-" + uniqueSuffix() + "@example.com"
	u, err := c.Create(ctx, &backoffice.CreateRequest{Name: "Quickstart User", Email: email, Password: "Quickstart-Pw-1", Active: true, Groups: []int64{1}})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	s.Printf("created user %d <%s>", u.ID, u.Email)
	defer func() {
		if err := c.Delete(context.WithoutCancel(ctx), u.ID); err != nil && !errors.Is(err, backoffice.ErrNotFound) {
			fmt.Fprintf(w, "    cleanup: %v\n", err)
		}
	}()

	users, err := c.List(ctx, backoffice.ListOptions{Email: email})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	s.Printf("listed users with filter[email]=%s: %d found", email, len(users))

	got, err := c.Get(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("got user %d: %s, active=%t", got.ID, got.Name, got.Active)

	patched, err := c.Patch(ctx, u.ID, &backoffice.UpdateRequest{Name: backoffice.Ptr("Quickstart User (renamed)")})
	if err != nil {
		return fmt.Errorf("patch: %w", err)
	}
	s.Printf("patched the name only: %q", patched.Name)

	var f faults
	if fake != nil {
		f = fake
	}
	if err := retryDemo(ctx, s, f, func(ctx context.Context) error { _, err := c.Get(ctx, u.ID); return err }); err != nil {
		return err
	}

	if err := c.Delete(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	s.Printf("deleted user %d", u.ID)

	_, err = c.Get(ctx, u.ID)
	var apiErr *backoffice.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, backoffice.ErrNotFound) {
		return fmt.Errorf("expected a 404 after delete, got %v", err)
	}
	s.Printf("reading it again gives a typed error: errors.Is(err, ErrNotFound) with status %d", apiErr.StatusCode)
	return nil
}
