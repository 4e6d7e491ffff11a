package extensionuser

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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
	users, err := c.List(context.Background(), Me, ListOptions{
		ExtensionID: []int64{5001, 5002},
		Status:      []Status{StatusActive},
		Access:      []Access{AccessFull, AccessReadOnly},
		Login:       []string{"ext100", "ext101"},
	})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, int64(5001), users[0].ExtensionID)
	assert.Equal(t, AccessReadOnly, users[1].Access)
}

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
	c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	users, err := c.List(context.Background(), Me, ListOptions{
		Comment: []string{"a", "b"}, Status: []Status{StatusActive, StatusBlocked}, Name: []string{"n1", "n2"},
		ID: []int64{1, 2}, Access: []Access{AccessFull, AccessReadOnly}, ExtensionID: []int64{5001, 5002},
		Timezone: []string{"UTC", "Europe/Moscow"}, Login: []string{"l1", "l2"}, Email: []string{"a+b@example.com", "c@example.com"},
	})
	require.NoError(t, err)
	assert.Empty(t, users)
	assert.Contains(t, rec.Received()[0].URL.RawQuery, "login=l1&login=l2", "repeated keys, not login[]= or commas")
}

func TestGet(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get.json")
	u, err := c.Get(context.Background(), "12345", 201)
	require.NoError(t, err)
	assert.Equal(t, "Reception", u.Name)
	assert.Equal(t, int64(5001), u.ExtensionID)
	assert.Equal(t, StatusActive, u.Status)
}

func TestCreate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create.json")
	u, err := c.Create(context.Background(), Me, &CreateRequest{
		ExtensionID: 5003, Login: "ext102", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
		Access: AccessFull, Comment: "Night shift", Status: StatusActive, ExtraParams: "shift=night",
		Timezone: "Asia/Novosibirsk", EmailNotify: Ptr(false),
	})
	require.NoError(t, err, "201 Created is a success")
	assert.Equal(t, int64(203), u.ID)
	assert.Equal(t, int64(5003), u.ExtensionID)
}

func TestUpdate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update.json")
	u, err := c.Update(context.Background(), Me, 203, &UpdateRequest{
		ExtensionID: Ptr[int64](5004), Access: Ptr(AccessReadOnly), Timezone: Ptr("Europe/Moscow"), Email: Ptr("support-team@example.com"),
	})
	require.NoError(t, err)
	assert.Equal(t, int64(5004), u.ExtensionID, "moved to another internal number")
	assert.Equal(t, AccessReadOnly, u.Access)
}

func TestDelete(t *testing.T) {
	c, rec := newTestClient(t, "testdata/delete.json")
	require.NoError(t, c.Delete(context.Background(), "12345", 203), "204 No Content is a success")
	assert.Len(t, rec.Received(), 1)
}

func TestGetNotFound(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_not_found.json")
	_, err := c.Get(context.Background(), Me, 999)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Record not found", apiErr.Message)
	assert.Equal(t, "GET /api/ver1.0/client/@me/user/extension/999: 404 Not Found: Record not found", err.Error())
}

func TestCreateForbidden(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_forbidden.json")
	_, err := c.Create(context.Background(), "67890", &CreateRequest{
		ExtensionID: 5003, Login: "intruder", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
	})
	require.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, CodeAccessDenied, apiErr.Code)
	assert.Equal(t, "Access denied", apiErr.Message)
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
				ExtensionID: 5003, Login: "intruder", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
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
	u, err := c.Get(ctx, "12345", 201)
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	u, err = c.Create(ctx, Me, &CreateRequest{
		ExtensionID: 5003, Login: "ext102", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
		Access: AccessFull, Comment: "Night shift", Status: StatusActive, ExtraParams: "shift=night",
		Timezone: "Asia/Novosibirsk", EmailNotify: Ptr(false),
	})
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	u, err = c.Update(ctx, Me, 203, &UpdateRequest{
		ExtensionID: Ptr[int64](5004), Access: Ptr(AccessReadOnly), Timezone: Ptr("Europe/Moscow"), Email: Ptr("support-team@example.com"),
	})
	assert.Nil(t, u)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a PUT may be sent again")
	assert.Len(t, rec.Received(), 3)
}

func TestListPage(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_page.json")
	users, err := c.List(context.Background(), Me, ListOptions{Login: []string{"ext101"}, Page: 2, PerPage: 1})
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, int64(202), users[0].ID)
}

func TestConcurrentRequestRefused(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_rate_limited.json")
	_, err := c.List(context.Background(), Me, ListOptions{})
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, "Stats request already exists, concurrent request not allowed", rl.Message)
	assert.True(t, rl.Reset.IsZero())
	assert.ErrorIs(t, err, ErrRateLimited)
}

func TestHourlyLimitReturnsAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect("testdata/list_rate_limited_hourly.json")
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client())) // retries on
		require.NoError(t, err)
		start := time.Now()
		_, err = c.List(context.Background(), Me, ListOptions{})
		assert.Equal(t, time.Duration(0), time.Since(start))
		var rl *RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.Equal(t, start.Add(30*time.Minute), rl.Reset)
		assert.Equal(t, CodeRateLimitExceeded, rl.Code)
		last, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, RateLimit{Limit: 1000, Remaining: 0, Reset: start.Add(30 * time.Minute), Observed: start}, last)
	})
}

func TestConcurrentRequestRefusalIsRetriedWithBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t).Expect("testdata/list_rate_limited.json")
		rec.ExpectExchange(exchange(t, "testdata/list.json", func(ex *fixture.Exchange) { ex.Request.Query = nil }))
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		start := time.Now()
		users, err := c.List(context.Background(), Me, ListOptions{})
		require.NoError(t, err)
		assert.Len(t, users, 2)
		assert.Greater(t, time.Since(start), time.Duration(0))
		assert.LessOrEqual(t, time.Since(start), 500*time.Millisecond, "the first backoff ceiling")
	})
}

func TestClientIDStaysOneSegment(t *testing.T) {
	tests := map[string]string{
		"../1": "/api/ver1.0/client/..%2F1/user/extension/",
		"a/b":  "/api/ver1.0/client/a%2Fb/user/extension/",
		"@me":  "/api/ver1.0/client/@me/user/extension/",
		"..":   "/api/ver1.0/client/%2E%2E/user/extension/",
	}
	for clientID, collection := range tests {
		t.Run(clientID, func(t *testing.T) {
			rec := fixture.New(t)
			body := []byte(`{"extension_id":1,"login":"l","name":"n","password":"p","email":"e"}`)
			for _, ex := range []fixture.Exchange{
				{Request: fixture.Request{Method: "GET", Path: collection}, Response: fixture.Response{Status: 200, Body: []byte(`[]`)}},
				{Request: fixture.Request{Method: "POST", Path: collection, Body: body}, Response: fixture.Response{Status: 201, Body: []byte(`{"id":7}`)}},
				{Request: fixture.Request{Method: "PUT", Path: collection + "7", Body: []byte(`{"name":"m"}`)}, Response: fixture.Response{Status: 200, Body: []byte(`{"id":7}`)}},
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
			_, err = c.Create(ctx, clientID, &CreateRequest{ExtensionID: 1, Login: "l", Name: "n", Password: "p", Email: "e"})
			require.NoError(t, err)
			_, err = c.Update(ctx, clientID, 7, &UpdateRequest{Name: Ptr("m")})
			require.NoError(t, err)
			_, err = c.Get(ctx, clientID, 7)
			require.NoError(t, err)
			require.NoError(t, c.Delete(ctx, clientID, 7))
		})
	}
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, rec := newTestClient(t)
	ctx := context.Background()
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"list empty client": {func() error { _, err := c.List(ctx, "", ListOptions{}); return err }, "client_id"},
		"get zero user":     {func() error { _, err := c.Get(ctx, Me, 0); return err }, "user_id"},
		"delete empty":      {func() error { return c.Delete(ctx, " ", 1) }, "client_id"},
		"create nil":        {func() error { _, err := c.Create(ctx, Me, nil); return err }, "request"},
		"create no number": {func() error {
			_, err := c.Create(ctx, Me, &CreateRequest{Login: "l", Name: "n", Password: "p", Email: "e"})
			return err
		}, "extension_id"},
		"create no password": {func() error {
			_, err := c.Create(ctx, Me, &CreateRequest{ExtensionID: 1, Login: "l", Name: "n", Email: "e"})
			return err
		}, "password"},
		"update nothing":     {func() error { _, err := c.Update(ctx, Me, 1, &UpdateRequest{}); return err }, "request"},
		"update bad number":  {func() error { _, err := c.Update(ctx, Me, 1, &UpdateRequest{ExtensionID: Ptr[int64](0)}); return err }, "extension_id"},
		"update negative id": {func() error { _, err := c.Update(ctx, Me, -3, &UpdateRequest{Name: Ptr("x")}); return err }, "user_id"},
		"list negative page": {func() error { _, err := c.List(ctx, Me, ListOptions{Page: -1}); return err }, "page"},
		"list negative size": {func() error { _, err := c.List(ctx, Me, ListOptions{PerPage: -1}); return err }, "per_page"},
		"all negative size": {func() error {
			for _, err := range c.All(ctx, Me, ListOptions{PerPage: -2}) {
				return err
			}
			return nil
		}, "per_page"},
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
	cases := map[string][]Option{
		"no credentials":          {},
		"empty token":             {WithToken("")},
		"empty secret":            {WithClientCredentials("app", "")},
		"nil token source":        {WithTokenSource(nil)},
		"plain http token server": {WithBaseURL("http://telphin.example.com/api/ver1.0"), WithClientCredentials("app", "s3cr3t-value")},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "extensionuser: ")
			assert.NotContains(t, err.Error(), "s3cr3t-value")
		})
	}
	_, err := New(WithClientCredentials("app", "secret"))
	require.NoError(t, err)
}

func TestServerErrorOnUpdateIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := fixture.New(t)
		rec.ExpectExchange(exchange(t, "testdata/update.json", func(ex *fixture.Exchange) {
			ex.Response = fixture.Response{Status: http.StatusBadGateway, Body: []byte(`{"message":"Bad gateway"}`)}
		}))
		rec.Expect("testdata/update.json")
		c, err := New(WithBaseURL(testBaseURL), WithToken(testToken), WithHTTPClient(rec.Client()))
		require.NoError(t, err)
		u, err := c.Update(context.Background(), Me, 203, &UpdateRequest{
			ExtensionID: Ptr[int64](5004), Access: Ptr(AccessReadOnly), Timezone: Ptr("Europe/Moscow"), Email: Ptr("support-team@example.com"),
		})
		require.NoError(t, err, "PUT is idempotent and retried")
		assert.Equal(t, int64(5004), u.ExtensionID)
	})
}
