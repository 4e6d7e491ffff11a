package tour

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// IotuserEnv names the variables that point the DeviceHive tour at a real server.
var IotuserEnv = []string{"DEVICEHIVE_BASE_URL", "DEVICEHIVE_AUTH_URL", "DEVICEHIVE_LOGIN", "DEVICEHIVE_PASSWORD", "DEVICEHIVE_NETWORK_ID"}

// Iotuser walks through the DeviceHive user API: the session, users, a network
// assignment and device types. With DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN and
// DEVICEHIVE_PASSWORD set (DEVICEHIVE_AUTH_URL for the auth service, usually the same host
// on port 8090, unless a proxy serves /token under the base URL; DEVICEHIVE_NETWORK_ID for
// an existing network to assign) it uses that server and deletes only the user it created.
func Iotuser(ctx context.Context, w io.Writer, env Env) error {
	s := NewStep(w, "DeviceHive (iotuser)")
	var opts []iotuser.Option
	var fake *iotusertest.Server
	var networkID int64
	if base := env("DEVICEHIVE_BASE_URL"); base != "" {
		opts = append(opts, iotuser.WithBaseURL(base), iotuser.WithLogin(env("DEVICEHIVE_LOGIN"), env("DEVICEHIVE_PASSWORD")))
		if auth := env("DEVICEHIVE_AUTH_URL"); auth != "" {
			opts = append(opts, iotuser.WithAuthURL(auth))
		}
		if v := env("DEVICEHIVE_NETWORK_ID"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("DEVICEHIVE_NETWORK_ID: %w", err)
			}
			networkID = n
		}
		s.Printf("using %s", base)
	} else {
		fake = iotusertest.NewServer(iotusertest.WithSeparateAuth())
		defer fake.Close()
		networkID = fake.AddNetwork(iotuser.Network{Name: "Greenhouse", Description: "sensors"}).ID
		opts = append(opts, iotuser.WithBaseURL(fake.BaseURL()), iotuser.WithAuthURL(fake.AuthURL()),
			iotuser.WithLogin(fake.AdminLogin(), fake.AdminPassword()))
		s.Printf("no DEVICEHIVE_BASE_URL: using the built-in fake (API %s, token service %s)", fake.BaseURL(), fake.AuthURL())
	}
	c, err := iotuser.New(opts...)
	if err != nil {
		return err
	}

	login := "quickstart" + uniqueSuffix()
	u, err := c.Create(ctx, &iotuser.CreateRequest{Login: login, Role: iotuser.RoleClient, Password: "Quickstart-Pw-1",
		Data: []byte(`{"team":"quickstart"}`)})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	s.Printf("logged in, then created user %d (%s, role %s)", u.ID, u.Login, u.Role)
	defer func() {
		if err := c.Delete(context.WithoutCancel(ctx), u.ID); err != nil && !errors.Is(err, iotuser.ErrNotFound) {
			fmt.Fprintf(w, "    cleanup: %v\n", err)
		}
	}()

	users, err := c.List(ctx, iotuser.ListOptions{LoginPattern: login + "%", Take: 10})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	s.Printf("listed users with loginPattern=%s%%: %d found", login, len(users))

	cur, err := c.Get(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("got user %d: status %s, data %s", cur.ID, cur.Status, cur.Data)

	// An update that leaves data out clears it: send it back to keep it.
	if err := c.Update(ctx, u.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &cur.Data}); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	cur, err = c.Get(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	s.Printf("updated the status, data kept: status %s, data %s", cur.Status, cur.Data)

	if networkID > 0 {
		if err := c.AssignNetwork(ctx, u.ID, networkID); err != nil {
			return fmt.Errorf("assign network: %w", err)
		}
		n, err := c.GetNetwork(ctx, u.ID, networkID)
		if err != nil {
			return fmt.Errorf("get network: %w", err)
		}
		s.Printf("assigned network %d (%s) to the user", n.ID, n.Name)
		if err := c.UnassignNetwork(ctx, u.ID, networkID); err != nil {
			return fmt.Errorf("unassign network: %w", err)
		}
		s.Printf("unassigned it again")
	} else {
		s.Printf("network demo skipped: set DEVICEHIVE_NETWORK_ID to an existing network")
	}

	if err := c.DisallowAllDeviceTypes(ctx, u.ID); err != nil {
		return fmt.Errorf("disallow device types: %w", err)
	}
	types, err := c.ListDeviceTypes(ctx, u.ID)
	if err != nil {
		return fmt.Errorf("list device types: %w", err)
	}
	s.Printf("restricted the user's device types: %d allowed", len(types))

	if fake != nil {
		fake.ExpireAccessTokens()
		if _, err := c.Get(ctx, u.ID); err != nil {
			return fmt.Errorf("get after expiry: %w", err)
		}
		s.Printf("the access token expired; the client refreshed it (%d refresh) and carried on", fake.Refreshes())
	}

	var f faults
	if fake != nil {
		f = fake
	}
	if err := retryDemo(ctx, s, f, func(ctx context.Context) error { _, err := c.Get(ctx, u.ID); return err }); err != nil {
		return err
	}

	if err := c.Delete(ctx, u.ID); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	s.Printf("deleted user %d", u.ID)
	_, err = c.Get(ctx, u.ID)
	var apiErr *iotuser.APIError
	if !errors.As(err, &apiErr) || !errors.Is(err, iotuser.ErrNotFound) {
		return fmt.Errorf("expected a 404 after delete, got %v", err)
	}
	s.Printf("reading it again gives a typed error: errors.Is(err, ErrNotFound), %q", apiErr.Message)
	return nil
}
