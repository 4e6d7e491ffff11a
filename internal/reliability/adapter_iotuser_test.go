package reliability

import (
	"context"
	"testing"

	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

func init() {
	register(family{name: "iotuser", start: startIotuser})
}

func startIotuser(t *testing.T, cfg config) *harness {
	// The token service runs apart, as in DeviceHive's own deployment, so that faults
	// injected into the API do not hit logins.
	srv := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	t.Cleanup(srv.Close)
	seeded := srv.AddUser(iotuser.User{Login: "seed", Role: iotuser.RoleClient}, "seed-password")
	opts := []iotuser.Option{iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithAuthURL(srv.AuthURL()),
		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()), iotuser.WithRetry(cfg.retryMax, 0, 0)}
	if cfg.maxResponseBytes > 0 {
		opts = append(opts, iotuser.WithMaxResponseBytes(cfg.maxResponseBytes))
	}
	if cfg.logger != nil {
		opts = append(opts, iotuser.WithLogger(cfg.logger))
	}
	if cfg.httpClient != nil {
		opts = append(opts, iotuser.WithHTTPClient(cfg.httpClient))
	}
	c, err := iotuser.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	const password = "Create-pw-1"
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { _, err := c.Get(ctx, seeded.ID); return err },
		list: func(ctx context.Context) (int, error) {
			us, err := c.List(ctx, iotuser.ListOptions{Take: 50})
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			_, err := c.Create(ctx, &iotuser.CreateRequest{Login: key, Role: iotuser.RoleClient, Password: password})
			return err
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.List(ctx, iotuser.ListOptions{Login: key})
			return len(us) > 0, err
		},
		stored: func(key string) int {
			n := 0
			for _, u := range srv.Users() {
				if u.Login == key {
					n++
				}
			}
			return n
		},
		expireToken: srv.ExpireAccessTokens,
		secrets: func() []string {
			tok := c.Tokens()
			return []string{srv.AdminPassword(), password, "seed-password", tok.AccessToken, tok.RefreshToken}
		},
		hostileList: func(ctx context.Context, v string) error {
			_, err := c.List(ctx, iotuser.ListOptions{Login: v, LoginPattern: v})
			return err
		},
	}
}
