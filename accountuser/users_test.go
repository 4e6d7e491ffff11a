package accountuser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// The recordings' credentials.
const (
	testUser     = "test-user"
	testPassword = "test-pass"
)

// newTestClient returns a client that replays files in order, without retries.
func newTestClient(t *testing.T, files []string, opts ...Option) (*Client, *fixture.Recorder) {
	t.Helper()
	rec := fixture.New(t).Expect(files...)
	base := []Option{WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()), WithoutRetries()}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	return c, rec
}

// answering returns a client whose one request, method and path with reqBody (JSON, ""
// for none), gets status and body.
func answering(t *testing.T, method, path, reqBody string, status int, body string, opts ...Option) *Client {
	t.Helper()
	rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
		Request:  fixture.Request{Method: method, Path: path, Body: json.RawMessage(reqBody)},
		Response: fixture.Response{Status: status, BodyText: body, Headers: map[string]string{"Content-Type": "application/json"}},
	})
	base := []Option{WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()), WithoutRetries()}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// seedCreateJSON is seedCreate on the wire: the seed's addUser example body.
const seedCreateJSON = `{"contactName":"John Doe","emailAddress":"jhn.doe@example.com","defaultAccountId":1,"username":"test","password":"test"}`

var seedUser2 = User{UserID: 2, ContactName: "John Doe modified", EmailAddress: "john.doe@example.com",
	Username: "test", DefaultAccountID: 1, Active: Disabled}

var createdUser = User{UserID: 22, ContactName: "John Doe", EmailAddress: "jhn.doe@example.com",
	Username: "test", DefaultAccountID: 1, Active: Enabled}

func TestListByAccount(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/list_by_account.json"})
	users, err := c.ListByAccount(context.Background(), 2)
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, wantVendorUser, users[0], "numbers sent as strings decode")
	assert.Equal(t, ID(23), users[1].UserID)
	assert.Equal(t, Disabled, users[1].Active)
}

func TestListByAccountWithPubListPath(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/list_by_account_pub.json"}, WithPubListPath())
	users, err := c.ListByAccount(context.Background(), 2)
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, "janeroe", users[1].Username)
}

func TestListByAccountErrorWithStatus200(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/list_by_account_unknown_status200.json"})
	users, err := c.ListByAccount(context.Background(), 99)
	assert.Nil(t, users)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.Equal(t, "Exception", apiErr.Code)
	assert.Equal(t, "Unknown agencyId Error", apiErr.Message)
	assert.Equal(t, "https://api.test/usr/acc/99", apiErr.URL)
	assert.Equal(t, "GET /usr/acc/99: 200 OK: Unknown agencyId Error [Exception]", err.Error())
}

// A 404 that Revive did not write means no route at that path: the error names the other
// list path and the option that selects it. Revive's own 404 (an unknown account) does not.
func TestListByAccountNoRouteNamesTheOtherPath(t *testing.T) {
	for name, tc := range map[string]struct {
		path, body, err string
		opts            []Option
	}{
		"default": {path: "/usr/acc/2", body: "404 page not found",
			err: "GET /usr/acc/2: 404 Not Found: 404 page not found (no list at /usr/acc/{accountId}: if the installation serves /pub/usr/acc/{accountId}, use WithPubListPath)"},
		"pub": {path: "/pub/usr/acc/2", body: "<html><body>Not Found</body></html>", opts: []Option{WithPubListPath()},
			err: "GET /pub/usr/acc/2: 404 Not Found: <html><body>Not Found</body></html> (no list at /pub/usr/acc/{accountId}: if the installation serves /usr/acc/{accountId}, drop WithPubListPath)"},
		"Revive's own 404": {path: "/usr/acc/2", body: `{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`,
			err: "GET /usr/acc/2: 404 Not Found: Unknown agencyId Error [Exception]"},
	} {
		t.Run(name, func(t *testing.T) {
			c := answering(t, "GET", tc.path, "", 404, tc.body, tc.opts...)
			users, err := c.ListByAccount(context.Background(), 2)
			assert.Nil(t, users)
			require.ErrorIs(t, err, ErrNotFound)
			apiErr := fuzzkit.AsAPIError(t, err)
			assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
			assert.Equal(t, tc.err, err.Error())
		})
	}
}

func TestListByAccountAnswers(t *testing.T) {
	for name, tc := range map[string]struct {
		body string
		n    int
		err  string
	}{
		"empty array":   {body: ` []`, n: 0},
		"null":          {body: "null", n: 0},
		"plain numbers": {body: `[{"userId":5,"defaultAccountId":2,"active":true}]`, n: 1},
		// Revive's lists are bare arrays: an object is no list (only B2Core wraps them).
		"wrapped":           {body: `{"users":[{"userId":5}]}`, err: "GET /usr/acc/2: decoding response: expected a list, found {"},
		"object":            {body: `{"OK":true}`, err: "GET /usr/acc/2: decoding response: expected a list, found {"},
		"not JSON":          {body: `{"OK"}`, err: "GET /usr/acc/2: decoding response: expected a list, found {"},
		"empty body":        {body: "", err: "empty body where a list was expected"},
		"text":              {body: "OK", err: "invalid character 'O'"},
		"bad element":       {body: `[{"userId":"x"}]`, err: "accountuser: id must be a whole number"},
		"truncated":         {body: `[{"userId":"1"}`, err: "GET /usr/acc/2: decoding response: EOF"},
		"error in a string": {body: `{"error":"Unknown agencyId Error"}`, err: "GET /usr/acc/2: 200 OK: Unknown agencyId Error"},
	} {
		t.Run(name, func(t *testing.T) {
			c := answering(t, "GET", "/usr/acc/2", "", 200, tc.body)
			users, err := c.ListByAccount(context.Background(), 2)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.Nil(t, users)
				return
			}
			require.NoError(t, err)
			assert.Len(t, users, tc.n)
			assert.NotNil(t, users, "an empty list is not nil")
		})
	}
}

func TestGet(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/get.json"})
	u, err := c.Get(context.Background(), 4)
	require.NoError(t, err)
	assert.Equal(t, User{UserID: 4, ContactName: "John Doe", EmailAddress: "john.doe@example.com",
		Username: "johndoe", DefaultAccountID: 2, Active: Enabled}, *u)
}

func TestGetUnknown(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/get_unknown.json"})
	u, err := c.Get(context.Background(), 999)
	assert.Nil(t, u)
	require.ErrorIs(t, err, ErrNotFound)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "Exception", apiErr.Code)
	assert.Equal(t, "Unknown userId Error", apiErr.Message)
	assert.Equal(t, "GET /usr/999: 404 Not Found: Unknown userId Error [Exception]", err.Error())
}

func TestGetErrorWithStatus200(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/get_unknown_status200.json"})
	u, err := c.Get(context.Background(), 999)
	assert.Nil(t, u, "an error body never becomes a zero user")
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode, "the status is kept")
	assert.Equal(t, "Exception", apiErr.Code)
	assert.Equal(t, "Unknown userId Error", apiErr.Message)
	assert.Equal(t, "GET", apiErr.Method)
	assert.JSONEq(t, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`, string(apiErr.Body))
	assert.ErrorIs(t, err, ErrNotFound, "Revive's unknown-user message matches ErrNotFound whatever the status")
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, "https://api.test/usr/999", apiErr.URL)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Equal(t, "GET /usr/999: 200 OK: Unknown userId Error [Exception]", err.Error())
}

func TestGetAnswersThatAreNotUsers(t *testing.T) {
	for name, tc := range map[string]struct{ body, err string }{
		"empty":          {"", "GET /usr/4: the answer is not a user (no userId)"},
		"null":           {"null", "GET /usr/4: the answer is not a user (no userId)"},
		"empty object":   {"{}", "GET /usr/4: the answer is not a user (no userId)"},
		"null id":        {`{"userId":null,"username":"x"}`, "GET /usr/4: the answer is not a user (no userId)"},
		"zero id":        {`{"userId":"0","username":"x"}`, "GET /usr/4: the answer is not a user (no userId)"},
		"OK text":        {`{"OK"}`, "GET /usr/4: decoding response: invalid character"},
		"array":          {`[{"userId":"4"}]`, "GET /usr/4: decoding response: json: cannot unmarshal array"},
		"bad active":     {`{"userId":"4","active":"yes"}`, "active must be 0, 1"},
		"error, no text": {`{"error":{}}`, "GET /usr/4: 200 OK: {\"error\":{}}"},
	} {
		t.Run(name, func(t *testing.T) {
			c := answering(t, "GET", "/usr/4", "", 200, tc.body)
			u, err := c.Get(context.Background(), 4)
			assert.Nil(t, u)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a read changes nothing")
		})
	}
}

// forEachInstallation runs check against each way an installation takes a write, with
// its recording testdata/<op><suffix>.json: POST with text/javascript (the seed's
// example), PUT, and JSON.
func forEachInstallation(t *testing.T, op string, check func(t *testing.T, c *Client)) {
	for suffix, opts := range map[string][]Option{"": nil, "_put": {WithPUT()}, "_json": {WithJSONContentType()}} {
		file := "testdata/" + op + suffix + ".json"
		t.Run(file, func(t *testing.T) {
			c, _ := newTestClient(t, []string{file}, opts...)
			check(t, c)
		})
	}
}

func TestCreate(t *testing.T) {
	forEachInstallation(t, "create", func(t *testing.T, c *Client) {
		req := seedCreate()
		u, err := c.Create(context.Background(), &req)
		require.NoError(t, err)
		assert.Equal(t, createdUser, *u)
	})
}

// Revive's error object proves the application handled the create and refused it, with
// a 400 or even a 500: the error is the server's, and says nothing of a user that may
// exist.
func TestCreateRefusedByRevive(t *testing.T) {
	for name, tc := range map[string]struct {
		recording string
		status    int
		text      string
	}{
		"400": {"testdata/create_error.json", http.StatusBadRequest, "400 Bad Request"},
		"500": {"testdata/create_refused_status500.json", http.StatusInternalServerError, "500 Internal Server Error"},
	} {
		t.Run(name, func(t *testing.T) {
			c, _ := newTestClient(t, []string{tc.recording})
			req := seedCreate()
			req.DefaultAccountID = 99
			u, err := c.Create(context.Background(), &req)
			assert.Nil(t, u)
			apiErr := fuzzkit.AsAPIError(t, err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "Exception", apiErr.Code)
			assert.Equal(t, "Unknown agencyId Error", apiErr.Message)
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "Revive answered: the user was not created")
			assert.Equal(t, tc.status == http.StatusBadRequest, errors.Is(err, ErrInvalidInput))
			assert.Equal(t, "POST /usr/new: "+tc.text+": Unknown agencyId Error [Exception]", err.Error())
		})
	}
}

// Only Revive's own object proves a refusal: any other 5xx body, and a gateway's 502 or
// 504 whatever its body, leave a create's outcome unknown.
func TestCreate5xxOutcome(t *testing.T) {
	const revive = `{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`
	const hint = "; the user may have been created: look it up by username before creating it again"
	for name, tc := range map[string]struct {
		status  int
		ct      string
		body    string
		unknown bool
	}{
		"500 Revive's object":          {500, "application/json", revive, false},
		"500 Revive's object as html":  {500, "text/html", revive, false},
		"500 Revive's type only":       {500, "application/json", `{"error":{"type":"Exception"}}`, false},
		"500 html":                     {500, "text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>", true},
		"500 empty":                    {500, "application/json", "", true},
		"500 error as a string":        {500, "application/json", `{"error":"Internal error"}`, true},
		"500 message only":             {500, "application/json", `{"message":"upstream failed"}`, true},
		"500 error without type":       {500, "application/json", `{"error":{"code":1}}`, true},
		"500 error with numeric type":  {500, "application/json", `{"error":{"type":7}}`, true},
		"500 Error spelt with capital": {500, "application/json", `{"Error":{"type":"Exception","message":"x"}}`, true},
		"502 Revive's object":          {502, "application/json", revive, true},
		"504 Revive's object":          {504, "application/json", revive, true},
	} {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "POST", Path: "/usr/new", Body: json.RawMessage(seedCreateJSON)},
				Response: fixture.Response{Status: tc.status, BodyText: tc.body, Headers: map[string]string{"Content-Type": tc.ct}},
			})
			// Default retries: a second request would fail the recorder.
			c, err := New(WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()))
			require.NoError(t, err)
			req := seedCreate()
			u, err := c.Create(context.Background(), &req)
			assert.Nil(t, u)
			apiErr := fuzzkit.AsAPIError(t, err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), err.Error())
			assert.Equal(t, tc.unknown, strings.HasSuffix(err.Error(), hint), err.Error())
			if !tc.unknown {
				assert.NotContains(t, err.Error(), "may have")
			}
			if tc.body == revive {
				assert.Contains(t, err.Error(), ": Unknown agencyId Error [Exception]", "the server's message is quoted")
			}
			assert.Len(t, rec.Received(), 1)
		})
	}
}

func TestCreateErrorWithStatus200(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/create_duplicate_status200.json"})
	req := seedCreate()
	u, err := c.Create(context.Background(), &req)
	assert.Nil(t, u)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.Equal(t, "Username must be unique", apiErr.Message)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the server said what happened")
}

func TestCreateUnreadableAnswerLeavesOutcomeUnknown(t *testing.T) {
	const hint = "; the user may have been created: look it up by username before creating it again"
	for name, tc := range map[string]struct {
		body, err string
		opts      []Option
	}{
		"not JSON":          {body: `{"OK"}`, err: "POST /usr/new: outcome unknown, the request may have reached the server: POST /usr/new: decoding response: invalid character '}' after object key" + hint},
		"object without id": {body: `{"result":"created"}`, err: "POST /usr/new: outcome unknown, the request may have reached the server: the answer is not a user (no userId)" + hint},
		"null":              {body: "null", err: "POST /usr/new: outcome unknown, the request may have reached the server: the answer is not a user (no userId)" + hint},
		"empty":             {body: "", err: "POST /usr/new: outcome unknown, the request may have reached the server: the answer is not a user (no userId)" + hint},
		"bad active":        {body: `{"userId":"22","active":"yes"}`, err: "POST /usr/new: outcome unknown, the request may have reached the server: POST /usr/new: decoding response: accountuser: active must be"},
		"PUT, no id":        {body: `{}`, err: "PUT /usr/new: outcome unknown, the request may have reached the server: the answer is not a user (no userId)" + hint, opts: []Option{WithPUT()}},
		"PUT, not JSON":     {body: `{"OK"}`, err: "PUT /usr/new: outcome unknown, the request may have reached the server", opts: []Option{WithPUT()}},
	} {
		t.Run(name, func(t *testing.T) {
			method := "POST"
			if tc.opts != nil {
				method = "PUT"
			}
			c := answering(t, method, "/usr/new", seedCreateJSON, 200, tc.body, tc.opts...)
			req := seedCreate()
			u, err := c.Create(context.Background(), &req)
			assert.Nil(t, u)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.True(t, strings.HasPrefix(err.Error(), tc.err), err.Error())
			assert.True(t, strings.HasSuffix(err.Error(), hint), err.Error())
		})
	}
}

func TestCreateIsNotResentAfterA502(t *testing.T) {
	for _, method := range []string{"POST", "PUT"} {
		t.Run(method, func(t *testing.T) {
			rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: method, Path: "/usr/new", Body: json.RawMessage(seedCreateJSON)},
				Response: fixture.Response{Status: 502, BodyText: "Bad Gateway"},
			})
			// Default retries: a second request would fail the recorder.
			opts := []Option{WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client())}
			if method == "PUT" {
				opts = append(opts, WithPUT())
			}
			c, err := New(opts...)
			require.NoError(t, err)
			req := seedCreate()
			_, err = c.Create(context.Background(), &req)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "the 502 is kept")
			assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
			assert.Equal(t, method+" /usr/new: 502 Bad Gateway: Bad Gateway; the write may have taken effect"+
				"; the user may have been created: look it up by username before creating it again", err.Error())
			assert.Len(t, rec.Received(), 1)
		})
	}
}

func TestUpdate(t *testing.T) {
	forEachInstallation(t, "update", func(t *testing.T, c *Client) {
		req := seedUpdate()
		u, err := c.Update(context.Background(), 2, &req)
		require.NoError(t, err)
		require.NotNil(t, u)
		assert.Equal(t, seedUser2, *u)
	})
}

func TestUpdateSendsOnlyFieldsSet(t *testing.T) {
	// The recording's body is {"active":"0"}; its answer is the text {"OK"}, not a user, so
	// the user is read back.
	c, rec := newTestClient(t, []string{"testdata/update_partial.json", "testdata/update_read_back.json"})
	u, err := c.Update(context.Background(), 2, &UpdateRequest{Active: Ptr(Disabled)})
	require.NoError(t, err)
	require.NotNil(t, u)
	assert.Equal(t, seedUser2, *u, "the stored user, not one made up from the request")
	assert.Len(t, rec.Received(), 2)
}

// An answer that is not the user is followed by a read: Update never returns a nil user
// with a nil error.
func TestUpdateAnswers(t *testing.T) {
	const stored = `{"userId":"2","contactName":"John Doe","username":"test","active":"0","password":null,"defaultAccountId":"1"}`
	storedUser := &User{UserID: 2, ContactName: "John Doe", Username: "test", DefaultAccountID: 1}
	for name, tc := range map[string]struct {
		status int
		body   string
		user   *User
		err    string
		readBy bool // a GET /usr/2 follows, answered with stored
	}{
		"user":               {body: `{"userId":"2","username":"test","active":"0","password":null}`, user: &User{UserID: 2, Username: "test"}},
		"empty":              {body: "", user: storedUser, readBy: true},
		"true":               {body: "true", user: storedUser, readBy: true},
		"OK object":          {body: `{"OK":true}`, user: storedUser, readBy: true},
		"OK text":            {body: `{"OK"}`, user: storedUser, readBy: true},
		"object without id":  {body: `{"result":"updated"}`, user: storedUser, readBy: true},
		"no content":         {status: http.StatusNoContent, body: "", user: storedUser, readBy: true},
		"user with bad type": {body: `{"userId":"2","active":"yes"}`, err: "POST /usr/2: decoding response: accountuser: active must be"},
		"error object":       {body: `{"error":{"type":"Exception","message":"Unknown userId Error"}}`, err: "POST /usr/2: 200 OK: Unknown userId Error [Exception]"},
	} {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "POST", Path: "/usr/2", Body: json.RawMessage(`{"username":"test"}`)},
				Response: fixture.Response{Status: cmpOr(tc.status, 200), BodyText: tc.body, Headers: map[string]string{"Content-Type": "application/json"}},
			})
			if tc.readBy {
				rec.ExpectExchange(&fixture.Exchange{
					Request:  fixture.Request{Method: "GET", Path: "/usr/2"},
					Response: fixture.Response{Status: 200, BodyText: stored},
				})
			}
			c, err := New(WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			u, err := c.Update(context.Background(), 2, &UpdateRequest{Username: Ptr("test")})
			if tc.err != "" {
				require.Error(t, err)
				assert.Equal(t, tc.err, err.Error()[:min(len(err.Error()), len(tc.err))])
				assert.Nil(t, u)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.user, u)
		})
	}
}

// When the read after an answer without the user fails, the error says the update was
// applied and keeps the read's error; it is not an unknown outcome.
func TestUpdateReadBackFails(t *testing.T) {
	for name, tc := range map[string]struct {
		status   int
		body     string
		err      string
		notFound bool
	}{
		"deleted meanwhile": {404, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
			"POST /usr/2: applied, but the answer holds no user and reading it back failed: GET /usr/2: 404 Not Found: Unknown userId Error [Exception]", true},
		"not a user either": {200, `{"OK"}`,
			"POST /usr/2: applied, but the answer holds no user and reading it back failed: GET /usr/2: decoding response: invalid character '}' after object key", false},
		"no id either": {200, `{}`,
			"POST /usr/2: applied, but the answer holds no user and reading it back failed: GET /usr/2: the answer is not a user (no userId)", false},
	} {
		t.Run(name, func(t *testing.T) {
			rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "POST", Path: "/usr/2", Body: json.RawMessage(`{"active":"0"}`)},
				Response: fixture.Response{Status: 200, BodyText: `{"OK"}`},
			}).ExpectExchange(&fixture.Exchange{
				Request:  fixture.Request{Method: "GET", Path: "/usr/2"},
				Response: fixture.Response{Status: tc.status, BodyText: tc.body, Headers: map[string]string{"Content-Type": "application/json"}},
			})
			c, err := New(WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()), WithoutRetries())
			require.NoError(t, err)
			u, err := c.Update(context.Background(), 2, &UpdateRequest{Active: Ptr(Disabled)})
			assert.Nil(t, u)
			require.Error(t, err)
			assert.Equal(t, tc.err, err.Error())
			assert.Equal(t, tc.notFound, errors.Is(err, ErrNotFound))
			assert.NotErrorIs(t, err, ErrOutcomeUnknown, "the update was applied")
		})
	}
}

// An Update sent with POST is a write like Create: Revive's object in a 500 is a refusal,
// an HTML 500 leaves the outcome unknown.
func TestUpdate5xxOutcome(t *testing.T) {
	for name, tc := range map[string]struct {
		body    string
		unknown bool
	}{
		"Revive's object": {`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`, false},
		"html":            {"<html>Internal Server Error</html>", true},
	} {
		t.Run(name, func(t *testing.T) {
			c := answering(t, "POST", "/usr/2", `{"defaultAccountId":99}`, 500, tc.body)
			u, err := c.Update(context.Background(), 2, &UpdateRequest{DefaultAccountID: Ptr(ID(99))})
			assert.Nil(t, u)
			fuzzkit.AsAPIError(t, err)
			assert.Equal(t, tc.unknown, errors.Is(err, ErrOutcomeUnknown), err.Error())
		})
	}
}

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func TestDelete(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/delete.json"})
	require.NoError(t, c.Delete(context.Background(), 2), `the text {"OK"} is success`)
}

func TestDeleteIgnoresAnySuccessBody(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
	}{
		"OK text":      {200, `{"OK"}`},
		"empty":        {200, ""},
		"no content":   {204, ""},
		"true":         {200, "true"},
		"OK object":    {200, `{"OK":true}`},
		"error false":  {200, `{"error":false}`},
		"string":       {200, `"OK"`},
		"array":        {200, `[1]`},
		"html":         {200, "<html>deleted</html>"},
		"large object": {200, `{"log":"` + strings.Repeat("x", 70_000) + `"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c := answering(t, "DELETE", "/usr/2", "", tc.status, tc.body)
			assert.NoError(t, c.Delete(context.Background(), 2))
		})
	}
}

func TestDeleteIgnoresASuccessBodyOverTheLimit(t *testing.T) {
	c := answering(t, "DELETE", "/usr/2", "", 200, `{"log":"`+strings.Repeat("x", 100)+`"}`, WithMaxResponseBytes(64))
	assert.NoError(t, c.Delete(context.Background(), 2))
	c = answering(t, "GET", "/usr/2", "", 200, `{"log":"`+strings.Repeat("x", 100)+`"}`, WithMaxResponseBytes(64))
	_, err := c.Get(context.Background(), 2)
	assert.ErrorIs(t, err, ErrResponseTooLarge, "the limit itself still holds")
}

func TestDeleteErrorWithStatus200(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/delete_unknown_status200.json"})
	err := c.Delete(context.Background(), 999)
	require.ErrorIs(t, err, ErrNotFound)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.Equal(t, "DELETE /usr/999: 200 OK: Unknown userId Error [Exception]", err.Error())
}

func TestPathsIncludeTheBasePath(t *testing.T) {
	rec := fixture.New(t)
	for _, ex := range []fixture.Exchange{
		{Request: fixture.Request{Method: "GET", Path: "/revive/api/usr/1"},
			Response: fixture.Response{Status: 200, Body: []byte(`{"error":{"type":"Exception","message":"Unknown userId Error"}}`)}},
		{Request: fixture.Request{Method: "GET", Path: "/revive/api/usr/1"},
			Response: fixture.Response{Status: 404, Body: []byte(`{"error":{"type":"Exception","message":"Unknown userId Error"}}`)}},
		{Request: fixture.Request{Method: "GET", Path: "/revive/api/usr/acc/3"},
			Response: fixture.Response{Status: 200, Body: []byte(`[]`)}},
		{Request: fixture.Request{Method: "GET", Path: "/revive/api/usr/1"},
			Response: fixture.Response{Status: 200, Body: []byte(`{}`)}},
		{Request: fixture.Request{Method: "POST", Path: "/revive/api/usr/new", Body: json.RawMessage(seedCreateJSON)},
			Response: fixture.Response{Status: 502, BodyText: "Bad Gateway"}},
		{Request: fixture.Request{Method: "POST", Path: "/revive/api/usr/1", Body: json.RawMessage(`{"username":"x"}`)},
			Response: fixture.Response{Status: 200, Body: []byte(`{"userId":"1","active":"yes"}`)}},
	} {
		rec.ExpectExchange(&ex)
	}
	c, err := New(WithBaseURL("https://api.test/revive/api/"), WithBasicAuth(testUser, testPassword),
		WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	ctx := context.Background()
	_, err = c.Get(ctx, 1)
	assert.EqualError(t, err, "GET /revive/api/usr/1: 200 OK: Unknown userId Error [Exception]")
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, "https://api.test/revive/api/usr/1", apiErr.URL)
	_, err = c.Get(ctx, 1)
	assert.EqualError(t, err, "GET /revive/api/usr/1: 404 Not Found: Unknown userId Error [Exception]")
	users, err := c.ListByAccount(ctx, 3)
	require.NoError(t, err)
	assert.Empty(t, users)
	_, err = c.Get(ctx, 1)
	assert.EqualError(t, err, "GET /revive/api/usr/1: the answer is not a user (no userId)")
	req := seedCreate()
	_, err = c.Create(ctx, &req)
	assert.True(t, strings.HasPrefix(err.Error(), "POST /revive/api/usr/new: 502 Bad Gateway"), err.Error())
	_, err = c.Update(ctx, 1, &UpdateRequest{Username: Ptr("x")})
	assert.True(t, strings.HasPrefix(err.Error(), "POST /revive/api/usr/1: decoding response: accountuser: active must be"), err.Error())
}

func TestResponseLimit(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/get.json", "testdata/list_by_account.json"}, WithMaxResponseBytes(64))
	_, err := c.Get(context.Background(), 4)
	require.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "GET /usr/4: response body too large (limit 64 bytes)")
	_, err = c.ListByAccount(context.Background(), 2)
	require.ErrorIs(t, err, ErrResponseTooLarge)
}

func TestRequestIDOfAnErrorWithStatus200(t *testing.T) {
	rec := fixture.New(t).ExpectExchange(&fixture.Exchange{
		Request: fixture.Request{Method: "GET", Path: "/usr/7"},
		Response: fixture.Response{Status: 200, Headers: map[string]string{"X-Request-Id": "req-7"},
			Body: []byte(`{"error":{"type":"Exception","message":"Unknown userId Error"}}`)},
	})
	c, err := New(WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, err = c.Get(context.Background(), 7)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, "req-7", apiErr.RequestID)
	assert.Equal(t, "application/json", apiErr.ContentType)
	assert.True(t, strings.HasSuffix(err.Error(), "(request id req-7)"), err.Error())
}

func TestParseError(t *testing.T) {
	for body, want := range map[string]struct {
		code, message string
		revive        bool // the body is Revive's own error object
	}{
		`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`: {"Exception", "Unknown agencyId Error", true},
		`{"error":{"message":"only a message"}}`:                            {"", "only a message", true},
		`{"error":"plain"}`:                                                 {"", "plain", false},
		`{"message":"proxy says no","code":"E1"}`:                           {"E1", "proxy says no", false},
		`{"error":{"type":7,"message":"odd type"}}`:                         {"7", "odd type", true},
		`{"error":{"type":7,"message":8}}`:                                  {"7", "8", false},
		`{"ERROR":{"TYPE":"Exception"}}`:                                    {"Exception", "", false}, // the core reads any case; Revive writes "error"
		`[]`:                                                                {"", "", false},
		`"text"`:                                                            {"", "", false},
		`{"error":null}`:                                                    {"", "", false},
	} {
		e := &APIError{Body: []byte(body)}
		revive := parseError(e)
		assert.Equal(t, want.code, e.Code, body)
		assert.Equal(t, want.message, e.Message, body)
		assert.Equal(t, want.revive, revive, body)
	}
	e := &APIError{StatusCode: 500, Body: []byte(`{"error":{"type":"Exception","message":"Unknown userId Error"}}`)}
	parseError(e)
	assert.ErrorIs(t, e, ErrNotFound)
	e = &APIError{StatusCode: 500, Body: []byte(`{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`)}
	parseError(e)
	assert.NotErrorIs(t, e, ErrNotFound, "an unknown account is not found for a list but bad input for a create")
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, rec := newTestClient(t, nil)
	ctx := context.Background()
	create := func(mutate func(*CreateRequest)) func() error {
		return func() error {
			r := seedCreate()
			mutate(&r)
			_, err := c.Create(ctx, &r)
			return err
		}
	}
	cases := map[string]fuzzkit.Refusal{
		"list zero account":      {func() error { _, err := c.ListByAccount(ctx, 0); return err }, "accountId"},
		"get zero id":            {func() error { _, err := c.Get(ctx, 0); return err }, "userId"},
		"update negative id":     {func() error { _, err := c.Update(ctx, -2, &UpdateRequest{Active: Ptr(Enabled)}); return err }, "userId"},
		"delete negative id":     {func() error { return c.Delete(ctx, -1) }, "userId"},
		"create nil":             {func() error { _, err := c.Create(ctx, nil); return err }, "request"},
		"create no contactName":  {create(func(r *CreateRequest) { r.ContactName = "" }), "contactName"},
		"create no emailAddress": {create(func(r *CreateRequest) { r.EmailAddress = " " }), "emailAddress"},
		"create no account":      {create(func(r *CreateRequest) { r.DefaultAccountID = 0 }), "defaultAccountId"},
		"create no username":     {create(func(r *CreateRequest) { r.Username = "" }), "username"},
		"create no password":     {create(func(r *CreateRequest) { r.Password = "" }), "password"},
		"update nil":             {func() error { _, err := c.Update(ctx, 2, nil); return err }, "request"},
		"update empty":           {func() error { _, err := c.Update(ctx, 2, &UpdateRequest{}); return err }, "request"},
		"update empty username":  {func() error { _, err := c.Update(ctx, 2, &UpdateRequest{Username: Ptr("")}); return err }, "username"},
	}
	fuzzkit.RefusedAll(t, cases, rec.Received)
}

func TestNewRefusesBadConfiguration(t *testing.T) {
	auth := WithBasicAuth("u", "p")
	cases := map[string]struct {
		opts []Option
		err  string
	}{
		"no base URL":          {[]Option{auth}, "accountuser: no base URL: use WithBaseURL"},
		"no credentials":       {[]Option{WithBaseURL("https://api.test")}, "accountuser: no credentials: use WithBasicAuth"},
		"empty user":           {[]Option{WithBaseURL("https://api.test"), WithBasicAuth("", "p")}, "accountuser: WithBasicAuth: empty user"},
		"empty password":       {[]Option{WithBaseURL("https://api.test"), WithBasicAuth("u", "")}, "accountuser: WithBasicAuth: empty password"},
		"colon in user":        {[]Option{WithBaseURL("https://api.test"), WithBasicAuth("a:b", "p")}, "may not contain a colon"},
		"plain http remote":    {[]Option{WithBaseURL("http://ads.example.com"), auth}, "refusing to send credentials over plain http"},
		"unparsable":           {[]Option{WithBaseURL("://x"), auth}, "cannot parse"},
		"user info in the URL": {[]Option{WithBaseURL("https://u:p@api.test"), auth}, "credentials in the URL"},
		"nil http client":      {[]Option{WithBaseURL("https://api.test"), auth, WithHTTPClient(nil)}, "nil *http.Client"},
		"bad retry range":      {[]Option{WithBaseURL("https://api.test"), auth, WithRetry(1, 2, 1)}, "WithRetry"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := New(tc.opts...)
			assert.Nil(t, c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
		})
	}
	_, err := New(WithBaseURL("http://ads.example.com"), auth, WithInsecureHTTP())
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	_, err = New(WithBaseURL("http://127.0.0.1:8080"), auth)
	require.NoError(t, err, "loopback may use plain http")
}

func TestOptionsSetTheirDefaults(t *testing.T) {
	c, err := New(WithBaseURL("https://api.test"), WithBasicAuth("u", "p"))
	require.NoError(t, err)
	assert.Equal(t, settings{listPath: "/usr/acc/", writeMethod: "POST", contentType: "text/javascript"}, c.settings)
	c, err = New(WithBaseURL("https://api.test"), WithBasicAuth("u", "p"), WithPubListPath(), WithPUT(), WithJSONContentType())
	require.NoError(t, err)
	assert.Equal(t, settings{listPath: "/pub/usr/acc/", writeMethod: "PUT", contentType: "application/json"}, c.settings)
}

func TestErrorKindsStayApart(t *testing.T) {
	c, _ := newTestClient(t, []string{"testdata/get_unknown_status200.json"})
	_, err := c.Get(context.Background(), 999)
	assert.False(t, errors.Is(err, ErrUnauthorized))
	assert.False(t, errors.Is(err, ErrInvalidInput))
	var ve *ValidationError
	assert.False(t, errors.As(err, &ve))
}

// An Update sent with PUT is resent after a 502, as any PUT is; only Create is not.
func TestUpdateWithPUTIsResentLikeAnyPUT(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := fixture.Load(t, "testdata/update_put.json")
		gateway := *ex
		gateway.Response = fixture.Response{Status: 502, BodyText: "Bad Gateway"}
		rec := fixture.New(t).ExpectExchange(&gateway).ExpectExchange(ex)
		c, err := New(WithBaseURL("https://api.test"), WithBasicAuth(testUser, testPassword), WithHTTPClient(rec.Client()),
			WithPUT(), WithRetry(1, time.Second, time.Second))
		require.NoError(t, err)
		req := seedUpdate()
		start := time.Now()
		u, err := c.Update(context.Background(), 2, &req)
		require.NoError(t, err)
		require.NotNil(t, u)
		assert.Equal(t, seedUser2, *u)
		assert.Len(t, rec.Received(), 2)
		assert.LessOrEqual(t, time.Since(start), time.Second, "one backoff wait, in the bubble's fake time")
	})
}
