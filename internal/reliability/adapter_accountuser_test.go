package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func startAccountuser(t *testing.T, cfg config) *harness {
	srv := served(t, accountusertest.NewServer())
	const account = accountuser.ID(1)
	seeded := srv.AddUser(accountuser.User{ContactName: "Seed", EmailAddress: "seed@example.com", Username: "seed", DefaultAccountID: account, Active: accountuser.Enabled}, "seed-pw")
	user, pass := srv.Credentials()
	c := fuzzkit.New(t, accountuser.New, options(cfg, []accountuser.Option{accountuser.WithBaseURL(srv.URL),
		accountuser.WithBasicAuth(user, pass), accountuser.WithRetry(cfg.retryMax, 0, 0)},
		accountuser.WithMaxResponseBytes, accountuser.WithLogger, accountuser.WithHTTPClient)...)
	return withUsers(&harness{
		fake:   srv,
		get:    func(ctx context.Context) error { return errOf(c.Get(ctx, seeded.UserID)) },
		remove: func(ctx context.Context) error { return c.Delete(ctx, seeded.UserID) },
		list:   func(ctx context.Context) error { return errOf(c.ListByAccount(ctx, account)) },
		create: func(ctx context.Context, key string) error {
			return errOf(c.Create(ctx, &accountuser.CreateRequest{ContactName: key, EmailAddress: key + "@example.com",
				DefaultAccountID: account, Username: key, Password: createPassword}))
		},
		secrets: func() []string { return []string{pass, createPassword, "seed-pw", basic(user, pass)} },
	}, func(ctx context.Context, _ string) ([]accountuser.User, error) {
		return c.ListByAccount(ctx, account) // Revive has no filter: look through the account's users
	}, srv.Users, func(u accountuser.User, key string) bool { return strings.EqualFold(u.Username, key) })
}
