package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

func startBackoffice(t *testing.T, cfg config) *harness {
	srv := served(t, backofficetest.NewServer())
	seeded := srv.AddUser(backoffice.User{Name: "Seed", Email: "seed@example.com", Active: true, Groups: []int64{1}}, "seed-pw")
	var ts tokenSource
	ts.fetch = func() string { return srv.Token() }
	c := newClient(t, backoffice.New, options(cfg, []backoffice.Option{backoffice.WithBaseURL(srv.URL),
		backoffice.WithTokenSource(&ts), backoffice.WithRetry(cfg.retryMax, 0, 0)},
		backoffice.WithMaxResponseBytes, backoffice.WithLogger, backoffice.WithHTTPClient))
	email := func(key string) string { return key + "@example.com" }
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { return errOf(c.Get(ctx, seeded.ID)) },
		list: func(ctx context.Context) (int, error) {
			us, err := c.List(ctx, backoffice.ListOptions{})
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			return errOf(c.Create(ctx, &backoffice.CreateRequest{Name: key, Email: email(key), Password: createPassword, Active: true, Groups: []int64{1}}))
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.List(ctx, backoffice.ListOptions{Email: email(key)})
			return len(us) > 0, err
		},
		stored: func(key string) int {
			return count(srv.Users(), email(key), func(u backoffice.User) string { return u.Email }, strings.EqualFold)
		},
		expireToken: srv.ExpireToken,
		secrets:     func() []string { return append(ts.issued(), createPassword, "seed-pw") },
		hostileList: func(ctx context.Context, v string) error {
			return errOf(c.List(ctx, backoffice.ListOptions{Name: v, Email: v}))
		},
	}
}
