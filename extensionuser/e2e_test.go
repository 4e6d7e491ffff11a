package extensionuser_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
)

// e2eCollection is the path of the owner's extension users, as the fake receives it.
const e2eCollection = "/api/ver1.0/client/@me/user/extension/"

// e2eOwner is the owner's client id in its numeric form.
var e2eOwner = strconv.FormatInt(extensionusertest.DefaultClientID, 10)

// e2eClock is a settable clock for the fake, so tests move its hour without sleeping.
type e2eClock struct{ ns atomic.Int64 }

func e2eNewClock(srv *extensionusertest.Server, start time.Time) *e2eClock {
	c := &e2eClock{}
	c.set(start)
	srv.SetClock(c.now)
	return c
}

func (c *e2eClock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *e2eClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

// e2eSetup starts the fake and a client that authenticates with the fake's application
// credentials; the token endpoint is the one the client derives from the base URL.
// Retries do not wait, so the tests never sleep.
func e2eSetup(t *testing.T, opts ...extensionuser.Option) (*extensionusertest.Server, *extensionuser.Client) {
	t.Helper()
	srv := extensionusertest.NewServer()
	t.Cleanup(srv.Close)
	base := []extensionuser.Option{
		extensionuser.WithBaseURL(srv.BaseURL()),
		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()),
		extensionuser.WithRetry(3, 0, 0),
	}
	c, err := extensionuser.New(append(base, opts...)...)
	require.NoError(t, err)
	return srv, c
}

// e2eAPIRequests returns the requests the fake received outside its token endpoint.
func e2eAPIRequests(srv *extensionusertest.Server) []extensionusertest.Request {
	var out []extensionusertest.Request
	for _, r := range srv.Requests() {
		if r.Path != "/oauth/token" {
			out = append(out, r)
		}
	}
	return out
}

func e2eBody(t *testing.T, r extensionusertest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

func e2eAPIError(t *testing.T, err error) *extensionuser.APIError {
	t.Helper()
	var apiErr *extensionuser.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

func e2eLogins(users []extensionuser.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Login)
	}
	return out
}

// e2eStored returns a stored user and checks the client it belongs to.
func e2eStored(t *testing.T, srv *extensionusertest.Server, id, clientID int64) extensionuser.User {
	t.Helper()
	u, owner, ok := srv.ExtensionUser(id)
	require.True(t, ok, "user %d is stored", id)
	assert.Equal(t, clientID, owner)
	return u
}

func TestE2EEveryMethod(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()

	created, err := c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "reception", Name: "Reception", Password: "pw-1", Email: "r@example.com",
		Access: extensionuser.AccessReadOnly, Comment: "front desk", Status: extensionuser.StatusBlocked,
		ExtraParams: `{"desk":1}`, Timezone: "Europe/Moscow",
	})
	require.NoError(t, err)
	want := extensionuser.User{
		ID: created.ID, ExtensionID: 5001, Login: "reception", Name: "Reception", Email: "r@example.com",
		Comment: "front desk", Access: extensionuser.AccessReadOnly, Status: extensionuser.StatusBlocked,
		ExtraParams: `{"desk":1}`, Timezone: "Europe/Moscow",
	}
	assert.Equal(t, want, *created)
	assert.Equal(t, want, e2eStored(t, srv, created.ID, extensionusertest.DefaultClientID))
	pw, _ := srv.Password(created.ID)
	assert.Equal(t, "pw-1", pw)

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/oauth/token", reqs[0].Path, "the token endpoint on the base URL's host")
	assert.Equal(t, http.MethodPost, reqs[1].Method)
	assert.Equal(t, e2eCollection, reqs[1].Path)
	assert.Equal(t, float64(5001), e2eBody(t, reqs[1])["extension_id"])
	assert.Equal(t, 1, srv.TokenRequests())

	plain, err := c.Create(ctx, e2eOwner, &extensionuser.CreateRequest{
		ExtensionID: 5002, Login: "plain", Name: "Plain", Password: "pw", Email: "p@example.com",
	})
	require.NoError(t, err)
	assert.Equal(t, extensionuser.AccessFull, plain.Access, "the server's default")
	assert.Equal(t, extensionuser.StatusActive, plain.Status, "the server's default")
	assert.Equal(t, "/api/ver1.0/client/"+e2eOwner+"/user/extension/", srv.Requests()[len(srv.Requests())-1].Path)

	srv.AddClient(777)
	other, err := c.Create(ctx, "777", &extensionuser.CreateRequest{
		ExtensionID: 7001, Login: "other", Name: "Other", Password: "pw", Email: "o@example.com",
	})
	require.NoError(t, err)
	e2eStored(t, srv, other.ID, 777)

	all, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"reception", "plain"}, e2eLogins(all))
	assert.Equal(t, want, all[0])
	ofOther, err := c.List(ctx, "777", extensionuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []extensionuser.User{*other}, ofOther)

	got, err := c.Get(ctx, extensionuser.Me, created.ID)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	got, err = c.Get(ctx, e2eOwner, created.ID)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	_, err = c.Get(ctx, extensionuser.Me, other.ID)
	assert.ErrorIs(t, err, extensionuser.ErrNotFound, "a user of another client")

	// Update sends only the fields set; ExtensionID moves the user.
	srv.ResetRequests()
	updated, err := c.Update(ctx, extensionuser.Me, created.ID, &extensionuser.UpdateRequest{
		ExtensionID: extensionuser.Ptr(int64(5003)), Name: extensionuser.Ptr("Front"), Password: extensionuser.Ptr("pw-2"),
		Comment: extensionuser.Ptr(""), Access: extensionuser.Ptr(extensionuser.AccessFull),
	})
	require.NoError(t, err)
	want.ExtensionID, want.Name, want.Comment, want.Access = 5003, "Front", "", extensionuser.AccessFull
	assert.Equal(t, want, *updated)
	assert.Equal(t, want, e2eStored(t, srv, created.ID, extensionusertest.DefaultClientID), "fields not sent are kept")
	pw, _ = srv.Password(created.ID)
	assert.Equal(t, "pw-2", pw)
	require.Len(t, srv.Requests(), 1)
	put := srv.Requests()[0]
	assert.Equal(t, http.MethodPut, put.Method)
	assert.Equal(t, e2eCollection+strconv.FormatInt(created.ID, 10), put.Path)
	assert.Equal(t, map[string]any{"extension_id": float64(5003), "name": "Front", "password": "pw-2", "comment": "", "access": "full"}, e2eBody(t, put))

	updated, err = c.Update(ctx, e2eOwner, created.ID, &extensionuser.UpdateRequest{
		Email: extensionuser.Ptr("front@example.com"), Status: extensionuser.Ptr(extensionuser.StatusActive),
		ExtraParams: extensionuser.Ptr(""), Timezone: extensionuser.Ptr("Asia/Omsk"),
	})
	require.NoError(t, err)
	want.Email, want.Status, want.ExtraParams, want.Timezone = "front@example.com", extensionuser.StatusActive, "", "Asia/Omsk"
	assert.Equal(t, want, *updated)
	assert.Equal(t, want, e2eStored(t, srv, created.ID, extensionusertest.DefaultClientID))

	require.NoError(t, c.Delete(ctx, extensionuser.Me, created.ID))
	_, _, ok := srv.ExtensionUser(created.ID)
	assert.False(t, ok)
	_, err = c.Get(ctx, extensionuser.Me, created.ID)
	assert.ErrorIs(t, err, extensionuser.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, extensionuser.Me, created.ID), extensionuser.ErrNotFound)
	require.NoError(t, c.Delete(ctx, e2eOwner, plain.ID))
	require.NoError(t, c.Delete(ctx, "777", other.ID))
	assert.Empty(t, srv.ExtensionUsers())
	assert.Equal(t, 1, srv.TokenRequests(), "one token served every call")
}

func TestE2EListFilters(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	seed := func(ext int64, login, name, email, comment string, access extensionuser.Access, status extensionuser.Status, tz string) extensionuser.User {
		return srv.AddExtensionUser(0, extensionuser.User{ExtensionID: ext, Login: login, Name: name, Email: email,
			Comment: comment, Access: access, Status: status, Timezone: tz}, "pw")
	}
	a := seed(5001, "anna", "Anna", "anna@example.com", "day", extensionuser.AccessFull, extensionuser.StatusActive, "Europe/Moscow")
	b := seed(5001, "boris", "Boris", "boris@example.com", "night", extensionuser.AccessReadOnly, extensionuser.StatusActive, "Asia/Omsk")
	seed(5002, "vera", "Vera", "vera@example.com", "day", extensionuser.AccessReadOnly, extensionuser.StatusBlocked, "Europe/Moscow")
	seed(5003, "gleb", "Gleb", "gleb@example.com", "", extensionuser.AccessFull, extensionuser.StatusBlocked, "Asia/Omsk")
	// A user of another client never shows in the owner's lists.
	srv.AddExtensionUser(777, extensionuser.User{ExtensionID: 7001, Login: "stranger", Name: "Anna",
		Email: "anna@example.com", Comment: "day", Access: extensionuser.AccessFull, Status: extensionuser.StatusActive,
		Timezone: "Europe/Moscow"}, "pw")

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
		{"access", extensionuser.ListOptions{Access: []extensionuser.Access{extensionuser.AccessReadOnly}},
			url.Values{"access": {"read_only"}}, []string{"boris", "vera"}},
		{"status", extensionuser.ListOptions{Status: []extensionuser.Status{extensionuser.StatusActive, extensionuser.StatusBlocked}},
			url.Values{"status": {"active", "blocked"}}, []string{"anna", "boris", "vera", "gleb"}},
		{"timezone", extensionuser.ListOptions{Timezone: []string{"Asia/Omsk"}},
			url.Values{"timezone": {"Asia/Omsk"}}, []string{"boris", "gleb"}},
		{"all keys must match", extensionuser.ListOptions{
			ExtensionID: []int64{5001, 5002}, Status: []extensionuser.Status{extensionuser.StatusActive},
			Timezone: []string{"Europe/Moscow"},
		}, url.Values{"extension_id": {"5001", "5002"}, "status": {"active"}, "timezone": {"Europe/Moscow"}}, []string{"anna"}},
		{"no match", extensionuser.ListOptions{Login: []string{"anna"}, Access: []extensionuser.Access{extensionuser.AccessReadOnly}},
			url.Values{"login": {"anna"}, "access": {"read_only"}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			users, err := c.List(ctx, extensionuser.Me, tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, e2eLogins(users))
			api := e2eAPIRequests(srv)
			require.Len(t, api, 1)
			assert.Equal(t, tc.query, api[0].Query)
		})
	}
}

func TestE2ECreateEmailNotify(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()

	to, err := c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "notified", Name: "N", Password: "pw", Email: "n@example.com",
		EmailNotify: extensionuser.Ptr(true), EmailForNotify: "boss@example.com",
	})
	require.NoError(t, err)
	owner, err := c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "owner-notified", Name: "O", Password: "pw", Email: "o@example.com",
		EmailNotify: extensionuser.Ptr(true),
	})
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "silent", Name: "S", Password: "pw", Email: "s@example.com",
		EmailNotify: extensionuser.Ptr(false),
	})
	require.NoError(t, err)

	assert.Equal(t, []extensionusertest.Notification{
		{UserID: to.ID, Login: "notified", To: "boss@example.com"},
		{UserID: owner.ID, Login: "owner-notified", To: ""},
	}, srv.Notifications())
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, false, e2eBody(t, srv.Requests()[0])["email_notify"], "false is sent, not left out")
}

func TestE2EErrorsMatchSentinels(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "taken", Name: "T", Email: "t@example.com",
		Access: extensionuser.AccessFull, Status: extensionuser.StatusActive}, "pw")

	_, err := c.Get(ctx, extensionuser.Me, u.ID+100)
	require.ErrorIs(t, err, extensionuser.ErrNotFound)
	apiErr := e2eAPIError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Record not found", apiErr.Message)
	_, err = c.Update(ctx, extensionuser.Me, u.ID+100, &extensionuser.UpdateRequest{Name: extensionuser.Ptr("x")})
	assert.ErrorIs(t, err, extensionuser.ErrNotFound)

	for _, call := range []func() error{
		func() error { _, err := c.List(ctx, "999", extensionuser.ListOptions{}); return err },
		func() error { _, err := c.Get(ctx, "999", u.ID); return err },
		func() error { return c.Delete(ctx, "999", u.ID) },
	} {
		err := call()
		require.ErrorIs(t, err, extensionuser.ErrNotFound)
		assert.Equal(t, extensionuser.CodeClientNotFound, e2eAPIError(t, err).Code)
	}

	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5002, Login: "Taken", Name: "T2", Password: "pw", Email: "t2@example.com"})
	require.ErrorIs(t, err, extensionuser.ErrConflict)
	apiErr = e2eAPIError(t, err)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	assert.Equal(t, "login_exists", apiErr.Code)
	assert.Len(t, srv.ExtensionUsers(), 1)

	srv.AddForbiddenClient(666)
	_, err = c.List(ctx, "666", extensionuser.ListOptions{})
	require.ErrorIs(t, err, extensionuser.ErrForbidden)
	assert.Equal(t, extensionuser.CodeAccessDenied, e2eAPIError(t, err).Code)
	_, err = c.Create(ctx, "666", &extensionuser.CreateRequest{
		ExtensionID: 6001, Login: "intruder", Name: "I", Password: "pw", Email: "i@example.com"})
	require.ErrorIs(t, err, extensionuser.ErrForbidden)
	assert.Len(t, srv.ExtensionUsers(), 1)

	// An internal number of another client cannot be taken, on create or by a move.
	srv.AddExtensionUser(777, extensionuser.User{ExtensionID: 7001, Login: "theirs", Name: "X", Email: "x@example.com"}, "pw")
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 7001, Login: "grab", Name: "G", Password: "pw", Email: "g@example.com"})
	require.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	assert.Equal(t, http.StatusBadRequest, e2eAPIError(t, err).StatusCode)
	_, err = c.Update(ctx, extensionuser.Me, u.ID, &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(int64(7001))})
	require.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	assert.Equal(t, int64(5001), e2eStored(t, srv, u.ID, extensionusertest.DefaultClientID).ExtensionID)

	// extension_id is required, and refused before anything is sent, as are empty ids.
	srv.ResetRequests()
	_, err = c.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{Login: "x", Name: "X", Password: "pw", Email: "x2@example.com"})
	var verr *extensionuser.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "extension_id", verr.Field)
	assert.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	_, err = c.Update(ctx, extensionuser.Me, u.ID, &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(int64(0))})
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "extension_id", verr.Field)
	_, err = c.List(ctx, "", extensionuser.ListOptions{})
	assert.ErrorIs(t, err, extensionuser.ErrInvalidInput)
	assert.Empty(t, srv.Requests())
}

func TestE2EExpiredTokenIsRenewedOnce(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "a", Name: "A", Email: "a@example.com"}, "pw")

	_, err := c.Get(ctx, extensionuser.Me, u.ID)
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokenRequests())

	srv.ExpireTokens()
	srv.ResetRequests()
	got, err := c.Get(ctx, extensionuser.Me, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "a", got.Login)
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
	api := e2eAPIRequests(srv)
	require.Len(t, api, 2, "the rejected request, then the same request with the new token")
	assert.NotEqual(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))

	srv.ExpireTokens()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.List(ctx, extensionuser.Me, extensionuser.ListOptions{}) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 3, srv.TokenRequests(), "many rejected requests, one token")
}

func TestE2ETokenSharedWithClientuser(t *testing.T) {
	srv, eu := e2eSetup(t)
	ctx := context.Background()
	cu, err := clientuser.New(
		clientuser.WithBaseURL(srv.BaseURL()),
		clientuser.WithTokenSource(eu.TokenSource()),
		clientuser.WithRetry(3, 0, 0),
	)
	require.NoError(t, err)

	_, err = eu.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
	_, err = cu.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests(), "one token for both clients")
	api := e2eAPIRequests(srv)
	require.Len(t, api, 2)
	assert.Equal(t, "/api/ver1.0/client/@me/user/client/", api[1].Path)
	assert.Equal(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))

	srv.ExpireTokens()
	_, err = cu.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
	_, err = eu.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests(), "a 401 in one client renews the token once for both")
}

func TestE2ERateLimitHeaders(t *testing.T) {
	srv, c := e2eSetup(t)
	e2eNewClock(srv, time.Date(2030, 1, 1, 10, 40, 0, 0, time.UTC))
	srv.SetRateLimit(10)
	ctx := context.Background()

	_, ok := c.RateLimit()
	assert.False(t, ok, "nothing seen before the first answer")
	for range 3 {
		_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
		require.NoError(t, err)
	}
	rl, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 10, rl.Limit)
	assert.Equal(t, 7, rl.Remaining)
	assert.WithinDuration(t, rl.Observed.Add(20*time.Minute), rl.Reset, 5*time.Second, "the end of the server's hour")
}

func TestE2EHourlyLimitFailsAtOnce(t *testing.T) {
	srv := extensionusertest.NewServer()
	defer srv.Close()
	clock := e2eNewClock(srv, time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC))
	srv.SetRateLimit(1)
	// Default retry settings: the longest wait (30 s) is far shorter than the hour.
	newClient := func(opts ...extensionuser.Option) *extensionuser.Client {
		c, err := extensionuser.New(append([]extensionuser.Option{extensionuser.WithBaseURL(srv.BaseURL()),
			extensionuser.WithClientCredentials(srv.AppID(), srv.Secret())}, opts...)...)
		require.NoError(t, err)
		return c
	}
	c, unchecked := newClient(), newClient(extensionuser.WithoutRateLimitCheck())
	ctx := context.Background()

	// The answer that spends the budget says so: the next call is not sent.
	start := time.Now()
	_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = c.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	var rle *extensionuser.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, extensionuser.ErrRateLimited)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second, "the end of the server's hour")
	assert.Empty(t, srv.Requests(), "not sent")

	// Sent anyway, the server's 429 rate_limit_exceeded is returned at once.
	_, err = unchecked.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, extensionuser.ErrRateLimited)
	assert.Equal(t, http.StatusTooManyRequests, rle.StatusCode)
	assert.Equal(t, extensionuser.CodeRateLimitExceeded, rle.Code)
	assert.Equal(t, 1, rle.Limit)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second)
	assert.Len(t, e2eAPIRequests(srv), 1, "not retried")
	rl, ok := unchecked.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 0, rl.Remaining)

	// The next hour has a new budget (and the token, an hour old, is replaced).
	clock.set(time.Date(2030, 1, 1, 11, 0, 1, 0, time.UTC))
	_, err = unchecked.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
}

func TestE2EReadRetriedAfter503(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: "a", Name: "A", Email: "a@example.com"}, "pw")
	_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{}) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	srv.FailNext(2, http.StatusServiceUnavailable, "")
	users, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{ExtensionID: []int64{5001}})
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, e2eLogins(users))
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, e2eCollection, r.Path)
		assert.Equal(t, url.Values{"extension_id": {"5001"}}, r.Query)
	}
}

func TestE2ECreateNotResent(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{}) // the token first
	require.NoError(t, err)
	req := &extensionuser.CreateRequest{ExtensionID: 5001, Login: "once", Name: "O", Password: "pw", Email: "o@example.com"}

	// A 500 page from a proxy: the server may have stored the user.
	srv.ResetRequests()
	srv.Inject(1, extensionusertest.Fault{Status: http.StatusInternalServerError,
		Body: "<html><body>500 Internal Server Error</body></html>", ContentType: "text/html"})
	_, err = c.Create(ctx, extensionuser.Me, req)
	require.ErrorIs(t, err, extensionuser.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "a create is never sent twice")
	assert.Empty(t, srv.ExtensionUsers())

	// A 500 with Telphin's own error body is a refusal.
	srv.ResetRequests()
	srv.Inject(1, extensionusertest.Fault{Status: http.StatusInternalServerError, Body: `{"message":"Internal error"}`})
	_, err = c.Create(ctx, extensionuser.Me, req)
	assert.NotErrorIs(t, err, extensionuser.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "not resent either")

	srv.ResetRequests()
	srv.Inject(1, extensionusertest.Fault{DropAfterHandling: true})
	_, err = c.Create(ctx, extensionuser.Me, req)
	require.ErrorIs(t, err, extensionuser.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1)
	found, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{Login: []string{"once"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"once"}, e2eLogins(found))
	assert.Len(t, srv.ExtensionUsers(), 1)
}

func TestE2EAll(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		login := "paged" + strconv.Itoa(i)
		srv.AddExtensionUser(0, extensionuser.User{ExtensionID: 5001, Login: login, Name: "U", Email: login + "@example.com"}, "pw")
		want = append(want, login)
	}
	all := func(opts extensionuser.ListOptions) (logins []string) {
		for u, err := range c.All(ctx, extensionuser.Me, opts) {
			require.NoError(t, err)
			logins = append(logins, u.Login)
		}
		return logins
	}
	_, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{}) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	assert.Equal(t, want, all(extensionuser.ListOptions{ExtensionID: []int64{5001}, PerPage: 2}))
	reqs := srv.Requests()
	require.Len(t, reqs, 3, "pages of 2, 2 and 1")
	assert.Equal(t, []string{"3"}, reqs[2].Query["page"])
	assert.Equal(t, []string{"2"}, reqs[2].Query["per_page"])

	srv.ResetRequests()
	assert.Equal(t, want[2:], all(extensionuser.ListOptions{Page: 2, PerPage: 2}))
	assert.Len(t, srv.Requests(), 2)

	// A server that ignores paging sends the whole list: All yields it once and stops.
	srv.IgnorePaging(true)
	srv.ResetRequests()
	assert.Equal(t, want, all(extensionuser.ListOptions{PerPage: 2}))
	assert.Len(t, srv.Requests(), 1)
	srv.ResetRequests()
	assert.Equal(t, want, all(extensionuser.ListOptions{PerPage: 5}))
	assert.Len(t, srv.Requests(), 2, "a full page, then its repeat")
}
