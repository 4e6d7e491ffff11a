// Package accountusertest is an in-memory fake of the Revive Adserver REST API "User
// Management" functions, for testing code that uses package accountuser without a real
// server.
//
//	srv := accountusertest.NewServer()
//	defer srv.Close()
//	srv.AddAccount(2)
//	user, pass := srv.Credentials()
//	c, _ := accountuser.New(accountuser.WithBaseURL(srv.BaseURL()), accountuser.WithBasicAuth(user, pass))
//
// It keeps users and accounts in memory and behaves as the vendor documents:
//
//   - Routes: GET /usr/acc/{accountId} lists the users of an account as a bare array (the
//     path of the vendor's current docs and of accountuser's default); GET /usr/{userId}
//     reads one; POST or PUT /usr/new adds one; POST or PUT /usr/{userId} modifies one;
//     DELETE /usr/{userId} deletes one. SetPubListPath moves the list to
//     /pub/usr/acc/{accountId}, for testing a client built with accountuser.WithPubListPath.
//     The fake serves one list path at a time, so a client on the wrong one gets the 404
//     of a path that has no route, as it would from a real installation.
//   - Auth: HTTP Basic, user "admin" and a generated password by default (Credentials,
//     SetCredentials); anything else gets 401 with a WWW-Authenticate challenge.
//   - Bodies: JSON sent as Content-Type text/javascript (the vendor's example) or
//     application/json (the vendor's auth page); any other type gets 415.
//   - Encoding: every number in an answer is a JSON string and "password" is always null:
//     {"userId":"21","contactName":"...","emailAddress":"...","username":"...",
//     "password":null,"defaultAccountId":"2","active":"1"}. Requests may send ids as numbers
//     or numeric strings and "active" as 0/1, "0"/"1" or true/false.
//   - Add needs contactName, emailAddress, defaultAccountId, username and password (a field
//     that is absent, null or blank is missing); active defaults to 1. Modify changes only the
//     fields sent; a field sent as null keeps its value, as in Revive.
//   - Add and modify answer 200 with the user as stored. Delete answers 200 with the text
//     {"OK"} (SetDeleteResponse changes it).
//
// Errors have the vendor's shape, {"error":{"type":"Exception","message":"..."}}, with the
// messages of Revive's user service. The vendor publishes no status codes, so these are the
// fake's choices (SetErrorStatus forces one status for all of them, for example 200 or 500,
// as some installations answer):
//
//   - 404 "Unknown userId Error": no user with that id (or an id that is not a number).
//   - 404 "Unknown agencyId Error": listing an account that does not exist.
//   - 400 "Unknown agencyId Error": add or modify naming a defaultAccountId that does not exist.
//   - 400 "Field 'username' in structure does not exists" (Revive's wording): a required
//     field missing; "Field 'x' is not string" / "is not integer" for a wrong type;
//     "Wrong Parameters" for a body that is not a JSON object.
//   - 409 "Username must be unique": the username is taken by another user, compared without
//     regard to case (Revive compares in the database's case-insensitive collation). 409
//     rather than 400 so that a client can tell a conflict from a bad request.
//   - 415 for a Content-Type other than the two above.
//
// An account exists when it was registered with AddAccount or named as the default account
// of a user seeded with AddUser; account 1 (Revive's administrator account) exists from the
// start. Revive lists the users linked to an account; the fake links a user to its default
// account only, so a list shows the users whose defaultAccountId is that account.
//
// Faults, latency and the request log are Server's methods too (FailNext, DropNext,
// Inject, ClearFaults, SetLatency, Requests, ResetRequests, FaultsInjected), the same in
// every fake of the SDK: Server embeds a usersdktest.Server.
package accountusertest

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// Messages the fake answers with, the ones Revive's user service raises.
const (
	// MsgUnknownUser answers a user id that does not exist.
	MsgUnknownUser = "Unknown userId Error"
	// MsgUnknownAccount answers an account id that does not exist.
	MsgUnknownAccount = "Unknown agencyId Error"
	// MsgUsernameTaken answers a username another user already has.
	MsgUsernameTaken = "Username must be unique"
	// MsgWrongParameters answers a body that is not a JSON object.
	MsgWrongParameters = "Wrong Parameters"
)

// DefaultAccount is the account that exists from the start, Revive's administrator account.
const DefaultAccount accountuser.ID = 1

// DefaultUsername is the Basic auth user the server accepts until SetCredentials.
const DefaultUsername = "admin"

// deleteOK is what the fake answers a delete with unless SetDeleteResponse changes it.
const deleteOK = `{"OK"}`

// Fault is a failure to inject with Inject: a status (with Retry-After), a reset before
// or after handling, slow bodies, limited to a method, a matcher or a random share.
type Fault = usersdktest.Fault

// Request is a request the server received, as Requests returns it.
type Request = usersdktest.Request

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, with no trailing slash.
	URL string

	// Server injects faults, adds latency and logs requests; its methods (FailNext,
	// Inject, Requests, ...) are this Server's.
	*usersdktest.Server

	mu          sync.Mutex
	users       map[accountuser.ID]*record
	accounts    map[accountuser.ID]bool
	nextID      accountuser.ID
	username    string
	password    string
	errorStatus int
	deleteBody  string
	pubList     bool
}

type record struct {
	user     accountuser.User
	password string
}

// failure is an error answer: its status and the vendor's message.
type failure struct {
	status  int
	message string
}

// NewServer starts a fake with no users, account 1 and the credentials "admin" and a
// generated password (Credentials).
func NewServer() *Server {
	s := &Server{
		users:      map[accountuser.ID]*record{},
		accounts:   map[accountuser.ID]bool{DefaultAccount: true},
		nextID:     1,
		username:   DefaultUsername,
		password:   generatePassword(),
		deleteBody: deleteOK,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /usr/acc/{accountId}", s.listRoute(false, s.auth(s.list)))
	mux.HandleFunc("GET /pub/usr/acc/{accountId}", s.listRoute(true, s.auth(s.list)))
	mux.HandleFunc("GET /usr/{userId}", s.auth(s.get))
	mux.HandleFunc("POST /usr/new", s.auth(s.add))
	mux.HandleFunc("PUT /usr/new", s.auth(s.add))
	mux.HandleFunc("POST /usr/{userId}", s.auth(s.modify))
	mux.HandleFunc("PUT /usr/{userId}", s.auth(s.modify))
	mux.HandleFunc("DELETE /usr/{userId}", s.auth(s.delete))
	s.Server = usersdktest.NewServer(mux)
	s.URL = s.Server.URL
	return s
}

func generatePassword() string {
	return "revive-" + fakeserver.RandomHex(12)
}

// BaseURL returns the URL to pass to accountuser.WithBaseURL: URL itself, since the fake
// serves the API's paths (/usr/...) at its root.
func (s *Server) BaseURL() string { return s.URL }

// Credentials returns the Basic auth user and password the server accepts.
func (s *Server) Credentials() (username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.username, s.password
}

// SetCredentials makes the server accept these Basic auth credentials instead.
func (s *Server) SetCredentials(username, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.username, s.password = username, password
}

// SetErrorStatus answers every error in the vendor's shape with status instead of the
// fake's choice (see the package doc); 0 restores the choices. 401 is never changed.
func (s *Server) SetErrorStatus(status int) { fakeserver.Set(&s.mu, &s.errorStatus, status) }

// SetDeleteResponse sets the body of a successful delete, sent as application/json;
// the default is the text {"OK"}.
func (s *Server) SetDeleteResponse(body string) { fakeserver.Set(&s.mu, &s.deleteBody, body) }

// SetPubListPath serves the account list at /pub/usr/acc/{accountId} instead of
// /usr/acc/{accountId} when on, as an installation that needs accountuser.WithPubListPath
// does; the other path then has no route (404, text "404 page not found"). Off is the
// default.
func (s *Server) SetPubListPath(on bool) { fakeserver.Set(&s.mu, &s.pubList, on) }

// AddAccount makes accounts exist, so users can be added to and listed by them.
func (s *Server) AddAccount(ids ...accountuser.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		s.accounts[id] = true
	}
}

// AddUser stores a user as it is (no checks), assigning an id when u.UserID is 0, makes
// its default account exist, and returns it.
func (s *Server) AddUser(u accountuser.User, password string) accountuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.UserID = fakeserver.SeedID(u.UserID, &s.nextID)
	if u.DefaultAccountID != 0 {
		s.accounts[u.DefaultAccountID] = true
	}
	s.users[u.UserID] = &record{user: u, password: password}
	return u
}

// Users returns every stored user, by id.
func (s *Server) Users() []accountuser.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sorted(func(accountuser.User) bool { return true })
}

// User returns the stored user with this id.
func (s *Server) User(id accountuser.ID) (accountuser.User, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *record) accountuser.User { return r.user })
}

// Password returns the password stored for a user, to check what a client sent (the API
// itself never returns it).
func (s *Server) Password(id accountuser.ID) (string, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *record) string { return r.password })
}

// sorted returns the users keep accepts, by id; it is called with s.mu held.
func (s *Server) sorted(keep func(accountuser.User) bool) []accountuser.User {
	out := make([]accountuser.User, 0, len(s.users))
	for _, r := range fakeserver.Sorted(s.users, func(r *record) accountuser.ID { return r.user.UserID }) {
		if keep(r.user) {
			out = append(out, r.user)
		}
	}
	return out
}

// wireUser is a user as Revive sends it: numbers as strings, password always null.
type wireUser struct {
	UserID           string  `json:"userId"`
	ContactName      string  `json:"contactName"`
	EmailAddress     string  `json:"emailAddress"`
	Username         string  `json:"username"`
	Password         *string `json:"password"`
	DefaultAccountID string  `json:"defaultAccountId"`
	Active           string  `json:"active"`
}

func wire(u accountuser.User) wireUser {
	active := "0"
	if u.Active {
		active = "1"
	}
	return wireUser{
		UserID:           strconv.FormatInt(int64(u.UserID), 10),
		ContactName:      u.ContactName,
		EmailAddress:     u.EmailAddress,
		Username:         u.Username,
		DefaultAccountID: strconv.FormatInt(int64(u.DefaultAccountID), 10),
		Active:           active,
	}
}

func (s *Server) fail(w http.ResponseWriter, f *failure) {
	status := cmp.Or(fakeserver.Get(&s.mu, &s.errorStatus), f.status)
	fakeserver.JSON(w, status, map[string]any{
		"error": map[string]string{"type": "Exception", "message": f.message},
	})
}

func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		s.mu.Lock()
		wantUser, wantPass := s.username, s.password
		s.mu.Unlock()
		userOK := subtle.ConstantTimeCompare([]byte(user), []byte(wantUser)) == 1
		passOK := subtle.ConstantTimeCompare([]byte(pass), []byte(wantPass)) == 1
		if !ok || !userOK || !passOK {
			w.Header().Set("WWW-Authenticate", `Basic realm="Revive Adserver REST API"`)
			fakeserver.JSON(w, http.StatusUnauthorized, map[string]any{
				"error": map[string]string{"type": "Exception", "message": "Unauthorized"},
			})
			return
		}
		next(w, r)
	}
}

// listRoute serves next only when pub is the list path the server was set to; the other
// path answers as one with no route does, before any auth check.
func (s *Server) listRoute(pub bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		served := s.pubList == pub
		s.mu.Unlock()
		if !served {
			http.NotFound(w, r)
			return
		}
		next(w, r)
	}
}

// pathID parses a path id; anything but a whole number names nothing.
func pathID(r *http.Request, name string) (accountuser.ID, bool) {
	n, ok := fakeserver.PathID(r, name)
	return accountuser.ID(n), ok
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "accountId")
	s.mu.Lock()
	if !ok || !s.accounts[id] {
		s.mu.Unlock()
		s.fail(w, &failure{http.StatusNotFound, MsgUnknownAccount})
		return
	}
	users := s.sorted(func(u accountuser.User) bool { return u.DefaultAccountID == id })
	s.mu.Unlock()
	out := make([]wireUser, len(users))
	for i, u := range users {
		out[i] = wire(u)
	}
	fakeserver.JSON(w, http.StatusOK, out)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "userId")
	u, found := s.User(id)
	if !ok || !found {
		s.fail(w, &failure{http.StatusNotFound, MsgUnknownUser})
		return
	}
	fakeserver.JSON(w, http.StatusOK, wire(u))
}

// fields is a decoded request body; a key sent as null counts as not sent.
type fields map[string]json.RawMessage

// readBody checks the Content-Type and decodes a JSON object.
func readBody(r *http.Request) (fields, *failure) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "text/javascript" && mt != "application/json") {
		return nil, &failure{http.StatusUnsupportedMediaType,
			"Unsupported Content-Type " + strconv.Quote(r.Header.Get("Content-Type")) + ": send text/javascript or application/json"}
	}
	var f fields
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&f); err != nil || f == nil {
		return nil, &failure{http.StatusBadRequest, MsgWrongParameters}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &failure{http.StatusBadRequest, MsgWrongParameters}
	}
	for k, v := range f {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(f, k)
		}
	}
	return f, nil
}

func missing(name string) *failure {
	return &failure{http.StatusBadRequest, "Field '" + name + "' in structure does not exists"}
}

// str reads a string field; set is false when it was not sent.
func (f fields) str(name string) (v string, set bool, bad *failure) {
	raw, ok := f[name]
	if !ok {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", true, &failure{http.StatusBadRequest, "Field '" + name + "' is not string"}
	}
	if strings.TrimSpace(v) == "" {
		return "", true, missing(name)
	}
	return v, true, nil
}

// id reads an integer field sent as a number or a string holding one.
func (f fields) id(name string) (v accountuser.ID, set bool, bad *failure) {
	raw, ok := f[name]
	if !ok {
		return 0, false, nil
	}
	text := string(bytes.TrimSpace(raw))
	if strings.HasPrefix(text, `"`) {
		if err := json.Unmarshal(raw, &text); err != nil {
			text = ""
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, true, &failure{http.StatusBadRequest, "Field '" + name + "' is not integer"}
	}
	return accountuser.ID(n), true, nil
}

// active reads the active flag name sent as 0/1, "0"/"1" or true/false.
func (f fields) active(name string) (v accountuser.Active, set bool, bad *failure) {
	raw, ok := f[name]
	if !ok {
		return false, false, nil
	}
	switch string(bytes.TrimSpace(raw)) {
	case `1`, `"1"`, `true`:
		return accountuser.Enabled, true, nil
	case `0`, `"0"`, `false`:
		return accountuser.Disabled, true, nil
	}
	return false, true, &failure{http.StatusBadRequest, "Field '" + name + "' must be 0 or 1"}
}

// change is what a request body sets; nil fields are not set.
type change struct {
	contactName, emailAddress, username, password *string
	defaultAccountID                              *accountuser.ID
	active                                        *accountuser.Active
}

// readChange reads a request body and every known field in it; with required set, a
// missing one is an error. The first field in Revive's order that fails names the error.
func readChange(r *http.Request, required bool) (change, *failure) {
	var c change
	f, bad := readBody(r)
	if bad != nil {
		return c, bad
	}
	for _, bad := range []*failure{
		into("contactName", f.str, &c.contactName, required),
		into("emailAddress", f.str, &c.emailAddress, required),
		into("defaultAccountId", f.id, &c.defaultAccountID, required),
		into("username", f.str, &c.username, required),
		into("password", f.str, &c.password, required),
		into("active", f.active, &c.active, false), // defaults to 1
	} {
		if bad != nil {
			return c, bad
		}
	}
	return c, nil
}

// apply sets the fields c sets on rec.
func (c change) apply(rec *record) {
	u := &rec.user
	fakeserver.Apply(&u.ContactName, c.contactName)
	fakeserver.Apply(&u.EmailAddress, c.emailAddress)
	fakeserver.Apply(&u.Username, c.username)
	fakeserver.Apply(&u.DefaultAccountID, c.defaultAccountID)
	fakeserver.Apply(&u.Active, c.active)
	fakeserver.Apply(&rec.password, c.password)
}

// into stores the field name, as read reads it, in *dst when it was sent; with required
// set, one not sent is an error.
func into[T any](name string, read func(string) (T, bool, *failure), dst **T, required bool) *failure {
	v, set, bad := read(name)
	switch {
	case bad != nil:
		return bad
	case set:
		*dst = &v
	case required:
		return missing(name)
	}
	return nil
}

// check refuses an unknown account and a taken username; it is called with s.mu held.
func (s *Server) check(c change, self accountuser.ID) *failure {
	if c.defaultAccountID != nil && !s.accounts[*c.defaultAccountID] {
		return &failure{http.StatusBadRequest, MsgUnknownAccount}
	}
	if c.username != nil {
		for id, r := range s.users {
			if id != self && strings.EqualFold(r.user.Username, *c.username) {
				return &failure{http.StatusConflict, MsgUsernameTaken}
			}
		}
	}
	return nil
}

func (s *Server) add(w http.ResponseWriter, r *http.Request) {
	c, bad := readChange(r, true)
	if bad != nil {
		s.fail(w, bad)
		return
	}
	s.mu.Lock()
	if bad := s.check(c, 0); bad != nil {
		s.mu.Unlock()
		s.fail(w, bad)
		return
	}
	rec := &record{user: accountuser.User{UserID: s.nextID, Active: accountuser.Enabled}}
	c.apply(rec) // sets every field: a create requires them all
	s.nextID++
	s.users[rec.user.UserID] = rec
	u := rec.user
	s.mu.Unlock()
	fakeserver.JSON(w, http.StatusOK, wire(u))
}

func (s *Server) modify(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "userId")
	if _, found := s.User(id); !ok || !found {
		s.fail(w, &failure{http.StatusNotFound, MsgUnknownUser})
		return
	}
	c, bad := readChange(r, false)
	if bad != nil {
		s.fail(w, bad)
		return
	}
	s.mu.Lock()
	rec, found := s.users[id]
	if !found { // deleted meanwhile
		s.mu.Unlock()
		s.fail(w, &failure{http.StatusNotFound, MsgUnknownUser})
		return
	}
	if bad := s.check(c, id); bad != nil {
		s.mu.Unlock()
		s.fail(w, bad)
		return
	}
	c.apply(rec)
	out := rec.user
	s.mu.Unlock()
	fakeserver.JSON(w, http.StatusOK, wire(out))
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "userId")
	s.mu.Lock()
	_, found := s.users[id]
	delete(s.users, id)
	body := s.deleteBody
	s.mu.Unlock()
	if !ok || !found {
		s.fail(w, &failure{http.StatusNotFound, MsgUnknownUser})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}
