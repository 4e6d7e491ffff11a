package reliability

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/iotuser"
)

// first returns the error of a sequence's first item.
func first[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		return err
	}
	return nil
}

// TestMisuseIsAnErrorNotAPanic covers two mistakes a caller can make with any family: a
// Client declared rather than made by New, and a nil context for listing every user.
// Neither sends anything (the address is never dialled); each gets an error.
func TestMisuseIsAnErrorNotAPanic(t *testing.T) {
	const base = "https://api.invalid"
	var nilCtx context.Context
	ctx := context.Background()
	for _, tt := range []struct {
		family string
		// get and list call a zero Client; state reports whether one claims to know
		// anything (a rate limit, tokens).
		get, list func() error
		state     func() bool
		// nilContext lists every user with a nil context, on a client made by New.
		nilContext func(t *testing.T) error
	}{
		{
			family: "backoffice",
			get:    func() error { return errOf(new(backoffice.Client).Get(ctx, 1)) },
			list:   func() error { return first(new(backoffice.Client).All(ctx, backoffice.ListOptions{})) },
			state:  func() bool { _, ok := new(backoffice.Client).RateLimit(); return ok },
			nilContext: func(t *testing.T) error {
				c, err := backoffice.New(backoffice.WithBaseURL(base), backoffice.WithToken("t"))
				require.NoError(t, err)
				return first(c.All(nilCtx, backoffice.ListOptions{}))
			},
		},
		{
			family: "iotuser",
			get:    func() error { return errOf(new(iotuser.Client).Get(ctx, 1)) },
			list:   func() error { return first(new(iotuser.Client).All(ctx, iotuser.ListOptions{})) },
			state: func() bool {
				_, ok := new(iotuser.Client).RateLimit()
				return ok || new(iotuser.Client).Tokens() != iotuser.Tokens{}
			},
			nilContext: func(t *testing.T) error {
				c, err := iotuser.New(iotuser.WithBaseURL(base), iotuser.WithTokens("a", "r"))
				require.NoError(t, err)
				return first(c.All(nilCtx, iotuser.ListOptions{}))
			},
		},
		{
			family: "accountuser",
			get:    func() error { return errOf(new(accountuser.Client).Get(ctx, 1)) },
			list:   func() error { return errOf(new(accountuser.Client).ListByAccount(ctx, 1)) },
			state:  func() bool { _, ok := new(accountuser.Client).RateLimit(); return ok },
			nilContext: func(t *testing.T) error {
				c, err := accountuser.New(accountuser.WithBaseURL(base), accountuser.WithBasicAuth("u", "p"))
				require.NoError(t, err)
				return errOf(c.ListByAccount(nilCtx, 1)) // it has no All
			},
		},
		{
			family: "clientuser",
			get:    func() error { return errOf(new(clientuser.Client).Get(ctx, clientuser.Me, 1)) },
			list:   func() error { return first(new(clientuser.Client).All(ctx, clientuser.Me, clientuser.ListOptions{})) },
			state: func() bool {
				_, ok := new(clientuser.Client).RateLimit()
				return ok || new(clientuser.Client).TokenSource() != nil
			},
			nilContext: func(t *testing.T) error {
				c, err := clientuser.New(clientuser.WithBaseURL(base), clientuser.WithToken("t"))
				require.NoError(t, err)
				return first(c.All(nilCtx, clientuser.Me, clientuser.ListOptions{}))
			},
		},
		{
			family: "extensionuser",
			get:    func() error { return errOf(new(extensionuser.Client).Get(ctx, extensionuser.Me, 1)) },
			list: func() error {
				return first(new(extensionuser.Client).All(ctx, extensionuser.Me, extensionuser.ListOptions{}))
			},
			state: func() bool {
				_, ok := new(extensionuser.Client).RateLimit()
				return ok || new(extensionuser.Client).TokenSource() != nil
			},
			nilContext: func(t *testing.T) error {
				c, err := extensionuser.New(extensionuser.WithBaseURL(base), extensionuser.WithToken("t"))
				require.NoError(t, err)
				return first(c.All(nilCtx, extensionuser.Me, extensionuser.ListOptions{}))
			},
		},
	} {
		t.Run(tt.family, func(t *testing.T) {
			assert.NotPanics(t, func() {
				assert.ErrorIs(t, tt.get(), core.ErrNoClient, "zero Client, Get")
				assert.ErrorIs(t, tt.list(), core.ErrNoClient, "zero Client, listing")
				assert.False(t, tt.state(), "a zero Client knows nothing")
			})
			assert.NotPanics(t, func() {
				err := tt.nilContext(t)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "nil context")
			})
		})
	}
}
