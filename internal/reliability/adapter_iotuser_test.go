package reliability

import (
	"context"
	"testing"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

func startIotuser(t *testing.T, cfg config) *harness {
	// The token service runs apart, as in DeviceHive's own deployment, so that faults
	// injected into the API do not hit logins.
	srv := served(t, iotusertest.NewServer(iotusertest.WithSeparateAuth()))
	seeded := srv.AddUser(iotuser.User{Login: "seed", Role: iotuser.RoleClient}, "seed-password")
	c := fuzzkit.New(t, iotuser.New, options(cfg, []iotuser.Option{iotuser.WithBaseURL(srv.BaseURL()),
		iotuser.WithAuthURL(srv.AuthURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()),
		iotuser.WithRetry(cfg.retryMax, 0, 0)},
		iotuser.WithMaxResponseBytes, iotuser.WithLogger, iotuser.WithHTTPClient)...)
	return withUsers(&harness{
		fake:   srv,
		get:    func(ctx context.Context) error { return errOf(c.Get(ctx, seeded.ID)) },
		remove: func(ctx context.Context) error { return c.Delete(ctx, seeded.ID) },
		list:   func(ctx context.Context) error { return errOf(c.List(ctx, iotuser.ListOptions{Take: 50})) },
		create: func(ctx context.Context, key string) error {
			return errOf(c.Create(ctx, &iotuser.CreateRequest{Login: key, Role: iotuser.Ptr(iotuser.RoleClient), Password: createPassword}))
		},
		expireToken: srv.ExpireAccessTokens,
		secrets: func() []string {
			tok := c.Tokens()
			return []string{srv.AdminPassword(), createPassword, "seed-password", tok.AccessToken, tok.RefreshToken}
		},
		hostileList: func(ctx context.Context, v string) error {
			return errOf(c.List(ctx, iotuser.ListOptions{Login: v, LoginPattern: v}))
		},
	}, func(ctx context.Context, key string) ([]iotuser.User, error) {
		return c.List(ctx, iotuser.ListOptions{Login: key})
	}, srv.Users, func(u iotuser.User, key string) bool { return u.Login == key })
}
