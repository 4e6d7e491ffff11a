package accountuser_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// e2eSetup starts the fake and a client with its Basic credentials. Retries do not wait,
// so the tests never sleep.
func e2eSetup(t *testing.T, opts ...accountuser.Option) (*accountusertest.Server, *accountuser.Client) {
	t.Helper()
	srv := accountusertest.NewServer()
	t.Cleanup(srv.Close)
	return srv, e2eClient(t, srv, opts...)
}

func e2eClient(t *testing.T, srv *accountusertest.Server, opts ...accountuser.Option) *accountuser.Client {
	t.Helper()
	user, pass := srv.Credentials()
	base := []accountuser.Option{
		accountuser.WithBaseURL(srv.URL),
		accountuser.WithBasicAuth(user, pass),
		accountuser.WithRetry(3, 0, 0),
	}
	c, err := accountuser.New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// e2eRequest is a request the fake received. accountusertest has no name for the type
// Server.Requests returns (it lives in an internal package), so the fields are copied.
type e2eRequest struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// e2eLast returns the last request the fake received.
func e2eLast(t *testing.T, srv *accountusertest.Server) e2eRequest {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	r := reqs[len(reqs)-1]
	return e2eRequest{Method: r.Method, Path: r.Path, Header: r.Header, Body: r.Body}
}

func e2eBody(t *testing.T, r e2eRequest) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// e2eAPIErrorIs checks that err matches sentinel and is an *APIError with status and message.
func e2eAPIErrorIs(t *testing.T, err, sentinel error, status int, message string) *accountuser.APIError {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, message, apiErr.Message)
	return apiErr
}

func e2eUsernames(users []accountuser.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

func TestE2EEveryMethod(t *testing.T) {
	srv, c := e2eSetup(t)
	srv.AddAccount(2, 3)
	ctx := context.Background()
	login, pass := srv.Credentials()

	created, err := c.Create(ctx, &accountuser.CreateRequest{
		ContactName: "John Doe", EmailAddress: "john@example.com", DefaultAccountID: 2,
		Username: "john", Password: "pw-1",
	})
	require.NoError(t, err)
	want := accountuser.User{UserID: created.UserID, ContactName: "John Doe", EmailAddress: "john@example.com",
		Username: "john", DefaultAccountID: 2, Active: accountuser.Enabled}
	require.NotZero(t, created.UserID)
	assert.Equal(t, want, *created, "active defaults to 1 on the server")
	stored, ok := srv.User(created.UserID)
	require.True(t, ok)
	assert.Equal(t, want, stored)
	pw, _ := srv.Password(created.UserID)
	assert.Equal(t, "pw-1", pw)

	post := e2eLast(t, srv)
	assert.Equal(t, http.MethodPost, post.Method)
	assert.Equal(t, "/usr/new", post.Path)
	assert.Equal(t, "text/javascript", post.Header.Get("Content-Type"))
	gotUser, gotPass, ok := (&http.Request{Header: post.Header}).BasicAuth()
	require.True(t, ok)
	assert.Equal(t, login, gotUser)
	assert.Equal(t, pass, gotPass)
	assert.Equal(t, map[string]any{"contactName": "John Doe", "emailAddress": "john@example.com",
		"defaultAccountId": float64(2), "username": "john", "password": "pw-1"}, e2eBody(t, post),
		"ids as numbers, active left out")

	inactive, err := c.Create(ctx, &accountuser.CreateRequest{
		ContactName: "Jane Roe", EmailAddress: "jane@example.com", DefaultAccountID: 2,
		Username: "jane", Password: "pw", Active: accountuser.Ptr(accountuser.Disabled),
	})
	require.NoError(t, err)
	assert.Equal(t, accountuser.Disabled, inactive.Active)
	assert.Equal(t, float64(0), e2eBody(t, e2eLast(t, srv))["active"])
	stored, _ = srv.User(inactive.UserID)
	assert.Equal(t, accountuser.Disabled, stored.Active)

	// The fake sends every number as a string; the client decodes them.
	raw := e2eRawGet(t, srv, "/usr/acc/2")
	assert.Contains(t, raw, `"userId":"`+created.UserID.String()+`"`)
	assert.Contains(t, raw, `"defaultAccountId":"2"`)
	assert.Contains(t, raw, `"active":"0"`)
	assert.Contains(t, raw, `"password":null`)

	users, err := c.ListByAccount(ctx, 2)
	require.NoError(t, err)
	stored2, _ := srv.User(inactive.UserID)
	assert.Equal(t, []accountuser.User{want, stored2}, users)
	assert.Equal(t, "/usr/acc/2", e2eLast(t, srv).Path)
	users, err = c.ListByAccount(ctx, accountusertest.DefaultAccount)
	require.NoError(t, err)
	assert.Empty(t, users, "an account without users")

	// An installation that lists under /pub/: the default client is told which option to
	// use, and WithPubListPath reads it.
	srv.SetPubListPath(true)
	_, err = c.ListByAccount(ctx, 2)
	require.ErrorIs(t, err, accountuser.ErrNotFound)
	assert.Contains(t, err.Error(), "use WithPubListPath")
	pub := e2eClient(t, srv, accountuser.WithPubListPath())
	pubUsers, err := pub.ListByAccount(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, []accountuser.User{want, stored2}, pubUsers)
	assert.Equal(t, "/pub/usr/acc/2", e2eLast(t, srv).Path)
	srv.SetPubListPath(false)

	got, err := c.Get(ctx, created.UserID)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	assert.Equal(t, "/usr/"+created.UserID.String(), e2eLast(t, srv).Path)

	// Update sends only the fields set; the others keep their values.
	updated, err := c.Update(ctx, created.UserID, &accountuser.UpdateRequest{
		ContactName: accountuser.Ptr("John Q. Doe"), Password: accountuser.Ptr("pw-2"),
		Active: accountuser.Ptr(accountuser.Disabled),
	})
	require.NoError(t, err)
	want.ContactName, want.Active = "John Q. Doe", accountuser.Disabled
	require.NotNil(t, updated, "the fake answers with the user")
	assert.Equal(t, want, *updated)
	stored, _ = srv.User(created.UserID)
	assert.Equal(t, want, stored)
	pw, _ = srv.Password(created.UserID)
	assert.Equal(t, "pw-2", pw)
	upd := e2eLast(t, srv)
	assert.Equal(t, http.MethodPost, upd.Method)
	assert.Equal(t, "/usr/"+created.UserID.String(), upd.Path)
	assert.Equal(t, "text/javascript", upd.Header.Get("Content-Type"))
	assert.Equal(t, map[string]any{"contactName": "John Q. Doe", "password": "pw-2", "active": "0"}, e2eBody(t, upd))

	// Moving the user to another account moves it between the lists.
	updated, err = c.Update(ctx, created.UserID, &accountuser.UpdateRequest{
		DefaultAccountID: accountuser.Ptr(accountuser.ID(3)), EmailAddress: accountuser.Ptr("jd@example.com"),
		Username: accountuser.Ptr("jdoe"), Active: accountuser.Ptr(accountuser.Enabled),
	})
	require.NoError(t, err)
	want.DefaultAccountID, want.EmailAddress, want.Username, want.Active = 3, "jd@example.com", "jdoe", accountuser.Enabled
	assert.Equal(t, want, *updated)
	users, err = c.ListByAccount(ctx, 3)
	require.NoError(t, err)
	assert.Equal(t, []accountuser.User{want}, users)
	users, err = c.ListByAccount(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, []string{"jane"}, e2eUsernames(users))

	require.NoError(t, c.Delete(ctx, created.UserID))
	del := e2eLast(t, srv)
	assert.Equal(t, http.MethodDelete, del.Method)
	assert.Equal(t, "/usr/"+created.UserID.String(), del.Path)
	_, ok = srv.User(created.UserID)
	assert.False(t, ok)
	_, err = c.Get(ctx, created.UserID)
	assert.ErrorIs(t, err, accountuser.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, created.UserID), accountuser.ErrNotFound)
	assert.Equal(t, []string{"jane"}, e2eUsernames(srv.Users()))
}

// e2eRawGet reads a path with the fake's credentials, bypassing the client.
func e2eRawGet(t *testing.T, srv *accountusertest.Server, path string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(srv.Credentials())
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	return string(b)
}

func TestE2EMethodAndContentTypeOptions(t *testing.T) {
	for _, tc := range []struct {
		name         string
		opts         []accountuser.Option
		method, ctyp string
	}{
		{"defaults", nil, http.MethodPost, "text/javascript"},
		{"WithPUT", []accountuser.Option{accountuser.WithPUT()}, http.MethodPut, "text/javascript"},
		{"WithJSONContentType", []accountuser.Option{accountuser.WithJSONContentType()}, http.MethodPost, "application/json"},
		{"both", []accountuser.Option{accountuser.WithPUT(), accountuser.WithJSONContentType()}, http.MethodPut, "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := e2eSetup(t, tc.opts...)
			ctx := context.Background()

			u, err := c.Create(ctx, &accountuser.CreateRequest{ContactName: "A", EmailAddress: "a@example.com",
				DefaultAccountID: accountusertest.DefaultAccount, Username: "a", Password: "pw"})
			require.NoError(t, err)
			r := e2eLast(t, srv)
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, "/usr/new", r.Path)
			assert.Equal(t, tc.ctyp, r.Header.Get("Content-Type"))
			assert.Len(t, srv.Users(), 1)

			updated, err := c.Update(ctx, u.UserID, &accountuser.UpdateRequest{ContactName: accountuser.Ptr("B")})
			require.NoError(t, err)
			require.NotNil(t, updated)
			assert.Equal(t, "B", updated.ContactName)
			r = e2eLast(t, srv)
			assert.Equal(t, tc.method, r.Method)
			assert.Equal(t, "/usr/"+u.UserID.String(), r.Path)
			assert.Equal(t, tc.ctyp, r.Header.Get("Content-Type"))
			stored, _ := srv.User(u.UserID)
			assert.Equal(t, "B", stored.ContactName)
			assert.Len(t, srv.Requests(), 2)
		})
	}
}

func TestE2EErrors(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	taken := srv.AddUser(accountuser.User{ContactName: "T", EmailAddress: "t@example.com", Username: "taken",
		DefaultAccountID: 2, Active: accountuser.Enabled}, "pw")
	other := srv.AddUser(accountuser.User{ContactName: "O", EmailAddress: "o@example.com", Username: "other",
		DefaultAccountID: 2, Active: accountuser.Enabled}, "pw")

	// Unknown user: 404 with Revive's message, for every method that names a user.
	_, err := c.Get(ctx, 999)
	apiErr := e2eAPIErrorIs(t, err, accountuser.ErrNotFound, http.StatusNotFound, accountusertest.MsgUnknownUser)
	assert.Equal(t, "Exception", apiErr.Code)
	_, err = c.Update(ctx, 999, &accountuser.UpdateRequest{ContactName: accountuser.Ptr("x")})
	assert.ErrorIs(t, err, accountuser.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, 999), accountuser.ErrNotFound)

	// A username taken, in any case, is a conflict on create and on update.
	_, err = c.Create(ctx, &accountuser.CreateRequest{ContactName: "T2", EmailAddress: "t2@example.com",
		DefaultAccountID: 2, Username: "TAKEN", Password: "pw"})
	e2eAPIErrorIs(t, err, accountuser.ErrConflict, http.StatusConflict, accountusertest.MsgUsernameTaken)
	assert.NotErrorIs(t, err, accountuser.ErrOutcomeUnknown)
	assert.Len(t, srv.Users(), 2)
	_, err = c.Update(ctx, other.UserID, &accountuser.UpdateRequest{Username: accountuser.Ptr("taken")})
	require.ErrorIs(t, err, accountuser.ErrConflict)
	stored, _ := srv.User(other.UserID)
	assert.Equal(t, "other", stored.Username)

	// Unknown account: listing it is not found; naming it in a create is bad input.
	_, err = c.ListByAccount(ctx, 42)
	require.ErrorIs(t, err, accountuser.ErrNotFound)
	assert.Equal(t, accountusertest.MsgUnknownAccount, fuzzkit.AsAPIError(t, err).Message)
	_, err = c.Create(ctx, &accountuser.CreateRequest{ContactName: "N", EmailAddress: "n@example.com",
		DefaultAccountID: 42, Username: "new", Password: "pw"})
	e2eAPIErrorIs(t, err, accountuser.ErrInvalidInput, http.StatusBadRequest, accountusertest.MsgUnknownAccount)
	_, err = c.Update(ctx, taken.UserID, &accountuser.UpdateRequest{DefaultAccountID: accountuser.Ptr(accountuser.ID(42))})
	require.ErrorIs(t, err, accountuser.ErrInvalidInput)
	stored, _ = srv.User(taken.UserID)
	assert.Equal(t, accountuser.ID(2), stored.DefaultAccountID)
	assert.Len(t, srv.Users(), 2)

	// Input refused before sending reaches no server.
	srv.ResetRequests()
	_, err = c.Create(ctx, &accountuser.CreateRequest{ContactName: "N", EmailAddress: "n@example.com", Username: "new", Password: "pw"})
	var verr *accountuser.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "defaultAccountId", verr.Field)
	_, err = c.Get(ctx, 0)
	assert.ErrorIs(t, err, accountuser.ErrInvalidInput)
	assert.Empty(t, srv.Requests())
}

// e2eErrorStatus starts a fake that answers its errors with status, holding one user
// (username "taken").
func e2eErrorStatus(t *testing.T, status int) (*accountusertest.Server, *accountuser.Client, accountuser.User) {
	srv, c := e2eSetup(t)
	srv.SetErrorStatus(status)
	u := srv.AddUser(accountuser.User{ContactName: "T", EmailAddress: "t@example.com", Username: "taken",
		DefaultAccountID: 2, Active: accountuser.Enabled}, "pw")
	return srv, c, u
}

func TestE2EErrorObjectWithStatus200(t *testing.T) {
	srv, c, u := e2eErrorStatus(t, http.StatusOK)
	ctx := context.Background()

	check := func(t *testing.T, err error, msg string) *accountuser.APIError {
		t.Helper()
		apiErr := fuzzkit.AsAPIError(t, err)
		assert.Equal(t, http.StatusOK, apiErr.StatusCode, "the status is kept")
		assert.Equal(t, "Exception", apiErr.Code)
		assert.Equal(t, msg, apiErr.Message)
		return apiErr
	}

	got, err := c.Get(ctx, 999)
	assert.Nil(t, got, "an error body never becomes a user")
	check(t, err, accountusertest.MsgUnknownUser)
	assert.ErrorIs(t, err, accountuser.ErrNotFound, "the unknown-user message matches whatever the status")

	users, err := c.ListByAccount(ctx, 42)
	assert.Nil(t, users)
	check(t, err, accountusertest.MsgUnknownAccount)

	created, err := c.Create(ctx, &accountuser.CreateRequest{ContactName: "T2", EmailAddress: "t2@example.com",
		DefaultAccountID: 2, Username: "taken", Password: "pw"})
	assert.Nil(t, created)
	check(t, err, accountusertest.MsgUsernameTaken)
	assert.NotErrorIs(t, err, accountuser.ErrOutcomeUnknown, "the server said what happened")
	assert.Len(t, srv.Users(), 1)

	updated, err := c.Update(ctx, 999, &accountuser.UpdateRequest{ContactName: accountuser.Ptr("x")})
	assert.Nil(t, updated)
	check(t, err, accountusertest.MsgUnknownUser)
	assert.ErrorIs(t, err, accountuser.ErrNotFound)
	updated, err = c.Update(ctx, u.UserID, &accountuser.UpdateRequest{DefaultAccountID: accountuser.Ptr(accountuser.ID(42))})
	assert.Nil(t, updated)
	check(t, err, accountusertest.MsgUnknownAccount)

	err = c.Delete(ctx, 999)
	check(t, err, accountusertest.MsgUnknownUser)
	assert.ErrorIs(t, err, accountuser.ErrNotFound)
	_, ok := srv.User(u.UserID)
	assert.True(t, ok)
}

func TestE2EWrongCredentials(t *testing.T) {
	srv := accountusertest.NewServer()
	defer srv.Close()
	c, err := accountuser.New(accountuser.WithBaseURL(srv.URL), accountuser.WithBasicAuth(accountusertest.DefaultUsername, "wrong"),
		accountuser.WithRetry(3, 0, 0))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.ListByAccount(ctx, accountusertest.DefaultAccount)
	require.ErrorIs(t, err, accountuser.ErrUnauthorized)
	assert.Equal(t, http.StatusUnauthorized, fuzzkit.AsAPIError(t, err).StatusCode)
	assert.NotContains(t, err.Error(), "wrong")
	_, err = c.Create(ctx, &accountuser.CreateRequest{ContactName: "A", EmailAddress: "a@example.com",
		DefaultAccountID: accountusertest.DefaultAccount, Username: "a", Password: "pw"})
	require.ErrorIs(t, err, accountuser.ErrUnauthorized)
	assert.Empty(t, srv.Users())
	assert.Len(t, srv.Requests(), 2, "a 401 is not retried")

	// Credentials the server stops accepting.
	good := e2eClient(t, srv)
	_, err = good.ListByAccount(ctx, accountusertest.DefaultAccount)
	require.NoError(t, err)
	srv.SetCredentials(accountusertest.DefaultUsername, "rotated")
	_, err = good.ListByAccount(ctx, accountusertest.DefaultAccount)
	assert.ErrorIs(t, err, accountuser.ErrUnauthorized)
}

func TestE2ERetriedReadAndUnretriedCreate(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddUser(accountuser.User{ContactName: "A", EmailAddress: "a@example.com", Username: "a",
		DefaultAccountID: 2, Active: accountuser.Enabled}, "pw")

	srv.FailNext(2, http.StatusServiceUnavailable, "")
	got, err := c.Get(ctx, u.UserID)
	require.NoError(t, err)
	assert.Equal(t, u, *got)
	assert.Len(t, srv.Requests(), 3)

	srv.ResetRequests()
	srv.FailNext(1, http.StatusInternalServerError, "")
	_, err = c.Create(ctx, &accountuser.CreateRequest{ContactName: "B", EmailAddress: "b@example.com",
		DefaultAccountID: 2, Username: "b", Password: "pw"})
	require.ErrorIs(t, err, accountuser.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1, "a create is never sent twice")
	assert.Len(t, srv.Users(), 1)
}

// An installation that answers its refusals with 500 and Revive's error object: a refused
// create or update is the server's answer, not an unknown outcome.
func TestE2ERefusalWithStatus500(t *testing.T) {
	srv, c, u := e2eErrorStatus(t, http.StatusInternalServerError)
	ctx := context.Background()

	created, err := c.Create(ctx, &accountuser.CreateRequest{ContactName: "N", EmailAddress: "n@example.com",
		DefaultAccountID: 42, Username: "new", Password: "pw"})
	assert.Nil(t, created)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, accountusertest.MsgUnknownAccount, apiErr.Message)
	assert.NotErrorIs(t, err, accountuser.ErrOutcomeUnknown)
	assert.NotContains(t, err.Error(), "may have been created")

	updated, err := c.Update(ctx, u.UserID, &accountuser.UpdateRequest{DefaultAccountID: accountuser.Ptr(accountuser.ID(42))})
	assert.Nil(t, updated)
	assert.Equal(t, accountusertest.MsgUnknownAccount, fuzzkit.AsAPIError(t, err).Message)
	assert.NotErrorIs(t, err, accountuser.ErrOutcomeUnknown)

	assert.Len(t, srv.Users(), 1, "nothing was created")
	assert.Len(t, srv.Requests(), 2, "a refusal is not retried")
}
