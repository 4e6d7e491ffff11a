package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
)

func init() {
	register(family{name: "accountuser", start: startAccountuser})
}

func startAccountuser(t *testing.T, cfg config) *harness {
	srv := accountusertest.NewServer()
	t.Cleanup(srv.Close)
	const account = accountuser.ID(1)
	seeded := srv.AddUser(accountuser.User{ContactName: "Seed", EmailAddress: "seed@example.com", Username: "seed", DefaultAccountID: account, Active: accountuser.Enabled}, "seed-pw")
	user, pass := srv.Credentials()
	opts := []accountuser.Option{accountuser.WithBaseURL(srv.URL), accountuser.WithBasicAuth(user, pass),
		accountuser.WithRetry(cfg.retryMax, 0, 0)}
	if cfg.maxResponseBytes > 0 {
		opts = append(opts, accountuser.WithMaxResponseBytes(cfg.maxResponseBytes))
	}
	if cfg.logger != nil {
		opts = append(opts, accountuser.WithLogger(cfg.logger))
	}
	if cfg.httpClient != nil {
		opts = append(opts, accountuser.WithHTTPClient(cfg.httpClient))
	}
	c, err := accountuser.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	const password = "Create-pw-1"
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { _, err := c.Get(ctx, seeded.UserID); return err },
		list: func(ctx context.Context) (int, error) {
			us, err := c.ListByAccount(ctx, account)
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			_, err := c.Create(ctx, &accountuser.CreateRequest{ContactName: key, EmailAddress: key + "@example.com",
				DefaultAccountID: account, Username: key, Password: password})
			return err
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.ListByAccount(ctx, account)
			for _, u := range us {
				if strings.EqualFold(u.Username, key) {
					return true, err
				}
			}
			return false, err
		},
		stored: func(key string) int {
			n := 0
			for _, u := range srv.Users() {
				if strings.EqualFold(u.Username, key) {
					n++
				}
			}
			return n
		},
		secrets: func() []string { return []string{pass, password, "seed-pw", basic(user, pass)} },
	}
}
