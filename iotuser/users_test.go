package iotuser

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/core"
	"github.com/usersdk/usersdk-go/internal/fixture"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

const (
	testBaseURL = "https://api.test/dh/rest"
	testToken   = "test-token"
)

// newTestClient returns a client holding the fixture's access token, with the recordings
// in files queued.
func newTestClient(t *testing.T, files ...string) (*Client, *fixture.Recorder) {
	t.Helper()
	rec := fixture.New(t).Expect(files...)
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()), WithoutRetries())
	require.NoError(t, err)
	return c, rec
}

const maryData = `{"phone":"+1-555-0100","preferences":{"theme":"dark","units":"metric"},"tags":["pilot",7,null]}`

func TestList(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list.json")
	users, err := c.List(context.Background(), ListOptions{
		Login: "mary", LoginPattern: "%ma%", Role: Ptr(RoleClient), Status: Ptr(StatusActive),
		SortField: SortByLogin, SortOrder: Ascending, Take: 10, Skip: 10,
	})
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, "maria", users[0].Login)
	assert.Nil(t, users[0].LastLogin)
	assert.Equal(t, int64(2), users[1].ID)
	assert.Equal(t, RoleClient, users[1].Role)
	assert.True(t, users[1].LastLogin.Equal(utc(2018, 2, 20, 14, 10, 15, 123e6)))
	assert.JSONEq(t, maryData, string(users[1].Data))
}

func TestListServerRefusesUnknownSortField(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_bad_sort.json")
	_, err := c.List(context.Background(), ListOptions{SortField: "Name"})
	require.ErrorIs(t, err, ErrInvalidInput)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, "Invalid request parameters", apiErr.Message)
	assert.Empty(t, apiErr.Code, "the body's error number repeats the status")
}

func TestAllFixturePages(t *testing.T) {
	rec := fixture.New(t)
	// All sends sortField=ID unless told otherwise; the recordings page without it.
	for _, f := range []string{"testdata/list_page1.json", "testdata/list_page2.json"} {
		ex := fixture.Load(t, f)
		ex.Request.Query.Set("sortField", "ID")
		rec.ExpectExchange(ex)
	}
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	var logins []string
	for u, err := range c.All(context.Background(), ListOptions{Take: 2}) {
		require.NoError(t, err)
		logins = append(logins, u.Login)
	}
	assert.Equal(t, []string{"test-user", "mary", "maria"}, logins)
}

func TestCount(t *testing.T) {
	c, _ := newTestClient(t, "testdata/count.json")
	opts := ListOptions{LoginPattern: "%ma%", Role: Ptr(RoleClient), Status: Ptr(StatusActive), Take: 5, Skip: 5, SortField: SortByLogin}
	n, err := c.Count(context.Background(), opts.CountOptions())
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
}

func TestGet(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get.json")
	u, err := c.Get(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, "mary", u.Login)
	assert.Equal(t, StatusActive, u.Status)
	assert.True(t, u.IntroReviewed)
	assert.JSONEq(t, maryData, string(u.Data))
	assert.Equal(t, []Network{
		{ID: 1, Name: "Default Network", Description: "Network created for the user"},
		{ID: 3, Name: "Greenhouse sensors"},
	}, u.Networks)
}

func TestGetNotFound(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_not_found.json")
	_, err := c.Get(context.Background(), 999)
	require.ErrorIs(t, err, ErrNotFound)
	assert.NotErrorIs(t, err, ErrConflict)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "User with id = 999 not found", apiErr.Message)
	assert.Equal(t, "GET /dh/rest/user/999: 404 Not Found: User with id = 999 not found", err.Error())
}

func TestGetCurrent(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_current.json")
	u, err := c.GetCurrent(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int64(1), u.ID)
	assert.Equal(t, "test-user", u.Login)
	assert.Equal(t, RoleAdmin, u.Role)
	assert.Equal(t, "null", string(u.Data))
	assert.True(t, u.AllDeviceTypesAvailable)
	assert.NotNil(t, u.Networks)
	assert.Empty(t, u.Networks)
}

func createRequest() *CreateRequest {
	return &CreateRequest{
		Login: "mary", Role: Ptr(RoleClient), Status: StatusActive, Password: "s3cret-Pass",
		Data: json.RawMessage(maryData), IntroReviewed: Ptr(false), AllDeviceTypesAvailable: Ptr(false),
	}
}

func TestCreate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create.json")
	u, err := c.Create(context.Background(), createRequest())
	require.NoError(t, err)
	assert.Equal(t, int64(2), u.ID)
	// The 201 answer lacks these; they come from the request.
	assert.Equal(t, "mary", u.Login)
	assert.Equal(t, RoleClient, u.Role)
	assert.Equal(t, StatusActive, u.Status)
	assert.JSONEq(t, maryData, string(u.Data))
	assert.False(t, u.AllDeviceTypesAvailable)
	assert.Nil(t, u.LastLogin)
}

func TestCreateDuplicateLoginIsAConflict(t *testing.T) {
	c, _ := newTestClient(t, "testdata/create_duplicate_login.json", "testdata/create_conflict.json")
	_, err := c.Create(context.Background(), createRequest())
	require.ErrorIs(t, err, ErrConflict, "a taken login is answered with 403")
	require.ErrorIs(t, err, ErrForbidden)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, "User with such login already exists. Please, select another one", apiErr.Message)

	_, err = c.Create(context.Background(), createRequest())
	require.ErrorIs(t, err, ErrConflict)
	assert.NotErrorIs(t, err, ErrForbidden)
}

func TestUpdate(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update.json")
	err := c.Update(context.Background(), 2, &UpdateRequest{
		Login: Ptr("mary.smith"), Role: Ptr(RoleClient), Status: Ptr(StatusLocked),
		Password: Ptr("n3w-Passw0rd"), IntroReviewed: Ptr(true),
		Data: Ptr(json.RawMessage(`{"phone":"+1-555-0199"}`)),
	})
	require.NoError(t, err)
}

func TestUpdateClearsDataOnlyWhenAsked(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update_clear_data.json")
	require.NoError(t, c.Update(context.Background(), 2, &UpdateRequest{Data: Ptr(json.RawMessage("null"))}))
}

func TestUpdateKeepingDataByReadModifyWrite(t *testing.T) {
	rec := fixture.New(t).Expect("testdata/get.json")
	rec.ExpectExchange(&fixture.Exchange{
		Request: fixture.Request{Method: "PUT", Path: "/dh/rest/user/2",
			Headers: map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"},
			Body:    json.RawMessage(`{"status":2,"data":` + maryData + `}`)},
		Response: fixture.Response{Status: 204},
	})
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	ctx := context.Background()
	u, err := c.Get(ctx, 2)
	require.NoError(t, err)
	require.NoError(t, c.Update(ctx, 2, &UpdateRequest{Status: Ptr(StatusDisabled), Data: &u.Data}))
}

func TestUpdateCurrent(t *testing.T) {
	c, _ := newTestClient(t, "testdata/update_current.json")
	err := c.UpdateCurrent(context.Background(), &UpdateRequest{
		Password: Ptr("n3w-Passw0rd"),
		Data:     Ptr(json.RawMessage(`{"phone":"+1-555-0100"}`)),
	})
	require.NoError(t, err)
}

func TestDelete(t *testing.T) {
	c, _ := newTestClient(t, "testdata/delete.json")
	require.NoError(t, c.Delete(context.Background(), 7))
}

func TestGetNetwork(t *testing.T) {
	c, _ := newTestClient(t, "testdata/get_network.json")
	n, err := c.GetNetwork(context.Background(), 2, 1)
	require.NoError(t, err)
	assert.Equal(t, &Network{ID: 1, Name: "Default Network", Description: "Network created for the user"}, n)
}

func TestAssignAndUnassignNetwork(t *testing.T) {
	c, rec := newTestClient(t, "testdata/assign_network.json", "testdata/unassign_network.json")
	require.NoError(t, c.AssignNetwork(context.Background(), 2, 3))
	require.NoError(t, c.UnassignNetwork(context.Background(), 2, 3))
	for _, r := range rec.Received() {
		assert.Empty(t, r.Header.Get("Content-Type"), "no body, no content type")
	}
}

func TestListDeviceTypes(t *testing.T) {
	c, _ := newTestClient(t, "testdata/list_device_types.json")
	types, err := c.ListDeviceTypes(context.Background(), 2)
	require.NoError(t, err)
	assert.Equal(t, []DeviceType{
		{ID: 1, Name: "Default Device Type", Description: "Default DeviceHive device type"},
		{ID: 4, Name: "Thermostat"},
	}, types)
}

func TestAssignAndUnassignDeviceType(t *testing.T) {
	c, _ := newTestClient(t, "testdata/assign_device_type.json", "testdata/unassign_device_type.json")
	require.NoError(t, c.AssignDeviceType(context.Background(), 2, 4))
	require.NoError(t, c.UnassignDeviceType(context.Background(), 2, 4))
}

func TestAllowAndDisallowAllDeviceTypes(t *testing.T) {
	c, _ := newTestClient(t, "testdata/allow_all_device_types.json", "testdata/disallow_all_device_types.json")
	require.NoError(t, c.AllowAllDeviceTypes(context.Background(), 2))
	require.NoError(t, c.DisallowAllDeviceTypes(context.Background(), 2))
}

func TestBadInputIsRefusedBeforeSending(t *testing.T) {
	c, rec := newTestClient(t)
	ctx := context.Background()
	cases := map[string]fuzzkit.Refusal{
		"get zero id":              {func() error { _, err := c.Get(ctx, 0); return err }, "id"},
		"delete negative id":       {func() error { return c.Delete(ctx, -1) }, "id"},
		"update zero id":           {func() error { return c.Update(ctx, 0, &UpdateRequest{IntroReviewed: Ptr(true)}) }, "id"},
		"get network zero network": {func() error { _, err := c.GetNetwork(ctx, 2, 0); return err }, "networkId"},
		"assign network zero user": {func() error { return c.AssignNetwork(ctx, 0, 3) }, "id"},
		"unassign network zero":    {func() error { return c.UnassignNetwork(ctx, 2, 0) }, "networkId"},
		"list device types zero":   {func() error { _, err := c.ListDeviceTypes(ctx, 0); return err }, "id"},
		"assign device type zero":  {func() error { return c.AssignDeviceType(ctx, 2, 0) }, "deviceTypeId"},
		"unassign device type 0":   {func() error { return c.UnassignDeviceType(ctx, 0, 4) }, "id"},
		"allow all zero":           {func() error { return c.AllowAllDeviceTypes(ctx, 0) }, "id"},
		"disallow all zero":        {func() error { return c.DisallowAllDeviceTypes(ctx, -2) }, "id"},
		"create nil":               {func() error { _, err := c.Create(ctx, nil); return err }, "request"},
		"create empty login": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Password: "secret1"})
			return err
		}, "login"},
		"create short password": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Login: "mary", Password: "12345"})
			return err
		}, "password"},
		"create without role": {func() error {
			_, err := c.Create(ctx, &CreateRequest{Login: "mary", Password: "s3cret-Pass"})
			return err
		}, "role"},
		"update nothing set":      {func() error { return c.Update(ctx, 2, &UpdateRequest{}) }, "request"},
		"update current nil":      {func() error { return c.UpdateCurrent(ctx, nil) }, "request"},
		"update current password": {func() error { return c.UpdateCurrent(ctx, &UpdateRequest{Password: Ptr("short")}) }, "password"},
		"list negative take":      {func() error { _, err := c.List(ctx, ListOptions{Take: -1}); return err }, "take"},
		"all negative skip": {func() error {
			for _, err := range c.All(ctx, ListOptions{Skip: -1}) {
				return err
			}
			return nil
		}, "skip"},
	}
	fuzzkit.RefusedAll(t, cases, rec.Received)
}

func TestParseError(t *testing.T) {
	tests := map[string]struct {
		status        int
		body          string
		message, code string
		conflict      bool
		vendor        bool // DeviceHive's own error object
	}{
		"devicehive":            {404, `{"error":404,"message":"User with id = 9 not found"}`, "User with id = 9 not found", "", false, true},
		"number differs":        {502, `{"error":500,"message":"Internal error"}`, "Internal error", "500", false, true},
		"taken login":           {403, `{"error":403,"message":"User with such login already exists. Please, select another one"}`, "User with such login already exists. Please, select another one", "", true, true},
		"no message":            {401, `{"error":401}`, "", "", false, true},
		"null message":          {500, `{"error":500,"message":null}`, "", "", false, true},
		"spring default":        {401, `{"timestamp":"2018-02-20T14:10:15.123","status":401,"error":"Unauthorized","message":"Full authentication is required","path":"/dh/rest/user"}`, "Full authentication is required", "", false, false},
		"error string only":     {400, `{"error":"bad things"}`, "bad things", "", false, false},
		"array":                 {500, `[1,2]`, "", "", false, false},
		"message not a string":  {500, `{"error":500,"message":{"a":1}}`, "", "", false, false},
		"keys in another case":  {500, `{"ERROR":500,"Message":"x"}`, "x", "", false, false},
		"error is an object":    {409, `{"error":{"message":"inner","code":"dup"}}`, "inner", "dup", false, false},
		"exists in another way": {409, `{"error":409,"message":"Network already exists"}`, "Network already exists", "", true, true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := &APIError{StatusCode: tt.status, Body: []byte(tt.body)}
			vendor := parseError(e)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.conflict || tt.status == 409, errors.Is(e, ErrConflict))
			assert.Equal(t, tt.vendor, vendor, "only DeviceHive's exact shape proves who answered")
		})
	}
}

func TestNewRefusesBadConfiguration(t *testing.T) {
	cases := map[string][]Option{
		"no base URL":             {WithTokens("a", "")},
		"no credentials":          {WithBaseURL(testBaseURL)},
		"empty login":             {WithBaseURL(testBaseURL), WithLogin("", "pw")},
		"empty password":          {WithBaseURL(testBaseURL), WithLogin("admin", "")},
		"no tokens":               {WithBaseURL(testBaseURL), WithTokens("", "")},
		"plain http base":         {WithBaseURL("http://dh.example.com/dh/rest"), WithTokens("a", "")},
		"plain http auth":         {WithBaseURL(testBaseURL), WithAuthURL("http://dh.example.com:8090/dh/rest"), WithLogin("a", "b")},
		"unparsable auth URL":     {WithBaseURL(testBaseURL), WithAuthURL("://x"), WithLogin("a", "b")},
		"empty auth URL":          {WithBaseURL(testBaseURL), WithAuthURL(""), WithLogin("a", "b")},
		"user info in auth URL":   {WithBaseURL(testBaseURL), WithAuthURL("https://u:p@auth.test"), WithLogin("a", "b")},
		"nil token callback":      {WithBaseURL(testBaseURL), WithTokens("a", ""), WithTokenCallback(nil)},
		"nil http client":         {WithBaseURL(testBaseURL), WithTokens("a", ""), WithHTTPClient(nil)},
		"option of a foreign set": {WithBaseURL(testBaseURL), WithTokens("a", ""), foreignOption()},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := New(opts...)
			require.Error(t, err)
		})
	}
	_, err := New(WithBaseURL("http://localhost:8080/dh/rest"), WithAuthURL("http://127.0.0.1:8090/dh/rest"), WithLogin("a", "b"))
	require.NoError(t, err, "loopback may use plain http")
	_, err = New(WithBaseURL("http://dh.example.com/dh/rest"), WithAuthURL("http://dh.example.com:8090/dh/rest"), WithLogin("a", "b"), WithInsecureHTTP())
	require.NoError(t, err, "WithInsecureHTTP allows plain http")
	_, err = New(WithBaseURL(testBaseURL), WithTokens("", "refresh-only"), WithLogin("a", "b"))
	require.NoError(t, err)
}

// foreignOption stands for an option that writes another package's family settings.
func foreignOption() Option {
	return Option{func(s *core.Settings) error {
		_, err := core.FamilySettings[struct{ x int }](s, "WithSomething")
		return err
	}}
}

func TestOddAnswers(t *testing.T) {
	create := fixture.Load(t, "testdata/create.json")
	create.Response.Body = json.RawMessage(`null`)
	fullCreate := fixture.Load(t, "testdata/create.json")
	fullCreate.Response.Body = json.RawMessage(`{"id":3,"login":"mary","role":1,"status":1}`)
	network := fixture.Load(t, "testdata/get_network.json")
	network.Response.Body = json.RawMessage(`{"id":1,"name":"unwrapped"}`)
	rec := fixture.New(t).ExpectExchange(create).ExpectExchange(fullCreate).ExpectExchange(network)
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.Create(ctx, createRequest())
	require.ErrorIs(t, err, ErrOutcomeUnknown, "a 201 with null: what was stored is unknown")
	u, err := c.Create(ctx, createRequest())
	require.NoError(t, err)
	assert.Equal(t, StatusLocked, u.Status, "what the server says wins over the request")
	assert.JSONEq(t, maryData, string(u.Data), "data missing from the answer comes from the request")
	_, err = c.GetNetwork(ctx, 2, 1)
	require.ErrorContains(t, err, "the answer has no network")
}

// The server stores the login trimmed (StringUtils.trim: characters up to U+0020 at
// either end), and Create, whose answer has no login, reports it as stored.
func TestCreateReturnsTheLoginTrimmed(t *testing.T) {
	ex := fixture.Load(t, "testdata/create.json")
	var body map[string]any
	require.NoError(t, json.Unmarshal(ex.Request.Body, &body))
	body["login"] = " \tmary\x01 "
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	ex.Request.Body = raw // sent as given: the server does the trimming
	rec := fixture.New(t).ExpectExchange(ex)
	c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	req := createRequest()
	req.Login = " \tmary\x01 "
	u, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, "mary", u.Login)
	assert.Equal(t, " \tmary\x01 ", req.Login, "the request is not changed")
}

// A 2xx answer to Create that holds no user is not a user with id 0: the user may or may
// not have been stored.
func TestCreateAnswerWithoutAUser(t *testing.T) {
	for _, body := range []string{`{}`, `{"lastLogin":null,"data":null,"introReviewed":false}`, `{"id":0}`} {
		t.Run(body, func(t *testing.T) {
			ex := fixture.Load(t, "testdata/create.json")
			ex.Response.Body = json.RawMessage(body)
			rec := fixture.New(t).ExpectExchange(ex)
			c, err := New(WithBaseURL(testBaseURL), WithTokens(testToken, ""), WithHTTPClient(rec.Client()))
			require.NoError(t, err)
			u, err := c.Create(context.Background(), createRequest())
			assert.Nil(t, u)
			require.ErrorIs(t, err, ErrOutcomeUnknown)
			assert.Len(t, rec.Received(), 1, "a write is not sent twice")
		})
	}
}

// DeviceHive's own error object on a 500 proves the application refused the write; a
// proxy's HTML page proves nothing.
func TestCreateAnswered500(t *testing.T) {
	c, rec := newTestClient(t, "testdata/create_server_error.json")
	_, err := c.Create(context.Background(), createRequest())
	apiErr := fuzzkit.AsAPIError(t, err)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, "Internal server error", apiErr.Message)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "refused by DeviceHive itself")
	assert.NotContains(t, err.Error(), "may have taken effect")

	html := fixture.Load(t, "testdata/create_server_error.json")
	html.Response = fixture.Response{Status: http.StatusInternalServerError, Headers: map[string]string{"Content-Type": "text/html"},
		BodyText: "<html><body><h1>500 Internal Server Error</h1></body></html>"}
	rec.ExpectExchange(html)
	_, err = c.Create(context.Background(), createRequest())
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "a proxy's page says nothing of the write")
	assert.Len(t, rec.Received(), 2)
}
