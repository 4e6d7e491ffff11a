package accountusertest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// answer is a response, read whole.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request with the server's credentials; ct is the Content-Type ("" for none).
func call(t *testing.T, srv *accountusertest.Server, method, path, ct, body string) answer {
	t.Helper()
	user, pass := srv.Credentials()
	return callAs(t, srv, user, pass, method, path, ct, body)
}

func callAs(t *testing.T, srv *accountusertest.Server, user, pass, method, path, ct, body string) answer {
	t.Helper()
	var header []string
	if user != "" || pass != "" {
		header = append(header, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
	}
	if ct != "" {
		header = append(header, "Content-Type", ct)
	}
	var b any
	if body != "" {
		b = body
	}
	status, h, raw := fuzzkit.Send(t, srv.Client(), method, srv.URL+path, b, header...)
	return answer{status: status, header: h, body: string(raw)}
}

func newServer(t *testing.T) *accountusertest.Server {
	t.Helper()
	srv := accountusertest.NewServer()
	t.Cleanup(srv.Close)
	return srv
}

// vendorError is the body of every error answer.
func vendorError(msg string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]string{"type": "Exception", "message": msg}})
	return string(b)
}

const js = "text/javascript"

const johnDoe = `{"contactName":"John Doe","emailAddress":"jhn.doe@example.com","defaultAccountId":1,"username":"test","password":"test"}`

func TestGetEncodesNumbersAsStrings(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 4, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "johndoe", DefaultAccountID: 2, Active: accountuser.Enabled}, "secret")
	srv.AddUser(accountuser.User{UserID: 5, ContactName: "Jane Roe", EmailAddress: "jane@example.com", Username: "jane", DefaultAccountID: 2}, "secret")

	a := call(t, srv, http.MethodGet, "/usr/4", "", "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.JSONEq(t, `{"userId":"4","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`, a.body)

	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &raw))
	for _, k := range []string{"userId", "defaultAccountId", "active"} {
		assert.IsType(t, "", raw[k], "%s is a JSON string", k)
	}
	assert.Contains(t, raw, "password")
	assert.Nil(t, raw["password"], "the password is never returned")

	a = call(t, srv, http.MethodGet, "/usr/5", "", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.Contains(t, a.body, `"active":"0"`)
}

func TestListByAccount(t *testing.T) {
	srv := newServer(t)
	srv.AddAccount(7)
	srv.AddUser(accountuser.User{UserID: 23, ContactName: "Jane Roe", EmailAddress: "jane.roe@example.com", Username: "janeroe", DefaultAccountID: 2}, "pw")
	srv.AddUser(accountuser.User{UserID: 21, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "johndoe", DefaultAccountID: 2, Active: true}, "pw")
	srv.AddUser(accountuser.User{UserID: 22, ContactName: "Other", EmailAddress: "o@example.com", Username: "other", DefaultAccountID: 3, Active: true}, "pw")

	want := `[
		{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"},
		{"userId":"23","contactName":"Jane Roe","emailAddress":"jane.roe@example.com","username":"janeroe","password":null,"defaultAccountId":"2","active":"0"}
	]`
	a := call(t, srv, http.MethodGet, "/usr/acc/2", "", "")
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.JSONEq(t, want, a.body, "a bare array, by id, only account 2")

	a = call(t, srv, http.MethodGet, "/usr/acc/7", "", "")
	require.Equal(t, http.StatusOK, a.status)
	assert.JSONEq(t, `[]`, a.body, "an account without users is an empty array, not null")

	for _, path := range []string{"/usr/acc/99", "/usr/acc/x"} {
		a = call(t, srv, http.MethodGet, path, "", "")
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.JSONEq(t, vendorError(accountusertest.MsgUnknownAccount), a.body, path)
	}
}

// One list path at a time: a client on the other one must see it fail, as it would on a
// real installation, not be served anyway.
func TestListPathIsOneAtATime(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 21, Username: "johndoe", DefaultAccountID: 2}, "pw")
	noRoute := func(path string) {
		t.Helper()
		for _, cred := range [][2]string{{"", ""}, {accountusertest.DefaultUsername, "wrong"}} {
			a := callAs(t, srv, cred[0], cred[1], http.MethodGet, path, "", "")
			assert.Equal(t, http.StatusNotFound, a.status, "%s with %q", path, cred)
			assert.Equal(t, "404 page not found\n", a.body, "%s answers as a path with no route", path)
		}
		a := call(t, srv, http.MethodGet, path, "", "")
		assert.Equal(t, http.StatusNotFound, a.status, path)
		assert.NotContains(t, a.body, "error", "no vendor error object: nothing handled %s", path)
	}
	served := func(path string) {
		t.Helper()
		a := call(t, srv, http.MethodGet, path, "", "")
		require.Equal(t, http.StatusOK, a.status, "%s: %s", path, a.body)
		assert.Contains(t, a.body, `"userId":"21"`)
		a = call(t, srv, http.MethodGet, strings.Replace(path, "/2", "/99", 1), "", "")
		assert.JSONEq(t, vendorError(accountusertest.MsgUnknownAccount), a.body, "an unknown account on the served path")
	}

	served("/usr/acc/2")
	noRoute("/pub/usr/acc/2")

	srv.SetPubListPath(true)
	served("/pub/usr/acc/2")
	noRoute("/usr/acc/2")
	assert.Equal(t, http.StatusUnauthorized, callAs(t, srv, "", "", http.MethodGet, "/pub/usr/acc/2", "", "").status,
		"the served path still needs credentials")

	srv.SetPubListPath(false)
	served("/usr/acc/2")
	noRoute("/pub/usr/acc/2")
}

func TestAddWithPostAndPutAndBothContentTypes(t *testing.T) {
	srv := newServer(t)
	n := 0
	for _, method := range []string{http.MethodPost, http.MethodPut} {
		for _, ct := range []string{"text/javascript", "application/json", "application/json; charset=utf-8"} {
			t.Run(method+" "+ct, func(t *testing.T) {
				n++
				name := fmt.Sprintf("user%d", n)
				body := fmt.Sprintf(`{"contactName":"John Doe","emailAddress":"jhn.doe@example.com","defaultAccountId":1,"username":%q,"password":"pw-%d"}`, name, n)
				a := call(t, srv, method, "/usr/new", ct, body)
				require.Equal(t, http.StatusOK, a.status, a.body)
				want := fmt.Sprintf(`{"userId":"%d","contactName":"John Doe","emailAddress":"jhn.doe@example.com","username":%q,"password":null,"defaultAccountId":"1","active":"1"}`, n, name)
				assert.JSONEq(t, want, a.body, "the created user, active by default")

				u, ok := srv.User(accountuser.ID(n))
				require.True(t, ok)
				assert.Equal(t, accountuser.User{UserID: accountuser.ID(n), ContactName: "John Doe", EmailAddress: "jhn.doe@example.com", Username: name, DefaultAccountID: 1, Active: true}, u)
				pw, _ := srv.Password(accountuser.ID(n))
				assert.Equal(t, fmt.Sprintf("pw-%d", n), pw)
			})
		}
	}
	assert.Len(t, srv.Users(), 6)
}

func TestAddRequiredFields(t *testing.T) {
	for _, field := range []string{"contactName", "emailAddress", "defaultAccountId", "username", "password"} {
		for _, how := range []string{"absent", "null", "blank"} {
			t.Run(field+" "+how, func(t *testing.T) {
				srv := newServer(t)
				var body map[string]any
				require.NoError(t, json.Unmarshal([]byte(johnDoe), &body))
				switch how {
				case "absent":
					delete(body, field)
				case "null":
					body[field] = nil
				case "blank":
					body[field] = " "
				}
				b, _ := json.Marshal(body)
				a := call(t, srv, http.MethodPost, "/usr/new", js, string(b))
				assert.Equal(t, http.StatusBadRequest, a.status, a.body)
				if how == "blank" && field == "defaultAccountId" {
					assert.JSONEq(t, vendorError("Field 'defaultAccountId' is not integer"), a.body)
				} else {
					assert.JSONEq(t, vendorError("Field '"+field+"' in structure does not exists"), a.body)
				}
				assert.Empty(t, srv.Users(), "nothing is stored")
			})
		}
	}
}

func TestAddRefusesWrongTypesAndBodies(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct{ body, msg string }{
		{`{"contactName":5,"emailAddress":"e@x","defaultAccountId":1,"username":"u","password":"p"}`, "Field 'contactName' is not string"},
		{`{"contactName":"c","emailAddress":"e@x","defaultAccountId":1.5,"username":"u","password":"p"}`, "Field 'defaultAccountId' is not integer"},
		{`{"contactName":"c","emailAddress":"e@x","defaultAccountId":"one","username":"u","password":"p"}`, "Field 'defaultAccountId' is not integer"},
		{`{"contactName":"c","emailAddress":"e@x","defaultAccountId":1,"username":"u","password":"p","active":2}`, "Field 'active' must be 0 or 1"},
		{`{"contactName":"c","emailAddress":"e@x","defaultAccountId":1,"username":"u","password":"p","active":"yes"}`, "Field 'active' must be 0 or 1"},
		{`{`, accountusertest.MsgWrongParameters},
		{`[]`, accountusertest.MsgWrongParameters},
		{`null`, accountusertest.MsgWrongParameters},
		{johnDoe + `{}`, accountusertest.MsgWrongParameters},
	} {
		a := call(t, srv, http.MethodPost, "/usr/new", js, tc.body)
		assert.Equal(t, http.StatusBadRequest, a.status, tc.body)
		assert.JSONEq(t, vendorError(tc.msg), a.body, tc.body)
	}
	assert.Empty(t, srv.Users())
}

func TestAddActiveEncodings(t *testing.T) {
	srv := newServer(t)
	for i, tc := range []struct {
		active string
		want   accountuser.Active
	}{
		{`0`, false}, {`"0"`, false}, {`false`, false},
		{`1`, true}, {`"1"`, true}, {`true`, true},
		{`null`, true}, // not set: the default, 1
	} {
		body := fmt.Sprintf(`{"contactName":"c","emailAddress":"e@example.com","defaultAccountId":"1","username":"u%d","password":"p","active":%s}`, i, tc.active)
		a := call(t, srv, http.MethodPost, "/usr/new", js, body)
		require.Equal(t, http.StatusOK, a.status, a.body)
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &got))
		want := map[bool]string{true: "1", false: "0"}[bool(tc.want)]
		assert.Equal(t, want, got["active"], tc.active)
		assert.Equal(t, "1", got["defaultAccountId"], "a string account id is accepted")
	}
}

func TestAddUnknownAccount(t *testing.T) {
	srv := newServer(t)
	body := strings.Replace(johnDoe, `"defaultAccountId":1`, `"defaultAccountId":99`, 1)
	a := call(t, srv, http.MethodPost, "/usr/new", js, body)
	assert.Equal(t, http.StatusBadRequest, a.status)
	assert.JSONEq(t, `{"error":{"type":"Exception","message":"Unknown agencyId Error"}}`, a.body)
	assert.Empty(t, srv.Users())

	srv.AddAccount(99)
	a = call(t, srv, http.MethodPost, "/usr/new", js, body)
	require.Equal(t, http.StatusOK, a.status, a.body)
	assert.Contains(t, a.body, `"defaultAccountId":"99"`)
	a = call(t, srv, http.MethodGet, "/usr/acc/99", "", "")
	assert.Contains(t, a.body, `"username":"test"`)
}

func TestUsernamesAreUnique(t *testing.T) {
	srv := newServer(t)
	require.Equal(t, http.StatusOK, call(t, srv, http.MethodPost, "/usr/new", js, johnDoe).status)

	dup := strings.Replace(johnDoe, `"username":"test"`, `"username":"TEST"`, 1)
	a := call(t, srv, http.MethodPut, "/usr/new", js, dup)
	assert.Equal(t, http.StatusConflict, a.status)
	assert.JSONEq(t, vendorError(accountusertest.MsgUsernameTaken), a.body)
	assert.Len(t, srv.Users(), 1)

	other := srv.AddUser(accountuser.User{ContactName: "o", EmailAddress: "o@example.com", Username: "other", DefaultAccountID: 1}, "pw")
	a = call(t, srv, http.MethodPost, "/usr/"+other.UserID.String(), js, `{"username":"Test"}`)
	assert.Equal(t, http.StatusConflict, a.status)
	assert.JSONEq(t, vendorError(accountusertest.MsgUsernameTaken), a.body)
	u, _ := srv.User(other.UserID)
	assert.Equal(t, "other", u.Username, "a refused modify changes nothing")

	a = call(t, srv, http.MethodPost, "/usr/1", js, `{"username":"test","contactName":"Same name kept"}`)
	assert.Equal(t, http.StatusOK, a.status, "a user may send its own username")
}

func TestModifySetsOnlySentFields(t *testing.T) {
	for _, method := range []string{http.MethodPost, http.MethodPut} {
		t.Run(method, func(t *testing.T) {
			srv := newServer(t)
			srv.AddAccount(3)
			srv.AddUser(accountuser.User{UserID: 2, ContactName: "John Doe", EmailAddress: "john.doe@example.com", Username: "john", DefaultAccountID: 1, Active: true}, "old")

			a := call(t, srv, method, "/usr/2", js, `{"contactName":"John Doe modified","active":"0","emailAddress":null}`)
			require.Equal(t, http.StatusOK, a.status, a.body)
			assert.JSONEq(t, `{"userId":"2","contactName":"John Doe modified","emailAddress":"john.doe@example.com","username":"john","password":null,"defaultAccountId":"1","active":"0"}`, a.body)
			pw, _ := srv.Password(2)
			assert.Equal(t, "old", pw, "a password not sent is kept")

			a = call(t, srv, method, "/usr/2", "application/json", `{"password":"new","defaultAccountId":"3","userId":"55"}`)
			require.Equal(t, http.StatusOK, a.status, a.body)
			pw, _ = srv.Password(2)
			assert.Equal(t, "new", pw)
			assert.Contains(t, a.body, `"userId":"2"`, "a userId in the body is ignored")
			assert.Contains(t, call(t, srv, http.MethodGet, "/usr/acc/3", "", "").body, `"userId":"2"`)
			assert.JSONEq(t, `[]`, call(t, srv, http.MethodGet, "/usr/acc/1", "", "").body)

			a = call(t, srv, method, "/usr/2", js, `{"defaultAccountId":42}`)
			assert.Equal(t, http.StatusBadRequest, a.status)
			assert.JSONEq(t, vendorError(accountusertest.MsgUnknownAccount), a.body)

			a = call(t, srv, method, "/usr/2", js, `{"username":""}`)
			assert.Equal(t, http.StatusBadRequest, a.status)

			a = call(t, srv, method, "/usr/2", js, `{}`)
			require.Equal(t, http.StatusOK, a.status, "an empty modify changes nothing")
			u, _ := srv.User(2)
			assert.Equal(t, accountuser.User{UserID: 2, ContactName: "John Doe modified", EmailAddress: "john.doe@example.com", Username: "john", DefaultAccountID: 3, Active: false}, u)
		})
	}
}

func TestModifyActiveEncodings(t *testing.T) {
	srv := newServer(t)
	u := srv.AddUser(accountuser.User{ContactName: "c", EmailAddress: "e@example.com", Username: "u", DefaultAccountID: 1, Active: true}, "pw")
	path := "/usr/" + u.UserID.String()
	for _, tc := range []struct {
		active string
		want   accountuser.Active
	}{
		{`0`, false}, {`1`, true}, {`"0"`, false}, {`"1"`, true}, {`false`, false}, {`true`, true},
	} {
		a := call(t, srv, http.MethodPost, path, js, `{"active":`+tc.active+`}`)
		require.Equal(t, http.StatusOK, a.status, a.body)
		got, _ := srv.User(u.UserID)
		assert.Equal(t, tc.want, got.Active, tc.active)
	}
	a := call(t, srv, http.MethodPost, path, js, `{"active":"true"}`)
	assert.Equal(t, http.StatusBadRequest, a.status)
}

func TestDelete(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 2, ContactName: "c", EmailAddress: "e@example.com", Username: "u", DefaultAccountID: 1}, "pw")
	a := call(t, srv, http.MethodDelete, "/usr/2", "", "")
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, `{"OK"}`, a.body)
	_, ok := srv.User(2)
	assert.False(t, ok)

	a = call(t, srv, http.MethodDelete, "/usr/2", "", "")
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.JSONEq(t, vendorError(accountusertest.MsgUnknownUser), a.body)

	srv.SetDeleteResponse(`true`)
	srv.AddUser(accountuser.User{UserID: 3, Username: "v", DefaultAccountID: 1}, "pw")
	a = call(t, srv, http.MethodDelete, "/usr/3", "", "")
	assert.Equal(t, http.StatusOK, a.status)
	assert.Equal(t, `true`, a.body)
}

func TestUnknownUserIDs(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 1, Username: "u", DefaultAccountID: 1}, "pw")
	for _, tc := range []struct{ method, path, ct, body string }{
		{http.MethodGet, "/usr/999", "", ""},
		{http.MethodGet, "/usr/abc", "", ""},
		{http.MethodGet, "/usr/new", "", ""},
		{http.MethodPost, "/usr/999", js, `{"contactName":"x"}`},
		{http.MethodPut, "/usr/999", js, `{"contactName":"x"}`},
		{http.MethodDelete, "/usr/999", "", ""},
		{http.MethodDelete, "/usr/-1", "", ""},
	} {
		a := call(t, srv, tc.method, tc.path, tc.ct, tc.body)
		assert.Equal(t, http.StatusNotFound, a.status, tc.method+" "+tc.path)
		assert.JSONEq(t, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`, a.body, tc.method+" "+tc.path)
	}
	assert.Len(t, srv.Users(), 1)
}

func TestBasicAuth(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 1, Username: "u", DefaultAccountID: 1}, "pw")
	user, pass := srv.Credentials()
	assert.Equal(t, "admin", user)
	assert.NotEmpty(t, pass)
	_, otherPass := newServer(t).Credentials()
	assert.NotEqual(t, pass, otherPass, "each server generates its own password")

	routes := []struct{ method, path, body string }{
		{http.MethodGet, "/usr/acc/1", ""},
		{http.MethodGet, "/usr/1", ""},
		{http.MethodPost, "/usr/new", johnDoe},
		{http.MethodPut, "/usr/new", johnDoe},
		{http.MethodPost, "/usr/1", `{"contactName":"x"}`},
		{http.MethodPut, "/usr/1", `{"contactName":"x"}`},
		{http.MethodDelete, "/usr/1", ""},
	}
	for _, cred := range []struct{ user, pass string }{{"", ""}, {user, "wrong"}, {"root", pass}, {user, pass + "x"}} {
		for _, rt := range routes {
			a := callAs(t, srv, cred.user, cred.pass, rt.method, rt.path, js, rt.body)
			assert.Equal(t, http.StatusUnauthorized, a.status, "%s %s as %q", rt.method, rt.path, cred.user)
			assert.Contains(t, a.header.Get("WWW-Authenticate"), "Basic")
			assert.Contains(t, a.body, `"type":"Exception"`)
		}
	}
	assert.Equal(t, []accountuser.User{{UserID: 1, Username: "u", DefaultAccountID: 1}}, srv.Users(), "refused requests change nothing")

	srv.SetCredentials("api", "s3cret")
	assert.Equal(t, http.StatusUnauthorized, callAs(t, srv, user, pass, http.MethodGet, "/usr/1", "", "").status)
	assert.Equal(t, http.StatusOK, callAs(t, srv, "api", "s3cret", http.MethodGet, "/usr/1", "", "").status)
}

func TestContentTypeMustBeJavaScriptOrJSON(t *testing.T) {
	srv := newServer(t)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "text/xml"} {
		a := call(t, srv, http.MethodPost, "/usr/new", ct, johnDoe)
		assert.Equal(t, http.StatusUnsupportedMediaType, a.status, ct)
		assert.Contains(t, a.body, `"type":"Exception"`, ct)
	}
	assert.Empty(t, srv.Users())
}

func TestSetErrorStatus(t *testing.T) {
	srv := newServer(t)
	srv.SetErrorStatus(http.StatusOK)
	a := call(t, srv, http.MethodGet, "/usr/999", "", "")
	assert.Equal(t, http.StatusOK, a.status, "some installations report errors with 200")
	assert.JSONEq(t, vendorError(accountusertest.MsgUnknownUser), a.body)
	assert.Equal(t, http.StatusUnauthorized, callAs(t, srv, "x", "y", http.MethodGet, "/usr/999", "", "").status, "401 is kept")

	srv.SetErrorStatus(0)
	assert.Equal(t, http.StatusNotFound, call(t, srv, http.MethodGet, "/usr/999", "", "").status)
}

func TestInjectedFaults(t *testing.T) {
	srv := newServer(t)
	srv.AddUser(accountuser.User{UserID: 1, Username: "u", DefaultAccountID: 1}, "pw")

	srv.FailNext(1, http.StatusServiceUnavailable, "2")
	a := call(t, srv, http.MethodGet, "/usr/1", "", "")
	assert.Equal(t, http.StatusServiceUnavailable, a.status)
	assert.Equal(t, "2", a.header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, call(t, srv, http.MethodGet, "/usr/1", "", "").status, "one fault only")
	assert.Equal(t, 1, srv.FaultsInjected())
	assert.Len(t, srv.Requests(), 2)

	// A create that takes effect although the client sees a reset connection.
	srv.Inject(1, fakeserver.Fault{DropAfterHandling: true, Method: http.MethodPost})
	user, pass := srv.Credentials()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/usr/new", strings.NewReader(johnDoe))
	require.NoError(t, err)
	req.SetBasicAuth(user, pass)
	req.Header.Set("Content-Type", js)
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.Len(t, srv.Users(), 2, "the user was created")
}

func TestSeedingKnobs(t *testing.T) {
	srv := newServer(t)
	first := srv.AddUser(accountuser.User{Username: "a", DefaultAccountID: 5}, "pw")
	assert.Equal(t, accountuser.ID(1), first.UserID)
	srv.AddUser(accountuser.User{UserID: 40, Username: "b", DefaultAccountID: 5}, "pw")
	a := call(t, srv, http.MethodPost, "/usr/new", js, strings.Replace(johnDoe, `"defaultAccountId":1`, `"defaultAccountId":5`, 1))
	require.Equal(t, http.StatusOK, a.status, "AddUser made account 5 exist: %s", a.body)
	assert.Contains(t, a.body, `"userId":"41"`, "ids continue after the highest seeded one")

	_, ok := srv.User(99)
	assert.False(t, ok)
	_, ok = srv.Password(99)
	assert.False(t, ok)
	ids := []accountuser.ID{}
	for _, u := range srv.Users() {
		ids = append(ids, u.UserID)
	}
	assert.Equal(t, []accountuser.ID{1, 40, 41}, ids)
}

func TestConcurrentAdds(t *testing.T) {
	srv := newServer(t)
	const n = 20
	var wg sync.WaitGroup
	statuses := make([]int, n)
	user, pass := srv.Credentials()
	for i := range n {
		wg.Go(func() {
			// Half the goroutines race for the same username: exactly one of them wins.
			name := fmt.Sprintf("user%d", i)
			if i%2 == 1 {
				name = "shared"
			}
			body := fmt.Sprintf(`{"contactName":"c","emailAddress":"e@example.com","defaultAccountId":1,"username":%q,"password":"p"}`, name)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/usr/new", strings.NewReader(body))
			req.SetBasicAuth(user, pass)
			req.Header.Set("Content-Type", js)
			resp, err := srv.Client().Do(req)
			if !assert.NoError(t, err) {
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	conflicts := 0
	for _, st := range statuses {
		if st == http.StatusConflict {
			conflicts++
		}
	}
	assert.Equal(t, n/2-1, conflicts)
	users := srv.Users()
	require.Len(t, users, n/2+1)
	for i, u := range users {
		assert.Equal(t, accountuser.ID(i+1), u.UserID, "ids are unique and dense")
	}
}
