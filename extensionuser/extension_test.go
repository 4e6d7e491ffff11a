package extensionuser_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
	"github.com/usersdk/usersdk-go/internal/fixture"
)

// What only this package has: the internal number a user belongs to, and nine list
// filters. The rest is run from shared_test.go.

func TestListSendsEveryFilterAsRepeatedKeys(t *testing.T) {
	rec := fixture.New(t)
	rec.ExpectExchange(&fixture.Exchange{
		Request: fixture.Request{Method: "GET", Path: "/api/ver1.0/client/@me/user/extension/", Query: url.Values{
			"comment": {"a", "b"}, "status": {"active", "blocked"}, "name": {"n1", "n2"}, "id": {"1", "2"},
			"access": {"full", "read_only"}, "extension_id": {"5001", "5002"}, "timezone": {"UTC", "Europe/Moscow"},
			"login": {"l1", "l2"}, "email": {"a+b@example.com", "c@example.com"},
		}},
		Response: fixture.Response{Status: 200, Body: []byte(`[]`)},
	})
	c, err := extensionuser.New(extensionuser.WithBaseURL("https://api.test/api/ver1.0"), extensionuser.WithToken("test-token"),
		extensionuser.WithHTTPClient(rec.Client()), extensionuser.WithoutRetries())
	require.NoError(t, err)
	users, err := c.List(context.Background(), extensionuser.Me, extensionuser.ListOptions{
		Comment: []string{"a", "b"}, Status: []extensionuser.Status{extensionuser.StatusActive, extensionuser.StatusBlocked},
		Name: []string{"n1", "n2"}, ID: []int64{1, 2}, Access: []extensionuser.Access{extensionuser.AccessFull, extensionuser.AccessReadOnly},
		ExtensionID: []int64{5001, 5002}, Timezone: []string{"UTC", "Europe/Moscow"}, Login: []string{"l1", "l2"},
		Email: []string{"a+b@example.com", "c@example.com"},
	})
	require.NoError(t, err)
	assert.Empty(t, users)
	assert.Contains(t, rec.Received()[0].URL.RawQuery, "login=l1&login=l2", "repeated keys, not login[]= or commas")
}

// fake starts the fake and a client of it.
func fake(t *testing.T) (*extensionusertest.Server, *extensionuser.Client) {
	t.Helper()
	srv := extensionusertest.NewServer()
	t.Cleanup(srv.Close)
	c, err := extensionuser.New(extensionuser.WithBaseURL(srv.BaseURL()),
		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()), extensionuser.WithRetry(3, 0, 0))
	require.NoError(t, err)
	return srv, c
}

// An update with ExtensionID moves the user to that internal number, if it is not another
// client's; a number is required on create and refused when not positive, before sending.
func TestE2EInternalNumbers(t *testing.T) {
	srv, c := fake(t)
	ctx := context.Background()
	u := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "reception", Name: "R", Email: "r@example.com"}, "pw")
	stored := func() extensionuser.User {
		got, owner, ok := srv.ExtensionUser(u.ID)
		require.True(t, ok)
		assert.Equal(t, extensionusertest.DefaultClientID, owner)
		return got
	}

	srv.ResetRequests()
	moved, err := c.Update(ctx, extensionuser.Me, u.ID, &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(int64(5003))})
	require.NoError(t, err)
	assert.Equal(t, int64(5003), moved.ExtensionID)
	assert.Equal(t, "reception", moved.Login, "fields not sent are kept")
	assert.Equal(t, int64(5003), stored().ExtensionID)
	api := srv.Requests()
	require.NotEmpty(t, api)
	assert.Equal(t, `{"extension_id":5003}`, string(api[len(api)-1].Body))

	// An internal number of another client cannot be taken, on create or by a move.
	srv.AddExtensionUser(777, extensionuser.User{ExtensionID: 7001, Login: "theirs", Name: "X", Email: "x@example.com"}, "pw")
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 7001, Login: "grab", Name: "G", Password: "pw", Email: "g@example.com"})
	require.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	var apiErr *extensionuser.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	_, err = c.Update(ctx, extensionuser.Me, u.ID, &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(int64(7001))})
	require.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	assert.Equal(t, int64(5003), stored().ExtensionID)
	assert.Len(t, srv.ExtensionUsers(), 2)

	// A missing or non-positive number is refused before anything is sent.
	srv.ResetRequests()
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{Login: "x", Name: "X", Password: "pw", Email: "x2@example.com"})
	var verr *extensionuser.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "extension_id", verr.Field)
	for _, id := range []int64{0, -1} {
		_, err = c.Update(ctx, extensionuser.Me, u.ID, &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(id)})
		require.ErrorAs(t, err, &verr)
		assert.Equal(t, "extension_id", verr.Field)
		assert.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	}
	assert.Empty(t, srv.Requests())
}

func TestE2EListFilters(t *testing.T) {
	srv, c := fake(t)
	seed := func(ext int64, login, name, email, comment string, access extensionuser.Access, status extensionuser.Status, tz string) extensionuser.User {
		return srv.AddExtensionUser(0, extensionuser.User{ExtensionID: ext, Login: login, Name: name, Email: email,
			Comment: comment, Access: access, Status: status, Timezone: tz}, "pw")
	}
	full, readOnly := extensionuser.AccessFull, extensionuser.AccessReadOnly
	active, blocked := extensionuser.StatusActive, extensionuser.StatusBlocked
	a := seed(5001, "anna", "Anna", "anna@example.com", "day", full, active, "Europe/Moscow")
	b := seed(5001, "boris", "Boris", "boris@example.com", "night", readOnly, active, "Asia/Omsk")
	seed(5002, "vera", "Vera", "vera@example.com", "day", readOnly, blocked, "Europe/Moscow")
	seed(5003, "gleb", "Gleb", "gleb@example.com", "", full, blocked, "Asia/Omsk")
	// A user of another client never shows in the owner's lists.
	srv.AddExtensionUser(777, extensionuser.User{ExtensionID: 7001, Login: "stranger", Name: "Anna",
		Email: "anna@example.com", Comment: "day", Access: full, Status: active, Timezone: "Europe/Moscow"}, "pw")

	for _, tc := range []struct {
		name  string
		opts  extensionuser.ListOptions
		query url.Values
		want  []string
	}{
		{"none", extensionuser.ListOptions{}, url.Values{}, []string{"anna", "boris", "vera", "gleb"}},
		{"id", extensionuser.ListOptions{ID: []int64{a.ID, b.ID, 999}},
			url.Values{"id": {strconv.FormatInt(a.ID, 10), strconv.FormatInt(b.ID, 10), "999"}}, []string{"anna", "boris"}},
		{"extension_id", extensionuser.ListOptions{ExtensionID: []int64{5002, 5003}},
			url.Values{"extension_id": {"5002", "5003"}}, []string{"vera", "gleb"}},
		{"login", extensionuser.ListOptions{Login: []string{"gleb", "stranger"}},
			url.Values{"login": {"gleb", "stranger"}}, []string{"gleb"}},
		{"name", extensionuser.ListOptions{Name: []string{"Anna", "Vera"}},
			url.Values{"name": {"Anna", "Vera"}}, []string{"anna", "vera"}},
		{"email", extensionuser.ListOptions{Email: []string{"boris@example.com"}},
			url.Values{"email": {"boris@example.com"}}, []string{"boris"}},
		{"comment", extensionuser.ListOptions{Comment: []string{"day"}},
			url.Values{"comment": {"day"}}, []string{"anna", "vera"}},
		{"access", extensionuser.ListOptions{Access: []extensionuser.Access{readOnly}},
			url.Values{"access": {"read_only"}}, []string{"boris", "vera"}},
		{"status", extensionuser.ListOptions{Status: []extensionuser.Status{active, blocked}},
			url.Values{"status": {"active", "blocked"}}, []string{"anna", "boris", "vera", "gleb"}},
		{"timezone", extensionuser.ListOptions{Timezone: []string{"Asia/Omsk"}},
			url.Values{"timezone": {"Asia/Omsk"}}, []string{"boris", "gleb"}},
		{"all keys must match", extensionuser.ListOptions{
			ExtensionID: []int64{5001, 5002}, Status: []extensionuser.Status{active}, Timezone: []string{"Europe/Moscow"},
		}, url.Values{"extension_id": {"5001", "5002"}, "status": {"active"}, "timezone": {"Europe/Moscow"}}, []string{"anna"}},
		{"no match", extensionuser.ListOptions{Login: []string{"anna"}, Access: []extensionuser.Access{readOnly}},
			url.Values{"login": {"anna"}, "access": {"read_only"}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			users, err := c.List(context.Background(), extensionuser.Me, tc.opts)
			require.NoError(t, err)
			logins := []string{}
			for _, u := range users {
				logins = append(logins, u.Login)
			}
			assert.Equal(t, tc.want, logins)
			var api []extensionusertest.Request
			for _, r := range srv.Requests() {
				if r.Path != extensionusertest.TokenPath {
					api = append(api, r)
				}
			}
			require.Len(t, api, 1)
			assert.Equal(t, tc.query, api[0].Query)
		})
	}
}
