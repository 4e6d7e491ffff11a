package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
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
	assert.Equal(t, TFADisabled, users[1].TFA)
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
	assert.Equal(t, GroupIDs{1}, u.Groups)
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
	apiErr := fuzzkit.AsAPIError(t, err)
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
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, "email: The email must be a valid email address.", apiErr.Message)
}

func TestHTMLFromProxyIsAClearError(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_proxy_error.json")
	_, err := c.Get(context.Background(), 1)
	apiErr := fuzzkit.AsAPIError(t, err)
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

// B2Core does not document its paging: a server that ignores offset must not make All
// loop, nor yield a user twice.
func TestAllStopsWhenTheServerIgnoresOffset(t *testing.T) {
	rec := fixture.New(t)
	for _, offset := range []string{"0", "2"} {
		rec.ExpectExchange(&fixture.Exchange{
			Request:  fixture.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{"limit": {"2"}, "offset": {offset}}},
			Response: fixture.Response{Status: 200, Body: []byte(`[{"id":1},{"id":2}]`)},
		})
	}
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	var ids []int64
	for u, err := range c.All(context.Background(), ListOptions{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, u.ID)
	}
	assert.Equal(t, []int64{1, 2}, ids)
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
	cases := map[string]fuzzkit.Refusal{
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
	fuzzkit.RefusedAll(t, cases, rec.Received)
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
	leaks := fuzzkit.NewLeaks()
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithLogger(leaks.Logger))
	require.NoError(t, err)
	req := &CreateRequest{Name: "Mary", Email: "m@example.com", Password: password, Groups: []int64{1}}
	for range 5 {
		_, err := c.Create(context.Background(), req)
		leaks.Error(t, err)
	}
	leaks.Logger.Debug("request", "req", req)
	leaks.Print(req, *req, UpdateRequest{Password: Ptr(password)}, WithToken(testToken))
	leaks.Check(t, password, testToken)
}

// A server that echoes the body it refused gets the new user's password back into no
// error, while the rest of its message is kept.
func TestEchoedCreateBodyIsRedacted(t *testing.T) {
	const password = "pa55-Secret-word"
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		fmt.Fprintf(w, `{"message":%q,"received":%s}`, "invalid user "+string(body), body)
	}))
	t.Cleanup(echo.Close)
	leaks := fuzzkit.NewLeaks()
	c, err := New(WithBaseURL(echo.URL), WithToken(testToken), WithLogger(leaks.Logger))
	require.NoError(t, err)
	_, err = c.Create(context.Background(), &CreateRequest{Name: "Mary", Email: "m@example.com", Password: password, Groups: []int64{1}})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Contains(t, apiErr.Message, `"name":"Mary","email":"m@example.com","password":"[REDACTED]"`)
	assert.Contains(t, string(apiErr.Body), `"received":{"name":"Mary","email":"m@example.com","password":"[REDACTED]"`)
	leaks.Error(t, err)
	leaks.Check(t, password)
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
			ex.Request.Query = map[string][]string{"filter[email]": {query}, "filter[active]": {"0"}, "offset": {"0"}}
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

func TestGetUnwrapsAWrappedUser(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_wrapped.json")
	u, err := c.Get(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, User{ID: 1, Name: "Mary", Email: "foo@bar.com", Active: true, TFA: TFAEnabled, Groups: GroupIDs{1}}, *u)
}

func TestGetDecodesTFAStringAndGroupObjects(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_tfa_groups.json")
	u, err := c.Get(context.Background(), 3)
	require.NoError(t, err)
	assert.Equal(t, TFATOTP, u.TFA)
	assert.True(t, u.TFA.Enabled())
	assert.Equal(t, GroupIDs{1, 4}, u.Groups)
}

// A 202 without a body is read back with inactive users included; the lookup's answer
// holds a looser match and the new user with its e-mail lower-cased by the server.
func TestCreateAcceptedReadsBackAnInactiveUser(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_accepted.json", "testdata/create_accepted_lookup.json")
	u, err := c.Create(context.Background(), &CreateRequest{Name: "Ann", Email: "Ann@Example.com", Password: "Secret-456", TFA: true, Groups: []int64{3}})
	require.NoError(t, err)
	assert.Equal(t, int64(8), u.ID)
	assert.False(t, u.Active)
	assert.Equal(t, TFAEmail, u.TFA)
	assert.Equal(t, GroupIDs{3}, u.Groups)
}

func TestCreateReadBackMatchesTheEmail(t *testing.T) {
	const email = "Ann@Example.com"
	const annBody = `{"name":"Ann","email":"Ann@Example.com","password":"p","active":false,"tfa":false,"groups":[1]}`
	cases := map[string]struct {
		status int
		body   string
		want   int64 // 0: ErrOutcomeUnknown
	}{
		"exact among looser matches": {200, `[{"id":1,"email":"joann@example.com"},{"id":2,"email":"Ann@Example.com"},{"id":3,"email":"ann@example.com"}]`, 2},
		"stored lower-cased":         {200, `[{"id":4,"email":"ann@example.com"}]`, 4},
		"two equal but for case":     {200, `[{"id":5,"email":"ann@example.com"},{"id":6,"email":"ANN@example.com"}]`, 0},
		"two exactly equal":          {200, `[{"id":5,"email":"Ann@Example.com"},{"id":6,"email":"Ann@Example.com"}]`, 0},
		"only a looser match":        {200, `[{"id":7,"email":"joann@example.com"}]`, 0},
		"nothing found":              {200, `[]`, 0},
		"lookup refused":             {404, `{"message":"Not found"}`, 0},
		"lookup unauthorized":        {401, `{"message":"Unauthenticated."}`, 0},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t)
			rec.ExpectExchange(&fixture.Exchange{Request: fixture.Request{Method: "POST", Path: "/api/v2/users", Body: []byte(annBody)}, Response: fixture.Response{Status: 204}})
			rec.ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{"filter[email]": {email}, "filter[active]": {"0"}, "offset": {"0"}}},
				Response: fixture.Response{Status: tc.status, Body: []byte(tc.body)},
			})
			c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			u, err := c.Create(context.Background(), &CreateRequest{Name: "Ann", Email: email, Password: "p", Groups: []int64{1}})
			if tc.want != 0 {
				require.NoError(t, err)
				assert.Equal(t, tc.want, u.ID)
				return
			}
			assert.Nil(t, u)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			var ou *OutcomeUnknownError
			require.ErrorAs(t, err, &ou)
			assert.Equal(t, "POST", ou.Method)
			assert.Contains(t, err.Error(), "POST /api/v2/users: outcome unknown")
			// The lookup's failure is told, not matched: a caller must not take the create for a 404 or 401.
			assert.NotErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrUnauthorized)
		})
	}
}

// Every write's answer may wrap the user the way Get's may.
func TestWritesUnwrapAWrappedUser(t *testing.T) {
	rec := fixture.New(t)
	for _, method := range []string{"POST", "PUT", "PATCH"} {
		path, body := "/api/v2/users/9", `{"name":"`+strings.ToLower(method)+`"}`
		if method == "POST" {
			path, body = "/api/v2/users", `{"name":"a","email":"a@x.io","password":"p","active":false,"tfa":false,"groups":[1]}`
		}
		rec.ExpectExchange(&fixture.Exchange{
			Request:  fixture.Request{Method: method, Path: path, Body: []byte(body)},
			Response: fixture.Response{Status: 200, Body: []byte(`{"data":{"id":9,"name":"` + method + `"},"meta":{"id":1}}`)},
		})
	}
	c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.Create(ctx, &CreateRequest{Name: "a", Email: "a@x.io", Password: "p", Groups: []int64{1}})
	require.NoError(t, err)
	assert.Equal(t, User{ID: 9, Name: "POST"}, *u)
	u, err = c.Update(ctx, 9, &UpdateRequest{Name: Ptr("put")})
	require.NoError(t, err)
	assert.Equal(t, User{ID: 9, Name: "PUT"}, *u)
	u, err = c.Patch(ctx, 9, &UpdateRequest{Name: Ptr("patch")})
	require.NoError(t, err)
	assert.Equal(t, User{ID: 9, Name: "PATCH"}, *u)
}

// An answer with a body that holds no user is an error, never a zero-ID user; for a
// write that cannot be repeated safely it matches ErrOutcomeUnknown, and Create does not
// go looking for the user (only an answer without a body sends it looking).
func TestAnswersHoldingNoUserAreErrors(t *testing.T) {
	cases := []struct {
		method, body string
		unknown      bool
	}{
		{"GET", `{}`, false},
		{"GET", `{"data":{}}`, false},
		{"GET", `{"data":null,"total":0}`, false},
		{"GET", `{"name":"Mary","data":[{"id":1}]}`, false},
		{"POST", `{}`, true},
		{"POST", `{"data":{"name":"Mary"}}`, true},
		{"PATCH", `{"data":{}}`, true},
		{"PATCH", `{"message":"Updated"}`, true},
		{"PUT", `{}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.body, func(t *testing.T) {
			path, body := "/api/v2/users/1", `{"name":"b"}`
			switch tc.method {
			case "GET":
				body = ""
			case "POST":
				path, body = "/api/v2/users", `{"name":"a","email":"a@x.io","password":"p","active":false,"tfa":false,"groups":[1]}`
			}
			rec := fixture.New(t)
			rec.ExpectExchange(&fixture.Exchange{Request: fixture.Request{Method: tc.method, Path: path, Body: []byte(body)}, Response: fixture.Response{Status: 200, Body: []byte(tc.body)}})
			c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			ctx := context.Background()
			var u *User
			switch tc.method {
			case "GET":
				u, err = c.Get(ctx, 1)
			case "POST":
				u, err = c.Create(ctx, &CreateRequest{Name: "a", Email: "a@x.io", Password: "p", Groups: []int64{1}})
			case "PUT":
				u, err = c.Update(ctx, 1, &UpdateRequest{Name: Ptr("b")})
			case "PATCH":
				u, err = c.Patch(ctx, 1, &UpdateRequest{Name: Ptr("b")})
			}
			assert.Nil(t, u)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.method+" "+path+": ")
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), "matches ErrOutcomeUnknown: %v", err)
			assert.Len(t, rec.Received(), 1, "no read-back for an answer with a body")
		})
	}
}

// The envelope keys of single users are the ones List unwraps: a known key beats an
// earlier array under another name in a list, and holds the user in a single answer.
func TestWrapKeysAreTheListKeys(t *testing.T) {
	var keys []string
	env := reflect.TypeFor[envelope]()
	for i := range env.NumField() {
		keys = append(keys, env.Field(i).Tag.Get("json"))
	}
	require.Len(t, keys, 6)
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			rec := fixture.New(t)
			rec.ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "GET", Path: "/api/v2/users", Query: map[string][]string{"offset": {"0"}}},
				Response: fixture.Response{Status: 200, Body: []byte(`{"other":[{"id":9}],"` + key + `":[{"id":1}]}`)},
			})
			rec.ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "GET", Path: "/api/v2/users/1"},
				Response: fixture.Response{Status: 200, Body: []byte(`{"other":{"id":9},"` + key + `":{"id":1}}`)},
			})
			c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			users, err := c.List(context.Background(), ListOptions{})
			require.NoError(t, err)
			assert.Equal(t, []User{{ID: 1}}, users)
			u, err := c.Get(context.Background(), 1)
			require.NoError(t, err)
			assert.Equal(t, int64(1), u.ID)
		})
	}
}

func TestTFADecodesBoolsStringsAndNumbers(t *testing.T) {
	cases := map[string]TFA{
		`true`: TFAEnabled, `false`: TFADisabled, `null`: TFADisabled, `1`: TFAEnabled, `0`: TFADisabled,
		`"email"`: TFAEmail, `"Email"`: TFAEmail, `"TOTP"`: TFATOTP, `" totp "`: TFATOTP,
		`"Disabled"`: TFADisabled, `"none"`: TFADisabled, `""`: TFADisabled, `"off"`: TFADisabled,
		`"SMS"`: TFA("sms"), `"enabled"`: TFAEnabled,
	}
	for in, want := range cases {
		var u User
		require.NoError(t, json.Unmarshal([]byte(`{"id":1,"tfa":`+in+`}`), &u), in)
		assert.Equal(t, want, u.TFA, in)
		assert.Equal(t, want != TFADisabled, u.TFA.Enabled(), in)
	}
	for _, in := range []string{`[]`, `{}`, `"x`} {
		var u User
		assert.Error(t, json.Unmarshal([]byte(`{"id":1,"tfa":`+in+`}`), &u), in)
	}
	// Encoded back as the requests send it: a bool, unless a method is named.
	for tfa, want := range map[TFA]string{TFADisabled: `false`, TFAEnabled: `true`, TFAEmail: `"email"`, TFATOTP: `"totp"`} {
		b, err := json.Marshal(tfa)
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
		var back TFA
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, tfa, back, "round trip")
	}
	assert.Equal(t, "disabled", TFADisabled.String())
	assert.Equal(t, "totp", fmt.Sprint(TFATOTP))
}

func TestGroupsDecodeIDsOrObjects(t *testing.T) {
	cases := map[string]GroupIDs{
		`[1,2]`:                                  {1, 2},
		`[{"id":1,"name":"VIP"},{"id":2}]`:       {1, 2},
		`[{"id":"3"},"4",5]`:                     {3, 4, 5},
		`[]`:                                     {},
		`null`:                                   nil,
		`[{"name":"VIP","id":9007199254740993}]`: {9007199254740993},
	}
	for in, want := range cases {
		var u User
		require.NoError(t, json.Unmarshal([]byte(`{"id":1,"groups":`+in+`}`), &u), in)
		assert.Equal(t, want, u.Groups, in)
	}
	for _, in := range []string{`[{"name":"VIP"}]`, `["a"]`, `[null]`, `[1.5]`, `{}`, `"1"`, `[{"id":null}]`, `[{"id":true}]`} {
		var u User
		assert.Error(t, json.Unmarshal([]byte(`{"id":1,"groups":`+in+`}`), &u), in)
	}
	// Group ids go where requests take []int64, and encode as ids.
	u := User{Groups: GroupIDs{1, 2}}
	req := UpdateRequest{Groups: u.Groups}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.JSONEq(t, `{"groups":[1,2]}`, string(b))
}

// When an update answered without a body cannot be read back, the error says the update
// was applied and keeps the read's error; it is not an unknown outcome, since the server
// took the write.
func TestUpdateReadBackFailureSaysTheUpdateWasApplied(t *testing.T) {
	for _, method := range []string{"PUT", "PATCH"} {
		t.Run(method, func(t *testing.T) {
			rec := fixture.New(t)
			rec.ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: method, Path: "/api/v2/users/5", Body: []byte(`{"active":true}`)},
				Response: fixture.Response{Status: 204},
			})
			rec.ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "GET", Path: "/api/v2/users/5"},
				Response: fixture.Response{Status: 404, Body: []byte(`{"message":"User not found"}`)},
			})
			c, err := New(WithBaseURL("https://api.test"), WithToken(testToken), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			update := c.Update
			if method == "PATCH" {
				update = c.Patch
			}
			u, err := update(context.Background(), 5, &UpdateRequest{Active: Ptr(true)})
			assert.Nil(t, u)
			require.ErrorIs(t, err, ErrNotFound)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown)
			assert.Equal(t, method+" /api/v2/users/5: applied, but the answer holds no user and reading it back failed: GET /api/v2/users/5: 404 Not Found: User not found", err.Error())
		})
	}
}
