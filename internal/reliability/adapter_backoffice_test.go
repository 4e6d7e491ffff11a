package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

func init() {
	register(family{name: "backoffice", start: startBackoffice})
}

func startBackoffice(t *testing.T, cfg config) *harness {
	srv := backofficetest.NewServer()
	t.Cleanup(srv.Close)
	seeded := srv.AddUser(backoffice.User{Name: "Seed", Email: "seed@example.com", Active: true, Groups: []int64{1}}, "seed-pw")
	var ts tokenSource
	ts.fetch = func() string { return srv.Token() }
	opts := []backoffice.Option{backoffice.WithBaseURL(srv.URL), backoffice.WithTokenSource(&ts),
		backoffice.WithRetry(cfg.retryMax, 0, 0)}
	if cfg.maxResponseBytes > 0 {
		opts = append(opts, backoffice.WithMaxResponseBytes(cfg.maxResponseBytes))
	}
	if cfg.logger != nil {
		opts = append(opts, backoffice.WithLogger(cfg.logger))
	}
	if cfg.httpClient != nil {
		opts = append(opts, backoffice.WithHTTPClient(cfg.httpClient))
	}
	c, err := backoffice.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	email := func(key string) string { return key + "@example.com" }
	const password = "Create-pw-1"
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { _, err := c.Get(ctx, seeded.ID); return err },
		list: func(ctx context.Context) (int, error) {
			us, err := c.List(ctx, backoffice.ListOptions{})
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			_, err := c.Create(ctx, &backoffice.CreateRequest{Name: key, Email: email(key), Password: password, Active: true, Groups: []int64{1}})
			return err
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.List(ctx, backoffice.ListOptions{Email: email(key)})
			return len(us) > 0, err
		},
		stored: func(key string) int {
			n := 0
			for _, u := range srv.Users() {
				if strings.EqualFold(u.Email, email(key)) {
					n++
				}
			}
			return n
		},
		expireToken: srv.ExpireToken,
		secrets:     func() []string { return append(ts.issued(), password, "seed-pw") },
		hostileList: func(ctx context.Context, v string) error {
			_, err := c.List(ctx, backoffice.ListOptions{Name: v, Email: v})
			return err
		},
	}
}
