package usersdktest_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/accountuser/accountusertest"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// rule is one raw HTTP exchange a fake must answer with a documented status: users' tests
// depend on these rules, so they are checked here without the SDK's client in between.
type rule struct {
	name, method, path, body string
	auth                     bool
	status                   int
	// contains, when set, must be in the answer's body.
	contains string
}

// fakeUnderTest is a fake started for the rules, with how to authenticate to it.
type fakeUnderTest struct {
	base, auth, contentType string
	rules                   []rule
}

func fakes(t *testing.T) map[string]fakeUnderTest {
	bo := backofficetest.NewServer()
	t.Cleanup(bo.Close)
	const boUser = `{"name":"Mary","email":"mary@example.com","password":"Pw-123456","active":true,"tfa":false,"groups":[1]}`

	tel := clientusertest.NewServer()
	t.Cleanup(tel.Close)
	const telUser = `{"login":"auditor","name":"Olga","password":"Pw-123456","email":"olga@example.com"}`

	rv := accountusertest.NewServer()
	t.Cleanup(rv.Close)
	rv.AddAccount(2)
	user, pass := rv.Credentials()
	const rvUser = `{"contactName":"Mary","emailAddress":"mary@example.com","defaultAccountId":2,"username":"mary","password":"Pw-123456"}`

	dh := iotusertest.NewServer()
	t.Cleanup(dh.Close)
	admin := dh.AddUser(iotuser.User{Login: "rules-admin", Role: iotuser.RoleAdmin}, "Admin-pw-1")
	tokens, err := dh.IssueTokens(admin.ID)
	require.NoError(t, err)

	return map[string]fakeUnderTest{
		"backofficetest": {base: bo.URL + "/api/v2", auth: "Bearer " + bo.Token(), contentType: "application/json", rules: []rule{
			{name: "create", method: "POST", path: "/users", body: boUser, auth: true, status: 201, contains: `"id"`},
			{name: "create again, same e-mail", method: "POST", path: "/users", body: boUser, auth: true, status: 409},
			{name: "active is required", method: "POST", path: "/users", auth: true, status: 422,
				body: `{"name":"Ann","email":"ann@example.com","password":"Pw-123456","tfa":false,"groups":[1]}`},
			{name: "tfa is required", method: "POST", path: "/users", auth: true, status: 422,
				body: `{"name":"Ann","email":"ann@example.com","password":"Pw-123456","active":true,"groups":[1]}`},
			{name: "unknown id", method: "GET", path: "/users/99999", auth: true, status: 404},
			{name: "delete", method: "DELETE", path: "/users/1", auth: true, status: 204},
			{name: "no token", method: "GET", path: "/users", status: 401},
		}},
		"clientusertest": {base: tel.BaseURL(), auth: "Bearer " + tel.IssueToken(), contentType: "application/json", rules: []rule{
			{name: "create", method: "POST", path: "/client/@me/user/client/", body: telUser, auth: true, status: 201, contains: `"id"`},
			{name: "create again, same login", method: "POST", path: "/client/@me/user/client/", body: telUser, auth: true, status: 409},
			{name: "login is required", method: "POST", path: "/client/@me/user/client/", auth: true, status: 400,
				body: `{"name":"Olga","password":"Pw-123456","email":"o2@example.com"}`},
			{name: "collection without its slash", method: "GET", path: "/client/@me/user/client", auth: true, status: 404},
			{name: "unknown user", method: "GET", path: "/client/@me/user/client/99999", auth: true, status: 404, contains: "Record not found"},
			{name: "list is a bare array", method: "GET", path: "/client/@me/user/client/", auth: true, status: 200, contains: `[`},
			{name: "no token", method: "GET", path: "/client/@me/user/client/", status: 401},
		}},
		"accountusertest": {base: rv.URL, auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)), contentType: "text/javascript", rules: []rule{
			{name: "add answers the user, numbers as strings", method: "POST", path: "/usr/new", body: rvUser, auth: true, status: 200, contains: `"defaultAccountId":"2"`},
			{name: "username must be unique", method: "POST", path: "/usr/new", body: rvUser, auth: true, status: 409, contains: "Username must be unique"},
			{name: "username is required", method: "POST", path: "/usr/new", auth: true, status: 400,
				body: `{"contactName":"Ann","emailAddress":"ann@example.com","defaultAccountId":2,"password":"Pw-123456"}`},
			{name: "unknown user", method: "GET", path: "/usr/99999", auth: true, status: 404, contains: "Unknown userId Error"},
			{name: "list at /usr/acc/", method: "GET", path: "/usr/acc/2", auth: true, status: 200, contains: `[`},
			{name: "no list at /pub/usr/acc/ by default", method: "GET", path: "/pub/usr/acc/2", auth: true, status: 404},
			{name: "no credentials", method: "GET", path: "/usr/acc/2", status: 401},
		}},
		"iotusertest": {base: dh.BaseURL(), auth: "Bearer " + tokens.AccessToken, contentType: "application/json", rules: []rule{
			{name: "create", method: "POST", path: "/user", body: `{"login":"  mary  ","role":1,"password":"Mary-pw-1"}`, auth: true, status: 201, contains: `"id"`},
			{name: "taken login is 403", method: "POST", path: "/user", body: `{"login":"mary","role":1,"password":"Mary-pw-1"}`, auth: true, status: 403},
			{name: "unknown user", method: "GET", path: "/user/99999", auth: true, status: 404, contains: `"error":404`},
			{name: "update answers 204", method: "PUT", path: "/user/current", body: `{"data":{"a":1}}`, auth: true, status: 204},
			{name: "login", method: "POST", path: "/token", body: `{"login":"rules-admin","password":"Admin-pw-1"}`, status: 201, contains: "refreshToken"},
			{name: "no token", method: "GET", path: "/user", status: 401},
		}},
	}
}

func TestFakesAnswerWithTheVendorsStatuses(t *testing.T) {
	for name, f := range fakes(t) {
		t.Run(name, func(t *testing.T) {
			// Rules run in order: a later rule may depend on an earlier one's effect.
			for _, r := range f.rules {
				var body any
				var header []string
				if r.body != "" {
					body, header = r.body, []string{"Content-Type", f.contentType}
				}
				if r.auth {
					header = append(header, "Authorization", f.auth)
				}
				status, _, got := fuzzkit.Send(t, nil, r.method, f.base+r.path, body, header...)
				assert.Equal(t, r.status, status, "%s: %s %s answered %s", r.name, r.method, r.path, got)
				if r.contains != "" {
					assert.Contains(t, string(got), r.contains, r.name)
				}
			}
		})
	}
}
