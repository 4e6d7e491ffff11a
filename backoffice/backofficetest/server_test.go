package backofficetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

func setup(t *testing.T, opts ...backoffice.Option) (*backofficetest.Server, *backoffice.Client) {
	t.Helper()
	srv := backofficetest.NewServer()
	t.Cleanup(srv.Close)
	base := []backoffice.Option{backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()), backoffice.WithRetry(3, 0, 0)}
	c, err := backoffice.New(append(base, opts...)...)
	require.NoError(t, err)
	return srv, c
}

func TestEndToEnd(t *testing.T) {
	srv, c := setup(t)
	ctx := context.Background()

	created, err := c.Create(ctx, &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com", Password: "pw-1", Groups: []int64{1}, Active: true})
	require.NoError(t, err)
	assert.Equal(t, int64(1), created.ID)
	pw, _ := srv.Password(created.ID)
	assert.Equal(t, "pw-1", pw)

	_, err = c.Create(ctx, &backoffice.CreateRequest{Name: "Other", Email: "MARY@example.com", Password: "x", Groups: []int64{1}})
	assert.ErrorIs(t, err, backoffice.ErrConflict)

	got, err := c.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, *created, *got)

	users, err := c.List(ctx, backoffice.ListOptions{Email: "mary@example.com", Active: backoffice.Ptr(true)})
	require.NoError(t, err)
	require.Len(t, users, 1)

	updated, err := c.Update(ctx, created.ID, &backoffice.UpdateRequest{Name: backoffice.Ptr("Mary Ann"), Password: backoffice.Ptr("pw-2")})
	require.NoError(t, err)
	assert.Equal(t, "Mary Ann", updated.Name)
	assert.True(t, updated.Active, "fields not sent are kept")
	pw, _ = srv.Password(created.ID)
	assert.Equal(t, "pw-2", pw)

	patched, err := c.Patch(ctx, created.ID, &backoffice.UpdateRequest{Active: backoffice.Ptr(false)})
	require.NoError(t, err)
	assert.False(t, patched.Active)
	assert.Equal(t, "Mary Ann", patched.Name)

	require.NoError(t, c.Delete(ctx, created.ID))
	_, err = c.Get(ctx, created.ID)
	assert.ErrorIs(t, err, backoffice.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, created.ID), backoffice.ErrNotFound)
}

func TestAllAcrossPagesAndEnvelopes(t *testing.T) {
	for _, wrapped := range []bool{false, true} {
		t.Run(fmt.Sprint("wrapped=", wrapped), func(t *testing.T) {
			srv, c := setup(t)
			srv.WrapLists(wrapped)
			for i := range 25 {
				srv.AddUser(backoffice.User{Name: fmt.Sprintf("user %02d", i), Email: fmt.Sprintf("u%d@example.com", i), Active: i%2 == 0}, "pw")
			}
			var names []string
			for u, err := range c.All(context.Background(), backoffice.ListOptions{Limit: 4, Active: backoffice.Ptr(true), SortBy: "name", SortOrder: backoffice.Descending}) {
				require.NoError(t, err)
				names = append(names, u.Name)
			}
			require.Len(t, names, 13)
			assert.Equal(t, "user 24", names[0])
			assert.Equal(t, "user 00", names[12])
			assert.Len(t, srv.Requests(), 4, "13 users in pages of 4")
		})
	}
}

func TestRetriedReadAndUnretriedWrite(t *testing.T) {
	srv, c := setup(t)
	u := srv.AddUser(backoffice.User{Name: "a", Email: "a@example.com"}, "pw")
	srv.FailNext(2, http.StatusServiceUnavailable, "")
	got, err := c.Get(context.Background(), u.ID)
	require.NoError(t, err)
	assert.Equal(t, "a", got.Name)
	assert.Len(t, srv.Requests(), 3)

	srv.ResetRequests()
	srv.FailNext(1, http.StatusInternalServerError, "")
	_, err = c.Create(context.Background(), &backoffice.CreateRequest{Name: "b", Email: "b@example.com", Password: "pw", Groups: []int64{1}})
	require.ErrorIs(t, err, backoffice.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1, "a create is never sent twice")
}

func TestTokenSourceRecoversFromExpiredToken(t *testing.T) {
	srv := backofficetest.NewServer()
	defer srv.Close()
	var fetches atomic.Int32
	ts := tokenFunc(func() (*oauth2.Token, error) {
		fetches.Add(1)
		return &oauth2.Token{AccessToken: srv.Token()}, nil
	})
	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithTokenSource(ts))
	require.NoError(t, err)
	_, err = c.List(context.Background(), backoffice.ListOptions{})
	require.NoError(t, err)
	srv.ExpireTokens()
	_, err = c.List(context.Background(), backoffice.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, int32(2), fetches.Load())

	static, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken("bo-unknown"))
	require.NoError(t, err)
	_, err = static.List(context.Background(), backoffice.ListOptions{})
	assert.ErrorIs(t, err, backoffice.ErrUnauthorized)
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }

func TestWrapObjects(t *testing.T) {
	srv, c := setup(t)
	srv.WrapObjects(true)
	ctx := context.Background()
	created, err := c.Create(ctx, &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com", Password: "pw", TFA: true, Groups: []int64{2}})
	require.NoError(t, err)
	assert.Equal(t, backoffice.User{ID: 1, Name: "Mary", Email: "mary@example.com", TFA: backoffice.TFAEnabled, Groups: backoffice.GroupIDs{2}}, *created)
	got, err := c.Get(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, *created, *got)
	updated, err := c.Update(ctx, created.ID, &backoffice.UpdateRequest{Name: backoffice.Ptr("Mary Ann")})
	require.NoError(t, err)
	assert.Equal(t, "Mary Ann", updated.Name)
	patched, err := c.Patch(ctx, created.ID, &backoffice.UpdateRequest{TFA: backoffice.Ptr(false)})
	require.NoError(t, err)
	assert.Equal(t, backoffice.TFADisabled, patched.TFA)

	// On the wire the user sits under "data".
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v2/users/1", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var raw map[string]json.RawMessage
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&raw))
	assert.JSONEq(t, `{"id":1,"name":"Mary Ann","email":"mary@example.com","active":false,"tfa":false,"groups":[2],"canViewMaskedData":false}`, string(raw["data"]))
}

// A server that answers Create with no body: the client finds the new user, inactive
// ones included, and only a failed look-up leaves the outcome unknown.
func TestCreateWithoutBody(t *testing.T) {
	for _, status := range []int{http.StatusAccepted, http.StatusNoContent} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, c := setup(t)
			srv.CreateWithoutBody(status)
			srv.AddUser(backoffice.User{Name: "Jo", Email: "jo.ann@example.com"}, "pw")
			ctx := context.Background()
			u, err := c.Create(ctx, &backoffice.CreateRequest{Name: "Ann", Email: "ann@example.com", Password: "pw", Groups: []int64{1}})
			require.NoError(t, err)
			assert.Equal(t, backoffice.User{ID: 2, Name: "Ann", Email: "ann@example.com", Groups: backoffice.GroupIDs{1}}, *u)
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, "POST", reqs[0].Method)
			assert.Equal(t, "GET", reqs[1].Method)
			assert.Equal(t, "0", reqs[1].Query.Get("filter[active]"))
			assert.Equal(t, "ann@example.com", reqs[1].Query.Get("filter[email]"))

			srv.ResetRequests()
			srv.Inject(-1, backofficetest.Fault{Method: http.MethodGet, Status: http.StatusServiceUnavailable}) // the look-up fails
			_, err = c.Create(ctx, &backoffice.CreateRequest{Name: "Bo", Email: "bo@example.com", Password: "pw", Groups: []int64{1}})
			require.ErrorIs(t, err, backoffice.ErrOutcomeUnknown)
			assert.Len(t, srv.Users(), 3, "the user was created all the same")
			posts := 0
			for _, r := range srv.Requests() {
				if r.Method == http.MethodPost {
					posts++
				}
			}
			assert.Equal(t, 1, posts, "the create itself is sent once")
		})
	}
}

// A user's tfa goes out as the fake stores it: a method by name, else a bool.
func TestTFAOnTheWire(t *testing.T) {
	srv, c := setup(t)
	u := srv.AddUser(backoffice.User{Name: "T", Email: "t@example.com", TFA: backoffice.TFATOTP}, "pw")
	got, err := c.Get(context.Background(), u.ID)
	require.NoError(t, err)
	assert.Equal(t, backoffice.TFATOTP, got.TFA)
	assert.True(t, got.TFA.Enabled())
}
