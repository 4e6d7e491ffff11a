// Package clientusertest is an in-memory fake of Telphin's user API, for testing code that
// uses package clientuser without a real server. One server serves both the client-level
// users (/user/client/) of package clientuser and the internal-number-level users
// (/user/extension/) of package extensionuser, with the OAuth 2.0 token endpoint in front,
// so both clients can point at one (package extensionusertest offers the same server):
//
//	srv := clientusertest.NewServer()
//	defer srv.Close()
//	cu, err := clientuser.New(
//		clientuser.WithBaseURL(srv.BaseURL()), // srv.URL + "/api/ver1.0"
//		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	eu, err := extensionuser.New(
//		extensionuser.WithBaseURL(srv.BaseURL()),
//		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	u, err := cu.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
//		Login: "auditor", Name: "Olga", Password: "pw", Email: "olga@example.com"})
//
// It is written from the vendor's documents, never from the SDK's client code, and uses
// the SDK's models only to hand stored users to tests.
//
// Behaviour, as the vendor documents it:
//   - Routes under BasePath (/api/ver1.0): GET and POST /client/{client_id}/user/client/,
//     GET, PUT and DELETE /client/{client_id}/user/client/{user_id}, and the same for
//     /user/extension/. Collections end with a slash; a path without it, or one that is not
//     clean ("//", "/../"), is 404, so a client that builds paths wrongly fails loudly.
//   - client_id is "@me" (the client that owns the application, ClientID) or a numeric id.
//     An unknown client is 404 {"message": ..., "status": "client_not_found"}; a client added
//     with AddForbiddenClient is 403 {"message": "Access denied", "status": "access_denied"}.
//   - An unknown user id, or a user of another client, is 404 {"message": "Record not found"}
//     (the vendor's recorded body).
//   - GET 200, POST 201, PUT 200, DELETE 204 (no body). Lists are bare JSON arrays, by id.
//   - OAuth 2.0 client credentials at TokenPath (/oauth/token): form-encoded
//     grant_type=client_credentials with the credentials as form fields or as HTTP Basic.
//     Tokens live TokenLifetime by the server's clock (SetClock). API calls need
//     "Authorization: Bearer <token>"; otherwise 401 {"message": ..., "status": "access_denied"}.
//   - Every answer under BasePath carries X-RateLimit-Limit, X-RateLimit-Remaining and
//     X-RateLimit-Reset (seconds to the end of the clock hour). Each authenticated request
//     spends one unit of the hourly budget (SetRateLimit); past it the answer is
//     429 {"message": ..., "status": "rate_limit_exceeded"} until the next hour.
//
// Where the vendor documents nothing, the fake chooses, and is stricter rather than looser
// so that client bugs show:
//   - A login is unique across both kinds of user and all clients, compared without regard
//     to case. A create with a taken login is 409
//     {"message": "Login already exists", "status": "login_exists"}.
//   - PUT cannot change the login: a body whose "login" differs from the stored one is 400;
//     the same login is accepted and ignored. Name, e-mail and password cannot be set empty.
//   - POST and PUT need Content-Type application/json (else 415) and a JSON object with only
//     the documented fields (else 400 naming the field). A create missing a required field
//     (login, name, password, email, and extension_id for extension users) is 400 naming it.
//     access must be "full" or "read_only" and status "active" or "blocked" (else 400); a
//     create that leaves them out gets "full" and "active". "client_id" in a client user's
//     body is accepted and ignored: the path decides.
//   - An internal number belongs to the first client that attaches a user to it; attaching a
//     user of another client to it is 400.
//   - List filters are the documented keys only, each repeatable (login=a&login=b); values
//     of one key are alternatives, different keys must all match. id and extension_id must
//     be integers. Any other query key (login[], client_id, ...) is 400.
//   - Lists take page and per_page, as Telphin's other lists do (the user lists do not
//     document them): positive integers, else 400; pages count from 1 over the filtered
//     list by id; a page past the end is []. Without per_page the list is not cut: page 1
//     is all of it. IgnorePaging makes the server accept and ignore both, as a server that
//     does not page these lists would.
//   - User ids come from one sequence shared by both kinds.
//   - The rate budget is one per server (the vendor counts per client). Requests refused
//     with 401 do not spend it. The token endpoint has no budget and no headers.
//   - email_notify=true records a Notification instead of sending mail.
//
// Knobs (methods of Server):
//   - credentials and tokens: AppID, Secret, SetCredentials, IssueToken, ExpireTokens,
//     TokenRequests, OmitExpiresIn, BaseURL, TokenURL;
//   - clients and users: ClientID ("@me"), AddClient, AddForbiddenClient (403),
//     AddClientUser, AddExtensionUser, ClientUsers, ExtensionUsers, ClientUser,
//     ExtensionUser, Password, Notifications;
//   - time and limits: SetClock, SetRateLimit;
//   - lists: IgnorePaging;
//   - faults, latency and the request log, the same in every fake of the SDK (package
//     usersdktest, which Server embeds): FailNext, DropNext, Inject, ClearFaults,
//     SetLatency, Requests, ResetRequests, FaultsInjected.
package clientusertest

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/usersdktest"
)

const (
	// BasePath is the path prefix of the API on the vendor's hosts; a client's base URL is
	// the server's URL followed by it (BaseURL).
	BasePath = "/api/ver1.0"
	// TokenPath is the path of the OAuth 2.0 token endpoint, at the host's root.
	TokenPath = "/oauth/token"
	// TokenLifetime is how long an issued token is accepted, and the expires_in the token
	// endpoint reports.
	TokenLifetime = time.Hour
	// DefaultClientID is the id of the client that owns the application: the client "@me"
	// stands for.
	DefaultClientID int64 = 12345
	// DefaultRateLimit is the hourly request budget of a new server: large, so that long
	// tests and benchmarks never reach it unless they lower it with SetRateLimit.
	DefaultRateLimit = 1_000_000
)

// Fault is a failure to inject with Inject: a status (with Retry-After), a reset before
// or after handling, slow bodies, limited to a method, a matcher or a random share.
type Fault = usersdktest.Fault

// Request is a request the server received, as Requests returns it.
type Request = usersdktest.Request

// Notification is the sign-in data the vendor would have e-mailed when a user was created
// with email_notify set to true.
type Notification struct {
	// UserID is the id of the user created.
	UserID int64
	// Login is the login of the user created.
	Login string
	// To is email_for_notify, or "" when it was not set: the vendor then mails the user who
	// created (the token's owner).
	To string
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, with no trailing slash; BaseURL
	// adds the API's path.
	URL string

	// Server injects faults, adds latency and logs requests; its methods (FailNext,
	// Inject, Requests, ...) are this Server's.
	*usersdktest.Server

	mu            sync.Mutex
	now           func() time.Time
	appID         string
	secret        string
	omitExpiresIn bool
	tokens        map[string]time.Time // token → expiry
	tokenRequests int
	owner         int64
	clients       map[int64]bool    // client id → the application may manage it
	users         map[int64]*record // user id → user of either kind
	extensions    map[int64]int64   // internal number → client it belongs to
	nextID        int64
	notifications []Notification
	rateLimit     int
	rateUsed      int
	rateWindowEnd time.Time
	ignorePaging  bool
}

// NewServer starts a fake with generated application credentials (AppID, Secret), one
// client (DefaultClientID, the owner of the application), no users, no tokens and a budget
// of DefaultRateLimit requests an hour.
func NewServer() *Server {
	s := &Server{
		now:        time.Now,
		appID:      "app-" + fakeserver.RandomHex(8),
		secret:     fakeserver.RandomHex(16),
		tokens:     map[string]time.Time{},
		owner:      DefaultClientID,
		clients:    map[int64]bool{DefaultClientID: true},
		users:      map[int64]*record{},
		extensions: map[int64]int64{},
		nextID:     1,
		rateLimit:  DefaultRateLimit,
	}
	api := http.NewServeMux()
	for _, k := range []*kind{clientKind, extensionKind} {
		coll := BasePath + "/client/{client_id}/user/" + k.name + "/"
		api.HandleFunc("GET "+coll+"{$}", s.withClient(k, s.list))
		api.HandleFunc("POST "+coll+"{$}", s.withClient(k, s.create))
		api.HandleFunc(coll+"{$}", notAllowed("GET, POST"))
		api.HandleFunc("GET "+coll+"{user_id}", s.withClient(k, s.get))
		api.HandleFunc("PUT "+coll+"{user_id}", s.withClient(k, s.update))
		api.HandleFunc("DELETE "+coll+"{user_id}", s.withClient(k, s.delete))
		api.HandleFunc(coll+"{user_id}", notAllowed("GET, PUT, DELETE"))
		// Without this the mux would redirect to the path with a slash and hide the bug.
		api.HandleFunc(strings.TrimSuffix(coll, "/"), notFound)
	}
	api.HandleFunc("/", notFound)

	root := http.NewServeMux()
	root.HandleFunc("POST "+TokenPath, s.token)
	root.HandleFunc(TokenPath, notAllowed("POST"))
	root.Handle(BasePath+"/", s.guard(api))
	root.HandleFunc("/", notFound)
	s.Server = usersdktest.NewServer(s.strict(root))
	s.URL = s.Server.URL
	return s
}

// BaseURL is the base URL to give the clients: the server's URL followed by BasePath.
func (s *Server) BaseURL() string { return s.URL + BasePath }

// TokenURL is the URL of the token endpoint.
func (s *Server) TokenURL() string { return s.URL + TokenPath }

// AppID returns the application id (OAuth client_id) the token endpoint accepts.
func (s *Server) AppID() string { return fakeserver.Get(&s.mu, &s.appID) }

// Secret returns the application secret (OAuth client_secret) the token endpoint accepts.
func (s *Server) Secret() string { return fakeserver.Get(&s.mu, &s.secret) }

// SetCredentials replaces the application credentials the token endpoint accepts. Tokens
// already issued stay valid.
func (s *Server) SetCredentials(appID, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appID, s.secret = appID, secret
}

// OmitExpiresIn makes the token endpoint leave expires_in out of its answers, as in a
// recorded real response. The tokens still expire after TokenLifetime.
func (s *Server) OmitExpiresIn(omit bool) { fakeserver.Set(&s.mu, &s.omitExpiresIn, omit) }

// IssueToken issues a token as the token endpoint would, without a request, for clients
// configured with a fixed token. It does not count in TokenRequests.
func (s *Server) IssueToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked()
}

func (s *Server) issueLocked() string {
	tok := "tph-" + fakeserver.RandomHex(16)
	s.tokens[tok] = s.now().Add(TokenLifetime)
	return tok
}

// ExpireTokens makes every token issued so far invalid: API calls with them get 401 from
// now on. New tokens are accepted.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
}

// TokenRequests counts the requests the token endpoint received, refused ones included.
func (s *Server) TokenRequests() int { return fakeserver.Get(&s.mu, &s.tokenRequests) }

// SetClock replaces the server's clock (time.Now by default; nil restores it). Token
// expiry and the hourly rate-limit window follow it, so tests can move time without
// sleeping.
func (s *Server) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	fakeserver.Set(&s.mu, &s.now, now)
}

// SetRateLimit sets the hourly request budget (0 refuses every API request with 429). The
// requests already counted in the current hour stay counted.
func (s *Server) SetRateLimit(perHour int) { fakeserver.Set(&s.mu, &s.rateLimit, max(perHour, 0)) }

// IgnorePaging makes the lists accept page and per_page and answer the whole list
// whatever they say, as a server that does not page its user lists would (the vendor does
// not document paging for them); false restores paging.
func (s *Server) IgnorePaging(ignore bool) { fakeserver.Set(&s.mu, &s.ignorePaging, ignore) }

// ClientID returns the id of the client that owns the application: the one "@me" names.
func (s *Server) ClientID() int64 { return fakeserver.Get(&s.mu, &s.owner) }

// AddClient adds a client the application may manage, reachable by its numeric id.
func (s *Server) AddClient(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = true
}

// AddForbiddenClient adds a client that exists but that the application may not manage:
// requests naming it get 403 access_denied.
func (s *Server) AddForbiddenClient(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[id] = false
}

// AddClientUser stores u as it is and returns it, for seeding. An ID of 0 gets the next id;
// a ClientID of 0 means the owner's client, and an unknown client is added. It panics when
// the login is empty or already taken, as a seeding mistake in a test.
func (s *Server) AddClientUser(u clientuser.User, password string) clientuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.ClientID == 0 {
		u.ClientID = s.owner
	}
	if _, ok := s.clients[u.ClientID]; !ok {
		s.clients[u.ClientID] = true
	}
	u.ID = s.seedIDLocked(u.ID, u.Login)
	s.users[u.ID] = &record{id: u.ID, clientID: u.ClientID, text: map[string]string{
		"login": u.Login, "name": u.Name, "email": u.Email, "comment": u.Comment, "access": string(u.Access),
		"status": string(u.Status), "extra_params": u.ExtraParams, "timezone": u.Timezone, "password": password,
	}}
	return u
}

// AddExtensionUser stores u as a user of client clientID (0: the owner's client; an
// unknown client is added) and returns it, for seeding. An ID of 0 gets the next id. The
// internal number u.ExtensionID becomes the client's. It panics when the login is empty or
// already taken, or the internal number belongs to another client.
func (s *Server) AddExtensionUser(clientID int64, u extensionuser.User, password string) extensionuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	if clientID == 0 {
		clientID = s.owner
	}
	if _, ok := s.clients[clientID]; !ok {
		s.clients[clientID] = true
	}
	if owner, ok := s.extensions[u.ExtensionID]; ok && owner != clientID {
		panic("clientusertest: internal number " + strconv.FormatInt(u.ExtensionID, 10) + " belongs to another client")
	}
	u.ID = s.seedIDLocked(u.ID, u.Login)
	s.extensions[u.ExtensionID] = clientID
	s.users[u.ID] = &record{id: u.ID, clientID: clientID, ext: true, extensionID: u.ExtensionID, text: map[string]string{
		"login": u.Login, "name": u.Name, "email": u.Email, "comment": u.Comment, "access": string(u.Access),
		"status": string(u.Status), "extra_params": u.ExtraParams, "timezone": u.Timezone, "password": password,
	}}
	return u
}

// seedIDLocked checks a seeded user's login and picks its id; a user already stored under
// that id is replaced.
func (s *Server) seedIDLocked(id int64, login string) int64 {
	if login == "" {
		panic("clientusertest: a seeded user needs a login")
	}
	if s.loginTakenLocked(login, id) {
		panic("clientusertest: login " + strconv.Quote(login) + " is already taken")
	}
	return fakeserver.SeedID(id, &s.nextID)
}

// ClientUsers returns every client-level user, of every client, by id.
func (s *Server) ClientUsers() []clientuser.User {
	return usersOf(s, false, (*record).clientUser)
}

// ExtensionUsers returns every internal-number-level user, of every client, by id.
func (s *Server) ExtensionUsers() []extensionuser.User {
	return usersOf(s, true, (*record).extensionUser)
}

// usersOf returns the users of one kind, by id, as view shows them; nil when there are
// none.
func usersOf[T any](s *Server, ext bool, view func(*record) T) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []T
	for _, r := range s.sortedLocked(ext) {
		out = append(out, view(r))
	}
	return out
}

// ClientUser returns the client-level user with this id.
func (s *Server) ClientUser(id int64) (clientuser.User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok || r.ext {
		return clientuser.User{}, false
	}
	return r.clientUser(), true
}

// ExtensionUser returns the internal-number-level user with this id and the id of the
// client it belongs to.
func (s *Server) ExtensionUser(id int64) (u extensionuser.User, clientID int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if !ok || !r.ext {
		return extensionuser.User{}, 0, false
	}
	return r.extensionUser(), r.clientID, true
}

// Password returns the password stored for the user with this id, of either kind, to check
// what a client sent.
func (s *Server) Password(id int64) (string, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *record) string { return r.text["password"] })
}

// Notifications returns the sign-in notifications the server would have e-mailed, in
// order.
func (s *Server) Notifications() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.notifications...)
}

// strict answers 404 to paths that are not clean: the mux would answer them with a
// redirect, and a client would follow it and never notice its bad path.
func (s *Server) strict(next http.Handler) http.Handler {
	apiNotFound := s.guard(http.HandlerFunc(notFound))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		clean := path.Clean(p)
		if strings.HasSuffix(p, "/") && clean != "/" {
			clean += "/"
		}
		switch {
		case p != "" && clean == p:
			next.ServeHTTP(w, r)
		case strings.HasPrefix(p, BasePath+"/"):
			apiNotFound.ServeHTTP(w, r)
		default:
			notFound(w, r)
		}
	})
}

// guard checks the bearer token, spends one unit of the rate budget and sets the rate-limit
// headers, for every request under BasePath.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := fakeserver.BearerToken(r)
		s.mu.Lock()
		now := s.now()
		exp, ok := s.tokens[tok]
		if ok && !now.Before(exp) {
			delete(s.tokens, tok)
			ok = false
		}
		// A clock set backwards (SetClock) starts a new window too.
		if !now.Before(s.rateWindowEnd) || now.Before(s.rateWindowEnd.Add(-time.Hour)) {
			s.rateUsed = 0
			s.rateWindowEnd = now.Truncate(time.Hour).Add(time.Hour)
		}
		over := false
		if ok {
			if s.rateUsed < s.rateLimit {
				s.rateUsed++
			} else {
				over = true
			}
		}
		limit, remaining, reset := s.rateLimit, max(s.rateLimit-s.rateUsed, 0), s.rateWindowEnd.Sub(now)
		s.mu.Unlock()

		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(int64((reset+time.Second-1)/time.Second), 10))
		switch {
		case !ok:
			h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			message(w, http.StatusUnauthorized, "Access token is missing, invalid or expired", "access_denied")
		case over:
			message(w, http.StatusTooManyRequests, "Request limit exceeded, try again later", "rate_limit_exceeded")
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// handler serves a request on the users of kind k of a client the application may manage.
type handler func(w http.ResponseWriter, r *http.Request, clientID int64, k *kind)

// withClient resolves {client_id}: "@me" or a numeric id of a known client.
func (s *Server) withClient(k *kind, next handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw := r.PathValue("client_id")
		s.mu.Lock()
		id, err := s.owner, error(nil)
		if raw != "@me" {
			id, err = strconv.ParseInt(raw, 10, 64)
		}
		allowed, known := s.clients[id]
		s.mu.Unlock()
		switch {
		case err != nil || !known:
			message(w, http.StatusNotFound, "Client "+strconv.Quote(raw)+" not found", "client_not_found")
		case !allowed:
			message(w, http.StatusForbidden, "Access denied", "access_denied")
		default:
			next(w, r, id, k)
		}
	}
}

// userID parses {user_id}; ok is false (and a 404 sent) when it is not an integer.
func userID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := fakeserver.PathID(r, "user_id")
	if !ok {
		recordNotFound(w)
	}
	return id, ok
}

// message writes the vendor's error body: {"message": ...} with "status" when code is set.
func message(w http.ResponseWriter, status int, msg, code string) {
	body := map[string]string{"message": msg}
	if code != "" {
		body["status"] = code
	}
	fakeserver.JSON(w, status, body)
}

// recordNotFound writes the vendor's recorded 404 for an unknown user.
func recordNotFound(w http.ResponseWriter) {
	message(w, http.StatusNotFound, "Record not found", "")
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	message(w, http.StatusNotFound, "Not found", "")
}

func notAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", allow)
		message(w, http.StatusMethodNotAllowed, "Method not allowed", "")
	}
}
