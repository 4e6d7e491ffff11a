package tour

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
)

// AccountuserEnv names the variables that point the Revive tour at a real server.
var AccountuserEnv = []string{"REVIVE_BASE_URL", "REVIVE_USER", "REVIVE_PASSWORD", "REVIVE_ACCOUNT_ID"}

// Accountuser walks through the Revive Adserver user API. With REVIVE_BASE_URL,
// REVIVE_USER, REVIVE_PASSWORD and REVIVE_ACCOUNT_ID set it uses that server and deletes
// only the user it created.
func Accountuser(ctx context.Context, w io.Writer, env Env) error {
	s := NewStep(w, "Revive Adserver (accountuser)")
	account := accountuser.ID(1)
	var opts []accountuser.Option
	var fake *accountusertest.Server
	if base := env("REVIVE_BASE_URL"); base != "" {
		if _, err := fmt.Sscan(env("REVIVE_ACCOUNT_ID"), &account); err != nil {
			return fmt.Errorf("REVIVE_ACCOUNT_ID: %w", err)
		}
		opts = append(opts, accountuser.WithBaseURL(base), accountuser.WithBasicAuth(env("REVIVE_USER"), env("REVIVE_PASSWORD")))
		s.Printf("using %s, account %d", base, account)
	} else {
		fake = accountusertest.NewServer()
		defer fake.Close()
		user, pass := fake.Credentials()
		opts = append(opts, accountuser.WithBaseURL(fake.URL), accountuser.WithBasicAuth(user, pass))
		s.Printf("no REVIVE_BASE_URL: using the built-in fake at %s", fake.URL)
	}
	c, err := accountuser.New(opts...)
	if err != nil {
		return err
	}

	name := "quickstart" + uniqueSuffix()
	u, err := c.Create(ctx, &accountuser.CreateRequest{ContactName: "Quickstart User", EmailAddress: name + "@example.com",
		DefaultAccountID: account, Username: name, Password: "Quickstart-Pw-1"})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	s.Printf("created user %d (%s); Revive sends its numbers as strings, the SDK decodes them", u.UserID, u.Username)
	defer func() {
		if err := c.Delete(context.WithoutCancel(ctx), u.UserID); err != nil && !errors.Is(err, accountuser.ErrNotFound) {
			fmt.Fprintf(w, "    cleanup: %v\n", err)
		}
	}()

	users, err := c.ListByAccount(ctx, account)
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	found := 0
	for _, x := range users {
		if x.Username == name {
			found++
		}
	}
	s.Printf("listed account %d (GET /usr/acc/%d): %d users, ours among them: %t", account, account, len(users), found == 1)

	got, err := c.Get(ctx, u.UserID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("got user %d: %s <%s>, active=%t", got.UserID, got.ContactName, got.EmailAddress, got.Active.Bool())

	// Update returns the stored user, reading it back when the answer does not hold it.
	got, err = c.Update(ctx, u.UserID, &accountuser.UpdateRequest{Active: accountuser.Ptr(accountuser.Disabled)})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	s.Printf("updated only the active flag: active=%t", got.Active.Bool())

	var f faults
	if fake != nil {
		f = fake
	}
	if err := retryDemo(ctx, s, f, func(ctx context.Context) error { _, err := c.Get(ctx, u.UserID); return err }); err != nil {
		return err
	}

	if err := c.Delete(ctx, u.UserID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	s.Printf("deleted user %d", u.UserID)

	_, err = c.Get(ctx, u.UserID)
	var apiErr *accountuser.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, accountuser.ErrNotFound) {
		return fmt.Errorf("expected a not-found error after delete, got %v", err)
	}
	s.Printf("reading it again gives a typed error: errors.Is(err, ErrNotFound), %q", apiErr.Message)
	return nil
}
