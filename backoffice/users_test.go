package backoffice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
)

const testToken = "test-token"

func newTestClient(t *testing.T, files ...string) (*Client, *fixture.Recorder) {
	t.Helper()
	rec := fixture.New(t).Expect(files...)
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	return c, rec
}

func TestListSeedExample(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list.json")
	users, err := c.List(context.Background(), ListOptions{Name: "Mary", Email: "foo@bar.com", Active: Ptr(true), Limit: 10})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, int64(1), users[0].ID)
	assert.Equal(t, []string{"79.24.241.198", "20.65.174.119"}, users[0].IPWhitelist)
	assert.Equal(t, "my_tag", users[0].ClientTags[0].Name)
	assert.False(t, users[1].TFA)
}

func TestListWrappedEnvelope(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_wrapped.json")
	users, err := c.List(context.Background(), ListOptions{SortBy: "name", SortOrder: Descending})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, "Mary", users[0].Name)
	assert.Equal(t, int64(2), users[1].ID)
}

func TestGet(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get.json")
	u, err := c.Get(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, "foo@bar.com", u.Email)
	assert.True(t, u.CanViewMaskedData)
	assert.Equal(t, []int64{1}, u.Groups)
}

func TestCreateSeedExample(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create.json")
	u, err := c.Create(context.Background(), &CreateRequest{
		Name: "Mary", Email: "email@website.com", Password: "MySecret123",
		Active: true, TFA: true, Groups: []int64{1},
		Phone: "+18043257762", IPWhitelist: []string{"79.24.241.198", "20.65.174.119"},
		ClientTags: []ClientTag{Tag("my_tag")}, CanViewMaskedData: Ptr(true), SendNotify: Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, int64(7), u.ID)
}

func TestCreateSendsFalseRequiredFlags(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_inactive.json")
	u, err := c.Create(context.Background(), &CreateRequest{Name: "Ann", Email: "ann@example.com", Password: "Secret-456", Groups: []int64{3}})
	require.NoError(t, err)
	assert.False(t, u.Active)
}

func TestUpdateSeedExample(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update.json")
	u, err := c.Update(context.Background(), 1, &UpdateRequest{
		Name: Ptr("Mary"), Email: Ptr("foo@bar.com"), Password: Ptr("MySecret123"), Phone: Ptr("+18043257762"),
		Active: Ptr(true), TFA: Ptr(true), IPWhitelist: []string{"79.24.241.198", "20.65.174.119"},
		Groups: []int64{1}, ClientTags: []ClientTag{Tag("my_tag")}, CanViewMaskedData: Ptr(true), SendNotify: Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, "Mary", u.Name)
}

func TestPatchSendsOnlyFieldsSet(t *testing.T) {
	c, _ := newTestClient(t, "testdata/patch.json")
	u, err := c.Patch(context.Background(), 1, &UpdateRequest{Active: Ptr(false), IPWhitelist: []string{}})
	require.NoError(t, err)
	assert.False(t, u.Active)
	assert.Empty(t, u.IPWhitelist)
}

func TestDelete(t *testing.T) {
	c, _ := newTestClient(t, "testdata/delete.json")
	require.NoError(t, c.Delete(context.Background(), 1))
}

func TestNotFoundError(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_not_found.json")
	_, err := c.Get(context.Background(), 404)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "User not found", apiErr.Message)
	assert.Equal(t, "not_found", apiErr.Code)
	assert.Equal(t, "req-42", apiErr.RequestID)
	assert.Equal(t, "GET /api/v2/users/404: 404 Not Found: User not found [not_found] (request id req-42)", err.Error())
}

func TestValidationErrorFromServer(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_invalid.json")
	_, err := c.Create(context.Background(), &CreateRequest{Name: "Mary", Email: "not-an-email", Password: "MySecret123", Active: true, Groups: []int64{1}})
	require.ErrorIs(t, err, ErrInvalidInput)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "email: The email must be a valid email address.", apiErr.Message)
}

func TestHTMLFromProxyIsAClearError(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_proxy_error.json")
	_, err := c.Get(context.Background(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Contains(t, string(apiErr.Body), "nginx")
	assert.Equal(t, "GET /api/v2/users/1: 502 Bad Gateway (136-byte text/html body)", err.Error())
}

func TestAllPagesUntilShortPage(t *testing.T) {
	rec := fixture.New(t)
	for page, n := range []int{3, 3, 1} {
		body := make([]string, n)
		for i := range body {
			body[i] = fmt.Sprintf(`{"id":%d,"name":"u"}`, page*3+i+1)
		}
		rec.ExpectExchange(&fixture.Exchange{
			Request: fixture.Request{Method: "GET", Path: "/api/v2/users",
				Query: map[string][]string{"limit": {"3"}, "offset": {fmt.Sprint(page * 3)}, "filter[name]": {"u"}}},
			Response: fixture.Response{Status: 200, Body: []byte("[" + strings.Join(body, ",") + "]")},
		})
	}
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	opts := ListOptions{Name: "u", Limit: 3}
	var ids []int64
	for u, err := range c.All(context.Background(), opts) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7}, ids)
	assert.Equal(t, 0, opts.Offset, "All must not change the caller's options")
}

func TestAllYieldsErrorAndStops(t *testing.T) {
	rec := fixture.New(t)
	rec.ExpectExchange(&fixture.Exchange{
		Request:  fixture.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{"limit": {"2"}, "offset": {"0"}}},
		Response: fixture.Response{Status: 200, Body: []byte(`[{"id":1},{"id":2}]`)},
	})
	rec.ExpectExchange(&fixture.Exchange{
		Request:  fixture.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{"limit": {"2"}, "offset": {"2"}}},
		Response: fixture.Response{Status: 403, Body: []byte(`{"message":"no"}`)},
	})
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	var got []int64
	var errs []error
	for u, err := range c.All(context.Background(), ListOptions{Limit: 2}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, u.ID)
	}
	assert.Equal(t, []int64{1, 2}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ErrForbidden)
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, rec := newTestClient(t)
	ctx := context.Background()
	cases := map[string]struct {
		call  func() error
		field string
	}{
		"get zero id":        {func() error { _, err := c.Get(ctx, 0); return err }, "userId"},
		"delete negative id": {func() error { return c.Delete(ctx, -1) }, "userId"},
		"create nil":         {func() error { _, err := c.Create(ctx, nil); return err }, "request"},
		"create no name": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Email: "a@b.c", Password: "x", Groups: []int64{1}})
			return err
		}, "name"},
		"create no password": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Name: "a", Email: "a@b.c", Groups: []int64{1}})
			return err
		}, "password"},
		"create no groups": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Name: "a", Email: "a@b.c", Password: "x"})
			return err
		}, "groups"},
		"update empty":      {func() error { _, err := c.Update(ctx, 1, &UpdateRequest{}); return err }, "request"},
		"patch empty email": {func() error { _, err := c.Patch(ctx, 1, &UpdateRequest{Email: Ptr("")}); return err }, "email"},
		"list bad order":    {func() error { _, err := c.List(ctx, ListOptions{SortOrder: "up"}); return err }, "sort_order"},
		"list negative":     {func() error { _, err := c.List(ctx, ListOptions{Limit: -1}); return err }, "limit"},
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
		"no base URL":          {WithToken("t")},
		"no credentials":       {WithBaseURL("https://api.test")},
		"plain http remote":    {WithBaseURL("http://bo.example.com"), WithToken("t")},
		"unparsable":           {WithBaseURL("://x"), WithToken("t")},
		"nil http client":      {WithBaseURL("https://api.test"), WithToken("t"), WithHTTPClient(nil)},
		"empty token":          {WithBaseURL("https://api.test"), WithToken("")},
		"bad retry range":      {WithBaseURL("https://api.test"), WithToken("t"), WithRetry(1, 2, 1)},
		"zero response limit":  {WithBaseURL("https://api.test"), WithToken("t"), WithMaxResponseBytes(0)},
		"nil token source":     {WithBaseURL("https://api.test"), WithTokenSource(nil)},
		"user info in the URL": {WithBaseURL("https://u:p@api.test"), WithToken("t")},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(opts...)
			require.Error(t, err)
		})
	}
	_, err := New(WithBaseURL("http://bo.example.com"), WithToken("t"), WithInsecureHTTP())
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	_, err = New(WithBaseURL("http://127.0.0.1:8080"), WithToken("t"))
	require.NoError(t, err, "loopback may use plain http")
}

func TestNoSecretInErrorsOrLogs(t *testing.T) {
	const password = "pa55-Secret-word"
	rec := fixture.New(t)
	for _, status := range []int{401, 404, 422, 500, 502} {
		rec.ExpectExchange(&fixture.Exchange{
			Request: fixture.Request{Method: "POST", Path: "/api/v2/users", Headers: map[string]string{"Authorization": "Bearer " + testToken},
				Body: []byte(`{"name":"Mary","email":"m@example.com","password":"` + password + `","active":false,"tfa":false,"groups":[1]}`)},
			Response: fixture.Response{Status: status, Body: []byte(`{"message":"refused"}`)},
		})
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithLogger(logger))
	require.NoError(t, err)
	req := &CreateRequest{Name: "Mary", Email: "m@example.com", Password: password, Groups: []int64{1}}
	var texts []string
	for range 5 {
		_, err := c.Create(context.Background(), req)
		require.Error(t, err)
		texts = append(texts, err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err))
	}
	logger.Debug("request", "req", req)
	texts = append(texts, logs.String(), fmt.Sprintf("%v", req), fmt.Sprintf("%+v", req), fmt.Sprintf("%#v", *req),
		fmt.Sprintf("%v", UpdateRequest{Password: Ptr(password)}), fmt.Sprintf("%+v", WithToken(testToken)))
	require.NotEmpty(t, logs.String(), "debug logging must produce lines")
	for _, s := range texts {
		assert.NotContains(t, s, password)
		assert.NotContains(t, s, testToken)
	}
}

func TestErrorsMatchAcrossTheirTypes(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_not_found.json")
	_, err := c.Get(context.Background(), 404)
	assert.False(t, errors.Is(err, ErrUnauthorized))
	assert.False(t, errors.Is(err, ErrOutcomeUnknown))
}

func TestAnswersWithoutBodyNeverGiveANilUser(t *testing.T) {
	rec := fixture.New(t)
	empty := func(method, path string, status int, body string) {
		rec.ExpectExchange(&fixture.Exchange{
			Request:  fixture.Request{Method: method, Path: path, Body: []byte(body)},
			Response: fixture.Response{Status: status},
		})
	}
	ok := func(method, path, query string, body string) {
		ex := &fixture.Exchange{Request: fixture.Request{Method: method, Path: path}, Response: fixture.Response{Status: 200, Body: []byte(body)}}
		if query != "" {
			ex.Request.Query = map[string][]string{"filter[email]": {query}, "offset": {"0"}}
		}
		rec.ExpectExchange(ex)
	}
	empty("GET", "/api/v2/users/1", 200, "")
	empty("POST", "/api/v2/users", 202, `{"name":"A","email":"a@x.io","password":"p","active":false,"tfa":false,"groups":[1]}`)
	ok("GET", "/api/v2/users", "a@x.io", `[{"id":5,"email":"a@x.io"}]`)
	empty("PATCH", "/api/v2/users/5", 204, `{"active":true}`)
	ok("GET", "/api/v2/users/5", "", `{"id":5,"email":"a@x.io","active":true}`)

	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.Get(ctx, 1)
	require.Error(t, err)
	assert.Nil(t, u)

	u, err = c.Create(ctx, &CreateRequest{Name: "A", Email: "a@x.io", Password: "p", Groups: []int64{1}})
	require.NoError(t, err)
	assert.Equal(t, int64(5), u.ID, "read back by e-mail")

	u, err = c.Patch(ctx, 5, &UpdateRequest{Active: Ptr(true)})
	require.NoError(t, err)
	assert.True(t, u.Active, "read back with Get")
}
