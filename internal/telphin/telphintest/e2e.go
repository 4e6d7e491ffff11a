package telphintest

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

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// ownerID is the numeric id of the client @me stands for, in the fake.
const ownerID = clientusertest.DefaultClientID

// setClock gives the fake a clock that reads start until the returned function moves it,
// so tests move the fake's hour without sleeping.
func setClock(srv Fake, start time.Time) (move func(time.Time)) {
	var now atomic.Pointer[time.Time]
	now.Store(&start)
	srv.SetClock(func() time.Time { return *now.Load() })
	return func(t time.Time) { now.Store(&t) }
}

// e2eSetup starts the fake and a client that authenticates with the fake's application
// credentials; the token endpoint is the one the client derives from the base URL.
// Retries do not wait, so the tests never sleep.
func (k Kind[Cl, U, C, P, L, O]) e2eSetup(t *testing.T, opts ...O) (Fake, Cl) {
	t.Helper()
	srv := k.NewFake()
	t.Cleanup(srv.Close)
	return srv, k.client(t, append([]O{k.Opt.BaseURL(srv.BaseURL()),
		k.Opt.ClientCredentials(srv.AppID(), srv.Secret()), k.Opt.Retry(3, 0, 0)}, opts...)...)
}

// apiRequests returns the requests the fake received outside its token endpoint.
func apiRequests(srv Fake) []usersdktest.Request {
	var out []usersdktest.Request
	for _, r := range srv.Requests() {
		if r.Path != "/oauth/token" {
			out = append(out, r)
		}
	}
	return out
}

func bodyOf(t *testing.T, r usersdktest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

func apiError(t *testing.T, err error) *usersdk.APIError {
	t.Helper()
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

// stored returns a user the fake holds and checks the client it belongs to.
func (k Kind[Cl, U, C, P, L, O]) stored(t *testing.T, srv Fake, id, clientID int64) U {
	t.Helper()
	u, owner, ok := k.Stored(srv, id)
	require.True(t, ok, "user %d is stored", id)
	assert.Equal(t, clientID, owner)
	return u
}

// seed stores a user of the owner's client with these fields.
func (k Kind[Cl, U, C, P, L, O]) seed(t *testing.T, srv Fake, fields map[string]any) int64 {
	t.Helper()
	return idOf(t, k.Add(srv, k.user(t, 0, fields), "pw"))
}

func (k Kind[Cl, U, C, P, L, O]) testE2EEveryMethod(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	numeric := strconv.FormatInt(ownerID, 10)

	full := map[string]any{"login": "auditor", "name": "Olga", "password": "pw-1", "email": "olga@example.com",
		"access": "read_only", "comment": "audit", "status": "blocked", "extra_params": `{"team":"qa"}`, "timezone": "Europe/Moscow"}
	created, err := c.Create(ctx, me, k.create(t, full))
	require.NoError(t, err)
	id := idOf(t, created)
	fields := with(without(full, "password"), map[string]any{"id": id})
	want := k.user(t, ownerID, fields)
	assert.Equal(t, want, *created)
	assert.Equal(t, want, k.stored(t, srv, id, ownerID))
	pw, _ := srv.Password(id)
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
	assert.Equal(t, k.collection(me), reqs[1].Path)
	assert.Equal(t, object(t, with(k.Extra, full)), bodyOf(t, reqs[1]))
	assert.Equal(t, 1, srv.TokenRequests())

	// Defaults of the server for fields left out, for a user created by the numeric id.
	plain, err := c.Create(ctx, numeric, k.newUser(t, "plain", "pw"))
	require.NoError(t, err)
	assert.Equal(t, "full", object(t, plain)["access"], "the server's default")
	assert.Equal(t, "active", object(t, plain)["status"], "the server's default")
	assert.Equal(t, k.collection(numeric), srv.Requests()[len(srv.Requests())-1].Path)

	// A user of another client.
	srv.AddClient(777)
	other, err := c.Create(ctx, "777", k.create(t, with(k.Elsewhere, map[string]any{
		"login": "other", "name": "Other", "password": "pw", "email": "other@example.com"})))
	require.NoError(t, err)
	k.stored(t, srv, idOf(t, other), 777)
	assert.Equal(t, k.collection("777"), srv.Requests()[len(srv.Requests())-1].Path)

	// List: no filter, by login (repeated key), by id, both (all must match).
	list := func(clientID string, q url.Values) []U {
		t.Helper()
		users, err := c.List(ctx, clientID, listOptions[L](t, q))
		require.NoError(t, err)
		return users
	}
	all := list(me, nil)
	assert.Equal(t, []string{"auditor", "plain"}, loginsOf(t, all))
	assert.Equal(t, want, all[0])
	assert.Equal(t, all, list(numeric, nil))
	assert.Equal(t, []U{*other}, list("777", nil))

	srv.ResetRequests()
	assert.Equal(t, []string{"plain"}, loginsOf(t, list(me, url.Values{"login": {"plain", "nobody", "other"}})))
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, url.Values{"login": {"plain", "nobody", "other"}}, srv.Requests()[0].Query)
	ids := func(users ...any) []string {
		var out []string
		for _, u := range users {
			out = append(out, strconv.FormatInt(idOf(t, u), 10))
		}
		return out
	}
	assert.Equal(t, []string{"auditor"}, loginsOf(t, list(me, url.Values{"id": ids(created, other)})), "a user of another client is not listed")
	assert.Empty(t, list(me, url.Values{"login": {"plain"}, "id": ids(created)}))
	assert.Equal(t, []string{"auditor"}, loginsOf(t, list(me, url.Values{"login": {"auditor"}, "id": ids(created, plain)})))

	// Get by @me and by the numeric id; a user of another client is not found.
	got, err := c.Get(ctx, me, id)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	got, err = c.Get(ctx, numeric, id)
	require.NoError(t, err)
	assert.Equal(t, want, *got)
	_, err = c.Get(ctx, me, idOf(t, other))
	assert.ErrorIs(t, err, usersdk.ErrNotFound)

	// Update sends only the fields set; a pointer to "" clears a note.
	srv.ResetRequests()
	changes := map[string]any{"name": "Olga P.", "password": "pw-2", "comment": "", "access": "full", "status": "active"}
	updated, err := c.Update(ctx, me, id, decode[P](t, changes))
	require.NoError(t, err)
	fields = with(fields, without(changes, "password"))
	want = k.user(t, ownerID, fields)
	assert.Equal(t, want, *updated)
	assert.Equal(t, want, k.stored(t, srv, id, ownerID), "fields not sent are kept")
	pw, _ = srv.Password(id)
	assert.Equal(t, "pw-2", pw)
	require.Len(t, srv.Requests(), 1)
	put := srv.Requests()[0]
	assert.Equal(t, http.MethodPut, put.Method)
	assert.Equal(t, k.collection(me)+strconv.FormatInt(id, 10), put.Path)
	assert.Equal(t, changes, bodyOf(t, put))

	changes = map[string]any{"email": "olga.p@example.com", "extra_params": "", "timezone": "Asia/Omsk"}
	updated, err = c.Update(ctx, numeric, id, decode[P](t, changes))
	require.NoError(t, err)
	want = k.user(t, ownerID, with(fields, changes))
	assert.Equal(t, want, *updated)
	assert.Equal(t, want, k.stored(t, srv, id, ownerID))

	// Delete, by @me and by the numeric id; a second delete is not found.
	require.NoError(t, c.Delete(ctx, me, id))
	_, _, ok := k.Stored(srv, id)
	assert.False(t, ok)
	_, err = c.Get(ctx, me, id)
	assert.ErrorIs(t, err, usersdk.ErrNotFound)
	assert.ErrorIs(t, c.Delete(ctx, me, id), usersdk.ErrNotFound)
	require.NoError(t, c.Delete(ctx, numeric, idOf(t, plain)))
	require.NoError(t, c.Delete(ctx, "777", idOf(t, other)))
	assert.Empty(t, k.Users(srv))
	assert.Equal(t, 1, srv.TokenRequests(), "one token served every call")
}

func (k Kind[Cl, U, C, P, L, O]) testE2ECreateEmailNotify(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	create := func(login string, notify map[string]any) int64 {
		t.Helper()
		u, err := c.Create(ctx, me, k.create(t, with(map[string]any{"login": login, "name": "N", "password": "pw", "email": login + "@example.com"}, notify)))
		require.NoError(t, err)
		return idOf(t, u)
	}
	to := create("notified", map[string]any{"email_notify": true, "email_for_notify": "boss@example.com"})
	toOwner := create("owner-notified", map[string]any{"email_notify": true})
	srv.ResetRequests()
	create("silent", map[string]any{"email_notify": false})

	assert.Equal(t, []clientusertest.Notification{
		{UserID: to, Login: "notified", To: "boss@example.com"},
		{UserID: toOwner, Login: "owner-notified", To: ""},
	}, srv.Notifications())
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, false, bodyOf(t, srv.Requests()[0])["email_notify"], "false is sent, not left out")
}

func (k Kind[Cl, U, C, P, L, O]) testE2EErrorsMatchSentinels(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	id := k.seed(t, srv, map[string]any{"login": "taken", "name": "T", "email": "t@example.com", "access": "full", "status": "active"})
	rename := func(name string) *P { return decode[P](t, map[string]any{"name": name}) }

	_, err := c.Get(ctx, me, id+100)
	require.ErrorIs(t, err, usersdk.ErrNotFound)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Record not found", apiErr.Message)
	_, err = c.Update(ctx, me, id+100, rename("x"))
	assert.ErrorIs(t, err, usersdk.ErrNotFound)

	// An unknown client is a 404 with the vendor's code.
	for _, call := range []func() error{
		func() error { _, err := c.List(ctx, "999", *new(L)); return err },
		func() error { _, err := c.Get(ctx, "999", id); return err },
		func() error { return c.Delete(ctx, "999", id) },
	} {
		err := call()
		require.ErrorIs(t, err, usersdk.ErrNotFound)
		assert.Equal(t, "client_not_found", apiError(t, err).Code)
	}

	// A taken login, in any case, is a conflict; nothing is stored.
	_, err = c.Create(ctx, me, k.newUser(t, "TAKEN", "pw"))
	require.ErrorIs(t, err, usersdk.ErrConflict)
	apiErr = apiError(t, err)
	assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
	assert.Equal(t, "login_exists", apiErr.Code)
	assert.Equal(t, "Login already exists", apiErr.Message)
	assert.Len(t, k.Users(srv), 1)

	// A client the application may not manage is forbidden, for reads and writes.
	srv.AddForbiddenClient(666)
	_, err = c.List(ctx, "666", *new(L))
	require.ErrorIs(t, err, usersdk.ErrForbidden)
	assert.Equal(t, "access_denied", apiError(t, err).Code)
	_, err = c.Create(ctx, "666", k.newUser(t, "intruder", "pw"))
	require.ErrorIs(t, err, usersdk.ErrForbidden)
	assert.Equal(t, http.StatusForbidden, apiError(t, err).StatusCode)
	assert.Len(t, k.Users(srv), 1)

	// A 400 from the server is invalid input, and matches no other sentinel.
	_, err = c.Update(ctx, me, id, decode[P](t, map[string]any{"email": "not-an-address"}))
	require.ErrorIs(t, err, usersdk.ErrInvalidInput)
	assert.Equal(t, http.StatusBadRequest, apiError(t, err).StatusCode)
	assert.NotErrorIs(t, err, usersdk.ErrNotFound)
	assert.Equal(t, "t@example.com", object(t, k.stored(t, srv, id, ownerID))["email"])

	// Input refused before sending reaches no server.
	srv.ResetRequests()
	_, err = c.Create(ctx, me, k.create(t, map[string]any{"login": "x", "name": "X", "password": "pw"}))
	var verr *usersdk.ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "email", verr.Field)
	_, err = c.Get(ctx, "", id)
	assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
	_, err = c.List(ctx, "", *new(L))
	assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
	assert.Empty(t, srv.Requests())
}

func (k Kind[Cl, U, C, P, L, O]) testE2EExpiredTokenRenewed(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	id := k.seed(t, srv, map[string]any{"login": "a", "name": "A", "email": "a@example.com"})
	get := func() {
		t.Helper()
		u, err := c.Get(ctx, me, id)
		require.NoError(t, err)
		assert.Equal(t, "a", object(t, u)["login"])
	}

	get()
	require.Equal(t, 1, srv.TokenRequests())
	srv.ExpireTokens()
	srv.ResetRequests()
	get()
	assert.Equal(t, 2, srv.TokenRequests(), "one new token")
	api := apiRequests(srv)
	require.Len(t, api, 2, "the rejected request, then the same request with the new token")
	assert.NotEqual(t, api[0].Header.Get("Authorization"), api[1].Header.Get("Authorization"))

	// Many requests rejected at once still cost one token.
	srv.ExpireTokens()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.List(ctx, me, *new(L)) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, 3, srv.TokenRequests(), "many rejected requests, one token")

	// A token issued without expires_in is kept until the server rejects it, then replaced.
	srv.OmitExpiresIn(true)
	srv.ExpireTokens()
	get()
	srv.ExpireTokens()
	get()
	get()
	assert.Equal(t, 5, srv.TokenRequests())
}

func (k Kind[Cl, U, C, P, L, O]) testE2ERateLimitHeaders(t *testing.T) {
	for _, tt := range []struct {
		start            time.Time
		limit, calls     int
		remaining        int
		untilEndOfServer time.Duration
	}{
		{time.Date(2030, 1, 1, 10, 15, 0, 0, time.UTC), 5, 2, 3, 45 * time.Minute},
		{time.Date(2030, 1, 1, 10, 40, 0, 0, time.UTC), 10, 3, 7, 20 * time.Minute},
	} {
		t.Run(tt.start.Format("15:04"), func(t *testing.T) {
			srv, c := k.e2eSetup(t)
			setClock(srv, tt.start)
			srv.SetRateLimit(tt.limit)

			_, ok := c.RateLimit()
			assert.False(t, ok, "nothing seen before the first answer")
			for range tt.calls {
				_, err := c.List(context.Background(), me, *new(L))
				require.NoError(t, err)
			}
			rl, ok := c.RateLimit()
			require.True(t, ok)
			assert.Equal(t, tt.limit, rl.Limit)
			assert.Equal(t, tt.remaining, rl.Remaining)
			assert.WithinDuration(t, rl.Observed.Add(tt.untilEndOfServer), rl.Reset, 5*time.Second, "the end of the server's hour")
			assert.WithinDuration(t, time.Now(), rl.Observed, time.Minute)
		})
	}
}

func (k Kind[Cl, U, C, P, L, O]) testE2EHourlyLimit(t *testing.T) {
	srv := k.NewFake()
	defer srv.Close()
	moveClock := setClock(srv, time.Date(2030, 1, 1, 10, 0, 0, 0, time.UTC))
	srv.SetRateLimit(1)
	// Default retry settings: the longest wait (30 s) is far shorter than the hour.
	newClient := func(opts ...O) Cl {
		return k.client(t, append([]O{k.Opt.BaseURL(srv.BaseURL()), k.Opt.ClientCredentials(srv.AppID(), srv.Secret())}, opts...)...)
	}
	c, unchecked := newClient(), newClient(k.Opt.WithoutRateLimit())
	ctx := context.Background()

	// The answer that spends the budget says so: the next call is not sent.
	start := time.Now()
	_, err := c.List(ctx, me, *new(L))
	require.NoError(t, err)
	srv.ResetRequests()
	_, err = c.List(ctx, me, *new(L))
	var rle *usersdk.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, usersdk.ErrRateLimited)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second, "the end of the server's hour")
	assert.Empty(t, srv.Requests(), "not sent")

	// Sent anyway, the server's 429 rate_limit_exceeded is returned at once.
	_, err = unchecked.List(ctx, me, *new(L))
	require.ErrorAs(t, err, &rle)
	assert.ErrorIs(t, err, usersdk.ErrRateLimited)
	assert.Equal(t, http.StatusTooManyRequests, rle.StatusCode)
	assert.Equal(t, "rate_limit_exceeded", rle.Code)
	assert.Equal(t, 1, rle.Limit)
	assert.Equal(t, 0, rle.Remaining)
	assert.WithinDuration(t, start.Add(time.Hour), rle.Reset, 5*time.Second)
	assert.Len(t, apiRequests(srv), 1, "not retried")
	rl, ok := unchecked.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 0, rl.Remaining)

	// The next hour has a new budget (and the token, an hour old, is replaced).
	moveClock(time.Date(2030, 1, 1, 11, 0, 1, 0, time.UTC))
	_, err = unchecked.List(ctx, me, *new(L))
	require.NoError(t, err)
}

func (k Kind[Cl, U, C, P, L, O]) testE2EReadRetried(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	id := k.seed(t, srv, map[string]any{"login": "a", "name": "A", "email": "a@example.com"})
	_, err := c.List(ctx, me, *new(L)) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	srv.FailNext(2, http.StatusServiceUnavailable, "")
	got, err := c.Get(ctx, me, id)
	require.NoError(t, err)
	assert.Equal(t, "a", object(t, got)["login"])
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, k.collection(me)+strconv.FormatInt(id, 10), r.Path)
	}

	// A list is sent again with its query.
	srv.ResetRequests()
	srv.FailNext(2, http.StatusServiceUnavailable, "")
	users, err := c.List(ctx, me, listOptions[L](t, url.Values{"login": {"a"}}))
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, loginsOf(t, users))
	reqs = srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, k.collection(me), r.Path)
		assert.Equal(t, url.Values{"login": {"a"}}, r.Query)
	}

	// Past the retries the last answer is returned.
	srv.ResetRequests()
	srv.FailNext(4, http.StatusServiceUnavailable, "")
	_, err = c.Get(ctx, me, id)
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.Equal(t, 4, apiErr.Attempts)
	assert.Len(t, srv.Requests(), 4)
}

func (k Kind[Cl, U, C, P, L, O]) testE2ECreateNotResent(t *testing.T) {
	srv, c := k.e2eSetup(t)
	ctx := context.Background()
	_, err := c.List(ctx, me, *new(L)) // the token first
	require.NoError(t, err)
	req := k.newUser(t, "once", "pw")

	// A 500 page from a proxy: the server may have stored the user.
	srv.ResetRequests()
	srv.Inject(1, usersdktest.Fault{Status: http.StatusInternalServerError,
		Body: "<html><body>500 Internal Server Error</body></html>", ContentType: "text/html"})
	_, err = c.Create(ctx, me, req)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, apiError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "a create is never sent twice")
	assert.Empty(t, k.Users(srv))

	// A 500 with Telphin's error body and its code is a refusal.
	srv.ResetRequests()
	srv.Inject(1, usersdktest.Fault{Status: http.StatusInternalServerError, Body: `{"message":"Internal error","status":"internal_error"}`})
	_, err = c.Create(ctx, me, req)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Equal(t, http.StatusInternalServerError, apiError(t, err).StatusCode)
	assert.Len(t, srv.Requests(), 1, "not resent either")

	// The server stored the user but the answer was lost: not resent, and the user is
	// found by login as the error advises.
	srv.ResetRequests()
	srv.Inject(1, usersdktest.Fault{DropAfterHandling: true})
	_, err = c.Create(ctx, me, req)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	assert.Len(t, srv.Requests(), 1)
	found, err := c.List(ctx, me, listOptions[L](t, url.Values{"login": {"once"}}))
	require.NoError(t, err)
	assert.Equal(t, []string{"once"}, loginsOf(t, found))
	assert.Len(t, k.Users(srv), 1)
}

func (k Kind[Cl, U, C, P, L, O]) testE2EAll(t *testing.T) {
	srv, c := k.e2eSetup(t)
	srv.SetRateLimit(100) // an All that never stops fails here instead of running on
	ctx := context.Background()
	var want []string
	for i := range 5 {
		login := "paged" + strconv.Itoa(i)
		k.seed(t, srv, map[string]any{"login": login, "name": "U", "email": login + "@example.com"})
		want = append(want, login)
	}
	all := func(page, perPage string) (logins []string) {
		t.Helper()
		q := url.Values{"per_page": {perPage}}
		if page != "" {
			q.Set("page", page)
		}
		for u, err := range c.All(ctx, me, listOptions[L](t, q)) {
			require.NoError(t, err)
			logins = append(logins, object(t, u)["login"].(string))
		}
		return logins
	}
	_, err := c.List(ctx, me, *new(L)) // the token first
	require.NoError(t, err)

	srv.ResetRequests()
	assert.Equal(t, want, all("", "2"))
	reqs := srv.Requests()
	require.Len(t, reqs, 3, "pages of 2, 2 and 1")
	assert.Equal(t, []string{"3"}, reqs[2].Query["page"])
	assert.Equal(t, []string{"2"}, reqs[2].Query["per_page"])

	srv.ResetRequests()
	assert.Equal(t, want[2:], all("2", "2"))
	assert.Len(t, srv.Requests(), 2)

	// A server that ignores paging sends the whole list: All yields it once and stops.
	srv.IgnorePaging(true)
	srv.ResetRequests()
	assert.Equal(t, want, all("", "2"))
	assert.Len(t, srv.Requests(), 1)
	srv.ResetRequests()
	assert.Equal(t, want, all("", "5"))
	assert.Len(t, srv.Requests(), 2, "a full page, then its repeat")
}
