package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func startBackoffice(t *testing.T, cfg config) *harness {
	srv := served(t, backofficetest.NewServer())
	seeded := srv.AddUser(backoffice.User{Name: "Seed", Email: "seed@example.com", Active: true, Groups: []int64{1}}, "seed-pw")
	var ts tokenSource
	ts.fetch = func() string { return srv.Token() }
	c := fuzzkit.New(t, backoffice.New, options(cfg, []backoffice.Option{backoffice.WithBaseURL(srv.URL),
		backoffice.WithTokenSource(&ts), backoffice.WithRetry(cfg.retryMax, 0, 0)},
		backoffice.WithMaxResponseBytes, backoffice.WithLogger, backoffice.WithHTTPClient)...)
	email := func(key string) string { return key + "@example.com" }
	return withUsers(&harness{
		fake:   srv,
		get:    func(ctx context.Context) error { return errOf(c.Get(ctx, seeded.ID)) },
		list:   func(ctx context.Context) error { return errOf(c.List(ctx, backoffice.ListOptions{})) },
		remove: func(ctx context.Context) error { return c.Delete(ctx, seeded.ID) },
		create: func(ctx context.Context, key string) error {
			return errOf(c.Create(ctx, &backoffice.CreateRequest{Name: key, Email: email(key), Password: createPassword, Active: true, Groups: []int64{1}}))
		},
		expireToken: srv.ExpireTokens,
		secrets:     func() []string { return append(ts.issued(), createPassword, "seed-pw") },
		hostileList: func(ctx context.Context, v string) error {
			return errOf(c.List(ctx, backoffice.ListOptions{Name: v, Email: v}))
		},
	}, func(ctx context.Context, key string) ([]backoffice.User, error) {
		return c.List(ctx, backoffice.ListOptions{Email: email(key)})
	}, srv.Users, func(u backoffice.User, key string) bool { return strings.EqualFold(u.Email, email(key)) })
}
