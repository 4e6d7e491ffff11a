package telphintest

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

func (k Kind[Cl, U, C, P, L, O]) testGetNotFound(t *testing.T) {
	rec := fixture.New(t).Expect(testdata("get_not_found"))
	_, err := k.recorded(t, rec, k.Opt.WithoutRetries()).Get(context.Background(), me, 999)
	require.ErrorIs(t, err, usersdk.ErrNotFound)
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Record not found", apiErr.Message)
	assert.Empty(t, apiErr.Code)
	assert.Equal(t, "GET "+k.collection(me)+"999: 404 Not Found: Record not found", err.Error())
	assert.NotErrorIs(t, err, usersdk.ErrUnauthorized)
}

// createForbidden sends create_forbidden.json's request, answered as recorded or as
// answer says.
func (k Kind[Cl, U, C, P, L, O]) createForbidden(t *testing.T, answer *fixture.Response, opts ...O) (*fixture.Recorder, error) {
	t.Helper()
	call := k.load(t, "create_forbidden")
	if answer != nil {
		call.ex.Response = *answer
	}
	rec := fixture.New(t)
	rec.ExpectExchange(call.ex)
	req := new(C)
	decodeStrict(t, call.ex.Request.Body, req)
	_, err := k.recorded(t, rec, opts...).Create(context.Background(), call.clientID, req)
	return rec, err
}

func (k Kind[Cl, U, C, P, L, O]) testCreateForbidden(t *testing.T) {
	_, err := k.createForbidden(t, nil, k.Opt.WithoutRetries())
	require.ErrorIs(t, err, usersdk.ErrForbidden)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a refusal is a known outcome")
	var apiErr *usersdk.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "access_denied", apiErr.Code)
	assert.Equal(t, "Access denied", apiErr.Message)
	assert.Equal(t, "POST "+k.collection("67890")+": 403 Forbidden: Access denied [access_denied]", err.Error())
}

func (k Kind[Cl, U, C, P, L, O]) testErrorsDoNotMatchOtherSentinels(t *testing.T) {
	_, err := k.createForbidden(t, nil, k.Opt.WithoutRetries())
	require.Error(t, err)
	for _, s := range []error{usersdk.ErrNotFound, usersdk.ErrUnauthorized, usersdk.ErrRateLimited, usersdk.ErrInvalidInput, usersdk.ErrConflict} {
		assert.False(t, errors.Is(err, s), "%v", s)
	}
}

func (k Kind[Cl, U, C, P, L, O]) testConcurrentRequestRefused(t *testing.T) {
	rec := fixture.New(t).Expect(testdata("list_rate_limited"))
	c := k.recorded(t, rec, k.Opt.WithoutRetries())
	_, err := c.List(context.Background(), me, *new(L))
	require.ErrorIs(t, err, usersdk.ErrRateLimited)
	var rl *usersdk.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, "Stats request already exists, concurrent request not allowed", rl.Message)
	assert.True(t, rl.Reset.IsZero(), "the server said nothing about when")
	assert.Equal(t, -1, rl.Limit)
	_, ok := c.RateLimit()
	assert.False(t, ok, "no X-RateLimit headers seen")
}

// listAnswered is list.json asked without filters.
func listAnswered(t testing.TB) *fixture.Exchange {
	return change(t, testdata("list"), func(ex *fixture.Exchange) { ex.Request.Query = nil })
}

func (k Kind[Cl, U, C, P, L, O]) testRefusalRetriedWithBackoff(t *testing.T) {
	// Within the backoff ceilings of the refusals: 0.5 s for the first, 1 s for the second.
	for refusals, ceiling := range map[int]time.Duration{1: 500 * time.Millisecond, 2: 1500 * time.Millisecond} {
		t.Run(strconv.Itoa(refusals), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := fixture.New(t)
				for range refusals {
					rec.Expect(testdata("list_rate_limited"))
				}
				rec.ExpectExchange(listAnswered(t))
				start := time.Now()
				users, err := k.recorded(t, rec).List(context.Background(), me, *new(L))
				require.NoError(t, err)
				assert.Len(t, users, 2)
				elapsed := time.Since(start)
				assert.Greater(t, elapsed, time.Duration(0), "it waited between attempts")
				assert.LessOrEqual(t, elapsed, ceiling)
			})
		})
	}
}

func (k Kind[Cl, U, C, P, L, O]) testHourlyLimitReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect(testdata("list_rate_limited_hourly"))
		c := k.recorded(t, rec) // retries on
		start := time.Now()
		_, err := c.List(context.Background(), me, *new(L))
		assert.Equal(t, time.Duration(0), time.Since(start), "no sleeping for half an hour")
		assert.Len(t, rec.Received(), 1, "not retried")

		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(30*time.Minute), rl.Reset)
		assert.Equal(t, 1000, rl.Limit)
		assert.Equal(t, 0, rl.Remaining)
		assert.Equal(t, "rate_limit_exceeded", rl.Code)
		assert.Equal(t, "Request limit exceeded, try again later", rl.Message)
		assert.ErrorIs(t, err, usersdk.ErrRateLimited)
		assert.Contains(t, err.Error(), "retry after")

		last, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, usersdk.RateLimit{Limit: 1000, Remaining: 0, Reset: start.Add(30 * time.Minute), Observed: start}, last)
	})
}

// A spent hourly budget is returned at once even when its reset is near, and later calls
// fail without being sent until the reset.
func (k Kind[Cl, U, C, P, L, O]) testHourlyLimitWithNearReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t)
		rec.ExpectExchange(change(t, testdata("list_rate_limited_hourly"), func(ex *fixture.Exchange) {
			ex.Response.Headers["X-RateLimit-Reset"] = "5"
		}))
		rec.ExpectExchange(listAnswered(t))
		c := k.recorded(t, rec)
		start := time.Now()
		_, err := c.List(context.Background(), me, *new(L))
		var rl *usersdk.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, "rate_limit_exceeded", rl.Code)
		assert.Equal(t, start.Add(5*time.Second), rl.Reset)
		assert.Equal(t, time.Duration(0), time.Since(start), "not waited for")
		assert.Len(t, rec.Received(), 1, "not retried")

		_, err = c.List(context.Background(), me, *new(L))
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(5*time.Second), rl.Reset)
		assert.Len(t, rec.Received(), 1, "not sent before the reset")

		time.Sleep(5 * time.Second)
		_, err = c.List(context.Background(), me, *new(L))
		require.NoError(t, err)
		assert.Len(t, rec.Received(), 2)
	})
}

func (k Kind[Cl, U, C, P, L, O]) testRateLimitReportsLastHeaders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		get := k.load(t, "get")
		get.ex.Response.Headers = map[string]string{"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "998", "X-RateLimit-Reset": "1200"}
		rec := fixture.New(t)
		rec.ExpectExchange(get.ex)
		c := k.recorded(t, rec)
		_, ok := c.RateLimit()
		require.False(t, ok)
		_, err := c.Get(context.Background(), get.clientID, get.userID)
		require.NoError(t, err)
		rl, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, usersdk.RateLimit{Limit: 1000, Remaining: 998, Reset: time.Now().Add(20 * time.Minute), Observed: time.Now()}, rl)
	})
}

// A create answered 5xx is never resent. Telphin's error body with its code proves the
// server refused it; a gateway's 502, or a 500 without a code, leaves its outcome unknown.
func (k Kind[Cl, U, C, P, L, O]) testCreateAnswered5xx(t *testing.T) {
	for _, tt := range []struct {
		status  int
		body    string
		unknown bool
	}{
		{http.StatusInternalServerError, `{"message":"Internal error","status":"internal_error"}`, false},
		{http.StatusInternalServerError, `{"message":"Internal error"}`, true},
		{http.StatusBadGateway, `{"message":"Internal error","status":"internal_error"}`, true},
		{http.StatusInternalServerError, `<html><body>Internal Server Error</body></html>`, true},
	} {
		t.Run(strconv.Itoa(tt.status)+" "+tt.body, func(t *testing.T) {
			rec, err := k.createForbidden(t, &fixture.Response{Status: tt.status, BodyText: tt.body}) // retries on
			var apiErr *usersdk.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.unknown, errors.Is(err, usersdk.ErrOutcomeUnknown), "%v", err)
			assert.Len(t, rec.Received(), 1, "not resent")
		})
	}
}

// update is update.json's call: its request, and the user it answers with.
func (k Kind[Cl, U, C, P, L, O]) update(t testing.TB) (call, *P) {
	t.Helper()
	c := k.load(t, "update")
	req := new(P)
	decodeStrict(t, c.ex.Request.Body, req)
	return c, req
}

// An update answered 502 is sent again: PUT is idempotent.
func (k Kind[Cl, U, C, P, L, O]) testServerErrorOnUpdateIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		call, req := k.update(t)
		rec := fixture.New(t)
		rec.ExpectExchange(change(t, testdata("update"), func(ex *fixture.Exchange) {
			ex.Response = fixture.Response{Status: http.StatusBadGateway, Body: []byte(`{"message":"Bad gateway"}`)}
		}))
		rec.ExpectExchange(call.ex)
		u, err := k.recorded(t, rec).Update(context.Background(), call.clientID, call.userID, req)
		require.NoError(t, err, "PUT is idempotent and retried")
		assert.JSONEq(t, string(call.ex.Response.Body), mustJSON(t, u))
	})
}

// An answer holding no user (no id) is an error, never a zero user; for Create the user
// may have been stored.
func (k Kind[Cl, U, C, P, L, O]) testAnswerWithoutAUser(t *testing.T) {
	get, create := k.load(t, "get"), k.load(t, "create")
	update, req := k.update(t)
	rec := fixture.New(t)
	for _, c := range []call{get, create, update} {
		c.ex.Response.Body = []byte(`{}`)
		rec.ExpectExchange(c.ex)
	}
	c := k.recorded(t, rec, k.Opt.WithoutRetries())
	ctx := context.Background()
	u, err := c.Get(ctx, get.clientID, get.userID)
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	newUser := new(C)
	decodeStrict(t, create.ex.Request.Body, newUser)
	u, err = c.Create(ctx, create.clientID, newUser)
	assert.Nil(t, u)
	require.ErrorIs(t, err, usersdk.ErrOutcomeUnknown)
	u, err = c.Update(ctx, update.clientID, update.userID, req)
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, usersdk.ErrOutcomeUnknown, "a PUT may be sent again")
	assert.Len(t, rec.Received(), 3)
}

func (k Kind[Cl, U, C, P, L, O]) testClientIDStaysOneSegment(t *testing.T) {
	tests := map[string]string{
		"../1":  "/api/ver1.0/client/..%2F1/user/",
		"a/b":   "/api/ver1.0/client/a%2Fb/user/",
		"@me":   "/api/ver1.0/client/@me/user/",
		"..":    "/api/ver1.0/client/%2E%2E/user/",
		".":     "/api/ver1.0/client/%2E/user/",
		"1?x#y": "/api/ver1.0/client/1%3Fx%23y/user/",
		"a b%":  "/api/ver1.0/client/a%20b%25/user/",
	}
	for clientID, prefix := range tests {
		t.Run(clientID, func(t *testing.T) {
			collection := prefix + k.Segment + "/"
			create, rename := k.newUser(t, "l", "p"), decode[P](t, map[string]any{"name": "m"})
			rec := fixture.New(t)
			for _, ex := range []fixture.Exchange{
				{Request: fixture.Request{Method: "GET", Path: collection}, Response: fixture.Response{Status: 200, Body: []byte(`[]`)}},
				{Request: fixture.Request{Method: "GET", Path: collection + "7"}, Response: fixture.Response{Status: 200, Body: []byte(`{"id":7}`)}},
				{Request: fixture.Request{Method: "POST", Path: collection, Body: []byte(mustJSON(t, create))}, Response: fixture.Response{Status: 201, Body: []byte(`{"id":7}`)}},
				{Request: fixture.Request{Method: "PUT", Path: collection + "7", Body: []byte(`{"name":"m"}`)}, Response: fixture.Response{Status: 200, Body: []byte(`{"id":7}`)}},
				{Request: fixture.Request{Method: "DELETE", Path: collection + "7"}, Response: fixture.Response{Status: 204}},
			} {
				rec.ExpectExchange(&ex)
			}
			c := k.recorded(t, rec, k.Opt.WithoutRetries())
			ctx := context.Background()
			_, err := c.List(ctx, clientID, *new(L))
			require.NoError(t, err)
			_, err = c.Get(ctx, clientID, 7)
			require.NoError(t, err)
			_, err = c.Create(ctx, clientID, create)
			require.NoError(t, err)
			_, err = c.Update(ctx, clientID, 7, rename)
			require.NoError(t, err)
			require.NoError(t, c.Delete(ctx, clientID, 7))
			for _, r := range rec.Received() {
				assert.Equal(t, "api.test", r.URL.Host)
			}
		})
	}
}

func (k Kind[Cl, U, C, P, L, O]) testBadInputRefused(t *testing.T) {
	rec := fixture.New(t)
	c := k.recorded(t, rec, k.Opt.WithoutRetries())
	ctx := context.Background()
	valid := k.newUser(t, "l", "p")
	update := func(fields map[string]any) *P { return decode[P](t, fields) }
	pages := func(page, perPage int) L {
		return listOptions[L](t, map[string][]string{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(perPage)}})
	}
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"list empty client":    {func() error { _, err := c.List(ctx, "", *new(L)); return err }, "client_id"},
		"get blank client":     {func() error { _, err := c.Get(ctx, "  ", 1); return err }, "client_id"},
		"get zero user":        {func() error { _, err := c.Get(ctx, me, 0); return err }, "user_id"},
		"delete negative user": {func() error { return c.Delete(ctx, me, -1) }, "user_id"},
		"delete empty client":  {func() error { return c.Delete(ctx, "", 1) }, "client_id"},
		"delete blank client":  {func() error { return c.Delete(ctx, " ", 1) }, "client_id"},
		"create empty client":  {func() error { _, err := c.Create(ctx, "", valid); return err }, "client_id"},
		"create nil":           {func() error { _, err := c.Create(ctx, me, nil); return err }, "request"},
		"update nothing":       {func() error { _, err := c.Update(ctx, me, 1, update(nil)); return err }, "request"},
		"update nil":           {func() error { _, err := c.Update(ctx, me, 1, nil); return err }, "request"},
		"update zero user": {func() error {
			_, err := c.Update(ctx, me, 0, update(map[string]any{"name": "x"}))
			return err
		}, "user_id"},
		"update negative user": {func() error {
			_, err := c.Update(ctx, me, -3, update(map[string]any{"name": "x"}))
			return err
		}, "user_id"},
		"update empty password": {func() error {
			_, err := c.Update(ctx, me, 1, update(map[string]any{"password": ""}))
			return err
		}, "password"},
		"list negative page": {func() error { _, err := c.List(ctx, me, pages(-1, 0)); return err }, "page"},
		"list negative size": {func() error { _, err := c.List(ctx, me, pages(0, -1)); return err }, "per_page"},
		"all negative page":  {func() error { return first(c.All(ctx, me, pages(-2, 0))) }, "page"},
		"all negative size":  {func() error { return first(c.All(ctx, me, pages(0, -2))) }, "per_page"},
	}
	// A create without any one of its required fields.
	for _, field := range k.Required {
		cases["create without "+field] = struct {
			call  func() error
			field string
		}{func() error {
			_, err := c.Create(ctx, me, decode[C](t, without(object(t, valid), field)))
			return err
		}, field}
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) { fuzzkit.Refused(t, tc.call(), tc.field) })
	}
	assert.Empty(t, rec.Received(), "no request may be sent for bad input")
}

// first is the first error an iteration yields, if any.
func first[U any](seq iter.Seq2[U, error]) error {
	for _, err := range seq {
		return err
	}
	return nil
}

func (k Kind[Cl, U, C, P, L, O]) testNewRefusesBadConfiguration(t *testing.T) {
	const secret = "s3cr3t-value"
	o := k.Opt
	cases := map[string][]O{
		"no credentials":          {},
		"empty token":             {o.Token("")},
		"empty app id":            {o.ClientCredentials("", secret)},
		"empty secret":            {o.ClientCredentials("app", "")},
		"nil token source":        {o.TokenSource(nil)},
		"plain http remote":       {o.BaseURL("http://telphin.example.com/api/ver1.0"), o.Token("t")},
		"plain http token server": {o.BaseURL("http://telphin.example.com/api/ver1.0"), o.ClientCredentials("app", secret)},
		"unparsable":              {o.BaseURL("://x"), o.ClientCredentials("app", secret)},
		"user info in the URL":    {o.BaseURL("https://u:p@api.test/api/ver1.0"), o.Token("t")},
		"nil http client":         {o.Token("t"), o.HTTPClient(nil)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := k.New(opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), k.Name+": ")
			assert.NotContains(t, err.Error(), secret)
		})
	}
	_, err := k.New(o.ClientCredentials("app", "secret"))
	require.NoError(t, err, "the default base URL needs no option")
	_, err = k.New(o.BaseURL("http://telphin.example.com/api/ver1.0"), o.ClientCredentials("app", "secret"), o.InsecureHTTP())
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	_, err = k.New(o.BaseURL("http://127.0.0.1:8080/api/ver1.0"), o.ClientCredentials("app", "secret"))
	require.NoError(t, err, "loopback may use plain http")
}
