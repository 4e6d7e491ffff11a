package reliability

import (
	"context"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
)

func init() {
	register(family{name: "clientuser", start: startClientuser})
	register(family{name: "extensionuser", start: startExtensionuser})
}

// telphinOptions are the options both Telphin packages take, built for one of them.
func telphinOptions[O any](cfg config, srv *clientusertest.Server,
	base func(string) O, creds func(string, string) O, retry func(int) O,
	limit func(int64) O, logger func(cfg config) O, hc func(cfg config) O) []O {
	opts := []O{base(srv.BaseURL()), creds(srv.AppID(), srv.Secret()), retry(cfg.retryMax)}
	if cfg.maxResponseBytes > 0 {
		opts = append(opts, limit(cfg.maxResponseBytes))
	}
	if cfg.logger != nil {
		opts = append(opts, logger(cfg))
	}
	if cfg.httpClient != nil {
		opts = append(opts, hc(cfg))
	}
	return opts
}

func startClientuser(t *testing.T, cfg config) *harness {
	srv := clientusertest.NewServer()
	t.Cleanup(srv.Close)
	seeded := srv.AddClientUser(clientuser.User{Login: "seed", Name: "Seed", Email: "seed@example.com"}, "seed-pw")
	c, err := clientuser.New(telphinOptions(cfg, srv, clientuser.WithBaseURL, clientuser.WithClientCredentials,
		func(n int) clientuser.Option { return clientuser.WithRetry(n, 0, 0) }, clientuser.WithMaxResponseBytes,
		func(cfg config) clientuser.Option { return clientuser.WithLogger(cfg.logger) },
		func(cfg config) clientuser.Option { return clientuser.WithHTTPClient(cfg.httpClient) })...)
	if err != nil {
		t.Fatal(err)
	}
	const password = "Create-pw-1"
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { _, err := c.Get(ctx, clientuser.Me, seeded.ID); return err },
		list: func(ctx context.Context) (int, error) {
			us, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{})
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			_, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: key, Name: key, Password: password, Email: key + "@example.com"})
			return err
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{key}})
			return len(us) > 0, err
		},
		stored: func(key string) int {
			n := 0
			for _, u := range srv.ClientUsers() {
				if strings.EqualFold(u.Login, key) {
					n++
				}
			}
			return n
		},
		expireToken: srv.ExpireTokens,
		secrets:     func() []string { return []string{srv.Secret(), password, "seed-pw"} },
		hostileGet: func(ctx context.Context, v string) error {
			_, err := c.Get(ctx, v, seeded.ID)
			return err
		},
		hostileList: func(ctx context.Context, v string) error {
			_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{v}})
			return err
		},
	}
}

func startExtensionuser(t *testing.T, cfg config) *harness {
	srv := clientusertest.NewServer()
	t.Cleanup(srv.Close)
	const extension = 5001
	seeded := srv.AddExtensionUser(srv.ClientID(), extensionuser.User{Login: "seed", Name: "Seed", Email: "seed@example.com", ExtensionID: extension}, "seed-pw")
	c, err := extensionuser.New(telphinOptions(cfg, srv, extensionuser.WithBaseURL, extensionuser.WithClientCredentials,
		func(n int) extensionuser.Option { return extensionuser.WithRetry(n, 0, 0) }, extensionuser.WithMaxResponseBytes,
		func(cfg config) extensionuser.Option { return extensionuser.WithLogger(cfg.logger) },
		func(cfg config) extensionuser.Option { return extensionuser.WithHTTPClient(cfg.httpClient) })...)
	if err != nil {
		t.Fatal(err)
	}
	const password = "Create-pw-1"
	return &harness{
		fake: srv,
		get:  func(ctx context.Context) error { _, err := c.Get(ctx, extensionuser.Me, seeded.ID); return err },
		list: func(ctx context.Context) (int, error) {
			us, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
			return len(us), err
		},
		create: func(ctx context.Context, key string) error {
			_, err := c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{Login: key, Name: key, Password: password,
				Email: key + "@example.com", ExtensionID: extension})
			return err
		},
		exists: func(ctx context.Context, key string) (bool, error) {
			us, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{Login: []string{key}})
			return len(us) > 0, err
		},
		stored: func(key string) int {
			n := 0
			for _, u := range srv.ExtensionUsers() {
				if strings.EqualFold(u.Login, key) {
					n++
				}
			}
			return n
		},
		expireToken: srv.ExpireTokens,
		secrets:     func() []string { return []string{srv.Secret(), password, "seed-pw"} },
		hostileGet: func(ctx context.Context, v string) error {
			_, err := c.Get(ctx, v, seeded.ID)
			return err
		},
		hostileList: func(ctx context.Context, v string) error {
			_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{Name: []string{v}, Comment: []string{v}})
			return err
		},
	}
}
