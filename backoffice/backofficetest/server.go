// Package backofficetest is an in-memory fake of the B2Core Back Office users API, for
// testing code that uses package backoffice without a real server.
//
//	srv := backofficetest.NewServer()
//	defer srv.Close()
//	c, _ := backoffice.New(backoffice.WithBaseURL(srv.BaseURL()), backoffice.WithToken(srv.Token()))
//
// It keeps users in memory and behaves as the vendor documents: bearer tokens, the
// filter[...] / limit / offset / sort_by / sort_order query, 201 on create, 204 on delete,
// 404 for unknown ids, 422 for missing fields and 409 for an e-mail already taken. What the
// vendor leaves open can be switched: WrapLists and WrapObjects wrap answers in
// {"data": ...}, and CreateWithoutBody makes Create answer 202 or 204 with no body.
// Faults, latency and the request log are Server's methods too (FailNext, DropNext,
// Inject, ClearFaults, SetLatency, Requests, ResetRequests, FaultsInjected), the same in
// every fake of the SDK: Server embeds a usersdktest.Server.
package backofficetest

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/usersdktest"
)

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

	mu        sync.Mutex
	users     map[int64]*record
	nextID    int64
	tokens    map[string]bool
	current   string
	wrapLists bool
	wrapUsers bool
	// createStatus, when not 0, is Create's status, sent with no body.
	createStatus int
}

type record struct {
	user     backoffice.User
	password string
}

// NewServer starts a fake with no users and one valid token (Token).
func NewServer() *Server {
	s := &Server{users: map[int64]*record{}, nextID: 1, tokens: map[string]bool{}}
	s.current = s.issue()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/users", s.auth(s.list))
	mux.HandleFunc("POST /api/v2/users", s.auth(s.create))
	mux.HandleFunc("GET /api/v2/users/{id}", s.auth(s.withUser(s.get)))
	mux.HandleFunc("PUT /api/v2/users/{id}", s.auth(s.withUser(s.update)))
	mux.HandleFunc("PATCH /api/v2/users/{id}", s.auth(s.withUser(s.update)))
	mux.HandleFunc("DELETE /api/v2/users/{id}", s.auth(s.withUser(s.delete)))
	s.Server = usersdktest.NewServer(mux)
	s.URL = s.Server.URL
	return s
}

func (s *Server) issue() string {
	tok := "bo-" + fakeserver.RandomHex(16)
	s.tokens[tok] = true
	return tok
}

// Token returns the token the server currently accepts.
func (s *Server) Token() string { return fakeserver.Get(&s.mu, &s.current) }

// BaseURL returns the URL to pass to backoffice.WithBaseURL: URL itself, since B2Core's
// paths start at the host.
func (s *Server) BaseURL() string { return s.URL }

// ExpireTokens makes every token issued so far invalid and issues a new current one.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens)
	s.current = s.issue()
}

// WrapLists makes list answers {"data": [...], "total": n} instead of a bare array.
func (s *Server) WrapLists(wrap bool) { fakeserver.Set(&s.mu, &s.wrapLists, wrap) }

// WrapObjects makes answers holding one user (Get, Create, Update, Patch)
// {"data": {...}} instead of the bare object.
func (s *Server) WrapObjects(wrap bool) { fakeserver.Set(&s.mu, &s.wrapUsers, wrap) }

// CreateWithoutBody makes Create answer status (a 2xx, usually 202 Accepted or 204 No
// Content) with no body, storing the user all the same, as a server may that does not
// return what it created. 0 restores the default, 201 with the user.
func (s *Server) CreateWithoutBody(status int) { fakeserver.Set(&s.mu, &s.createStatus, status) }

// userBody is the answer holding u; s.mu is held.
func (s *Server) userBody(u backoffice.User) any {
	if s.wrapUsers {
		return map[string]any{"data": u}
	}
	return u
}

// AddUser stores a user as it is, assigning an id when u.ID is 0, and returns it.
func (s *Server) AddUser(u backoffice.User, password string) backoffice.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u.ID = fakeserver.SeedID(u.ID, &s.nextID)
	s.users[u.ID] = &record{user: u, password: password}
	return u
}

// Users returns every stored user, by id.
func (s *Server) Users() []backoffice.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]backoffice.User, 0, len(s.users))
	for _, r := range fakeserver.Sorted(s.users, func(r *record) int64 { return r.user.ID }) {
		out = append(out, r.user)
	}
	return out
}

// User returns the stored user with this id.
func (s *Server) User(id int64) (backoffice.User, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *record) backoffice.User { return r.user })
}

// Password returns the password stored for a user, to check what a client sent.
func (s *Server) Password(id int64) (string, bool) {
	return fakeserver.Field(&s.mu, s.users, id, func(r *record) string { return r.password })
}

func message(w http.ResponseWriter, status int, msg string) {
	fakeserver.JSON(w, status, map[string]string{"message": msg})
}

func invalid(w http.ResponseWriter, field, msg string) {
	fakeserver.JSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message": msg,
		"errors":  []map[string]string{{"field": field, "message": msg}},
	})
}

func (s *Server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok := fakeserver.BearerToken(r)
		s.mu.Lock()
		ok := s.tokens[tok]
		s.mu.Unlock()
		if !ok {
			message(w, http.StatusUnauthorized, "Unauthenticated.")
			return
		}
		next(w, r)
	}
}

func (s *Server) withUser(next func(http.ResponseWriter, *http.Request, int64)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := fakeserver.PathID(r, "id")
		if !ok {
			message(w, http.StatusNotFound, "User not found")
			return
		}
		s.mu.Lock()
		_, ok = s.users[id]
		s.mu.Unlock()
		if !ok {
			message(w, http.StatusNotFound, "User not found")
			return
		}
		next(w, r, id)
	}
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err1 := fakeserver.IntOr(q.Get("limit"), 0)
	offset, err2 := fakeserver.IntOr(q.Get("offset"), 0)
	if err1 != nil || err2 != nil || limit < 0 || offset < 0 {
		invalid(w, "limit", "limit and offset must be non-negative integers")
		return
	}
	order := cmp.Or(q.Get("sort_order"), "asc")
	if order != "asc" && order != "desc" {
		invalid(w, "sort_order", "The selected sort order is invalid.")
		return
	}
	users := s.Users()
	name, email, active := q.Get("filter[name]"), q.Get("filter[email]"), q.Get("filter[active]")
	users = slices.DeleteFunc(users, func(u backoffice.User) bool {
		return (name != "" && !strings.Contains(strings.ToLower(u.Name), strings.ToLower(name))) ||
			(email != "" && !strings.EqualFold(u.Email, email)) ||
			(active == "1" && !u.Active)
	})
	by := q.Get("sort_by")
	slices.SortStableFunc(users, func(a, b backoffice.User) int {
		c := 0
		switch by {
		case "name":
			c = strings.Compare(a.Name, b.Name)
		case "email":
			c = strings.Compare(a.Email, b.Email)
		default:
			c = cmp.Compare(a.ID, b.ID)
		}
		if order == "desc" {
			c = -c
		}
		return c
	})
	total := len(users)
	page := fakeserver.Page(users, offset, limit)
	if fakeserver.Get(&s.mu, &s.wrapLists) {
		fakeserver.JSON(w, http.StatusOK, map[string]any{"data": page, "total": total})
		return
	}
	fakeserver.JSON(w, http.StatusOK, page)
}

func (s *Server) get(w http.ResponseWriter, _ *http.Request, id int64) {
	s.mu.Lock()
	body := s.userBody(s.users[id].user)
	s.mu.Unlock()
	fakeserver.JSON(w, http.StatusOK, body)
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	var fields map[string]json.RawMessage
	if err := fakeserver.DecodeJSON(r, &fields); err != nil {
		message(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	for _, f := range []string{"name", "email", "password", "active", "tfa", "groups"} {
		if _, ok := fields[f]; !ok {
			invalid(w, f, "The "+f+" field is required.")
			return
		}
	}
	var req backoffice.CreateRequest
	b, _ := json.Marshal(fields)
	if err := json.Unmarshal(b, &req); err != nil {
		message(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	if !strings.Contains(req.Email, "@") {
		invalid(w, "email", "The email must be a valid email address.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.emailTaken(req.Email, 0) {
		message(w, http.StatusConflict, "The email has already been taken.")
		return
	}
	u := backoffice.User{
		ID: s.nextID, Name: req.Name, Email: req.Email, Phone: req.Phone, Active: req.Active, TFA: tfa(req.TFA),
		Groups: req.Groups, IPWhitelist: req.IPWhitelist, ClientTags: req.ClientTags,
		CanViewMaskedData: req.CanViewMaskedData != nil && *req.CanViewMaskedData,
	}
	s.nextID++
	s.users[u.ID] = &record{user: u, password: req.Password}
	if s.createStatus != 0 {
		w.WriteHeader(s.createStatus)
		return
	}
	fakeserver.JSON(w, http.StatusCreated, s.userBody(u))
}

// emailTaken is called with s.mu held.
func (s *Server) emailTaken(email string, except int64) bool {
	for id, r := range s.users {
		if id != except && strings.EqualFold(r.user.Email, email) {
			return true
		}
	}
	return false
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, id int64) {
	var req backoffice.UpdateRequest
	if err := fakeserver.DecodeJSON(r, &req); err != nil {
		message(w, http.StatusBadRequest, "Malformed JSON body.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.users[id]
	if !ok { // deleted meanwhile
		message(w, http.StatusNotFound, "User not found")
		return
	}
	if req.Email != nil && s.emailTaken(*req.Email, id) {
		message(w, http.StatusConflict, "The email has already been taken.")
		return
	}
	u := &rec.user
	fakeserver.Apply(&u.Name, req.Name)
	fakeserver.Apply(&u.Email, req.Email)
	fakeserver.Apply(&u.Phone, req.Phone)
	fakeserver.Apply(&u.Active, req.Active)
	if req.TFA != nil {
		u.TFA = tfa(*req.TFA)
	}
	fakeserver.Apply(&u.CanViewMaskedData, req.CanViewMaskedData)
	fakeserver.Apply(&rec.password, req.Password)
	if req.Groups != nil {
		u.Groups = req.Groups
	}
	if req.IPWhitelist != nil {
		u.IPWhitelist = req.IPWhitelist
	}
	if req.ClientTags != nil {
		u.ClientTags = req.ClientTags
	}
	fakeserver.JSON(w, http.StatusOK, s.userBody(*u))
}

// tfa is what a request's tfa flag stores: on, with no method named.
func tfa(on bool) backoffice.TFA {
	if on {
		return backoffice.TFAEnabled
	}
	return backoffice.TFADisabled
}

func (s *Server) delete(w http.ResponseWriter, _ *http.Request, id int64) {
	s.mu.Lock()
	delete(s.users, id)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}
