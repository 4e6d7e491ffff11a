package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// telphinUsers is what both Telphin clients offer, with their own types.
type telphinUsers[U, C, L any] interface {
	Get(ctx context.Context, parent string, id int64) (*U, error)
	List(ctx context.Context, parent string, opts L) ([]U, error)
	Create(ctx context.Context, parent string, req *C) (*U, error)
	Delete(ctx context.Context, parent string, id int64) error
}

// telphinHarness is the harness of one Telphin package's client c on srv: it reads the
// user seeded with id, creates users with create(key), looks them up with the list
// options byLogin(key) and sends hostile filter values with hostile(v).
func telphinHarness[U, C, L any](srv *clientusertest.Server, c telphinUsers[U, C, L], seeded int64,
	create func(key string) *C, byLogin, hostile func(string) L, stored func() []U, login func(U) string) *harness {
	const me = clientuser.Me // extensionuser.Me is the same
	var all L
	return withUsers(&harness{
		fake:        srv,
		get:         func(ctx context.Context) error { return errOf(c.Get(ctx, me, seeded)) },
		remove:      func(ctx context.Context) error { return c.Delete(ctx, me, seeded) },
		list:        func(ctx context.Context) error { return errOf(c.List(ctx, me, all)) },
		create:      func(ctx context.Context, key string) error { return errOf(c.Create(ctx, me, create(key))) },
		expireToken: srv.ExpireTokens,
		secrets:     func() []string { return []string{srv.Secret(), createPassword, "seed-pw"} },
		hostileGet:  func(ctx context.Context, v string) error { return errOf(c.Get(ctx, v, seeded)) },
		hostileList: func(ctx context.Context, v string) error { return errOf(c.List(ctx, me, hostile(v))) },
	}, func(ctx context.Context, key string) ([]U, error) { return c.List(ctx, me, byLogin(key)) },
		stored, func(u U, key string) bool { return strings.EqualFold(login(u), key) })
}

func startClientuser(t *testing.T, cfg config) *harness {
	srv := served(t, clientusertest.NewServer())
	seeded := srv.AddClientUser(clientuser.User{Login: "seed", Name: "Seed", Email: "seed@example.com"}, "seed-pw")
	c := fuzzkit.New(t, clientuser.New, options(cfg, []clientuser.Option{clientuser.WithBaseURL(srv.BaseURL()),
		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()), clientuser.WithRetry(cfg.retryMax, 0, 0)},
		clientuser.WithMaxResponseBytes, clientuser.WithLogger, clientuser.WithHTTPClient)...)
	return telphinHarness(srv, c, seeded.ID,
		func(key string) *clientuser.CreateRequest {
			return &clientuser.CreateRequest{Login: key, Name: key, Password: createPassword, Email: key + "@example.com"}
		},
		func(key string) clientuser.ListOptions { return clientuser.ListOptions{Login: []string{key}} },
		func(v string) clientuser.ListOptions { return clientuser.ListOptions{Login: []string{v}} },
		srv.ClientUsers, func(u clientuser.User) string { return u.Login })
}

func startExtensionuser(t *testing.T, cfg config) *harness {
	srv := served(t, clientusertest.NewServer())
	const extension = 5001
	seeded := srv.AddExtensionUser(srv.ClientID(), extensionuser.User{Login: "seed", Name: "Seed", Email: "seed@example.com", ExtensionID: extension}, "seed-pw")
	c := fuzzkit.New(t, extensionuser.New, options(cfg, []extensionuser.Option{extensionuser.WithBaseURL(srv.BaseURL()),
		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()), extensionuser.WithRetry(cfg.retryMax, 0, 0)},
		extensionuser.WithMaxResponseBytes, extensionuser.WithLogger, extensionuser.WithHTTPClient)...)
	return telphinHarness(srv, c, seeded.ID,
		func(key string) *extensionuser.CreateRequest {
			return &extensionuser.CreateRequest{Login: key, Name: key, Password: createPassword, Email: key + "@example.com", ExtensionID: extension}
		},
		func(key string) extensionuser.ListOptions { return extensionuser.ListOptions{Login: []string{key}} },
		func(v string) extensionuser.ListOptions {
			return extensionuser.ListOptions{Name: []string{v}, Comment: []string{v}}
		},
		srv.ExtensionUsers, func(u extensionuser.User) string { return u.Login })
}
