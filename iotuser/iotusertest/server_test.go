package iotusertest_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/internal/fuzzkit"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/iotuser/iotusertest"
)

// clock is a manual clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2018, 2, 20, 14, 10, 15, 123e6, time.UTC)

func newServer(t *testing.T, opts ...iotusertest.Option) (*iotusertest.Server, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	srv := iotusertest.NewServer(append([]iotusertest.Option{iotusertest.WithClock(clk.Now)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clk
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// send makes one request; body is nil, a string sent as it is, or a value sent as JSON.
func send(t *testing.T, method, url, token string, body any) response {
	t.Helper()
	var header []string
	if body != nil {
		header = append(header, "Content-Type", "application/json")
	}
	if token != "" {
		header = append(header, "Authorization", "Bearer "+token)
	}
	status, h, raw := fuzzkit.Send(t, nil, method, url, body, header...)
	return response{status: status, header: h, body: raw}
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// requireError checks an error answer: its status and the server's {"error","message"}.
func (r response) requireError(t *testing.T, status int, message string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	var e struct {
		Error   int    `json:"error"`
		Message string `json:"message"`
	}
	r.decode(t, &e)
	assert.Equal(t, status, e.Error)
	if message != "" {
		assert.Equal(t, message, e.Message)
	}
}

func login(t *testing.T, srv *iotusertest.Server, user, password string) iotuser.Tokens {
	t.Helper()
	r := send(t, "POST", srv.AuthURL()+"/token", "", map[string]string{"login": user, "password": password})
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var tok iotuser.Tokens
	r.decode(t, &tok)
	require.NotEmpty(t, tok.AccessToken)
	require.NotEmpty(t, tok.RefreshToken)
	return tok
}

func adminToken(t *testing.T, srv *iotusertest.Server) string {
	t.Helper()
	return login(t, srv, srv.AdminLogin(), srv.AdminPassword()).AccessToken
}

func refresh(t *testing.T, srv *iotusertest.Server, refreshToken string) response {
	t.Helper()
	return send(t, "POST", srv.AuthURL()+"/token/refresh", "", map[string]string{"refreshToken": refreshToken})
}

type jwtClaims struct {
	Payload struct {
		U  int64    `json:"u"`
		A  []int    `json:"a"`
		N  []string `json:"n"`
		DT []string `json:"dt"`
		E  int64    `json:"e"`
		T  int      `json:"t"`
	} `json:"payload"`
}

// decodeJWT checks the header and the signature with key and returns the raw claims.
func decodeJWT(t *testing.T, token string, key []byte) (jwtClaims, string) {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	enc := base64.RawURLEncoding
	hdr, err := enc.DecodeString(parts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"HS256"}`, string(hdr))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := enc.DecodeString(parts[2])
	require.NoError(t, err)
	assert.True(t, hmac.Equal(mac.Sum(nil), sig), "HS256 signature with the server's key")
	body, err := enc.DecodeString(parts[1])
	require.NoError(t, err)
	var c jwtClaims
	require.NoError(t, json.Unmarshal(body, &c))
	return c, string(body)
}

func addClient(srv *iotusertest.Server, login string) iotuser.User {
	return srv.AddUser(iotuser.User{Login: login, Role: iotuser.RoleClient, AllDeviceTypesAvailable: true}, "client-pass")
}

func TestLoginIssuesServerShapedTokens(t *testing.T) {
	srv, _ := newServer(t)
	tok := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	assert.Equal(t, 1, srv.Logins())

	c, raw := decodeJWT(t, tok.AccessToken, srv.SigningKey())
	assert.Equal(t, fmt.Sprintf(`{"payload":{"u":%d,"a":[0],"n":["*"],"dt":["*"],"e":%d,"t":1}}`,
		srv.AdminID(), t0.Add(30*time.Minute).UnixMilli()), raw)

	c, _ = decodeJWT(t, tok.RefreshToken, srv.SigningKey())
	assert.Equal(t, 0, c.Payload.T)
	assert.Equal(t, t0.Add(15724800000*time.Millisecond).UnixMilli(), c.Payload.E, "refresh token lives 182 days")

	r := send(t, "GET", srv.BaseURL()+"/user/current", tok.AccessToken, nil)
	require.Equal(t, http.StatusOK, r.status)
	var me iotuser.UserWithNetworks
	r.decode(t, &me)
	assert.Equal(t, srv.AdminLogin(), me.Login)
	require.NotNil(t, me.LastLogin, "a login sets lastLogin")
	assert.True(t, me.LastLogin.Equal(t0))
	assert.Contains(t, string(r.body), `"lastLogin":"2018-02-20T14:10:15.123"`, "zone-less timestamp")
}

func TestClientTokenCarriesGrants(t *testing.T) {
	srv, _ := newServer(t)
	u := srv.AddUser(iotuser.User{Login: "mary", Role: iotuser.RoleClient}, "mary-pass")
	n := srv.AddNetwork(iotuser.Network{Name: "n"})
	d := srv.AddDeviceType(iotuser.DeviceType{Name: "d"})
	require.NoError(t, srv.GrantNetwork(u.ID, n.ID))
	require.NoError(t, srv.GrantDeviceType(u.ID, d.ID))
	c, _ := decodeJWT(t, login(t, srv, "mary", "mary-pass").AccessToken, srv.SigningKey())
	assert.Equal(t, u.ID, c.Payload.U)
	assert.Equal(t, []string{"1"}, c.Payload.N)
	assert.Equal(t, []string{"1"}, c.Payload.DT)
	assert.NotContains(t, c.Payload.A, 0, "a client does not get ANY")
	assert.Contains(t, c.Payload.A, 10, "GET_CURRENT_USER")
}

func TestAccessTokenExpiryAndRefresh(t *testing.T) {
	srv, clk := newServer(t)
	tok := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	get := func(access string) response { return send(t, "GET", srv.BaseURL()+"/user/current", access, nil) }

	clk.Advance(30 * time.Minute)
	assert.Equal(t, http.StatusOK, get(tok.AccessToken).status, "valid up to its expiry instant")
	clk.Advance(time.Millisecond)
	get(tok.AccessToken).requireError(t, http.StatusUnauthorized, "Token expired")

	r := refresh(t, srv, tok.RefreshToken)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var fresh map[string]string
	r.decode(t, &fresh)
	assert.NotContains(t, fresh, "refreshToken", "a refresh returns only an access token")
	require.NotEmpty(t, fresh["accessToken"])
	c, _ := decodeJWT(t, fresh["accessToken"], srv.SigningKey())
	assert.Equal(t, 1, c.Payload.T)
	assert.Equal(t, clk.Now().Add(30*time.Minute).UnixMilli(), c.Payload.E)
	assert.Equal(t, http.StatusOK, get(fresh["accessToken"]).status)

	refresh(t, srv, fresh["accessToken"]).requireError(t, http.StatusUnauthorized, "Invalid token type")
	refresh(t, srv, "not-a-token").requireError(t, http.StatusUnauthorized, "")
	send(t, "POST", srv.AuthURL()+"/token/refresh", "", `{}`).requireError(t, http.StatusBadRequest, "")

	clk.Advance(183 * 24 * time.Hour)
	refresh(t, srv, tok.RefreshToken).requireError(t, http.StatusUnauthorized, "Token has expired")
	assert.Equal(t, 5, srv.Refreshes())
	assert.Equal(t, 1, srv.Logins())
}

func TestExpireKnobs(t *testing.T) {
	srv, clk := newServer(t)
	tok := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	srv.ExpireAccessTokens()
	send(t, "GET", srv.BaseURL()+"/user", tok.AccessToken, nil).requireError(t, http.StatusUnauthorized, "Token expired")

	clk.Advance(time.Second) // a token minted at the same instant would be the same string
	r := refresh(t, srv, tok.RefreshToken)
	require.Equal(t, http.StatusCreated, r.status)
	var fresh iotuser.Tokens
	r.decode(t, &fresh)
	assert.Equal(t, http.StatusOK, send(t, "GET", srv.BaseURL()+"/user", fresh.AccessToken, nil).status)

	srv.ExpireRefreshTokens()
	refresh(t, srv, tok.RefreshToken).requireError(t, http.StatusUnauthorized, "Token has expired")
	assert.Equal(t, http.StatusOK, send(t, "GET", srv.BaseURL()+"/user", fresh.AccessToken, nil).status,
		"expiring refresh tokens leaves access tokens alone")

	clk.Advance(time.Second)
	again := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	assert.Equal(t, http.StatusCreated, refresh(t, srv, again.RefreshToken).status, "tokens issued afterwards work")
}

func TestTokenLifetimeKnobs(t *testing.T) {
	srv, clk := newServer(t, iotusertest.WithAccessTokenLifetime(time.Minute), iotusertest.WithRefreshTokenLifetime(time.Hour))
	tok := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	a, _ := decodeJWT(t, tok.AccessToken, srv.SigningKey())
	r, _ := decodeJWT(t, tok.RefreshToken, srv.SigningKey())
	assert.Equal(t, t0.Add(time.Minute).UnixMilli(), a.Payload.E)
	assert.Equal(t, t0.Add(time.Hour).UnixMilli(), r.Payload.E)

	srv.SetTokenLifetimes(2*time.Minute, 0)
	tok = login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	a, _ = decodeJWT(t, tok.AccessToken, srv.SigningKey())
	r, _ = decodeJWT(t, tok.RefreshToken, srv.SigningKey())
	assert.Equal(t, t0.Add(2*time.Minute).UnixMilli(), a.Payload.E)
	// The same frozen clock would mint the same refresh token again: the fake moves its
	// expiry on by a millisecond to keep tokens unique.
	assert.InDelta(t, t0.Add(time.Hour).UnixMilli(), r.Payload.E, 1, "0 keeps the refresh lifetime")

	clk.Advance(61 * time.Minute)
	refresh(t, srv, tok.RefreshToken).requireError(t, http.StatusUnauthorized, "Token has expired")

	later := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	srv.SetClock(func() time.Time { return later })
	assert.Equal(t, later, srv.Now())
}

func TestLoginFailures(t *testing.T) {
	srv, _ := newServer(t)
	post := func(body any) response { return send(t, "POST", srv.AuthURL()+"/token", "", body) }
	post(map[string]string{"login": srv.AdminLogin(), "password": "wrong-pass"}).
		requireError(t, http.StatusUnauthorized, "Invalid credentials")
	post(map[string]string{"login": "nobody", "password": "whatever"}).
		requireError(t, http.StatusUnauthorized, "User with login = nobody not found or bad password")
	post(map[string]string{"login": "", "password": "x"}).requireError(t, http.StatusBadRequest, "")
	post(`{"login":`).requireError(t, http.StatusBadRequest, "JSON syntax error")
	assert.Equal(t, 4, srv.Logins())

	u := addClient(srv, "mary")
	for range iotusertest.MaxLoginAttempts {
		post(map[string]string{"login": "mary", "password": "wrong-pass"}).requireError(t, http.StatusUnauthorized, "Invalid credentials")
	}
	got, _ := srv.User(u.ID)
	assert.Equal(t, iotuser.StatusLocked, got.Status, "locked out after too many wrong passwords")
	post(map[string]string{"login": "mary", "password": "client-pass"}).
		requireError(t, http.StatusUnauthorized, "User is locked or disabled")
}

func TestBadTokensAreRejected(t *testing.T) {
	srv, _ := newServer(t)
	tok := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	other := iotusertest.NewServer(iotusertest.WithSigningKey([]byte("another key")))
	defer other.Close()
	foreign, err := other.IssueTokens(other.AdminID())
	require.NoError(t, err)

	for name, token := range map[string]string{
		"none":          "",
		"garbage":       "abc.def.ghi",
		"refresh token": tok.RefreshToken,
		"other key":     foreign.AccessToken,
	} {
		t.Run(name, func(t *testing.T) {
			send(t, "GET", srv.BaseURL()+"/user", token, nil).requireError(t, http.StatusUnauthorized, "Unauthorized")
		})
	}
}

func TestIssueTokensAndSigningKey(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	srv, _ := newServer(t, iotusertest.WithSigningKey(key))
	assert.Equal(t, key, srv.SigningKey())
	tok, err := srv.IssueTokens(srv.AdminID())
	require.NoError(t, err)
	decodeJWT(t, tok.AccessToken, key)
	assert.Equal(t, http.StatusOK, send(t, "GET", srv.BaseURL()+"/user/count", tok.AccessToken, nil).status)
	assert.Equal(t, 0, srv.Logins(), "minting is not a login")
	_, err = srv.IssueTokens(999)
	assert.Error(t, err)
}

func TestCreateGetUpdateDelete(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	base := srv.BaseURL()

	r := send(t, "POST", base+"/user", admin, map[string]any{
		"login": "  mary  ", "role": 1, "password": "s3cret-Pass", "data": map[string]any{"phone": "+1-555-0100"},
	})
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	assert.JSONEq(t, `{"id":2,"lastLogin":null,"data":{"phone":"+1-555-0100"},"introReviewed":false,"allDeviceTypesAvailable":true}`,
		string(r.body), "the server answers only these fields, with its defaults")
	pw, _ := srv.Password(2)
	assert.Equal(t, "s3cret-Pass", pw)

	r = send(t, "GET", base+"/user/2", admin, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"id":2,"login":"mary","role":1,"status":0,"lastLogin":null,"data":{"phone":"+1-555-0100"},
		"introReviewed":false,"allDeviceTypesAvailable":true,"networks":[]}`, string(r.body), "login trimmed")

	r = send(t, "PUT", base+"/user/2", admin, map[string]any{
		"login": "mary.smith", "status": 2, "password": "n3w-Passw0rd", "introReviewed": true, "data": map[string]any{"k": 1},
	})
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	assert.Empty(t, r.body)
	got, _ := srv.User(2)
	assert.Equal(t, "mary.smith", got.Login)
	assert.Equal(t, iotuser.StatusDisabled, got.Status)
	assert.Equal(t, iotuser.RoleClient, got.Role, "role not sent is kept")
	assert.True(t, got.IntroReviewed)
	assert.JSONEq(t, `{"k":1}`, string(got.Data))
	pw, _ = srv.Password(2)
	assert.Equal(t, "n3w-Passw0rd", pw)

	r = send(t, "PUT", base+"/user/2", admin, map[string]any{"introReviewed": false})
	require.Equal(t, http.StatusNoContent, r.status)
	got, _ = srv.User(2)
	assert.Nil(t, got.Data, "an update without data clears it, as the server does")
	assert.Equal(t, "mary.smith", got.Login)
	r = send(t, "GET", base+"/user/2", admin, nil)
	assert.Contains(t, string(r.body), `"data":null`)

	r = send(t, "PUT", base+"/user/2", admin, map[string]any{"password": ""})
	require.Equal(t, http.StatusNoContent, r.status)
	pw, _ = srv.Password(2)
	assert.Equal(t, "n3w-Passw0rd", pw, "an empty password leaves it as it is")

	require.Equal(t, http.StatusNoContent, send(t, "DELETE", base+"/user/2", admin, nil).status)
	send(t, "GET", base+"/user/2", admin, nil).requireError(t, http.StatusNotFound, "User with id = 2 not found")
	send(t, "DELETE", base+"/user/2", admin, nil).requireError(t, http.StatusNotFound, "User with id = 2 not found")
	send(t, "PUT", base+"/user/2", admin, map[string]any{}).requireError(t, http.StatusNotFound, "User with id = 2 not found")
	send(t, "GET", base+"/user/abc", admin, nil).requireError(t, http.StatusNotFound, "")
}

func TestCreateValidation(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	valid := func() map[string]any { return map[string]any{"login": "u", "role": 1, "password": "secret"} }
	with := func(k string, v any) map[string]any { m := valid(); m[k] = v; return m }
	without := func(k string) map[string]any { m := valid(); delete(m, k); return m }

	tests := map[string]struct {
		body    any
		status  int
		message string
	}{
		"empty login":          {with("login", ""), 400, ""},
		"blank login":          {with("login", "   "), 400, ""},
		"missing login":        {without("login"), 400, ""},
		"129-character login":  {with("login", strings.Repeat("x", 129)), 400, ""},
		"128-character login":  {with("login", strings.Repeat("x", 128)), 201, ""},
		"short password":       {with("password", "12345"), 400, "Password can contain only from 6 to 128 symbols!"},
		"6-character password": {map[string]any{"login": "six", "role": 1, "password": "123456"}, 201, ""},
		"129-char password":    {with("password", strings.Repeat("p", 129)), 400, ""},
		"password line break":  {with("password", "abc\ndef"), 400, "Password can contain only from 6 to 128 symbols!"},
		"missing password":     {without("password"), 400, "Password can contain only from 6 to 128 symbols!"},
		"missing role":         {without("role"), 400, "User role is invalid or empty"},
		"role 2":               {with("role", 2), 400, ""},
		"status 3":             {with("status", 3), 400, ""},
		"malformed JSON":       {`{"login":`, 400, "JSON syntax error"},
		"no body":              {"", 400, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := send(t, "POST", srv.BaseURL()+"/user", admin, tt.body)
			if tt.status == 201 {
				assert.Equal(t, 201, r.status, "body: %s", r.body)
				return
			}
			r.requireError(t, tt.status, tt.message)
		})
	}
}

func TestDuplicateLogin(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	addClient(srv, "mary")
	other := addClient(srv, "john")
	send(t, "POST", srv.BaseURL()+"/user", admin, map[string]any{"login": "mary", "role": 1, "password": "secret"}).
		requireError(t, http.StatusForbidden, "User with such login already exists. Please, select another one")
	send(t, "PUT", fmt.Sprintf("%s/user/%d", srv.BaseURL(), other.ID), admin, map[string]any{"login": " mary"}).
		requireError(t, http.StatusForbidden, "User with such login already exists. Please, select another one")
	r := send(t, "PUT", fmt.Sprintf("%s/user/%d", srv.BaseURL(), other.ID), admin, map[string]any{"login": "john"})
	assert.Equal(t, http.StatusNoContent, r.status, "a user may keep its own login")
	assert.Len(t, srv.Users(), 3)
}

func TestListFiltersSortingAndPaging(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	for i := range 25 {
		srv.AddUser(iotuser.User{Login: fmt.Sprintf("user%02d", i), Role: iotuser.RoleClient, Status: iotuser.UserStatus(i % 3)}, "pw-pw-pw")
	}
	srv.AddUser(iotuser.User{Login: "mary", Role: iotuser.RoleClient}, "pw-pw-pw")
	srv.AddUser(iotuser.User{Login: "maria", Role: iotuser.RoleClient}, "pw-pw-pw")
	srv.AddUser(iotuser.User{Login: "Mary_x", Role: iotuser.RoleAdmin, Status: iotuser.StatusDisabled}, "pw-pw-pw")

	list := func(query string) []iotuser.User {
		t.Helper()
		r := send(t, "GET", srv.BaseURL()+"/user?"+query, admin, nil)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var out []iotuser.User
		r.decode(t, &out)
		return out
	}
	logins := func(us []iotuser.User) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.Login)
		}
		return out
	}
	count := func(query string) int {
		t.Helper()
		r := send(t, "GET", srv.BaseURL()+"/user/count?"+query, admin, nil)
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		var c struct{ Count int }
		r.decode(t, &c)
		return c.Count
	}

	assert.Len(t, list(""), 29, "no take lists everyone, not 20")
	assert.Equal(t, 29, count(""))
	assert.Equal(t, []string{"mary"}, logins(list("login=mary")))
	assert.Empty(t, list("login=MARY"), "login is exact")
	assert.Equal(t, []string{"mary", "maria"}, logins(list("loginPattern=%25ma%25")), "case-sensitive LIKE")
	assert.Equal(t, []string{"mary"}, logins(list("loginPattern=m_ry")))
	assert.Equal(t, []string{"Mary_x"}, logins(list("loginPattern=%25%5C_%25")), "escaped underscore")
	assert.Equal(t, []string{"mary"}, logins(list("login=maria&loginPattern=mary")), "loginPattern wins over login")
	assert.Equal(t, 2, count("loginPattern=%25ma%25&role=1&status=0"))
	assert.Len(t, list("role=0"), 2)
	assert.Len(t, list("status=2"), 9)
	assert.Equal(t, 9, count("status=2"))

	assert.Equal(t, []string{"maria", "mary"}, logins(list("sortField=Login&loginPattern=ma%25&sortOrder=ASC")))
	assert.Equal(t, []string{"Mary_x", "dhadmin", "maria"}, logins(list("sortField=LOGIN&loginPattern=%25a%25&take=3")),
		"byte order, ascending by default")
	assert.Equal(t, []string{"user24", "user23"}, logins(list("sortField=login&sortOrder=desc&take=2")))
	assert.Equal(t, []string{"Mary_x", "maria"}, logins(list("sortField=ID&sortOrder=DESC&take=2")))
	assert.Equal(t, []string{"user02", "user03"}, logins(list("take=2&skip=3")), "id order without sortField")
	assert.Equal(t, []string{"Mary_x"}, logins(list("skip=28")))
	assert.Empty(t, list("skip=100"))

	send(t, "GET", srv.BaseURL()+"/user?sortField=Name", admin, nil).requireError(t, http.StatusBadRequest, "Invalid request parameters")
	send(t, "GET", srv.BaseURL()+"/user?sortOrder=UP", admin, nil).requireError(t, http.StatusBadRequest, "Unparseable sort order : UP")
	send(t, "GET", srv.BaseURL()+"/user?take=-1", admin, nil).requireError(t, http.StatusBadRequest, "")
	send(t, "GET", srv.BaseURL()+"/user?role=x", admin, nil).requireError(t, http.StatusBadRequest, "")
	send(t, "GET", srv.BaseURL()+"/user/count?status=x", admin, nil).requireError(t, http.StatusBadRequest, "")
}

func TestCurrentIsAnID(t *testing.T) {
	srv, _ := newServer(t)
	u := addClient(srv, "mary")
	n := srv.AddNetwork(iotuser.Network{Name: "home", Description: "my house"})
	require.NoError(t, srv.GrantNetwork(u.ID, n.ID))
	tok := login(t, srv, "mary", "client-pass").AccessToken
	base := srv.BaseURL()

	r := send(t, "GET", base+"/user/current", tok, nil)
	require.Equal(t, http.StatusOK, r.status)
	var me iotuser.UserWithNetworks
	r.decode(t, &me)
	assert.Equal(t, u.ID, me.ID)
	assert.Equal(t, []iotuser.Network{n}, me.Networks)

	require.Equal(t, http.StatusNoContent, send(t, "PUT", base+"/user/current", tok, map[string]any{"data": "x"}).status)
	got, _ := srv.User(u.ID)
	assert.JSONEq(t, `"x"`, string(got.Data))

	r = send(t, "GET", base+"/user/current/network/1", tok, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"network":{"id":1,"name":"home","description":"my house"}}`, string(r.body))
	assert.Equal(t, http.StatusOK, send(t, "GET", base+"/user/current/devicetype", tok, nil).status)

	admin := adminToken(t, srv)
	send(t, "DELETE", base+"/user/current", admin, nil).requireError(t, http.StatusForbidden,
		"You can not delete a user or access key that you use to authenticate this request")
	send(t, "DELETE", fmt.Sprintf("%s/user/%d", base, srv.AdminID()), admin, nil).requireError(t, http.StatusForbidden, "")
}

func TestClientPermissions(t *testing.T) {
	srv, _ := newServer(t)
	mary := addClient(srv, "mary")
	john := addClient(srv, "john")
	srv.AddNetwork(iotuser.Network{Name: "n"})
	srv.AddDeviceType(iotuser.DeviceType{Name: "d"})
	tok := login(t, srv, "mary", "client-pass").AccessToken
	own := fmt.Sprintf("%s/user/%d", srv.BaseURL(), mary.ID)
	other := fmt.Sprintf("%s/user/%d", srv.BaseURL(), john.ID)

	assert.Equal(t, http.StatusOK, send(t, "GET", own, tok, nil).status)
	assert.Equal(t, http.StatusOK, send(t, "GET", own+"/devicetype", tok, nil).status)
	assert.Equal(t, http.StatusNoContent, send(t, "PUT", own, tok, map[string]any{"introReviewed": true, "data": 1}).status)

	denied := []struct{ method, url string }{
		{"GET", srv.BaseURL() + "/user"},
		{"GET", srv.BaseURL() + "/user/count"},
		{"POST", srv.BaseURL() + "/user"},
		{"GET", other},
		{"GET", srv.BaseURL() + "/user/999"},
		{"PUT", other},
		{"DELETE", other},
		{"GET", other + "/network/1"},
		{"PUT", own + "/network/1"},
		{"DELETE", own + "/network/1"},
		{"GET", other + "/devicetype"},
		{"PUT", own + "/devicetype/1"},
		{"DELETE", own + "/devicetype/1"},
		{"PUT", own + "/devicetype/all"},
		{"DELETE", own + "/devicetype/all"},
	}
	for _, d := range denied {
		t.Run(d.method+" "+strings.TrimPrefix(d.url, srv.BaseURL()), func(t *testing.T) {
			send(t, d.method, d.url, tok, map[string]any{"login": "x", "role": 1, "password": "secret"}).
				requireError(t, http.StatusForbidden, "Access is denied")
		})
	}

	for _, field := range []string{"login", "role", "status"} {
		body := map[string]any{field: map[string]any{"login": "mary2", "role": 0, "status": 0}[field]}
		send(t, "PUT", own, tok, body).requireError(t, http.StatusForbidden, "Admin permissions required for this action")
	}
	got, _ := srv.User(mary.ID)
	assert.Equal(t, iotuser.RoleClient, got.Role, "a refused update changes nothing")

	require.Equal(t, http.StatusNoContent, send(t, "PUT", own, tok, map[string]any{"password": "changed-1"}).status)
	require.Equal(t, http.StatusNoContent,
		send(t, "PUT", own, tok, map[string]any{"password": "changed-2", "oldPassword": "wrong"}).status,
		"the real server ignores oldPassword")
	pw, _ := srv.Password(mary.ID)
	assert.Equal(t, "changed-2", pw)
}

func TestDisabledOrDeletedUserTokenIsRejected(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	mary := addClient(srv, "mary")
	john := addClient(srv, "john")
	maryTok := login(t, srv, "mary", "client-pass")
	johnTok := login(t, srv, "john", "client-pass")

	require.Equal(t, http.StatusNoContent, send(t, "PUT", fmt.Sprintf("%s/user/%d", srv.BaseURL(), mary.ID), admin, map[string]any{"status": 2}).status)
	send(t, "GET", srv.BaseURL()+"/user/current", maryTok.AccessToken, nil).requireError(t, http.StatusUnauthorized, "Unauthorized")
	refresh(t, srv, maryTok.RefreshToken).requireError(t, http.StatusUnauthorized, "")

	require.Equal(t, http.StatusNoContent, send(t, "DELETE", fmt.Sprintf("%s/user/%d", srv.BaseURL(), john.ID), admin, nil).status)
	send(t, "GET", srv.BaseURL()+"/user/current", johnTok.AccessToken, nil).requireError(t, http.StatusUnauthorized, "Unauthorized")
}

func TestNetworks(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	u := addClient(srv, "mary")
	srv.AddNetwork(iotuser.Network{Name: "Default Network", Description: "Network created for the user"})
	srv.AddNetwork(iotuser.Network{Name: "Greenhouse sensors"})
	user := fmt.Sprintf("%s/user/%d", srv.BaseURL(), u.ID)

	send(t, "GET", user+"/network/2", admin, nil).requireError(t, http.StatusNotFound,
		fmt.Sprintf("Network with id 2 for user with id %d was not found", u.ID))
	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/network/2", admin, nil).status)
	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/network/2", admin, nil).status, "assigning twice is fine")
	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/network/1", admin, nil).status)

	r := send(t, "GET", user+"/network/2", admin, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"network":{"id":2,"name":"Greenhouse sensors","description":null}}`, string(r.body))

	r = send(t, "GET", user, admin, nil)
	var got iotuser.UserWithNetworks
	r.decode(t, &got)
	assert.Equal(t, []iotuser.Network{
		{ID: 1, Name: "Default Network", Description: "Network created for the user"},
		{ID: 2, Name: "Greenhouse sensors"},
	}, got.Networks)

	send(t, "PUT", user+"/network/9", admin, nil).requireError(t, http.StatusNotFound, "Network with id = 9 not found")
	send(t, "PUT", srv.BaseURL()+"/user/99/network/1", admin, nil).requireError(t, http.StatusNotFound, "User with id = 99 not found")
	send(t, "GET", srv.BaseURL()+"/user/99/network/1", admin, nil).requireError(t, http.StatusNotFound, "User with id = 99 not found")
	send(t, "DELETE", user+"/network/9", admin, nil).requireError(t, http.StatusNotFound, "Network with id = 9 not found")

	require.Equal(t, http.StatusNoContent, send(t, "DELETE", user+"/network/2", admin, nil).status)
	send(t, "GET", user+"/network/2", admin, nil).requireError(t, http.StatusNotFound, "")
	stored, _ := srv.User(u.ID)
	assert.Len(t, stored.Networks, 1)
	assert.Len(t, srv.Networks(), 2)
}

func TestDeviceTypes(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	u := addClient(srv, "mary") // allDeviceTypesAvailable
	srv.AddDeviceType(iotuser.DeviceType{Name: "Default Device Type", Description: "Default DeviceHive device type"})
	srv.AddDeviceType(iotuser.DeviceType{ID: 4, Name: "Thermostat"})
	user := fmt.Sprintf("%s/user/%d", srv.BaseURL(), u.ID)
	list := func() string {
		r := send(t, "GET", user+"/devicetype", admin, nil)
		require.Equal(t, http.StatusOK, r.status)
		return string(r.body)
	}

	assert.JSONEq(t, `[{"id":1,"name":"Default Device Type","description":"Default DeviceHive device type"},
		{"id":4,"name":"Thermostat","description":null}]`, list(), "all device types")
	r := send(t, "GET", user+"/devicetype/4", admin, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"deviceType":{"id":4,"name":"Thermostat","description":null}}`, string(r.body))
	send(t, "PUT", user+"/devicetype/4", admin, nil).requireError(t, http.StatusForbidden,
		"Cannot assign device type to user with all device types allowed")

	require.Equal(t, http.StatusNoContent, send(t, "DELETE", user+"/devicetype/all", admin, nil).status)
	assert.JSONEq(t, `[]`, list())
	send(t, "GET", user+"/devicetype/4", admin, nil).requireError(t, http.StatusNotFound, "")
	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/devicetype/4", admin, nil).status)
	assert.JSONEq(t, `[{"id":4,"name":"Thermostat","description":null}]`, list())
	send(t, "PUT", user+"/devicetype/7", admin, nil).requireError(t, http.StatusNotFound, "Device type with id = 7 not found")
	require.Equal(t, http.StatusNoContent, send(t, "DELETE", user+"/devicetype/4", admin, nil).status)
	assert.JSONEq(t, `[]`, list())

	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/devicetype/4", admin, nil).status)
	require.Equal(t, http.StatusNoContent, send(t, "PUT", user+"/devicetype/all", admin, nil).status)
	got, _ := srv.User(u.ID)
	assert.True(t, got.AllDeviceTypesAvailable)
	explicit, _ := srv.UserDeviceTypes(u.ID)
	assert.Empty(t, explicit, "allowing all drops single assignments")
	assert.Len(t, srv.DeviceTypes(), 2)

	for _, m := range []string{"GET", "PUT", "DELETE"} {
		path := "/devicetype"
		if m != "GET" {
			path = "/devicetype/all"
		}
		send(t, m, srv.BaseURL()+"/user/99"+path, admin, nil).requireError(t, http.StatusNotFound, "User with id = 99 not found")
	}
}

func TestSeparateAuthServer(t *testing.T) {
	srv, _ := newServer(t, iotusertest.WithSeparateAuth(), iotusertest.WithAdmin("root", "root-pass"))
	assert.NotEqual(t, srv.BaseURL(), srv.AuthURL())
	assert.Equal(t, "root", srv.AdminLogin())
	r := send(t, "POST", srv.BaseURL()+"/token", "", map[string]string{"login": "root", "password": "root-pass"})
	assert.Equal(t, http.StatusNotFound, r.status, "the API server has no token endpoint")
	tok := login(t, srv, "root", "root-pass")
	assert.Equal(t, http.StatusOK, send(t, "GET", srv.BaseURL()+"/user", tok.AccessToken, nil).status)
	assert.Len(t, srv.AuthServer().Requests(), 1)
	assert.Len(t, srv.Requests(), 2)
}

func TestInjectedFault(t *testing.T) {
	srv, _ := newServer(t)
	admin := adminToken(t, srv)
	srv.ResetRequests()
	srv.FailNext(1, http.StatusServiceUnavailable, "7")
	r := send(t, "GET", srv.BaseURL()+"/user/current", admin, nil)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "7", r.header.Get("Retry-After"))
	assert.Equal(t, http.StatusOK, send(t, "GET", srv.BaseURL()+"/user/current", admin, nil).status)
	assert.Equal(t, 1, srv.FaultsInjected())
	assert.Len(t, srv.Requests(), 2)

	srv.FailNext(1, http.StatusBadGateway, "")
	send(t, "POST", srv.AuthURL()+"/token", "", map[string]string{"login": srv.AdminLogin(), "password": srv.AdminPassword()})
	assert.Equal(t, 1, srv.Logins(), "a faulted login never reached the handler")
}

// recording is the part of a testdata file the fake is compared with.
type recording struct {
	Response struct {
		Status int             `json:"status"`
		Body   json.RawMessage `json:"body"`
	} `json:"response"`
}

func recorded(t *testing.T, name string) recording {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name+".json"))
	require.NoError(t, err)
	var r recording
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

// TestMatchesRecordings seeds the state behind the package's recordings of the real
// server and checks that the fake answers the same bytes (as JSON).
func TestMatchesRecordings(t *testing.T) {
	srv, _ := newServer(t)
	tokens := login(t, srv, srv.AdminLogin(), srv.AdminPassword())
	admin := tokens.AccessToken
	base := srv.BaseURL()
	seen := time.Date(2018, 2, 20, 14, 10, 15, 123e6, time.UTC)
	data := json.RawMessage(`{"phone":"+1-555-0100","preferences":{"theme":"dark","units":"metric"},"tags":["pilot",7,null]}`)
	srv.AddUser(iotuser.User{ID: 2, Login: "mary", Role: iotuser.RoleClient, LastLogin: &iotuser.Time{Time: seen},
		Data: data, IntroReviewed: true}, "s3cret-Pass")
	srv.AddUser(iotuser.User{ID: 7, Login: "maria", Role: iotuser.RoleClient, AllDeviceTypesAvailable: true}, "pw-pw-pw")
	srv.AddNetwork(iotuser.Network{ID: 1, Name: "Default Network", Description: "Network created for the user"})
	srv.AddNetwork(iotuser.Network{ID: 3, Name: "Greenhouse sensors"})
	require.NoError(t, srv.GrantNetwork(2, 1))
	require.NoError(t, srv.GrantNetwork(2, 3))
	srv.AddDeviceType(iotuser.DeviceType{ID: 1, Name: "Default Device Type", Description: "Default DeviceHive device type"})
	srv.AddDeviceType(iotuser.DeviceType{ID: 4, Name: "Thermostat"})
	require.NoError(t, srv.GrantDeviceType(2, 1))
	require.NoError(t, srv.GrantDeviceType(2, 4))

	check := func(name string, r response) {
		t.Helper()
		want := recorded(t, name)
		assert.Equal(t, want.Response.Status, r.status, name)
		assert.JSONEq(t, string(want.Response.Body), string(r.body), name)
	}
	check("get", send(t, "GET", base+"/user/2", admin, nil))
	check("get_network", send(t, "GET", base+"/user/2/network/1", admin, nil))
	check("list_device_types", send(t, "GET", base+"/user/2/devicetype", admin, nil))
	check("count", send(t, "GET", base+"/user/count?loginPattern=%25ma%25&role=1&status=0", admin, nil))
	check("list_page2", send(t, "GET", base+"/user?take=2&skip=2", admin, nil))
	check("get_not_found", send(t, "GET", base+"/user/999", admin, nil))
	check("list_bad_sort", send(t, "GET", base+"/user?sortField=Name", admin, nil))
	check("login_invalid", send(t, "POST", srv.AuthURL()+"/token", "", map[string]string{"login": srv.AdminLogin(), "password": "test-pass"}))

	create := map[string]any{"login": "mary", "role": 1, "status": 0, "password": "s3cret-Pass", "data": data,
		"introReviewed": false, "allDeviceTypesAvailable": false}
	check("create_duplicate_login", send(t, "POST", base+"/user", admin, create))
	require.Equal(t, http.StatusNoContent, send(t, "DELETE", base+"/user/2", admin, nil).status)
	r := send(t, "POST", base+"/user", admin, create)
	var got, want map[string]any
	r.decode(t, &got)
	rec := recorded(t, "create")
	require.NoError(t, json.Unmarshal(rec.Response.Body, &want))
	assert.Equal(t, rec.Response.Status, r.status)
	assert.NotEqual(t, float64(2), got["id"], "ids are not reused")
	want["id"] = got["id"]
	assert.Equal(t, want, got, "the fields of the recorded create")

	srv.ExpireAccessTokens()
	check("token_expired", send(t, "GET", base+"/user/7", admin, nil))
	srv.ExpireRefreshTokens()
	check("refresh_expired", refresh(t, srv, tokens.RefreshToken))
}

func TestTimestampsAreZoneless(t *testing.T) {
	srv, clk := newServer(t)
	clk.Advance(987 * time.Microsecond) // sub-millisecond part is dropped
	admin := adminToken(t, srv)
	r := send(t, "GET", srv.BaseURL()+"/user", admin, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Regexp(t, regexp.MustCompile(`"lastLogin":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}"`), string(r.body))
	assert.Contains(t, string(r.body), `"lastLogin":"2018-02-20T14:10:15.123"`)
}
