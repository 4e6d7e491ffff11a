package iotusertest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/iotuser"
)

// The server's messages (messages.properties of devicehive-java-server).
const (
	msgUnauthorized    = "Unauthorized"
	msgAccessDenied    = "Access is denied"
	msgJSONSyntax      = "JSON syntax error"
	msgInvalidParams   = "Invalid request parameters"
	msgDuplicateLogin  = "User with such login already exists. Please, select another one"
	msgPasswordInvalid = "Password can contain only from 6 to 128 symbols!"
	msgAdminRequired   = "Admin permissions required for this action"
	msgCantDeleteSelf  = "You can not delete a user or access key that you use to authenticate this request"
	msgInvalidRole     = "User role is invalid or empty"
	msgNullBody        = "Error! Validation failed: Object is null"
	msgLoginSize       = "Field login cannot be empty. The length of login should not be more than 128 symbols."
)

// reply is a handler's answer, written after s.mu is released.
type reply struct {
	status int
	body   any // nil: no body
}

func (r reply) write(w http.ResponseWriter) {
	if r.body == nil {
		w.WriteHeader(r.status)
		return
	}
	fakeserver.JSON(w, r.status, r.body)
}

// errorBody is the server's ErrorResponse.
type errorBody struct {
	Error   int    `json:"error"`
	Message string `json:"message"`
}

func fail(status int, msg string) reply {
	return reply{status: status, body: errorBody{Error: status, Message: msg}}
}

func ok(v any) reply   { return reply{status: http.StatusOK, body: v} }
func noContent() reply { return reply{status: http.StatusNoContent} }

func userNotFound(id any) reply {
	return fail(http.StatusNotFound, fmt.Sprintf("User with id = %v not found", id))
}

// violation is the message of the server's bean validation (HiveValidator).
func violation(property string, value any, msg string) reply {
	return fail(http.StatusBadRequest, fmt.Sprintf("Error! Make sure, that the passed object is correct and "+
		"properly structured. Validation failed: \nOn property %s (value: %v): %s ; ", property, value, msg))
}

// call is one authenticated API request.
type call struct {
	r    *http.Request
	body []byte
	p    payload
	id   int64 // the {id} of the path, "current" resolved; 0 when the route has none
}

// pathID parses an id path segment as the server's long parameters.
func (c *call) pathID(name string) (int64, bool) {
	return fakeserver.PathID(c.r, name)
}

// route registers h under BasePath. The token must carry the action need, except that
// with self a user may call the route on its own id (the docs' rule for client users).
func (s *Server) route(mux *http.ServeMux, pattern string, need action, self bool, h func(*call) reply) {
	method, path, _ := strings.Cut(pattern, " ")
	hasID := strings.Contains(path, "{id}")
	mux.HandleFunc(method+" "+BasePath+path, s.locked(func(r *http.Request, body []byte) reply {
		p, rep := s.authenticate(r)
		if rep != nil {
			return *rep
		}
		c := &call{r: r, body: body, p: p}
		if hasID {
			raw := r.PathValue("id")
			if raw == "current" {
				c.id = p.UserID
			} else if id, ok := fakeserver.PathID(r, "id"); ok {
				c.id = id
			} else {
				return userNotFound(raw)
			}
		}
		if !p.can(need) && !(self && hasID && c.id == p.UserID) {
			return fail(http.StatusForbidden, msgAccessDenied)
		}
		return h(c)
	}))
}

func (s *Server) routeUsers(mux *http.ServeMux) {
	s.route(mux, "GET /user", actionManageUser, false, s.list)
	s.route(mux, "GET /user/count", actionManageUser, false, s.count)
	s.route(mux, "POST /user", actionManageUser, false, s.create)
	s.route(mux, "GET /user/{id}", actionManageUser, true, s.get)
	s.route(mux, "PUT /user/{id}", actionManageUser, true, s.update)
	s.route(mux, "DELETE /user/{id}", actionManageUser, false, s.delete)
	s.route(mux, "GET /user/{id}/network/{networkId}", actionManageNetwork, true, s.getNetwork)
	s.route(mux, "PUT /user/{id}/network/{networkId}", actionManageNetwork, false, s.assign(assignNetworks, true))
	s.route(mux, "DELETE /user/{id}/network/{networkId}", actionManageNetwork, false, s.assign(assignNetworks, false))
	s.route(mux, "GET /user/{id}/devicetype", actionManageDeviceType, true, s.listDeviceTypes)
	s.route(mux, "GET /user/{id}/devicetype/{deviceTypeId}", actionManageDeviceType, true, s.getDeviceType)
	s.route(mux, "PUT /user/{id}/devicetype/{deviceTypeId}", actionManageDeviceType, false, s.assign(assignDeviceTypes, true))
	s.route(mux, "DELETE /user/{id}/devicetype/{deviceTypeId}", actionManageDeviceType, false, s.assign(assignDeviceTypes, false))
	s.route(mux, "PUT /user/{id}/devicetype/all", actionManageDeviceType, false, s.allowAllDeviceTypes)
	s.route(mux, "DELETE /user/{id}/devicetype/all", actionManageDeviceType, false, s.disallowAllDeviceTypes)
}

// Wire shapes. Descriptions are null when empty, as the server sends a missing one.

// userView is a user by the server's JSON names.
type userView map[string]any

// submitted are the fields POST /user answers (the server's USER_SUBMITTED view).
var submitted = []string{"id", "lastLogin", "data", "introReviewed", "allDeviceTypesAvailable"}

// namedView is a network or a device type.
type namedView struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

func viewUser(u iotuser.User) userView {
	return userView{"id": u.ID, "login": u.Login, "role": u.Role, "status": u.Status, "lastLogin": u.LastLogin,
		"data": u.Data, "introReviewed": u.IntroReviewed, "allDeviceTypesAvailable": u.AllDeviceTypesAvailable}
}

func viewNamed(id int64, name, description string) namedView {
	v := namedView{ID: id, Name: name}
	if description != "" {
		v.Description = &description
	}
	return v
}

func viewNetwork(n iotuser.Network) namedView { return viewNamed(n.ID, n.Name, n.Description) }

func viewDeviceType(d iotuser.DeviceType) namedView { return viewNamed(d.ID, d.Name, d.Description) }

// filter is the query of GET /user and GET /user/count.
type filter struct {
	login, pattern *string
	role, status   *int
	like           *regexp.Regexp
}

func parseFilter(q map[string][]string) (filter, *reply) {
	var f filter
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	if v, ok := get("login"); ok {
		f.login = &v
	}
	if v, ok := get("loginPattern"); ok {
		f.pattern = &v
		f.like = likeRegexp(v)
	}
	for _, p := range []struct {
		key string
		dst **int
	}{{"role", &f.role}, {"status", &f.status}} {
		v, _ := get(p.key)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			rep := fail(http.StatusBadRequest, msgInvalidParams)
			return f, &rep
		}
		*p.dst = &n
	}
	return f, nil
}

// match applies the filter as the server's query does: loginPattern (SQL LIKE) wins over
// login (equality).
func (f filter) match(u iotuser.User) bool {
	switch {
	case f.pattern != nil && !f.like.MatchString(u.Login):
		return false
	case f.pattern == nil && f.login != nil && u.Login != *f.login:
		return false
	case f.role != nil && int(u.Role) != *f.role:
		return false
	case f.status != nil && int(u.Status) != *f.status:
		return false
	}
	return true
}

// likeRegexp turns an SQL LIKE pattern into a regexp: % any run, _ one character,
// backslash escapes the next character (PostgreSQL's default). Case-sensitive.
func likeRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	escaped := false
	for _, r := range pattern {
		switch {
		case escaped:
			b.WriteString(regexp.QuoteMeta(string(r)))
			escaped = false
		case r == '\\':
			escaped = true
		case r == '%':
			b.WriteString(`.*`)
		case r == '_':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	if escaped {
		b.WriteString(regexp.QuoteMeta(`\`))
	}
	b.WriteString(`)$`)
	return regexp.MustCompile(b.String())
}

// matching returns the users f keeps, by id. Called with s.mu held.
func (s *Server) matching(f filter) []iotuser.User {
	var out []iotuser.User
	for _, r := range s.sortedUsers() {
		if f.match(r.user) {
			out = append(out, r.user)
		}
	}
	return out
}

// list is GET /user.
func (s *Server) list(c *call) reply {
	q := c.r.URL.Query()
	sortField, sorted := q.Get("sortField"), q.Has("sortField")
	if sorted && !strings.EqualFold(sortField, "id") && !strings.EqualFold(sortField, "login") {
		return fail(http.StatusBadRequest, msgInvalidParams)
	}
	asc := true
	if q.Has("sortOrder") {
		switch o := q.Get("sortOrder"); {
		case strings.EqualFold(o, "ASC"):
		case strings.EqualFold(o, "DESC"):
			asc = false
		default:
			return fail(http.StatusBadRequest, "Unparseable sort order : "+o)
		}
	}
	f, rep := parseFilter(q)
	if rep != nil {
		return *rep
	}
	var take, skip int
	for _, p := range []struct {
		key string
		dst *int
	}{{"take", &take}, {"skip", &skip}} {
		if v := q.Get(p.key); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fail(http.StatusBadRequest, msgInvalidParams)
			}
			*p.dst = n
		}
	}
	users := s.matching(f)
	// Without sortField the server applies no ORDER BY: rows come in id order.
	if sorted {
		byLogin := strings.EqualFold(sortField, "login")
		slices.SortStableFunc(users, func(a, b iotuser.User) int {
			c := cmp.Compare(a.ID, b.ID)
			if byLogin {
				c = strings.Compare(a.Login, b.Login)
			}
			if !asc {
				c = -c
			}
			return c
		})
	}
	// take=0 is no limit, as Hibernate's setMaxResults(0).
	page := fakeserver.Page(users, skip, take)
	out := make([]userView, 0, len(page))
	for _, u := range page {
		out = append(out, viewUser(u))
	}
	return ok(out)
}

// count is GET /user/count.
func (s *Server) count(c *call) reply {
	f, rep := parseFilter(c.r.URL.Query())
	if rep != nil {
		return *rep
	}
	return ok(struct {
		Count int `json:"count"`
	}{len(s.matching(f))})
}

// get is GET /user/{id}.
func (s *Server) get(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	networks := []namedView{}
	for _, id := range sortedIDs(rec.networks) {
		networks = append(networks, viewNetwork(s.networks[id]))
	}
	v := viewUser(rec.user)
	v["networks"] = networks
	return ok(v)
}

// userBody is the server's UserUpdate, the body of POST and PUT; nil pointers are absent
// (or null) fields. It has no oldPassword: the server ignores one, whatever its docs say.
type userBody struct {
	Login                   *string         `json:"login"`
	Role                    *int            `json:"role"`
	Status                  *int            `json:"status"`
	Password                *string         `json:"password"`
	Data                    json.RawMessage `json:"data"`
	IntroReviewed           *bool           `json:"introReviewed"`
	AllDeviceTypesAvailable *bool           `json:"allDeviceTypesAvailable"`
}

func isNullBody(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}

// validate applies UserUpdate's constraints.
func (b *userBody) validate() *reply {
	var rep reply
	switch {
	case b.Login != nil && (utf16Len(*b.Login) < 1 || utf16Len(*b.Login) > 128):
		rep = violation("login", *b.Login, msgLoginSize)
	case b.Role != nil && *b.Role > 1:
		rep = violation("role", *b.Role, "The value of role should not be more than 1.")
	case b.Role != nil && *b.Role < 0:
		rep = violation("role", *b.Role, "The value of role should not be less than 0.")
	case b.Status != nil && *b.Status > 2:
		rep = violation("status", *b.Status, "The value of status should not be more than 2.")
	case b.Status != nil && *b.Status < 0:
		rep = violation("status", *b.Status, "The value of status should not be less than 0.")
	case b.Password != nil && utf8.RuneCountInString(*b.Password) > 128:
		rep = violation("password", "[hidden]", "The length of password should not be more than 128 symbols.")
	default:
		return nil
	}
	return &rep
}

func decodeUserBody(body []byte) (userBody, *reply) {
	var b userBody
	if err := json.Unmarshal(body, &b); err != nil {
		rep := fail(http.StatusBadRequest, msgJSONSyntax)
		return b, &rep
	}
	return b, b.validate()
}

// create is POST /user (UserService.createUser).
func (s *Server) create(c *call) reply {
	if isNullBody(c.body) {
		return fail(http.StatusBadRequest, msgNullBody)
	}
	b, rep := decodeUserBody(c.body)
	if rep != nil {
		return *rep
	}
	if b.Role == nil {
		return fail(http.StatusBadRequest, msgInvalidRole)
	}
	if b.Login == nil {
		return violation("login", "null", msgLoginSize)
	}
	login := trim(*b.Login)
	if login == "" {
		return violation("login", login, msgLoginSize)
	}
	if s.userByLogin(login) != nil {
		return fail(http.StatusForbidden, msgDuplicateLogin)
	}
	if b.Password == nil || !validPassword(*b.Password) {
		return fail(http.StatusBadRequest, msgPasswordInvalid)
	}
	u := iotuser.User{
		ID: s.nextUser, Login: login, Role: iotuser.Role(*b.Role), Status: iotuser.StatusActive,
		Data: normalizeData(b.Data), AllDeviceTypesAvailable: true,
	}
	if b.Status != nil {
		u.Status = iotuser.UserStatus(*b.Status)
	}
	if b.IntroReviewed != nil {
		u.IntroReviewed = *b.IntroReviewed
	}
	if b.AllDeviceTypesAvailable != nil {
		u.AllDeviceTypesAvailable = *b.AllDeviceTypesAvailable
	}
	s.nextUser++
	s.users[u.ID] = &userRecord{user: u, password: *b.Password, networks: map[int64]bool{}, deviceTypes: map[int64]bool{}}
	v := viewUser(u)
	maps.DeleteFunc(v, func(k string, _ any) bool { return !slices.Contains(submitted, k) })
	return reply{status: http.StatusCreated, body: v}
}

// update is PUT /user/{id} and PUT /user/current (UserService.updateUser). Like the
// server it replaces data on every update: data left out is cleared.
func (s *Server) update(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	if isNullBody(c.body) {
		return noContent() // the server returns the user unchanged
	}
	b, rep := decodeUserBody(c.body)
	if rep != nil {
		return *rep
	}
	client := s.users[c.p.UserID].user.Role == iotuser.RoleClient
	if client && (b.Login != nil || b.Status != nil || b.Role != nil) {
		return fail(http.StatusForbidden, msgAdminRequired)
	}
	login := rec.user.Login
	if b.Login != nil {
		login = trim(*b.Login)
		if login == "" {
			return violation("login", login, msgLoginSize)
		}
		if other := s.userByLogin(login); other != nil && other.user.ID != rec.user.ID {
			return fail(http.StatusForbidden, msgDuplicateLogin)
		}
	}
	password := rec.password
	if b.Password != nil && *b.Password != "" {
		if !validPassword(*b.Password) {
			return fail(http.StatusBadRequest, msgPasswordInvalid)
		}
		password = *b.Password
	}
	rec.user.Login = login
	rec.password = password
	if b.Role != nil {
		rec.user.Role = iotuser.Role(*b.Role)
	}
	if b.Status != nil {
		rec.user.Status = iotuser.UserStatus(*b.Status)
	}
	rec.user.Data = normalizeData(b.Data)
	if b.IntroReviewed != nil {
		rec.user.IntroReviewed = *b.IntroReviewed
	}
	return noContent()
}

// delete is DELETE /user/{id}.
func (s *Server) delete(c *call) reply {
	if c.id == c.p.UserID {
		return fail(http.StatusForbidden, msgCantDeleteSelf)
	}
	if _, found := s.users[c.id]; !found {
		return userNotFound(c.id)
	}
	delete(s.users, c.id)
	return noContent()
}

// getNetwork is GET /user/{id}/network/{networkId}.
func (s *Server) getNetwork(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	nid, valid := c.pathID("networkId")
	if !valid || !rec.networks[nid] {
		return fail(http.StatusNotFound, fmt.Sprintf("Network with id %s for user with id %d was not found",
			c.r.PathValue("networkId"), c.id))
	}
	return ok(struct {
		Network namedView `json:"network"`
	}{viewNetwork(s.networks[nid])})
}

// assignable is what a user is assigned one by one: networks or device types.
type assignable struct {
	param, what string // the path parameter of the id; the name in messages
	exists      func(s *Server, id int64) bool
	of          func(u *userRecord) map[int64]bool
	// refused, when set, is the message of the 403 for a user that takes no assignments.
	refused func(u *userRecord) string
}

var (
	assignNetworks = &assignable{
		param: "networkId", what: "Network",
		exists: func(s *Server, id int64) bool { _, ok := s.networks[id]; return ok },
		of:     func(u *userRecord) map[int64]bool { return u.networks },
	}
	assignDeviceTypes = &assignable{
		param: "deviceTypeId", what: "Device type",
		exists: func(s *Server, id int64) bool { _, ok := s.deviceTypes[id]; return ok },
		of:     func(u *userRecord) map[int64]bool { return u.deviceTypes },
		refused: func(u *userRecord) string {
			if u.user.AllDeviceTypesAvailable {
				return "Cannot assign device type to user with all device types allowed"
			}
			return ""
		},
	}
)

// assign is PUT (on) or DELETE of /user/{id}/network/{networkId} or
// /user/{id}/devicetype/{deviceTypeId}.
func (s *Server) assign(a *assignable, on bool) func(c *call) reply {
	return func(c *call) reply {
		rec, found := s.users[c.id]
		if !found {
			return userNotFound(c.id)
		}
		if a.refused != nil {
			if msg := a.refused(rec); msg != "" {
				return fail(http.StatusForbidden, msg)
			}
		}
		id, valid := c.pathID(a.param)
		if !valid || !a.exists(s, id) {
			return fail(http.StatusNotFound, fmt.Sprintf("%s with id = %s not found", a.what, c.r.PathValue(a.param)))
		}
		if on {
			a.of(rec)[id] = true
		} else {
			delete(a.of(rec), id)
		}
		return noContent()
	}
}

// listDeviceTypes is GET /user/{id}/devicetype: every device type when the user has
// allDeviceTypesAvailable, else its assigned ones.
func (s *Server) listDeviceTypes(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	out := []namedView{}
	if rec.user.AllDeviceTypesAvailable {
		for _, d := range fakeserver.Sorted(s.deviceTypes, func(d iotuser.DeviceType) int64 { return d.ID }) {
			out = append(out, viewDeviceType(d))
		}
		return ok(out)
	}
	for _, id := range sortedIDs(rec.deviceTypes) {
		out = append(out, viewDeviceType(s.deviceTypes[id]))
	}
	return ok(out)
}

// getDeviceType is GET /user/{id}/devicetype/{deviceTypeId}.
func (s *Server) getDeviceType(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	did, valid := c.pathID("deviceTypeId")
	d, exists := s.deviceTypes[did]
	if !valid || !exists || (!rec.user.AllDeviceTypesAvailable && !rec.deviceTypes[did]) {
		return fail(http.StatusNotFound, fmt.Sprintf("Device type with id %s for user with id %d not found",
			c.r.PathValue("deviceTypeId"), c.id))
	}
	return ok(struct {
		DeviceType namedView `json:"deviceType"`
	}{viewDeviceType(d)})
}

// allowAllDeviceTypes is PUT /user/{id}/devicetype/all; like the server it drops the
// single assignments.
func (s *Server) allowAllDeviceTypes(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	rec.user.AllDeviceTypesAvailable = true
	clear(rec.deviceTypes)
	return noContent()
}

// disallowAllDeviceTypes is DELETE /user/{id}/devicetype/all.
func (s *Server) disallowAllDeviceTypes(c *call) reply {
	rec, found := s.users[c.id]
	if !found {
		return userNotFound(c.id)
	}
	rec.user.AllDeviceTypesAvailable = false
	return noContent()
}

// trim is Apache StringUtils.trim: it strips control characters and spaces (<= U+0020).
func trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// utf16Len is Java's String.length, which @Size counts.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// validPassword is the server's ^.{6,128}$ in Java: 6..128 characters, no line breaks.
func validPassword(p string) bool {
	if !utf8.ValidString(p) || strings.ContainsAny(p, "\n\r\u0085\u2028\u2029") {
		return false
	}
	n := utf8.RuneCountInString(p)
	return n >= 6 && n <= 128
}
