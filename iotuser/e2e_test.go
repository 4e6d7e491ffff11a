package iotuser_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// TestAgainstTheFake runs every operation and the session through iotusertest, over a
// real loopback connection.
func TestAgainstTheFake(t *testing.T) {
	srv := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	defer srv.Close()
	var changes int
	c, err := iotuser.New(
		iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithAuthURL(srv.AuthURL()),
		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()),
		iotuser.WithTokenCallback(func(iotuser.Tokens) { changes++ }),
	)
	require.NoError(t, err)
	ctx := context.Background()

	me, err := c.GetCurrent(ctx)
	require.NoError(t, err)
	assert.Equal(t, srv.AdminLogin(), me.Login)
	assert.Equal(t, iotuser.RoleAdmin, me.Role)
	assert.Equal(t, 1, srv.Logins())

	u, err := c.Create(ctx, &iotuser.CreateRequest{
		Login: "mary", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass", Data: json.RawMessage(`{"phone":"+1-555-0100"}`),
	})
	require.NoError(t, err)
	assert.Equal(t, "mary", u.Login)
	assert.Equal(t, iotuser.RoleClient, u.Role)

	_, err = c.Create(ctx, &iotuser.CreateRequest{Login: "mary", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"})
	assert.ErrorIs(t, err, iotuser.ErrConflict)

	for i := range 5 {
		_, err := c.Create(ctx, &iotuser.CreateRequest{Login: "bulk-" + string(rune('a'+i)), Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"})
		require.NoError(t, err)
	}
	var logins []string
	for u, err := range c.All(ctx, iotuser.ListOptions{LoginPattern: "bulk-%", Take: 2}) {
		require.NoError(t, err)
		logins = append(logins, u.Login)
	}
	assert.Equal(t, []string{"bulk-a", "bulk-b", "bulk-c", "bulk-d", "bulk-e"}, logins)
	page, err := c.List(ctx, iotuser.ListOptions{LoginPattern: "bulk-%", SortField: iotuser.SortByLogin,
		SortOrder: iotuser.Descending, Take: 2, Skip: 1})
	require.NoError(t, err)
	require.Len(t, page, 2)
	assert.Equal(t, []string{"bulk-d", "bulk-c"}, []string{page[0].Login, page[1].Login})
	exact, err := c.List(ctx, iotuser.ListOptions{Login: "mary"})
	require.NoError(t, err)
	require.Len(t, exact, 1)
	assert.Equal(t, u.ID, exact[0].ID)
	n, err := c.Count(ctx, iotuser.CountOptions{Role: iotuser.Ptr(iotuser.RoleClient)})
	require.NoError(t, err)
	assert.Equal(t, int64(6), n)

	// The safe update keeps data; the plain one clears it, as the server does.
	got, err := c.Get(ctx, u.ID)
	require.NoError(t, err)
	require.NoError(t, c.Update(ctx, u.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &got.Data}))
	got, err = c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, iotuser.StatusDisabled, got.Status)
	assert.JSONEq(t, `{"phone":"+1-555-0100"}`, string(got.Data))
	require.NoError(t, c.Update(ctx, u.ID, &iotuser.UpdateRequest{IntroReviewed: iotuser.Ptr(true)}))
	got, err = c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.True(t, len(got.Data) == 0 || string(got.Data) == "null", "data: %s", got.Data)

	nw := srv.AddNetwork(iotuser.Network{Name: "Greenhouse"})
	require.NoError(t, c.AssignNetwork(ctx, u.ID, nw.ID))
	gotNw, err := c.GetNetwork(ctx, u.ID, nw.ID)
	require.NoError(t, err)
	assert.Equal(t, "Greenhouse", gotNw.Name)
	require.NoError(t, c.UnassignNetwork(ctx, u.ID, nw.ID))
	_, err = c.GetNetwork(ctx, u.ID, nw.ID)
	assert.ErrorIs(t, err, iotuser.ErrNotFound)

	dt := srv.AddDeviceType(iotuser.DeviceType{Name: "Thermostat"})
	require.NoError(t, c.DisallowAllDeviceTypes(ctx, u.ID))
	require.NoError(t, c.AssignDeviceType(ctx, u.ID, dt.ID))
	types, err := c.ListDeviceTypes(ctx, u.ID)
	require.NoError(t, err)
	require.Len(t, types, 1)
	assert.Equal(t, "Thermostat", types[0].Name)
	require.NoError(t, c.UnassignDeviceType(ctx, u.ID, dt.ID))
	require.NoError(t, c.AllowAllDeviceTypes(ctx, u.ID))
	got, err = c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.True(t, got.AllDeviceTypesAvailable)

	require.NoError(t, c.UpdateCurrent(ctx, &iotuser.UpdateRequest{IntroReviewed: iotuser.Ptr(true)}))

	// Expired access token: one refresh. Expired refresh token too: a new login.
	srv.ExpireAccessTokens()
	_, err = c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, srv.Refreshes())
	srv.ExpireAccessTokens()
	srv.ExpireRefreshTokens()
	_, err = c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Refreshes())
	assert.Equal(t, 2, srv.Logins())
	assert.Equal(t, 3, changes, "login, refresh, login")

	// A new client resumes from the persisted tokens without logging in.
	resumed, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithAuthURL(srv.AuthURL()),
		iotuser.WithTokens(c.Tokens().AccessToken, c.Tokens().RefreshToken))
	require.NoError(t, err)
	_, err = resumed.GetCurrent(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Logins())

	require.NoError(t, c.Delete(ctx, u.ID))
	_, err = c.Get(ctx, u.ID)
	assert.ErrorIs(t, err, iotuser.ErrNotFound)
}

// Create reports the login as the server stores it, trimmed, so that it can be used to
// look the user up and to sign in.
func TestCreateAgainstTheFakeTrimsTheLogin(t *testing.T) {
	srv := iotusertest.NewServer()
	defer srv.Close()
	c, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()))
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.Create(ctx, &iotuser.CreateRequest{Login: "\t anna \n", Role: iotuser.Ptr(iotuser.RoleClient), Password: "s3cret-Pass"})
	require.NoError(t, err)
	assert.Equal(t, "anna", u.Login)
	stored, err := c.Get(ctx, u.ID)
	require.NoError(t, err)
	assert.Equal(t, stored.Login, u.Login)
	found, err := c.List(ctx, iotuser.ListOptions{Login: u.Login})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, u.ID, found[0].ID)
}

// A DeviceHive whose token service runs apart (as every current one does) answers 404 to
// {base}/token: the client says to set WithAuthURL.
func TestSeparateAuthServiceWithoutWithAuthURL(t *testing.T) {
	srv := iotusertest.NewServer(iotusertest.WithSeparateAuth())
	defer srv.Close()
	c, err := iotuser.New(iotuser.WithBaseURL(srv.BaseURL()), iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 1)
	var noService *iotuser.NoTokenServiceError
	require.ErrorAs(t, err, &noService)
	assert.Equal(t, srv.BaseURL()+"/token", noService.URL)
	assert.Contains(t, err.Error(), "set WithAuthURL")
	assert.ErrorIs(t, err, iotuser.ErrUnauthorized)
	assert.NotErrorIs(t, err, iotuser.ErrNotFound, "user 1 exists")
	assert.Equal(t, 0, srv.Logins())
}
