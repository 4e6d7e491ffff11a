package telphintest

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

// Twin is the other Telphin package, seen through the calls the shared-token tests make
// with it.
type Twin struct {
	name    string
	segment string
	open    func(t testing.TB, baseURL string, hc *http.Client, ts oauth2.TokenSource) twinClient
}

type twinClient struct {
	get    func(ctx context.Context, clientID string, userID int64) error
	list   func(ctx context.Context) ([]string, error) // the logins of @me's users
	create func(ctx context.Context, login string) error
}

// Twin returns the package as the other package's tests see it.
func (k Kind[Cl, U, C, P, L, O]) Twin() Twin {
	return Twin{name: k.Name, segment: k.Segment, open: func(t testing.TB, baseURL string, hc *http.Client, ts oauth2.TokenSource) twinClient {
		opts := []O{k.Opt.BaseURL(baseURL), k.Opt.TokenSource(ts), k.Opt.Retry(3, 0, 0)}
		if hc != nil {
			opts = append(opts, k.Opt.HTTPClient(hc))
		}
		c := k.client(t, opts...)
		return twinClient{
			get: func(ctx context.Context, clientID string, userID int64) error {
				_, err := c.Get(ctx, clientID, userID)
				return err
			},
			list: func(ctx context.Context) ([]string, error) {
				users, err := c.List(ctx, me, *new(L))
				return loginsOf(t, users), err
			},
			create: func(ctx context.Context, login string) error {
				_, err := c.Create(ctx, me, k.newUser(t, login, "pw"))
				return err
			},
		}
	}}
}

// testTokenShared gives the package's token source to the twin: one token serves both,
// fetched once, and a 401 in either renews it once for both.
func (k Kind[Cl, U, C, P, L, O]) testTokenShared(t *testing.T, twin Twin) {
	t.Run("recorded", func(t *testing.T) {
		mine, theirs := k.load(t, "get"), filepath.Join("..", twin.name, "testdata", "get.json")
		rec := fixture.New(t).Expect(tokenFile, testdata("get"), theirs)
		rec.ExpectExchange(withToken(t, theirs, "test-token", http.StatusUnauthorized))
		rec.ExpectExchange(renewed(t, tokenFile))
		rec.ExpectExchange(withToken(t, theirs, "test-token-2", 0))
		rec.ExpectExchange(withToken(t, testdata("get"), "test-token-2", 0))

		c := k.credentials(t, rec.Client())
		other := twin.open(t, testBaseURL, rec.Client(), c.TokenSource())
		ctx := context.Background()
		_, err := c.Get(ctx, mine.clientID, mine.userID)
		require.NoError(t, err)
		their := callOf(t, fixture.Load(t, theirs), twin.segment)
		require.NoError(t, other.get(ctx, their.clientID, their.userID))
		assert.Equal(t, 1, tokenRequests(rec), "one token for both")

		require.NoError(t, other.get(ctx, their.clientID, their.userID)) // 401: renewed once
		_, err = c.Get(ctx, mine.clientID, mine.userID)
		require.NoError(t, err, "the renewed token is used at once")
		assert.Equal(t, 2, tokenRequests(rec))
	})

	t.Run("fake", func(t *testing.T) {
		srv, c := k.e2eSetup(t)
		other := twin.open(t, srv.BaseURL(), nil, c.TokenSource())
		ctx := context.Background()
		_, err := c.Create(ctx, me, k.newUser(t, "admin", "pw"))
		require.NoError(t, err)
		require.NoError(t, other.create(ctx, "reception"))
		assert.Equal(t, 1, srv.TokenRequests(), "one token for both clients")
		api := apiRequests(srv)
		require.Len(t, api, 2)
		assert.Equal(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))
		assert.Equal(t, "/api/ver1.0/client/@me/user/"+twin.segment+"/", api[1].Path)

		// Logins are shared between the two kinds of user.
		assert.ErrorIs(t, other.create(ctx, "admin"), usersdk.ErrConflict)

		// A 401 in one client renews the token for both.
		srv.ExpireTokens()
		logins, err := other.list(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"reception"}, logins)
		assert.Equal(t, 2, srv.TokenRequests())
		users, err := c.List(ctx, me, *new(L))
		require.NoError(t, err)
		assert.Equal(t, []string{"admin"}, loginsOf(t, users))
		assert.Equal(t, 2, srv.TokenRequests(), "the other client uses the renewed token")
	})
}
