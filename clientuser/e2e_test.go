package clientuser_test

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
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// e2eCollection is the path of the owner's client users, as the fake receives it.
const e2eCollection = "/api/ver1.0/client/@me/user/client/"

// e2eOwner is the owner's client id in its numeric form.
var e2eOwner = strconv.FormatInt(clientusertest.DefaultClientID, 10)

// e2eClock is a settable clock for the fake, so tests move its hour without sleeping.
type e2eClock struct{ ns atomic.Int64 }

func e2eNewClock(srv *clientusertest.Server, start time.Time) *e2eClock {
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
func e2eSetup(t *testing.T, opts ...clientuser.Option) (*clientusertest.Server, *clientuser.Client) {
	t.Helper()
	srv := clientusertest.NewServer()
	t.Cleanup(srv.Close)
	base := []clientuser.Option{
		clientuser.WithBaseURL(srv.BaseURL()),
		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()),
		clientuser.WithRetry(3, 0, 0),
	}
	c, err := clientuser.New(append(base, opts...)...)
	require.NoError(t, err)
	return srv, c
}

// e2eAPIRequests returns the requests the fake received outside its token endpoint.
func e2eAPIRequests(srv *clientusertest.Server) []clientusertest.Request {
	var out []clientusertest.Request
	for _, r := range srv.Requests() {
		if r.Path != "/oauth/token" {
			out = append(out, r)
		}
	}
	return out
}

func e2eBody(t *testing.T, r clientusertest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

func e2eAPIError(t *testing.T, err error) *clientuser.APIError {
	t.Helper()
	var apiErr *clientuser.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

func e2eLogins(users []clientuser.User) []string {
	out := make([]string, 0, len(users))
	for _, u := range users {
		out = append(out, u.Login)
	}
	return out
}

func TestE2EEveryMethod(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()

	created, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "auditor", Name: "Olga", Password: "pw-1", Email: "olga@example.com",
		Access: clientuser.AccessReadOnly, Comment: "audit", Status: clientuser.StatusBlocked,
		ExtraParams: `{"team":"qa"}`, Timezone: "Europe/Moscow",
	})
	require.NoError(t, err)
	want := clientuser.User{
		ID: created.ID, ClientID: clientusertest.DefaultClientID, Login: "auditor", Name: "Olga",
		Email: "olga@example.com", Comment: "audit", Access: clientuser.AccessReadOnly,
		Status: clientuser.StatusBlocked, ExtraParams: `{"team":"qa"}`, Timezone: "Europe/Moscow",
	}
	assert.Equal(t, want, *created)
	stored, ok := srv.ClientUser(created.ID)
	require.True(t, ok)
	assert.Equal(t, want, stored)
	pw, _ := srv.Password(created.ID)
	assert.Equal(t, "pw-1", pw)

	// The first call fetched one token from the endpoint on the base URL's host.
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[0].Method)
	assert.Equal(t, "/oauth/token", reqs[0].Path)
	form, err := url.ParseQuery(string(reqs[0].Body))
	require.NoError(t, err)
	assert.Equal(t, "client_credentials", form.Get("grant_type"))
	assert.Equal(t, srv.AppID(), form.Get("client_id"))
	assert.Equal(t, http.MethodPost, reqs[1].Method)
	assert.Equal(t, e2eCollection, reqs[1].Path)
	assert.Equal(t, 1, srv.TokenRequests())

	// Defaults of the server for fields left out.
	plain, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "plain", Name: "Plain", Password: "pw", Email: "plain@example.com",
	})
	require.NoError(t, err)
	assert.Equal(t, clientuser.AccessFull, plain.Access)
	assert.Equal(t, clientuser.StatusActive, plain.Status)

	// A user of another client, created by its numeric id.
	srv.AddClient(777)
	other, err := c.Create(ctx, "777", &clientuser.CreateRequest{
		Login: "other", Name: "Other", Password: "pw", Email: "other@example.com",
	})
	require.NoError(t, err)
	assert.Equal(t, int64(777), other.ClientID)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "/api/ver1.0/client/777/user/client/", last.Path)

	// List: no filter, by login (repeated key), by id, both (all must match).
	all, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"auditor", "plain"}, e2eLogins(all))
	assert.Equal(t, want, all[0])
	byNumber, err := c.List(ctx, e2eOwner, clientuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, all, byNumber)
	ofOther, err := c.List(ctx, "777", clientuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []clientuser.User{*other}, ofOther)

	srv.ResetRequests()
	byLogin, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"plain", "nobody", "other"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"plain"}, e2eLogins(byLogin))
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, url.Values{"login": {"plain", "nobody", "other"}}, srv.Requests()[0].Query)

	byID, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{ID: []int64{created.ID, other.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{"auditor"}, e2eLogins(byID), "a user of another client is not listed")
	both, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"plain"}, ID: []int64{created.ID}})
	require.NoError(t, err)
	assert.Empty(t, both)
	both, err = c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"auditor"}, ID: []int64{created.ID, plain.ID}})
	require.NoError(t, err)
	assert.Equal(t, []string{"auditor"}, e2eLogins(both))

	// Get by @me and by the numeric id; a user of another client is not found.
	got, err := c.Get(ctx, clientuser.Me, created.ID)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	got, err = c.Get(ctx, e2eOwner, created.ID)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	_, err = c.Get(ctx, clientuser.Me, other.ID)
	assert.ErrorIs(t, err, clientuser.ErrNotFound)

	// Update sends only the fields set; a pointer to "" clears a note.
	srv.ResetRequests()
	updated, err := c.Update(ctx, clientuser.Me, created.ID, &clientuser.UpdateRequest{
		Name: clientuser.Ptr("Olga P."), Password: clientuser.Ptr("pw-2"), Comment: clientuser.Ptr(""),
		Access: clientuser.Ptr(clientuser.AccessFull), Status: clientuser.Ptr(clientuser.StatusActive),
	})
	require.NoError(t, err)
	want.Name, want.Comment, want.Access, want.Status = "Olga P.", "", clientuser.AccessFull, clientuser.StatusActive
	assert.Equal(t, want, *updated)
	stored, _ = srv.ClientUser(created.ID)
	assert.Equal(t, want, stored, "fields not sent are kept")
	pw, _ = srv.Password(created.ID)
	assert.Equal(t, "pw-2", pw)
	require.Len(t, srv.Requests(), 1)
	put := srv.Requests()[0]
	assert.Equal(t, http.MethodPut, put.Method)
	assert.Equal(t, e2eCollection+strconv.FormatInt(created.ID, 10), put.Path)
	assert.Equal(t, map[string]any{"name": "Olga P.", "password": "pw-2", "comment": "", "access": "full", "status": "active"}, e2eBody(t, put))

	updated, err = c.Update(ctx, e2eOwner, created.ID, &clientuser.UpdateRequest{
		Email: clientuser.Ptr("olga.p@example.com"), ExtraParams: clientuser.Ptr(""), Timezone: clientuser.Ptr("Asia/Omsk"),
	})
	require.NoError(t, err)
	want.Email, want.ExtraParams, want.Timezone = "olga.p@example.com", "", "Asia/Omsk"
	assert.Equal(t, want, *updated)
	stored, _ = srv.ClientUser(created.ID)
	assert.Equal(t, want, stored)

	// Delete, by @me and by the numeric id; a second delete is not found.
	require.NoError(t, c.Delete(ctx, clientuser.Me, created.ID))
	_, ok = srv.ClientUser(created.ID)
	assert.False(t, ok)
	_, err = c.Get(ctx, clientuser.Me, created.ID)
	assert.ErrorIs(t, err, clientuser.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, clientuser.Me, created.ID), clientuser.ErrNotFound)
	require.NoError(t, c.Delete(ctx, e2eOwner, plain.ID))
	require.NoError(t, c.Delete(ctx, "777", other.ID))
	assert.Empty(t, srv.ClientUsers())
	assert.Equal(t, 1, srv.TokenRequests(), "one token served every call")
}

func TestE2ECreateEmailNotify(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()

	to, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "notified", Name: "N", Password: "pw", Email: "n@example.com",
		EmailNotify: clientuser.Ptr(true), EmailForNotify: "boss@example.com",
	})
	require.NoError(t, err)
	owner, err := c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "owner-notified", Name: "O", Password: "pw", Email: "o@example.com",
		EmailNotify: clientuser.Ptr(true),
	})
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
		Login: "silent", Name: "S", Password: "pw", Email: "s@example.com",
		EmailNotify: clientuser.Ptr(false),
	})
	require.NoError(t, err)

	assert.Equal(t, []clientusertest.Notification{
		{UserID: to.ID, Login: "notified", To: "boss@example.com"},
		{UserID: owner.ID, Login: "owner-notified", To: ""},
	}, srv.Notifications())
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, false, e2eBody(t, srv.Requests()[0])["email_notify"], "false is sent, not left out")
}

func TestE2EErrorsMatchSentinels(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddClientUser(clientuser.User{Login: "taken", Name: "T", Email: "t@example.com",
		Access: clientuser.AccessFull, Status: clientuser.StatusActive}, "pw")

	_, err := c.Get(ctx, clientuser.Me, u.ID+100)
	require.ErrorIs(t, err, clientuser.ErrNotFound)
	apiErr := e2eAPIError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Record not found", apiErr.Message)
	_, err = c.Update(ctx, clientuser.Me, u.ID+100, &clientuser.UpdateRequest{Name: clientuser.Ptr("x")})
	assert.ErrorIs(t, err, clientuser.ErrNotFound)

	// An unknown client is a 404 with the vendor's code.
	for _, call := range []func() error{
		func() error { _, err := c.List(ctx, "999", clientuser.ListOptions{}); return err },
		func() error { _, err := c.Get(ctx, "999", u.ID); return err },
		func() error { return c.Delete(ctx, "999", u.ID) },
	} {
		err := call()
		require.ErrorIs(t, err, clientuser.ErrNotFound)
		assert.Equal(t, clientuser.CodeClientNotFound, e2eAPIError(t, err).Code)
	}

	// A taken login, in any case, is a conflict; nothing is stored.
	_, err = c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: "TAKEN", Name: "T2", Password: "pw", Email: "t2@example.com"})
	require.ErrorIs(t, err, clientuser.ErrConflict)
	apiErr = e2eAPIError(t, err)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	assert.Equal(t, "login_exists", apiErr.Code)
	assert.Equal(t, "Login already exists", apiErr.Message)
	assert.Len(t, srv.ClientUsers(), 1)

	// A client the application may not manage is forbidden, for reads and writes.
	srv.AddForbiddenClient(666)
	_, err = c.List(ctx, "666", clientuser.ListOptions{})
	require.ErrorIs(t, err, clientuser.ErrForbidden)
	assert.Equal(t, clientuser.CodeAccessDenied, e2eAPIError(t, err).Code)
	_, err = c.Create(ctx, "666", &clientuser.CreateRequest{Login: "intruder", Name: "I", Password: "pw", Email: "i@example.com"})
	require.ErrorIs(t, err, clientuser.ErrForbidden)
	assert.Equal(t, http.StatusForbidden, e2eAPIError(t, err).StatusCode)
	assert.Len(t, srv.ClientUsers(), 1)

	// A 400 from the server is invalid input, and matches no other sentinel.
	_, err = c.Update(ctx, clientuser.Me, u.ID, &clientuser.UpdateRequest{Email: clientuser.Ptr("not-an-address")})
	require.ErrorIs(t, err, clientuser.ErrInvalidInput)
	assert.Equal(t, http.StatusBadRequest, e2eAPIError(t, err).StatusCode)
	assert.NotErrorIs(t, err, clientuser.ErrNotFound)
	stored, _ := srv.ClientUser(u.ID)
	assert.Equal(t, "t@example.com", stored.Email)

	// Input refused before sending reaches no server.
	srv.ResetRequests()
	_, err = c.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: "x", Name: "X", Password: "pw"})
	var verr *clientuser.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "email", verr.Field)
	_, err = c.Get(ctx, "", u.ID)
	assert.ErrorIs(t, err, clientuser.ErrInvalidInput)
	assert.Empty(t, srv.Requests())
}

func TestE2EExpiredTokenIsRenewedOnce(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddClientUser(clientuser.User{Login: "a", Name: "A", Email: "a@example.com"}, "pw")

	_, err := c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	require.Equal(t, 1, srv.TokenRequests())

	srv.ExpireTokens()
	srv.ResetRequests()
	got, err := c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "a", got.Login)
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
	api := e2eAPIRequests(srv)
	require.Len(t, api, 2, "the rejected request, then the same request with the new token")
	assert.NotEqual(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))

	// Many requests rejected at once still cost one token.
	srv.ExpireTokens()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.List(ctx, clientuser.Me, clientuser.ListOptions{}) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 3, srv.TokenRequests())

	// A token issued without expires_in is kept until the server rejects it, then replaced.
	srv.OmitExpiresIn(true)
	srv.ExpireTokens()
	_, err = c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	srv.ExpireTokens()
	_, err = c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	_, err = c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	assert.Equal(t, 5, srv.TokenRequests())
}

func TestE2ETokenSharedWithExtensionuser(t *testing.T) {
	srv, cu := e2eSetup(t)
	ctx := context.Background()
	eu, err := extensionuser.New(
		extensionuser.WithBaseURL(srv.BaseURL()),
		extensionuser.WithTokenSource(cu.TokenSource()),
		extensionuser.WithRetry(3, 0, 0),
	)
	require.NoError(t, err)

	_, err = cu.Create(ctx, clientuser.Me, &clientuser.CreateRequest{Login: "admin", Name: "A", Password: "pw", Email: "a@example.com"})
	require.NoError(t, err)
	_, err = eu.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "reception", Name: "R", Password: "pw", Email: "r@example.com"})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.TokenRequests(), "one token for both clients")
	api := e2eAPIRequests(srv)
	require.Len(t, api, 2)
	assert.Equal(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))

	// Logins are shared between the two kinds of user.
	_, err = eu.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
		ExtensionID: 5001, Login: "admin", Name: "A", Password: "pw", Email: "a@example.com"})
	assert.ErrorIs(t, err, extensionuser.ErrConflict)

	// A 401 in one client renews the token for both.
	srv.ExpireTokens()
	_, err = eu.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, 2, srv.TokenRequests())
	users, err := cu.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"admin"}, e2eLogins(users))
	assert.Equal(t, 2, srv.TokenRequests(), "the other client uses the renewed token")
}

func TestE2ERateLimitHeaders(t *testing.T) {
	srv, c := e2eSetup(t)
	e2eNewClock(srv, time.Date(2030, 1, 1, 10, 15, 0, 0, time.UTC))
	srv.SetRateLimit(5)
	ctx := context.Background()

	_, ok := c.RateLimit()
	assert.False(t, ok, "nothing seen before the first answer")
	for range 2 {
		_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{})
		require.NoError(t, err)
	}
	rl, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 5, rl.Limit)
	assert.Equal(t, 3, rl.Remaining)
	assert.WithinDuration(t, rl.Observed.Add(45*time.Minute), rl.Reset, 5*time.Second, "the end of the server's hour")
	assert.WithinDuration(t, time.Now(), rl.Observed, time.Minute)
}

func TestE2EHourlyLimitFailsAtOnce(t *testing.T) {
	srv := clientusertest.NewServer()
	defer srv.Close()
	clock := e2eNewClock(srv, time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC))
	srv.SetRateLimit(1)
	// Default retry settings: the longest wait (30 s) is far shorter than the hour.
	newClient := func(opts ...clientuser.Option) *clientuser.Client {
		c, err := clientuser.New(append([]clientuser.Option{clientuser.WithBaseURL(srv.BaseURL()),
			clientuser.WithClientCredentials(srv.AppID(), srv.Secret())}, opts...)...)
		require.NoError(t, err)
		return c
	}
	c, unchecked := newClient(), newClient(clientuser.WithoutRateLimitCheck())
	ctx := context.Background()

	// The answer that spends the budget says so: the next call is not sent.
	start := time.Now()
	_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = c.List(ctx, clientuser.Me, clientuser.ListOptions{})
	var rle *clientuser.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, clientuser.ErrRateLimited)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second, "the end of the server's hour")
	assert.Empty(t, srv.Requests(), "not sent")

	// Sent anyway, the server's 429 rate_limit_exceeded is returned at once.
	_, err = unchecked.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, clientuser.ErrRateLimited)
	assert.Equal(t, http.StatusTooManyRequests, rle.StatusCode)
	assert.Equal(t, clientuser.CodeRateLimitExceeded, rle.Code)
	assert.Equal(t, 1, rle.Limit)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second)
	assert.Len(t, e2eAPIRequests(srv), 1, "not retried")
	rl, ok := unchecked.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 0, rl.Remaining)

	// The next hour has a new budget (and the token, an hour old, is replaced).
	clock.set(time.Date(2030, 1, 1, 11, 0, 1, 0, time.UTC))
	_, err = unchecked.List(ctx, clientuser.Me, clientuser.ListOptions{})
	require.NoError(t, err)
}

func TestE2EReadRetriedAfter503(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	u := srv.AddClientUser(clientuser.User{Login: "a", Name: "A", Email: "a@example.com"}, "pw")
	_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{}) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	srv.FailNext(2, http.StatusServiceUnavailable, "")
	got, err := c.Get(ctx, clientuser.Me, u.ID)
	require.NoError(t, err)
	assert.Equal(t, "a", got.Login)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, e2eCollection+strconv.FormatInt(u.ID, 10), r.Path)
	}

	// Past the retries the last answer is returned.
	srv.ResetRequests()
	srv.FailNext(4, http.StatusServiceUnavailable, "")
	_, err = c.Get(ctx, clientuser.Me, u.ID)
	apiErr := e2eAPIError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 4, apiErr.Attempts)
	assert.Len(t, srv.Requests(), 4)
}

func TestE2ECreateNotResent(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{}) // the token first
	require.NoError(t, err)
	req := &clientuser.CreateRequest{Login: "once", Name: "O", Password: "pw", Email: "o@example.com"}

	// A 500 page from a proxy: the server may have stored the user.
	srv.ResetRequests()
	srv.Inject(1, clientusertest.Fault{Status: http.StatusInternalServerError,
		Body: "<html><body>500 Internal Server Error</body></html>", ContentType: "text/html"})
	_, err = c.Create(ctx, clientuser.Me, req)
	require.ErrorIs(t, err, clientuser.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "a create is never sent twice")
	assert.Empty(t, srv.ClientUsers())

	// A 500 with Telphin's own error body is a refusal.
	srv.ResetRequests()
	srv.Inject(1, clientusertest.Fault{Status: http.StatusInternalServerError, Body: `{"message":"Internal error"}`})
	_, err = c.Create(ctx, clientuser.Me, req)
	assert.NotErrorIs(t, err, clientuser.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, e2eAPIError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "not resent either")

	// The server stored the user but the answer was lost: not resent, and the user is
	// found by login as the error advises.
	srv.ResetRequests()
	srv.Inject(1, clientusertest.Fault{DropAfterHandling: true})
	_, err = c.Create(ctx, clientuser.Me, req)
	require.ErrorIs(t, err, clientuser.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1)
	found, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"once"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"once"}, e2eLogins(found))
	assert.Len(t, srv.ClientUsers(), 1)
}

func TestE2EAll(t *testing.T) {
	srv, c := e2eSetup(t)
	ctx := context.Background()
	var want []string
	for i := range 5 {
		login := "paged" + strconv.Itoa(i)
		srv.AddClientUser(clientuser.User{Login: login, Name: "U", Email: login + "@example.com"}, "pw")
		want = append(want, login)
	}
	all := func(opts clientuser.ListOptions) (logins []string) {
		for u, err := range c.All(ctx, clientuser.Me, opts) {
			require.NoError(t, err)
			logins = append(logins, u.Login)
		}
		return logins
	}
	_, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{}) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	assert.Equal(t, want, all(clientuser.ListOptions{PerPage: 2}))
	reqs := srv.Requests()
	require.Len(t, reqs, 3, "pages of 2, 2 and 1")
	assert.Equal(t, []string{"3"}, reqs[2].Query["page"])
	assert.Equal(t, []string{"2"}, reqs[2].Query["per_page"])

	srv.ResetRequests()
	assert.Equal(t, want[2:], all(clientuser.ListOptions{Page: 2, PerPage: 2}))
	assert.Len(t, srv.Requests(), 2)

	// A server that ignores paging sends the whole list: All yields it once and stops.
	srv.IgnorePaging(true)
	srv.ResetRequests()
	assert.Equal(t, want, all(clientuser.ListOptions{PerPage: 2}))
	assert.Len(t, srv.Requests(), 1)
	srv.ResetRequests()
	assert.Equal(t, want, all(clientuser.ListOptions{PerPage: 5}))
	assert.Len(t, srv.Requests(), 2, "a full page, then its repeat")
}
