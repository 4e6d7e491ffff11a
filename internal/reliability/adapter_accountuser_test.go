package reliability

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
)

func startAccountuser(t *testing.T, cfg config) *harness {
	srv := served(t, accountusertest.NewServer())
	const account = accountuser.ID(1)
	seeded := srv.AddUser(accountuser.User{ContactName: "Seed", EmailAddress: "seed@example.com", Username: "seed", DefaultAccountID: account, Active: accountuser.Enabled}, "seed-pw")
	user, pass := srv.Credentials()
	c := newClient(t, accountuser.New, options(cfg, []accountuser.Option{accountuser.WithBaseURL(srv.URL),
		accountuser.WithBasicAuth(user, pass), accountuser.WithRetry(cfg.retryMax, 0, 0)},
		accountuser.WithMaxResponseBytes, accountuser.WithLogger, accountuser.WithHTTPClient))
	username := func(u accountuser.User) string { return u.Username }
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { return errOf(c.Get(ctx, seeded.UserID)) },
		list: func(ctx context.Context) (int, error) {
			us, err := c.ListByAccount(ctx, account)
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			return errOf(c.Create(ctx, &accountuser.CreateRequest{ContactName: key, EmailAddress: key + "@example.com",
				DefaultAccountID: account, Username: key, Password: createPassword}))
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.ListByAccount(ctx, account) // Revive has no filter: look through the account's users
			return slices.ContainsFunc(us, func(u accountuser.User) bool { return strings.EqualFold(u.Username, key) }), err
		},
		stored:  func(key string) int { return count(srv.Users(), key, username, strings.EqualFold) },
		secrets: func() []string { return []string{pass, createPassword, "seed-pw", basic(user, pass)} },
	}
}
