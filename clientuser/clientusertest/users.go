package clientusertest

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/fakeserver"
)

// record is a stored user of either kind. Both kinds share the id space and the logins.
type record struct {
	id          int64
	clientID    int64
	ext         bool  // an internal-number-level user
	extensionID int64 // ext only
	// text holds the string fields by wire name: the textFields and "password".
	text map[string]string
}

// textFields are the string fields of a user that answers show, by wire name.
var textFields = []string{"login", "name", "email", "comment", "access", "status", "extra_params", "timezone"}

func (r *record) clientUser() clientuser.User {
	return clientuser.User{
		ID: r.id, ClientID: r.clientID, Login: r.text["login"], Name: r.text["name"], Email: r.text["email"],
		Comment: r.text["comment"], Access: clientuser.Access(r.text["access"]), Status: clientuser.Status(r.text["status"]),
		ExtraParams: r.text["extra_params"], Timezone: r.text["timezone"],
	}
}

func (r *record) extensionUser() extensionuser.User {
	return extensionuser.User{
		ID: r.id, ExtensionID: r.extensionID, Login: r.text["login"], Name: r.text["name"], Email: r.text["email"],
		Comment: r.text["comment"], Access: extensionuser.Access(r.text["access"]),
		Status: extensionuser.Status(r.text["status"]), ExtraParams: r.text["extra_params"], Timezone: r.text["timezone"],
	}
}

// wire is a user as the vendor's "Response parameters" list it. The encoding is the
// fake's own, from the documents, so a wrong JSON name in the SDK's models shows up.
func (r *record) wire() map[string]any {
	m := map[string]any{"id": r.id}
	for _, name := range textFields {
		m[name] = r.text[name]
	}
	if r.ext {
		m["extension_id"] = r.extensionID
	} else {
		m["client_id"] = r.clientID
	}
	return m
}

// field is the value a list filter compares, with integers in canonical decimal.
func (r *record) field(name string) string {
	switch name {
	case "id":
		return strconv.FormatInt(r.id, 10)
	case "extension_id":
		return strconv.FormatInt(r.extensionID, 10)
	}
	return r.text[name]
}

// kind is one of the two kinds of user: its path segment and its documented list filters
// and body fields.
type kind struct {
	name                       string
	ext                        bool
	filters                    []string
	createFields, updateFields []string
}

// The two kinds. login is not documented for PUT; it is read only to refuse a change.
var (
	clientKind = &kind{
		name:         "client",
		filters:      []string{"login", "id"},
		createFields: []string{"client_id", "access", "comment", "email", "email_notify", "email_for_notify", "extra_params", "login", "name", "password", "status", "timezone"},
		updateFields: []string{"comment", "status", "name", "access", "extra_params", "timezone", "password", "email", "login"},
	}
	extensionKind = &kind{
		name:         "extension",
		ext:          true,
		filters:      []string{"comment", "status", "name", "id", "access", "extension_id", "timezone", "login", "email"},
		createFields: []string{"comment", "status", "name", "access", "extension_id", "extra_params", "timezone", "login", "password", "email", "email_notify", "email_for_notify"},
		updateFields: []string{"comment", "status", "name", "access", "extension_id", "extra_params", "timezone", "password", "email", "login"},
	}
)

// intFilters are the list filters that take integers; they are parsed.
var intFilters = map[string]bool{"id": true, "extension_id": true}

// body is a create or update request by wire name: client_id and extension_id as int64,
// email_notify as bool, every other field as a string. A field sent as null is left out.
type body map[string]any

// decodeField decodes a body field by its name; a field not named here is a string.
var decodeField = map[string]func(json.RawMessage) (any, error){
	"client_id": decodeAs[int64], "extension_id": decodeAs[int64], "email_notify": decodeAs[bool],
}

func decodeAs[T any](raw json.RawMessage) (any, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

// text returns the string field name, and whether it was sent.
func (b body) text(name string) (string, bool) {
	s, ok := b[name].(string)
	return s, ok
}

// decodeBody reads a create (or update) of kind k: a JSON object holding only the kind's
// fields, with valid values. On failure it has written the answer and returns false.
func decodeBody(w http.ResponseWriter, r *http.Request, k *kind, create bool) (body, bool) {
	allowed := k.updateFields
	if create {
		allowed = k.createFields
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		message(w, http.StatusUnsupportedMediaType, "Content-Type must be application/json", "")
		return nil, false
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		message(w, http.StatusBadRequest, "Cannot read the request body", "")
		return nil, false
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			message(w, http.StatusBadRequest, "The request body must be a JSON object", "")
		} else {
			message(w, http.StatusBadRequest, "Malformed JSON body", "")
		}
		return nil, false
	}
	names := slices.Sorted(maps.Keys(fields))
	for _, name := range names {
		if !slices.Contains(allowed, name) {
			message(w, http.StatusBadRequest, "Unknown field "+strconv.Quote(name), "")
			return nil, false
		}
	}
	b := body{}
	for _, name := range names {
		if string(fields[name]) == "null" {
			continue
		}
		decode := decodeField[name]
		if decode == nil {
			decode = decodeAs[string]
		}
		v, err := decode(fields[name])
		if err != nil {
			msg := "Malformed JSON body"
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				msg = "Field " + strconv.Quote(name) + " must be " + te.Type.Kind().String()
			}
			message(w, http.StatusBadRequest, msg, "")
			return nil, false
		}
		b[name] = v
	}
	if msg := b.check(create, k.ext); msg != "" {
		message(w, http.StatusBadRequest, msg, "")
		return nil, false
	}
	return b, true
}

// check validates the fields a create or update sets and returns the message of the first
// problem, or "".
func (b body) check(create, ext bool) string {
	if create {
		for _, name := range []string{"login", "name", "password", "email"} {
			if s, _ := b.text(name); s == "" {
				return "Field " + strconv.Quote(name) + " is required"
			}
		}
		if _, ok := b["extension_id"]; ext && !ok {
			return `Field "extension_id" is required`
		}
	}
	for _, name := range []string{"name", "password", "email"} {
		if s, ok := b.text(name); ok && s == "" {
			return "Field " + strconv.Quote(name) + " must not be empty"
		}
	}
	if n, ok := b["extension_id"].(int64); ok && n <= 0 {
		return `Field "extension_id" must be a positive internal number id`
	}
	if s, ok := b.text("email"); ok && !isEmail(s) {
		return `Field "email" is not a valid e-mail address`
	}
	if s, _ := b.text("email_for_notify"); s != "" && !isEmail(s) {
		return `Field "email_for_notify" is not a valid e-mail address`
	}
	if s, ok := b.text("access"); ok && s != "full" && s != "read_only" {
		return `Field "access" must be "full" or "read_only"`
	}
	if s, ok := b.text("status"); ok && s != "active" && s != "blocked" {
		return `Field "status" must be "active" or "blocked"`
	}
	return ""
}

func isEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n")
}

// applied are the fields a create or update copies onto the user; the login and the ids
// are the caller's.
var applied = []string{"name", "email", "password", "access", "status", "comment", "extra_params", "timezone"}

// apply copies the applied fields b sets onto r.
func (b body) apply(r *record) {
	for _, name := range applied {
		if s, ok := b.text(name); ok {
			r.text[name] = s
		}
	}
}

// loginTakenLocked says whether another user (not id) has this login, ignoring case.
func (s *Server) loginTakenLocked(login string, except int64) bool {
	for id, r := range s.users {
		if id != except && strings.EqualFold(r.text["login"], login) {
			return true
		}
	}
	return false
}

// claimExtensionLocked attaches internal number ext to clientID, or returns a message when
// it belongs to another client.
func (s *Server) claimExtensionLocked(ext, clientID int64) string {
	if owner, ok := s.extensions[ext]; ok && owner != clientID {
		return "Internal number " + strconv.FormatInt(ext, 10) + " does not belong to client " + strconv.FormatInt(clientID, 10)
	}
	s.extensions[ext] = clientID
	return ""
}

// attachLocked attaches u to the internal number b sends, if any; when the number belongs
// to another client it answers 400 and returns false.
func (s *Server) attachLocked(w http.ResponseWriter, u *record, b body) bool {
	ext, ok := b["extension_id"].(int64)
	if !ok {
		return true
	}
	if msg := s.claimExtensionLocked(ext, u.clientID); msg != "" {
		message(w, http.StatusBadRequest, msg, "")
		return false
	}
	u.extensionID = ext
	return true
}

// sortedLocked returns the users of one kind, by id.
func (s *Server) sortedLocked(ext bool) []*record {
	all := fakeserver.Sorted(s.users, func(r *record) int64 { return r.id })
	return slices.DeleteFunc(all, func(r *record) bool { return r.ext != ext })
}

// userLocked finds a user of one kind that belongs to clientID.
func (s *Server) userLocked(id, clientID int64, ext bool) (*record, bool) {
	r, ok := s.users[id]
	if !ok || r.ext != ext || r.clientID != clientID {
		return nil, false
	}
	return r, true
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, clientID int64, k *kind) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		message(w, http.StatusBadRequest, "Malformed query string", "")
		return
	}
	page, perPage, ok := paging(w, q)
	if !ok {
		return
	}
	for _, key := range slices.Sorted(maps.Keys(q)) {
		if !slices.Contains(k.filters, key) {
			message(w, http.StatusBadRequest, "Unknown filter "+strconv.Quote(key), "")
			return
		}
		if intFilters[key] {
			for i, v := range q[key] {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					message(w, http.StatusBadRequest, "Filter "+strconv.Quote(key)+" must be an integer", "")
					return
				}
				q[key][i] = strconv.FormatInt(n, 10)
			}
		}
	}
	s.mu.Lock()
	out := []map[string]any{}
	for _, u := range s.sortedLocked(k.ext) {
		if u.clientID != clientID {
			continue
		}
		match := true
		for key, vs := range q {
			if !slices.Contains(vs, u.field(key)) {
				match = false
				break
			}
		}
		if match {
			out = append(out, u.wire())
		}
	}
	if s.ignorePaging {
		page, perPage = 1, 0
	}
	s.mu.Unlock()
	fakeserver.JSON(w, http.StatusOK, pageOf(out, page, perPage))
}

// paging takes page and per_page out of q: positive integers, 1 and 0 (no paging) when
// absent. On failure it has written the answer and returns false.
func paging(w http.ResponseWriter, q url.Values) (page, perPage int, ok bool) {
	page = 1
	for _, p := range []struct {
		key string
		v   *int
	}{{"page", &page}, {"per_page", &perPage}} {
		vs, found := q[p.key]
		if !found {
			continue
		}
		delete(q, p.key)
		n, err := strconv.Atoi(vs[0])
		if len(vs) != 1 || err != nil || n < 1 {
			message(w, http.StatusBadRequest, "Parameter "+strconv.Quote(p.key)+" must be a positive integer", "")
			return 0, 0, false
		}
		*p.v = n
	}
	return page, perPage, true
}

// pageOf returns page (from 1) of list cut into pages of perPage; perPage 0 leaves the
// list whole, as its first and only page.
func pageOf[T any](list []T, page, perPage int) []T {
	if perPage == 0 {
		perPage = max(len(list), 1)
	}
	// Written so that no huge page or per_page overflows.
	if len(list) == 0 || page-1 > (len(list)-1)/perPage {
		return []T{}
	}
	from := (page - 1) * perPage
	return list[from : from+min(perPage, len(list)-from)]
}

// withUser calls f, under the lock, with the user of kind k and client clientID that the
// path names; when there is none it answers 404 and returns false.
func (s *Server) withUser(w http.ResponseWriter, r *http.Request, clientID int64, k *kind, f func(u *record)) bool {
	id, ok := userID(w, r)
	if !ok {
		return false
	}
	s.mu.Lock()
	u, ok := s.userLocked(id, clientID, k.ext)
	if ok {
		f(u)
	}
	s.mu.Unlock()
	if !ok {
		recordNotFound(w)
	}
	return ok
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, clientID int64, k *kind) {
	var out map[string]any
	if s.withUser(w, r, clientID, k, func(u *record) { out = u.wire() }) {
		fakeserver.JSON(w, http.StatusOK, out)
	}
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, clientID int64, k *kind) {
	b, ok := decodeBody(w, r, k, true)
	if !ok {
		return
	}
	login, _ := b.text("login")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loginTakenLocked(login, 0) {
		message(w, http.StatusConflict, "Login already exists", "login_exists")
		return
	}
	u := &record{id: s.nextID, clientID: clientID, ext: k.ext,
		text: map[string]string{"login": login, "access": "full", "status": "active"}}
	if !s.attachLocked(w, u, b) {
		return
	}
	b.apply(u)
	s.nextID++
	s.users[u.id] = u
	if notify, _ := b["email_notify"].(bool); notify {
		to, _ := b.text("email_for_notify")
		s.notifications = append(s.notifications, Notification{UserID: u.id, Login: login, To: to})
	}
	fakeserver.JSON(w, http.StatusCreated, u.wire())
}

func (s *Server) update(w http.ResponseWriter, r *http.Request, clientID int64, k *kind) {
	var id int64
	if !s.withUser(w, r, clientID, k, func(u *record) { id = u.id }) {
		return
	}
	b, ok := decodeBody(w, r, k, false)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.userLocked(id, clientID, k.ext)
	if !ok { // deleted meanwhile
		recordNotFound(w)
		return
	}
	if login, sent := b.text("login"); sent && login != u.text["login"] {
		message(w, http.StatusBadRequest, "The login cannot be changed", "")
		return
	}
	if !s.attachLocked(w, u, b) {
		return
	}
	b.apply(u)
	fakeserver.JSON(w, http.StatusOK, u.wire())
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, clientID int64, k *kind) {
	if s.withUser(w, r, clientID, k, func(u *record) { delete(s.users, u.id) }) {
		w.WriteHeader(http.StatusNoContent)
	}
}
