package clientuser

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

const (
	testToken   = "test-token"
	testBaseURL = "https://api.test/api/ver1.0"
)

func newTestClient(t *testing.T, files ...string) (*Client, *fixture.Recorder) {
	t.Helper()
	rec := fixture.New(t).Expect(files...)
	c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	return c, rec
}

// exchange loads a recording and lets the test change it.
func exchange(t *testing.T, file string, change func(*fixture.Exchange)) *fixture.Exchange {
	t.Helper()
	ex := fixture.Load(t, file)
	change(ex)
	return ex
}

func TestList(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list.json")
	users, err := c.List(context.Background(), Me, ListOptions{Login: []string{"operator1", "operator2"}, ID: []int64{101, 102}})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, "operator1", users[0].Login)
	assert.Equal(t, AccessReadOnly, users[1].Access)
	assert.Equal(t, int64(12345), users[1].ClientID)
}

func TestGet(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get.json")
	u, err := c.Get(context.Background(), "12345", 101)
	require.NoError(t, err)
	assert.Equal(t, "Ivan Petrov", u.Name)
	assert.Equal(t, StatusActive, u.Status)
	assert.Equal(t, `{"crm_id": 17}`, u.ExtraParams)
}

func TestCreate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create.json")
	u, err := c.Create(context.Background(), Me, &CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
		Access: AccessReadOnly, Comment: "External auditor", Status: StatusActive, ExtraParams: "audit-2024",
		Timezone: "Europe/Moscow", EmailNotify: Ptr(true), EmailForNotify: "it@example.com",
	})
	require.NoError(t, err, "201 Created is a success")
	assert.Equal(t, int64(103), u.ID)
	assert.Equal(t, "auditor", u.Login)
}

func TestUpdate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update.json")
	u, err := c.Update(context.Background(), Me, 103, &UpdateRequest{
		Name: Ptr("Olga V. Ivanova"), Status: Ptr(StatusBlocked), Comment: Ptr(""), Password: Ptr("N3w-secret"),
	})
	require.NoError(t, err)
	assert.Equal(t, StatusBlocked, u.Status)
	assert.Empty(t, u.Comment)
}

func TestDelete(t *testing.T) {
	c, rec := newTestClient(t, "testdata/delete.json")
	require.NoError(t, c.Delete(context.Background(), "12345", 103), "204 No Content is a success")
	assert.Len(t, rec.Received(), 1)
}

func TestGetNotFound(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_not_found.json")
	_, err := c.Get(context.Background(), Me, 999)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Record not found", apiErr.Message)
	assert.Empty(t, apiErr.Code)
	assert.Equal(t, "GET /api/ver1.0/client/@me/user/client/999: 404 Not Found: Record not found", err.Error())
	assert.NotErrorIs(t, err, ErrUnauthorized)
}

func TestCreateForbidden(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_forbidden.json")
	_, err := c.Create(context.Background(), "67890", &CreateRequest{
		Login: "intruder", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
	})
	require.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refusal is a known outcome")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, CodeAccessDenied, apiErr.Code)
	assert.Equal(t, "Access denied", apiErr.Message)
	assert.Equal(t, "POST /api/ver1.0/client/67890/user/client/: 403 Forbidden: Access denied [access_denied]", err.Error())
}

func TestConcurrentRequestRefused(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_rate_limited.json")
	_, err := c.List(context.Background(), Me, ListOptions{})
	require.ErrorIs(t, err, ErrRateLimited)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, "Stats request already exists, concurrent request not allowed", rl.Message)
	assert.True(t, rl.Reset.IsZero(), "the server said nothing about when")
	assert.Equal(t, -1, rl.Limit)
	_, ok := c.RateLimit()
	assert.False(t, ok, "no X-RateLimit headers seen")
}

func TestConcurrentRequestRefusalIsRetriedWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect("testdata/list_rate_limited.json", "testdata/list_rate_limited.json")
		rec.ExpectExchange(exchange(t, "testdata/list.json", func(ex *fixture.Exchange) { ex.Request.Query = nil }))
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		start := time.Now()
		users, err := c.List(context.Background(), Me, ListOptions{})
		require.NoError(t, err)
		assert.Len(t, users, 2)
		elapsed := time.Since(start)
		assert.Greater(t, elapsed, time.Duration(0), "it waited between attempts")
		assert.LessOrEqual(t, elapsed, 1500*time.Millisecond, "within the first two backoff ceilings (0.5 s, 1 s)")
	})
}

func TestHourlyLimitReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect("testdata/list_rate_limited_hourly.json")
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client())) // retries on
		require.NoError(t, err)
		start := time.Now()
		_, err = c.List(context.Background(), Me, ListOptions{})
		assert.Equal(t, time.Duration(0), time.Since(start), "no sleeping for half an hour")
		assert.Len(t, rec.Received(), 1, "not retried")

		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(30*time.Minute), rl.Reset)
		assert.Equal(t, 1000, rl.Limit)
		assert.Equal(t, 0, rl.Remaining)
		assert.Equal(t, CodeRateLimitExceeded, rl.Code)
		assert.Equal(t, "Request limit exceeded, try again later", rl.Message)
		assert.ErrorIs(t, err, ErrRateLimited)
		assert.Contains(t, err.Error(), "retry after")

		last, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, RateLimit{Limit: 1000, Remaining: 0, Reset: start.Add(30 * time.Minute), Observed: start}, last)
	})
}

// A spent hourly budget is returned at once even when its reset is near, and later calls
// fail without being sent until the reset.
func TestHourlyLimitWithNearResetIsNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t)
		rec.ExpectExchange(exchange(t, "testdata/list_rate_limited_hourly.json", func(ex *fixture.Exchange) {
			ex.Response.Headers["X-RateLimit-Reset"] = "5"
		}))
		rec.ExpectExchange(exchange(t, "testdata/list.json", func(ex *fixture.Exchange) { ex.Request.Query = nil }))
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		start := time.Now()
		_, err = c.List(context.Background(), Me, ListOptions{})
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, CodeRateLimitExceeded, rl.Code)
		assert.Equal(t, start.Add(5*time.Second), rl.Reset)
		assert.Equal(t, time.Duration(0), time.Since(start), "not waited for")
		assert.Len(t, rec.Received(), 1, "not retried")

		_, err = c.List(context.Background(), Me, ListOptions{})
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(5*time.Second), rl.Reset)
		assert.Len(t, rec.Received(), 1, "not sent before the reset")

		time.Sleep(5 * time.Second)
		_, err = c.List(context.Background(), Me, ListOptions{})
		require.NoError(t, err)
		assert.Len(t, rec.Received(), 2)
	})
}

func TestRateLimitReportsLastHeaders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t)
		rec.ExpectExchange(exchange(t, "testdata/get.json", func(ex *fixture.Exchange) {
			ex.Response.Headers = map[string]string{"X-RateLimit-Limit": "1000", "X-RateLimit-Remaining": "998", "X-RateLimit-Reset": "1200"}
		}))
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		_, ok := c.RateLimit()
		require.False(t, ok)
		_, err = c.Get(context.Background(), "12345", 101)
		require.NoError(t, err)
		rl, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, RateLimit{Limit: 1000, Remaining: 998, Reset: time.Now().Add(20 * time.Minute), Observed: time.Now()}, rl)
	})
}

// A create answered 5xx is never resent. Telphin's own error body proves the server
// refused it; a gateway's 502, or a 500 without that body, leaves its outcome unknown.
func TestCreateAnswered5xx(t *testing.T) {
	for _, tt := range []struct {
		status  int
		body    string
		unknown bool
	}{
		{http.StatusInternalServerError, `{"message":"Internal error"}`, false},
		{http.StatusBadGateway, `{"message":"Internal error"}`, true},
		{http.StatusInternalServerError, `<html><body>Internal Server Error</body></html>`, true},
	} {
		t.Run(strconv.Itoa(tt.status)+" "+tt.body, func(t *testing.T) {
			rec := fixture.New(t)
			rec.ExpectExchange(exchange(t, "testdata/create_forbidden.json", func(ex *fixture.Exchange) {
				ex.Response = fixture.Response{Status: tt.status, BodyText: tt.body}
			}))
			c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
			require.NoError(t, err)
			_, err = c.Create(context.Background(), "67890", &CreateRequest{
				Login: "intruder", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
			})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown), "%v", err)
			assert.Len(t, rec.Received(), 1, "not resent")
		})
	}
}

// An answer holding no user (no id) is an error, never a zero user; for Create the user
// may have been stored.
func TestAnswerWithoutAUserIsAnError(t *testing.T) {
	rec := fixture.New(t)
	for _, file := range []string{"testdata/get.json", "testdata/create.json", "testdata/update.json"} {
		rec.ExpectExchange(exchange(t, file, func(ex *fixture.Exchange) { ex.Response.Body = []byte(`{}`) }))
	}
	c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.Get(ctx, "12345", 101)
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	u, err = c.Create(ctx, Me, &CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
		Access: AccessReadOnly, Comment: "External auditor", Status: StatusActive, ExtraParams: "audit-2024",
		Timezone: "Europe/Moscow", EmailNotify: Ptr(true), EmailForNotify: "it@example.com",
	})
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	u, err = c.Update(ctx, Me, 103, &UpdateRequest{
		Name: Ptr("Olga V. Ivanova"), Status: Ptr(StatusBlocked), Comment: Ptr(""), Password: Ptr("N3w-secret"),
	})
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a PUT may be sent again")
	assert.Len(t, rec.Received(), 3)
}

func TestListPage(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_page.json")
	users, err := c.List(context.Background(), Me, ListOptions{Login: []string{"operator2"}, Page: 2, PerPage: 1})
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, int64(102), users[0].ID)
}

func TestClientIDStaysOneSegment(t *testing.T) {
	tests := map[string]string{
		"../1":  "/api/ver1.0/client/..%2F1/user/client/",
		"a/b":   "/api/ver1.0/client/a%2Fb/user/client/",
		"@me":   "/api/ver1.0/client/@me/user/client/",
		"..":    "/api/ver1.0/client/%2E%2E/user/client/",
		".":     "/api/ver1.0/client/%2E/user/client/",
		"1?x#y": "/api/ver1.0/client/1%3Fx%23y/user/client/",
		"a b%":  "/api/ver1.0/client/a%20b%25/user/client/",
	}
	for clientID, collection := range tests {
		t.Run(clientID, func(t *testing.T) {
			rec := fixture.New(t)
			for _, ex := range []fixture.Exchange{
				{Request: fixture.Request{Method: "GET", Path: collection}, Response: fixture.Response{Status: 200, Body: []byte(`[]`)}},
				{Request: fixture.Request{Method: "GET", Path: collection + "7"}, Response: fixture.Response{Status: 200, Body: []byte(`{"id":7}`)}},
				{Request: fixture.Request{Method: "DELETE", Path: collection + "7"}, Response: fixture.Response{Status: 204}},
			} {
				rec.ExpectExchange(&ex)
			}
			c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			ctx := context.Background()
			_, err = c.List(ctx, clientID, ListOptions{})
			require.NoError(t, err)
			_, err = c.Get(ctx, clientID, 7)
			require.NoError(t, err)
			require.NoError(t, c.Delete(ctx, clientID, 7))
			for _, r := range rec.Received() {
				assert.Equal(t, "api.test", r.URL.Host)
			}
		})
	}
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, rec := newTestClient(t)
	ctx := context.Background()
	valid := &CreateRequest{Login: "l", Name: "n", Password: "p", Email: "e@example.com"}
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"list empty client":    {func() error { _, err := c.List(ctx, "", ListOptions{}); return err }, "client_id"},
		"get blank client":     {func() error { _, err := c.Get(ctx, "  ", 1); return err }, "client_id"},
		"get zero user":        {func() error { _, err := c.Get(ctx, Me, 0); return err }, "user_id"},
		"delete negative user": {func() error { return c.Delete(ctx, Me, -1) }, "user_id"},
		"create empty client":  {func() error { _, err := c.Create(ctx, "", valid); return err }, "client_id"},
		"create nil":           {func() error { _, err := c.Create(ctx, Me, nil); return err }, "request"},
		"create without email": {func() error {
			_, err := c.Create(ctx, Me, &CreateRequest{Login: "l", Name: "n", Password: "p"})
			return err
		}, "email"},
		"create without login": {func() error {
			_, err := c.Create(ctx, Me, &CreateRequest{Name: "n", Password: "p", Email: "e"})
			return err
		}, "login"},
		"update nothing":        {func() error { _, err := c.Update(ctx, Me, 1, &UpdateRequest{}); return err }, "request"},
		"update nil":            {func() error { _, err := c.Update(ctx, Me, 1, nil); return err }, "request"},
		"update zero user":      {func() error { _, err := c.Update(ctx, Me, 0, &UpdateRequest{Name: Ptr("x")}); return err }, "user_id"},
		"update empty password": {func() error { _, err := c.Update(ctx, Me, 1, &UpdateRequest{Password: Ptr("")}); return err }, "password"},
		"delete empty client":   {func() error { return c.Delete(ctx, "", 1) }, "client_id"},
		"list negative page":    {func() error { _, err := c.List(ctx, Me, ListOptions{Page: -1}); return err }, "page"},
		"list negative size":    {func() error { _, err := c.List(ctx, Me, ListOptions{PerPage: -1}); return err }, "per_page"},
		"all negative page": {func() error {
			for _, err := range c.All(ctx, Me, ListOptions{Page: -2}) {
				return err
			}
			return nil
		}, "page"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := tc.call()
			require.ErrorIs(t, err, ErrInvalidInput)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
		})
	}
	assert.Empty(t, rec.Received(), "no request may be sent for bad input")
}

func TestNewRefusesBadConfiguration(t *testing.T) {
	const secret = "s3cr3t-value"
	cases := map[string][]Option{
		"no credentials":          {},
		"empty token":             {WithToken("")},
		"empty app id":            {WithClientCredentials("", secret)},
		"empty secret":            {WithClientCredentials("app", "")},
		"nil token source":        {WithTokenSource(nil)},
		"plain http remote":       {WithBaseURL("http://telphin.example.com/api/ver1.0"), WithToken("t")},
		"plain http token server": {WithBaseURL("http://telphin.example.com/api/ver1.0"), WithClientCredentials("app", secret)},
		"unparsable":              {WithBaseURL("://x"), WithClientCredentials("app", secret)},
		"user info in the URL":    {WithBaseURL("https://u:p@api.test/api/ver1.0"), WithToken("t")},
		"nil http client":         {WithToken("t"), WithHTTPClient(nil)},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "clientuser: ")
			assert.NotContains(t, err.Error(), secret)
		})
	}
	_, err := New(WithClientCredentials("app", "secret"))
	require.NoError(t, err, "the default base URL needs no option")
	_, err = New(WithBaseURL("http://telphin.example.com/api/ver1.0"), WithClientCredentials("app", "secret"), WithInsecureHTTP())
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	_, err = New(WithBaseURL("http://127.0.0.1:8080/api/ver1.0"), WithClientCredentials("app", "secret"))
	require.NoError(t, err, "loopback may use plain http")
}

func TestErrorsDoNotMatchOtherSentinels(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_forbidden.json")
	_, err := c.Create(context.Background(), "67890", &CreateRequest{
		Login: "intruder", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
	})
	for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrRateLimited, ErrInvalidInput, ErrConflict} {
		assert.False(t, errors.Is(err, s), "%v", s)
	}
}
