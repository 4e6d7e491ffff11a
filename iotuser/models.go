package iotuser

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/usersdk/usersdk-go/internal/core"
)

// User is a DeviceHive user as the list, create and update endpoints describe it.
//
// The create endpoint answers with only id, lastLogin, data, introReviewed and
// allDeviceTypesAvailable; the other fields of a freshly created user come from the request.
type User struct {
	ID int64 `json:"id"`
	// Login is the name the user signs in with (1..128 characters).
	Login  string     `json:"login"`
	Role   Role       `json:"role"`
	Status UserStatus `json:"status"`
	// LastLogin is when the user last signed in, in UTC; nil if never.
	LastLogin *Time `json:"lastLogin"`
	// Data is the user's free-form JSON, kept exactly as the server sent it
	// (the JSON literal null when the user has none).
	Data          json.RawMessage `json:"data"`
	IntroReviewed bool            `json:"introReviewed"`
	// AllDeviceTypesAvailable grants the user every device type, present and future.
	AllDeviceTypesAvailable bool `json:"allDeviceTypesAvailable"`
}

// UserWithNetworks is a user together with the networks assigned to it, as returned by
// GET /user/{id} and GET /user/current.
type UserWithNetworks struct {
	User
	Networks []Network `json:"networks"`
}

// Network is a DeviceHive network, a group of devices a client user may be granted.
type Network struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// DeviceType is a DeviceHive device type a client user may be granted.
type DeviceType struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// Role is a user's role. The API sends it as an integer.
type Role int

// Roles.
const (
	// RoleAdmin may manage every user, network and device type. It is the zero value.
	RoleAdmin Role = 0
	// RoleClient sees only itself and the networks and device types it is granted.
	RoleClient Role = 1
)

// String returns "admin", "client", or "Role(n)" for a value the API does not define.
func (r Role) String() string { return name(r, "Role", "admin", "client") }

// EncodeValues puts the role in a query string as its number; without it the query
// encoder would use String.
func (r Role) EncodeValues(key string, v *url.Values) error { return encodeNumber(key, v, r) }

func (r Role) valid() bool { return r == RoleAdmin || r == RoleClient }

// UserStatus is the state of a user's account. The API sends it as an integer.
type UserStatus int

// User statuses.
const (
	// StatusActive is a user who may sign in. It is the zero value.
	StatusActive UserStatus = 0
	// StatusLocked is a user locked out after too many failed sign-ins.
	StatusLocked UserStatus = 1
	// StatusDisabled is a user disabled by an administrator.
	StatusDisabled UserStatus = 2
)

// String returns "active", "locked", "disabled", or "UserStatus(n)" for a value the API
// does not define.
func (s UserStatus) String() string { return name(s, "UserStatus", "active", "locked", "disabled") }

// EncodeValues puts the status in a query string as its number; without it the query
// encoder would use String.
func (s UserStatus) EncodeValues(key string, v *url.Values) error { return encodeNumber(key, v, s) }

// name is the name of n, an enum whose values are 0, 1, …; "Type(n)" for any other value.
func name[T ~int](n T, typ string, names ...string) string {
	if n >= 0 && int(n) < len(names) {
		return names[n]
	}
	return typ + "(" + strconv.Itoa(int(n)) + ")"
}

// encodeNumber puts an enum in a query string as the number the API takes.
func encodeNumber[T ~int](key string, v *url.Values, n T) error {
	v.Set(key, strconv.Itoa(int(n)))
	return nil
}

func (s UserStatus) valid() bool { return s >= StatusActive && s <= StatusDisabled }

// TimeLayout is how DeviceHive writes timestamps: UTC, milliseconds, no zone suffix.
const TimeLayout = "2006-01-02T15:04:05.000"

// Time is a DeviceHive timestamp. The server writes "2018-02-20T14:10:15.123" (UTC with
// no zone), which time.Time's own JSON decoding rejects.
//
// It decodes that form, the same with no or any other number of fractional digits, and
// RFC 3339 with a zone (converted to UTC). JSON null leaves it unchanged. It encodes in
// the server's form, truncated to milliseconds; the zero Time encodes as null.
type Time struct {
	time.Time
}

// ParseTime parses a DeviceHive timestamp in any of the forms Time decodes.
func ParseTime(s string) (Time, error) {
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC); err == nil {
		return Time{t}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return Time{t.UTC()}, nil
		}
	}
	return Time{}, fmt.Errorf("iotuser: invalid timestamp %q: want yyyy-MM-ddTHH:mm:ss[.SSS] in UTC, or RFC 3339", s)
}

// MarshalJSON writes the time as "yyyy-MM-ddTHH:mm:ss.SSS" in UTC, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	u := t.UTC()
	if y := u.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("iotuser: timestamp year %d outside 0..9999", y)
	}
	b := make([]byte, 0, len(TimeLayout)+2)
	b = append(b, '"')
	b = u.AppendFormat(b, TimeLayout)
	return append(b, '"'), nil
}

// UnmarshalJSON reads any form ParseTime accepts; null leaves t unchanged.
func (t *Time) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("iotuser: timestamp must be a JSON string, got %.40s", b)
	}
	p, err := ParseTime(s)
	if err != nil {
		return err
	}
	*t = p
	return nil
}

// invalid is the one place validation errors are built: a *ValidationError naming the
// field by its JSON name, matching ErrInvalidInput.
func invalid(field, reason string) error { return core.Invalid(field, reason) }

// Limits the server enforces on logins and passwords.
const (
	maxLogin    = 128
	minPassword = 6
	maxPassword = 128
)

// checkLogin applies the server's rule: 1..128 characters, counted as Java counts a
// String's length (UTF-16 units, so a character outside the BMP counts twice). The server
// trims the login, so a blank one would be stored empty.
func checkLogin(field, login string) error {
	if trimLogin(login) == "" {
		return invalid(field, "is required")
	}
	if n := utf16Len(login); n > maxLogin {
		return invalid(field, fmt.Sprintf("is %d characters long, at most %d are allowed", n, maxLogin))
	}
	return nil
}

// checkPassword applies the server's rule ^.{6,128}$ in Java: 6..128 characters and no
// line breaks, which Java's "." does not match.
func checkPassword(field, password string) error {
	if !utf8.ValidString(password) {
		return invalid(field, "is not valid UTF-8")
	}
	if strings.ContainsAny(password, "\n\r\u0085\u2028\u2029") {
		return invalid(field, "must not contain line breaks")
	}
	if n := utf8.RuneCountInString(password); n < minPassword || n > maxPassword {
		return invalid(field, fmt.Sprintf("is %d characters long, must be %d to %d", n, minPassword, maxPassword))
	}
	return nil
}

// trimLogin trims a login as the server does before storing it (StringUtils.trim, that
// is Java's String.trim): every character up to U+0020 at either end, control
// characters included, and no other white space.
func trimLogin(login string) string {
	return strings.TrimFunc(login, func(r rune) bool { return r <= ' ' })
}

func checkData(field string, data json.RawMessage) error {
	if len(data) > 0 && !json.Valid(data) {
		return invalid(field, "is not valid JSON")
	}
	return nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// CreateRequest is a new user (POST /user). Login, Password and Role are required, as
// the server requires them. Role is a pointer because its zero value would be RoleAdmin:
// a request that forgets it is refused, not sent as an administrator. Status is always
// sent; its zero value, StatusActive, is the server's default.
type CreateRequest struct {
	Login    string     `json:"login"`
	Role     *Role      `json:"role"`
	Status   UserStatus `json:"status"`
	Password string     `json:"password"`
	// Data is free-form JSON stored with the user; left out when empty.
	Data json.RawMessage `json:"data,omitempty"`
	// IntroReviewed defaults to false on the server when nil.
	IntroReviewed *bool `json:"introReviewed,omitempty"`
	// AllDeviceTypesAvailable defaults to true on the server when nil.
	AllDeviceTypesAvailable *bool `json:"allDeviceTypesAvailable,omitempty"`
}

// Validate checks the request as the server would: login 1..128 characters, password
// 6..128 characters without line breaks, a role that is set and defined, a defined status,
// and valid JSON data.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return invalid("request", "is nil")
	}
	if err := checkLogin("login", r.Login); err != nil {
		return err
	}
	if err := checkPassword("password", r.Password); err != nil {
		return err
	}
	if r.Role == nil {
		return invalid("role", "is required (RoleClient for an ordinary user, RoleAdmin for an administrator)")
	}
	if !r.Role.valid() {
		return invalid("role", fmt.Sprintf("%d is not RoleAdmin (0) or RoleClient (1)", int(*r.Role)))
	}
	if !r.Status.valid() {
		return invalid("status", fmt.Sprintf("%d is not a defined status (0..2)", int(r.Status)))
	}
	return checkData("data", r.Data)
}

// UpdateRequest changes a user (PUT /user/{id} or PUT /user/current). Only the fields
// that are set (non-nil) are sent.
//
// Beware: the server replaces data on every update, so an update that leaves Data nil
// CLEARS the user's data. To keep it, send the current value back (from Get). To clear it
// on purpose, set Data to a pointer to json.RawMessage("null").
//
// A client-role user may change only its own password, data and introReviewed; setting
// Login, Role or Status as a client is refused with 403. The server asks for no old
// password (its UserUpdate has no such field, whatever the docs say).
type UpdateRequest struct {
	Login    *string     `json:"login,omitempty"`
	Role     *Role       `json:"role,omitempty"`
	Status   *UserStatus `json:"status,omitempty"`
	Password *string     `json:"password,omitempty"`
	// Data is sent when non-nil, as JSON null if it points to nil or "null". See the type's
	// doc: nil clears the user's data on the server.
	Data          *json.RawMessage `json:"data,omitempty"`
	IntroReviewed *bool            `json:"introReviewed,omitempty"`
}

// Validate checks the fields that are set as the server would (login 1..128 characters,
// password 6..128 characters, defined role and status, valid JSON data). It refuses an
// update that sets nothing, whose only effect would be to clear data.
func (r *UpdateRequest) Validate() error {
	if r == nil {
		return invalid("request", "is nil")
	}
	if r.Login == nil && r.Role == nil && r.Status == nil && r.Password == nil &&
		r.IntroReviewed == nil && r.Data == nil {
		return invalid("request", "sets no field (to clear data, set Data to JSON null)")
	}
	if r.Login != nil {
		if err := checkLogin("login", *r.Login); err != nil {
			return err
		}
	}
	if r.Password != nil {
		if err := checkPassword("password", *r.Password); err != nil {
			return err
		}
	}
	if r.Role != nil && !r.Role.valid() {
		return invalid("role", fmt.Sprintf("%d is not RoleAdmin (0) or RoleClient (1)", int(*r.Role)))
	}
	if r.Status != nil && !r.Status.valid() {
		return invalid("status", fmt.Sprintf("%d is not a defined status (0..2)", int(*r.Status)))
	}
	if r.Data != nil {
		return checkData("data", *r.Data)
	}
	return nil
}

// SortField is the field a user list is sorted by. The server refuses any other value
// with 400.
type SortField string

// Sort fields.
const (
	SortByID    SortField = "ID"
	SortByLogin SortField = "Login"
)

// SortOrder is the direction of a sorted list.
type SortOrder string

// Sort orders.
const (
	Ascending  SortOrder = "ASC"
	Descending SortOrder = "DESC"
)

// ListOptions filters, sorts and pages a user list (GET /user). The zero value lists
// every user.
type ListOptions struct {
	// Login keeps the user with exactly this login. Ignored when LoginPattern is set.
	Login string `url:"login,omitempty"`
	// LoginPattern is an SQL LIKE pattern matched against logins: "%" matches any run of
	// characters and "_" one character; without them it matches exactly.
	LoginPattern string `url:"loginPattern,omitempty"`
	// Role keeps users with this role.
	Role *Role `url:"role,omitempty"`
	// Status keeps users with this status.
	Status *UserStatus `url:"status,omitempty"`
	// SortField is SortByID or SortByLogin.
	SortField SortField `url:"sortField,omitempty"`
	// SortOrder is Ascending (the server's default) or Descending.
	SortOrder SortOrder `url:"sortOrder,omitempty"`
	// Take is the page size. 0 leaves it out; the docs give 20 as the default, but the
	// server's REST endpoint then applies no limit at all.
	Take int `url:"take,omitempty"`
	// Skip is how many users to skip.
	Skip int `url:"skip,omitempty"`
}

// Validate refuses a negative Take or Skip.
func (o *ListOptions) Validate() error {
	switch {
	case o == nil:
		return nil
	case o.Take < 0:
		return invalid("take", "must not be negative")
	case o.Skip < 0:
		return invalid("skip", "must not be negative")
	}
	return nil
}

// CountOptions filters a user count (GET /user/count). Count takes only the filters of
// ListOptions; ListOptions.CountOptions converts.
type CountOptions struct {
	// Login keeps the user with exactly this login. Ignored when LoginPattern is set.
	Login string `url:"login,omitempty"`
	// LoginPattern is an SQL LIKE pattern matched against logins.
	LoginPattern string `url:"loginPattern,omitempty"`
	// Role keeps users with this role.
	Role *Role `url:"role,omitempty"`
	// Status keeps users with this status.
	Status *UserStatus `url:"status,omitempty"`
}

// CountOptions returns the filters of o, to count the users o would list.
func (o ListOptions) CountOptions() CountOptions {
	return CountOptions{Login: o.Login, LoginPattern: o.LoginPattern, Role: o.Role, Status: o.Status}
}

// Tokens is the pair of JSON Web Tokens the auth service issues. A refresh returns only
// a new AccessToken.
type Tokens struct {
	// AccessToken is sent as "Authorization: Bearer <token>"; it lives 30 minutes by default.
	AccessToken string `json:"accessToken"`
	// RefreshToken obtains new access tokens; it lives about half a year by default.
	RefreshToken string `json:"refreshToken,omitempty"`
}
