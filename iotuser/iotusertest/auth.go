package iotusertest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/iotuser"
)

// Token types of the "t" claim.
const (
	tokenRefresh = 0
	tokenAccess  = 1
)

// action is a HiveAction id, as carried in the "a" claim.
type action int

// The HiveAction ids the user API checks; actionAny grants every action.
const (
	actionAny              action = 0
	actionManageUser       action = 12
	actionManageNetwork    action = 14
	actionManageDeviceType action = 18
)

// clientActions are the ids the server puts in a client-role user's token
// (HiveAction.CLIENT_ACTIONS).
var clientActions = []int{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17}

// jwtHeader is what the server's JWT library writes.
const jwtHeader = `{"alg":"HS256"}`

// claims is the token body in the server's shape; field order follows the server's.
type claims struct {
	Payload payload `json:"payload"`
}

type payload struct {
	UserID      int64    `json:"u"`
	Actions     []int    `json:"a"`
	Networks    []string `json:"n"`
	DeviceTypes []string `json:"dt"`
	Expires     int64    `json:"e"` // Unix milliseconds
	Type        int      `json:"t"`
}

func (p payload) can(a action) bool {
	for _, id := range p.Actions {
		if action(id) == actionAny || action(id) == a {
			return true
		}
	}
	return false
}

// sign encodes and signs a token.
func (s *Server) sign(p payload) string {
	body, _ := json.Marshal(claims{Payload: p})
	enc := base64.RawURLEncoding
	unsigned := enc.EncodeToString([]byte(jwtHeader)) + "." + enc.EncodeToString(body)
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(unsigned))
	return unsigned + "." + enc.EncodeToString(mac.Sum(nil))
}

// parse checks a token's signature and shape and returns its payload; it does not look
// at the type or the expiry.
func (s *Server) parse(token string) (payload, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return payload{}, false
	}
	enc := base64.RawURLEncoding
	sig, err := enc.DecodeString(parts[2])
	if err != nil {
		return payload{}, false
	}
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return payload{}, false
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	if b, err := enc.DecodeString(parts[0]); err != nil || json.Unmarshal(b, &hdr) != nil || hdr.Alg != "HS256" {
		return payload{}, false
	}
	var c struct {
		Payload payload `json:"payload"`
	}
	var sent struct {
		Payload map[string]json.RawMessage `json:"payload"`
	}
	b, err := enc.DecodeString(parts[1])
	if err != nil || json.Unmarshal(b, &c) != nil || json.Unmarshal(b, &sent) != nil {
		return payload{}, false
	}
	for _, k := range []string{"u", "e", "t"} { // required; null counts as missing
		if v, ok := sent.Payload[k]; !ok || string(v) == "null" {
			return payload{}, false
		}
	}
	return c.Payload, true
}

// grants builds the claims of a login, as JwtTokenService does: an administrator gets
// every action, network and device type; a client its own grants. Called with s.mu held.
func (s *Server) grants(rec *userRecord) payload {
	p := payload{UserID: rec.user.ID}
	if rec.user.Role == iotuser.RoleAdmin {
		p.Actions, p.Networks, p.DeviceTypes = []int{int(actionAny)}, []string{"*"}, []string{"*"}
		return p
	}
	p.Actions = clientActions
	p.Networks = []string{}
	for _, id := range sortedIDs(rec.networks) {
		p.Networks = append(p.Networks, strconv.FormatInt(id, 10))
	}
	if rec.user.AllDeviceTypesAvailable {
		p.DeviceTypes = []string{"*"}
	} else {
		p.DeviceTypes = []string{}
		for _, id := range sortedIDs(rec.deviceTypes) {
			p.DeviceTypes = append(p.DeviceTypes, strconv.FormatInt(id, 10))
		}
	}
	return p
}

// issueAccess signs an access token with p's grants. Called with s.mu held.
func (s *Server) issueAccess(p payload) string {
	p.Type = tokenAccess
	p.Expires = s.now().Add(s.accessTTL).UnixMilli()
	t := s.sign(p)
	// Tokens have no unique claim: two minted in one millisecond are the same string. Move
	// the expiry on by a millisecond until the token is new, so that a token expired with
	// ExpireAccessTokens never comes back to life.
	for s.issuedAccess[t] || s.expiredAccess[t] {
		p.Expires++
		t = s.sign(p)
	}
	s.issuedAccess[t] = true
	return t
}

// issuePair signs an access and a refresh token for a user. Called with s.mu held.
func (s *Server) issuePair(rec *userRecord) iotuser.Tokens {
	p := s.grants(rec)
	access := s.issueAccess(p)
	p.Type = tokenRefresh
	p.Expires = s.now().Add(s.refreshTTL).UnixMilli()
	refresh := s.sign(p)
	for s.issuedRefresh[refresh] || s.expiredRefresh[refresh] { // as for access tokens
		p.Expires++
		refresh = s.sign(p)
	}
	s.issuedRefresh[refresh] = true
	return iotuser.Tokens{AccessToken: access, RefreshToken: refresh}
}

func (s *Server) routeTokens(mux *http.ServeMux) {
	mux.HandleFunc("POST "+BasePath+"/token", s.locked(s.login))
	mux.HandleFunc("POST "+BasePath+"/token/refresh", s.locked(s.refresh))
}

// locked runs h with s.mu held and writes its reply after releasing it.
func (s *Server) locked(h func(r *http.Request, body []byte) reply) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		rep := h(r, body)
		s.mu.Unlock()
		rep.write(w)
	}
}

// login is POST /token (JwtTokenService.createJwtToken, BaseUserService.getActiveUser).
func (s *Server) login(_ *http.Request, body []byte) reply {
	s.logins++
	var req struct {
		Login    string `json:"login"`
		Password string `json:"password"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return fail(http.StatusBadRequest, msgJSONSyntax)
	}
	if strings.TrimSpace(req.Login) == "" || req.Password == "" {
		return fail(http.StatusBadRequest, "Invalid or empty authorization request parameters")
	}
	rec := s.userByLogin(req.Login)
	switch {
	case rec == nil:
		return fail(http.StatusUnauthorized, fmt.Sprintf("User with login = %s not found or bad password", req.Login))
	case rec.user.Status != iotuser.StatusActive:
		return fail(http.StatusUnauthorized, "User is locked or disabled")
	case rec.password != req.Password:
		rec.attempts++
		if rec.attempts >= MaxLoginAttempts {
			rec.user.Status = iotuser.StatusLocked
			rec.attempts = 0
		}
		return fail(http.StatusUnauthorized, "Invalid credentials")
	}
	s.touchLastLogin(rec)
	return reply{status: http.StatusCreated, body: s.issuePair(rec)}
}

// refresh is POST /token/refresh (JwtTokenResourceImpl.refreshTokenRequest).
func (s *Server) refresh(_ *http.Request, body []byte) reply {
	s.refreshes++
	var req struct {
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return fail(http.StatusBadRequest, msgJSONSyntax)
	}
	if req.RefreshToken == "" {
		return fail(http.StatusBadRequest, "Invalid or empty authorization request parameters")
	}
	p, ok := s.parse(req.RefreshToken)
	switch {
	case !ok:
		return fail(http.StatusUnauthorized, "Token is not valid")
	case p.Type != tokenRefresh:
		return fail(http.StatusUnauthorized, "Invalid token type")
	case p.Expires < s.now().UnixMilli() || s.expiredRefresh[req.RefreshToken]:
		return fail(http.StatusUnauthorized, "Token has expired")
	}
	rec, ok := s.users[p.UserID]
	if !ok || rec.user.Status != iotuser.StatusActive {
		return fail(http.StatusUnauthorized, msgUnauthorized)
	}
	s.touchLastLogin(rec)
	return reply{status: http.StatusCreated, body: iotuser.Tokens{AccessToken: s.issueAccess(p)}}
}

// authenticate checks the bearer token of an API request as JwtTokenAuthenticationProvider
// does. Called with s.mu held.
func (s *Server) authenticate(r *http.Request) (payload, *reply) {
	token := fakeserver.BearerToken(r)
	p, ok := s.parse(token)
	if !ok || p.Type != tokenAccess {
		rep := fail(http.StatusUnauthorized, msgUnauthorized)
		return payload{}, &rep
	}
	if p.Expires < s.now().UnixMilli() || s.expiredAccess[token] {
		rep := fail(http.StatusUnauthorized, "Token expired")
		return payload{}, &rep
	}
	if rec, ok := s.users[p.UserID]; !ok || rec.user.Status != iotuser.StatusActive {
		rep := fail(http.StatusUnauthorized, msgUnauthorized)
		return payload{}, &rep
	}
	return p, nil
}
