// Package iotusertest is an in-memory fake of the DeviceHive "User" REST API and of the
// DeviceHive auth service that issues its JSON Web Tokens, for testing code that uses
// package iotuser without a real server.
//
//	srv := iotusertest.NewServer()
//	defer srv.Close()
//	c, err := iotuser.New(
//		iotuser.WithBaseURL(srv.BaseURL()), // srv.URL + "/dh/rest"
//		iotuser.WithLogin(srv.AdminLogin(), srv.AdminPassword()),
//	)
//
// NewServer seeds one administrator (AdminLogin, AdminPassword). The fake behaves as the
// vendor's documents and server sources describe:
//
//   - POST /dh/rest/token {"login","password"} answers 201 {"accessToken","refreshToken"};
//     POST /dh/rest/token/refresh {"refreshToken"} answers 201 {"accessToken"}. Tokens are
//     HS256 JWTs with the server's claim shape
//     {"payload":{"u":id,"a":[actions],"n":[networks],"dt":[device types],"e":expiry ms,"t":1|0}}.
//     An access token lives 30 minutes and a refresh token about 182 days; the clock is
//     injectable (WithClock, SetClock) and ExpireAccessTokens / ExpireRefreshTokens expire
//     every token issued so far, so expiry is tested without waiting.
//   - An expired access token gives 401 {"error":401,"message":"Token expired"}; any other
//     bad, missing or refresh-type token 401 "Unauthorized".
//   - The sixteen user operations under /dh/rest/user (and the server's GET
//     /user/{id}/devicetype/{deviceTypeId}), with "current" accepted wherever a
//     user id is. Errors are {"error": status, "message": "..."} with the server's messages.
//   - An administrator may do everything. A client-role user may read and update only its
//     own user (and read its own network and device-type grants); anything else is 403.
//
// Faults, latency and the request log are Server's methods too (FailNext, DropNext,
// Inject, ClearFaults, SetLatency, Requests, ResetRequests, FaultsInjected), the same in
// every fake of the SDK: Server embeds a usersdktest.Server. With WithSeparateAuth the
// token endpoints run on a second server (AuthURL, AuthServer, which has the same
// methods), as they do in a real installation, and the API's server answers 404 to /token
// as the real frontend does.
package iotusertest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/iotuser"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// BasePath is where the fake serves the API (and, by default, the token endpoints).
const BasePath = "/dh/rest"

// Defaults of NewServer.
const (
	// DefaultAdminLogin and DefaultAdminPassword are the seeded administrator's
	// credentials: those of a fresh DeviceHive installation.
	DefaultAdminLogin    = "dhadmin"
	DefaultAdminPassword = "dhadmin_#911"
	// DefaultAccessTokenLifetime is jwt.access-token-max-age of the server's config.
	DefaultAccessTokenLifetime = 30 * time.Minute
	// DefaultRefreshTokenLifetime is jwt.refresh-token-max-age (15724800000 ms, 182 days).
	DefaultRefreshTokenLifetime = 15724800000 * time.Millisecond
	// MaxLoginAttempts wrong passwords in a row lock a user out (status 1), as
	// user.login.maxAttempts does on the server.
	MaxLoginAttempts = 10
)

// Option configures NewServer.
type Option struct{ apply func(*config) }

type config struct {
	clock         func() time.Time
	accessTTL     time.Duration
	refreshTTL    time.Duration
	key           []byte
	separateAuth  bool
	adminLogin    string
	adminPassword string
}

// WithClock makes the server read the time from now instead of time.Now: token expiry
// and lastLogin follow it.
func WithClock(now func() time.Time) Option { return Option{func(c *config) { c.clock = now }} }

// WithAccessTokenLifetime sets how long new access tokens live.
func WithAccessTokenLifetime(d time.Duration) Option {
	return Option{func(c *config) { c.accessTTL = d }}
}

// WithRefreshTokenLifetime sets how long new refresh tokens live.
func WithRefreshTokenLifetime(d time.Duration) Option {
	return Option{func(c *config) { c.refreshTTL = d }}
}

// WithSigningKey sets the HS256 key tokens are signed with; by default a random one.
func WithSigningKey(key []byte) Option {
	return Option{func(c *config) { c.key = slices.Clone(key) }}
}

// WithSeparateAuth serves the token endpoints on a second server (AuthURL), as a real
// installation does, and not on the API server; a client then needs its auth URL option.
func WithSeparateAuth() Option { return Option{func(c *config) { c.separateAuth = true }} }

// WithAdmin sets the seeded administrator's login and password.
func WithAdmin(login, password string) Option {
	return Option{func(c *config) { c.adminLogin, c.adminPassword = login, password }}
}

// Fault is a failure to inject with Inject: a status (with Retry-After), a reset before
// or after handling, slow bodies, limited to a method, a matcher or a random share.
type Fault = usersdktest.Fault

// Request is a request the server received, as Requests returns it.
type Request = usersdktest.Request

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, with no trailing slash.
	URL string

	// Server is the API's server: it injects faults, adds latency and logs requests, and
	// its methods (FailNext, Inject, Requests, ...) are this Server's.
	*usersdktest.Server
	auth *usersdktest.Server // the token endpoints; the same as Server unless WithSeparateAuth
	key  []byte

	mu             sync.Mutex
	clock          func() time.Time
	accessTTL      time.Duration
	refreshTTL     time.Duration
	users          map[int64]*userRecord
	networks       map[int64]iotuser.Network
	deviceTypes    map[int64]iotuser.DeviceType
	nextUser       int64
	nextNetwork    int64
	nextDeviceType int64
	adminID        int64
	adminLogin     string
	adminPassword  string
	issuedAccess   map[string]bool
	issuedRefresh  map[string]bool
	expiredAccess  map[string]bool
	expiredRefresh map[string]bool
	logins         int
	refreshes      int
}

type userRecord struct {
	user        iotuser.User
	password    string
	attempts    int // wrong passwords in a row
	networks    map[int64]bool
	deviceTypes map[int64]bool
}

// NewServer starts a fake holding one administrator and no networks or device types.
func NewServer(opts ...Option) *Server {
	cfg := config{
		clock:         time.Now,
		accessTTL:     DefaultAccessTokenLifetime,
		refreshTTL:    DefaultRefreshTokenLifetime,
		adminLogin:    DefaultAdminLogin,
		adminPassword: DefaultAdminPassword,
	}
	for _, o := range opts {
		if o.apply != nil {
			o.apply(&cfg)
		}
	}
	if cfg.clock == nil {
		cfg.clock = time.Now
	}
	if len(cfg.key) == 0 {
		cfg.key = make([]byte, 32)
		_, _ = rand.Read(cfg.key)
	}
	s := &Server{
		key:            cfg.key,
		clock:          cfg.clock,
		accessTTL:      cfg.accessTTL,
		refreshTTL:     cfg.refreshTTL,
		users:          map[int64]*userRecord{},
		networks:       map[int64]iotuser.Network{},
		deviceTypes:    map[int64]iotuser.DeviceType{},
		nextUser:       1,
		nextNetwork:    1,
		nextDeviceType: 1,
		adminLogin:     cfg.adminLogin,
		adminPassword:  cfg.adminPassword,
		issuedAccess:   map[string]bool{},
		issuedRefresh:  map[string]bool{},
		expiredAccess:  map[string]bool{},
		expiredRefresh: map[string]bool{},
	}
	admin := s.AddUser(iotuser.User{
		Login: cfg.adminLogin, Role: iotuser.RoleAdmin, Status: iotuser.StatusActive,
		AllDeviceTypesAvailable: true,
	}, cfg.adminPassword)
	s.adminID = admin.ID

	api := http.NewServeMux()
	s.routeUsers(api)
	if cfg.separateAuth {
		auth := http.NewServeMux()
		s.routeTokens(auth)
		s.Server = usersdktest.NewServer(api)
		s.auth = usersdktest.NewServer(auth)
	} else {
		s.routeTokens(api)
		s.Server = usersdktest.NewServer(api)
		s.auth = s.Server
	}
	s.URL = s.Server.URL
	return s
}

// Close shuts the server (and the auth server, when separate) down.
func (s *Server) Close() {
	s.Server.Close()
	if s.auth != s.Server {
		s.auth.Close()
	}
}

// BaseURL is the client's base URL: URL + BasePath.
func (s *Server) BaseURL() string { return s.URL + BasePath }

// AuthURL is the base URL of the token endpoints: BaseURL, or the auth server's
// URL + BasePath with WithSeparateAuth.
func (s *Server) AuthURL() string { return s.auth.URL + BasePath }

// AuthServer is the server of the token endpoints, for its faults, latency and request
// log. Unless WithSeparateAuth it is the API's server too, so that its methods and
// Server's (FailNext, Requests, ...) act on the same server.
func (s *Server) AuthServer() *usersdktest.Server { return s.auth }

// AdminID is the seeded administrator's id.
func (s *Server) AdminID() int64 { return s.adminID }

// AdminLogin is the seeded administrator's login.
func (s *Server) AdminLogin() string { return s.adminLogin }

// AdminPassword is the seeded administrator's password as NewServer set it.
func (s *Server) AdminPassword() string { return s.adminPassword }

// SigningKey returns the HS256 key the tokens are signed with, to check or forge tokens.
func (s *Server) SigningKey() []byte { return slices.Clone(s.key) }

// Now is the server's current time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock()
}

// SetClock makes the server read the time from now (nil: time.Now).
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now == nil {
		now = time.Now
	}
	s.clock = now
}

// SetTokenLifetimes changes the lifetime of tokens issued from now on; a zero duration
// leaves that lifetime as it is.
func (s *Server) SetTokenLifetimes(access, refresh time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if access != 0 {
		s.accessTTL = access
	}
	if refresh != 0 {
		s.refreshTTL = refresh
	}
}

// ExpireAccessTokens makes every access token issued so far expired: using one gives
// 401 "Token expired". Tokens issued afterwards are valid.
func (s *Server) ExpireAccessTokens() { s.expire(s.issuedAccess, s.expiredAccess) }

// ExpireRefreshTokens makes every refresh token issued so far expired: refreshing with
// one gives 401 "Token has expired". Tokens issued afterwards are valid.
func (s *Server) ExpireRefreshTokens() { s.expire(s.issuedRefresh, s.expiredRefresh) }

// expire moves every token of issued to expired. The maps are made once, in NewServer.
func (s *Server) expire(issued, expired map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range issued {
		expired[t] = true
	}
	clear(issued)
}

// Logins counts the requests POST /token handled (successful or not); faulted requests
// that never reached the handler are not counted.
func (s *Server) Logins() int { return fakeserver.Get(&s.mu, &s.logins) }

// Refreshes counts the requests POST /token/refresh handled (successful or not).
func (s *Server) Refreshes() int { return fakeserver.Get(&s.mu, &s.refreshes) }

// IssueTokens mints an access and refresh token for a user as a login would, without
// counting a login or touching lastLogin.
func (s *Server) IssueTokens(userID int64) (iotuser.Tokens, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[userID]
	if !ok {
		return iotuser.Tokens{}, errors.New("iotusertest: no user with that id")
	}
	return s.issuePair(rec), nil
}

// AddUser stores a user as it is, with no validation, assigning an id when u.ID is 0, and
// returns it. Note that the zero Role is RoleAdmin. Keep logins unique: logins find users
// by login.
func (s *Server) AddUser(u iotuser.User, password string) iotuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.ID = fakeserver.SeedID(u.ID, &s.nextUser)
	u.Data = normalizeData(u.Data)
	s.users[u.ID] = &userRecord{user: u, password: password, networks: map[int64]bool{}, deviceTypes: map[int64]bool{}}
	return u
}

// AddNetwork stores a network, assigning an id when n.ID is 0, and returns it.
func (s *Server) AddNetwork(n iotuser.Network) iotuser.Network {
	return seed(s, s.networks, &s.nextNetwork, n, func(n *iotuser.Network) *int64 { return &n.ID })
}

// AddDeviceType stores a device type, assigning an id when d.ID is 0, and returns it.
func (s *Server) AddDeviceType(d iotuser.DeviceType) iotuser.DeviceType {
	return seed(s, s.deviceTypes, &s.nextDeviceType, d, func(d *iotuser.DeviceType) *int64 { return &d.ID })
}

// seed stores v in m under the lock, keyed by its id (at id(&v)), which gets the next one
// when it is 0.
func seed[V any](s *Server, m map[int64]V, next *int64, v V, id func(*V) *int64) V {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := id(&v)
	*p = fakeserver.SeedID(*p, next)
	m[*p] = v
	return v
}

// GrantNetwork assigns a stored network to a stored user.
func (s *Server) GrantNetwork(userID, networkID int64) error {
	return s.grant(assignNetworks, userID, networkID)
}

// GrantDeviceType assigns a stored device type to a stored user (the server refuses this
// for a user with allDeviceTypesAvailable; this seeding helper does not).
func (s *Server) GrantDeviceType(userID, deviceTypeID int64) error {
	return s.grant(assignDeviceTypes, userID, deviceTypeID)
}

func (s *Server) grant(a *assignable, userID, id int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[userID]
	if !ok || !a.exists(s, id) {
		return errors.New("iotusertest: unknown user or " + strings.ToLower(a.what))
	}
	a.of(rec)[id] = true
	return nil
}

// Users returns every stored user, by id.
func (s *Server) Users() []iotuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]iotuser.User, 0, len(s.users))
	for _, r := range s.sortedUsers() {
		out = append(out, r.user)
	}
	return out
}

// User returns a stored user with its networks.
func (s *Server) User(id int64) (iotuser.UserWithNetworks, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[id]
	if !ok {
		return iotuser.UserWithNetworks{}, false
	}
	nets := []iotuser.Network{}
	for _, id := range sortedIDs(rec.networks) {
		nets = append(nets, s.networks[id])
	}
	return iotuser.UserWithNetworks{User: rec.user, Networks: nets}, true
}

// Password returns the password stored for a user, to check what a client sent.
func (s *Server) Password(id int64) (string, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *userRecord) string { return r.password })
}

// UserDeviceTypes returns the device types explicitly assigned to a user, by id (not
// every type when the user has allDeviceTypesAvailable).
func (s *Server) UserDeviceTypes(id int64) ([]iotuser.DeviceType, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[id]
	if !ok {
		return nil, false
	}
	out := []iotuser.DeviceType{}
	for _, id := range sortedIDs(rec.deviceTypes) {
		out = append(out, s.deviceTypes[id])
	}
	return out, true
}

// Networks returns every stored network, by id.
func (s *Server) Networks() []iotuser.Network {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeserver.Sorted(s.networks, func(n iotuser.Network) int64 { return n.ID })
}

// DeviceTypes returns every stored device type, by id.
func (s *Server) DeviceTypes() []iotuser.DeviceType {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fakeserver.Sorted(s.deviceTypes, func(d iotuser.DeviceType) int64 { return d.ID })
}

// sortedUsers is called with s.mu held.
func (s *Server) sortedUsers() []*userRecord {
	return fakeserver.Sorted(s.users, func(r *userRecord) int64 { return r.user.ID })
}

// userByLogin is called with s.mu held.
func (s *Server) userByLogin(login string) *userRecord {
	for _, r := range s.users {
		if r.user.Login == login {
			return r
		}
	}
	return nil
}

// now is called with s.mu held.
func (s *Server) now() time.Time { return s.clock() }

// touchLastLogin records a successful sign-in as the server does: lastLogin moves only
// when it is unset or older than user.login.lastTimeout (1 s). Called with s.mu held.
func (s *Server) touchLastLogin(rec *userRecord) {
	rec.attempts = 0
	now := s.now().UTC().Truncate(time.Millisecond)
	if rec.user.LastLogin == nil || now.Sub(rec.user.LastLogin.Time) > time.Second {
		rec.user.LastLogin = &iotuser.Time{Time: now}
	}
}

func sortedIDs(set map[int64]bool) []int64 {
	out := make([]int64, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// normalizeData stores JSON compacted, as the server re-serialises it, and null as nil.
func normalizeData(d json.RawMessage) json.RawMessage {
	if len(d) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, d); err != nil {
		return slices.Clone(d)
	}
	if buf.String() == "null" {
		return nil
	}
	return buf.Bytes()
}
