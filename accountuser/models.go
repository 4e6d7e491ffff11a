package accountuser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/usersdk/usersdk-go/internal/core"
)

// ID is a Revive identifier (user, account). The API sends numbers as JSON strings
// ("21"), so ID decodes a number or a string holding one; it is sent as a JSON number.
type ID int64

// String returns the decimal form, as used in paths.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// UnmarshalJSON accepts 21, "21", and null or "" as zero.
func (id *ID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	text := string(b)
	switch {
	case text == "null":
		*id = 0
		return nil
	case len(b) > 0 && b[0] == '"':
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("accountuser: id %.40s: %w", b, err)
		}
		if text == "" {
			*id = 0
			return nil
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Errorf("accountuser: id %.40s is out of range", b)
	}
	if err != nil {
		return fmt.Errorf("accountuser: id must be a whole number or a string holding one, got %.40s", b)
	}
	*id = ID(n)
	return nil
}

// Active says whether a user may sign in. The API sends it as 0/1, a number or a string;
// Active decodes those and JSON booleans, and is sent as the number 0 or 1 (the string
// "0" or "1" in an UpdateRequest, as the vendor's examples do).
type Active bool

// Values of Active.
const (
	// Enabled is an active user (1), the server's default for a new user.
	Enabled Active = true
	// Disabled is a deactivated user (0).
	Disabled Active = false
)

// Bool reports whether the flag is set.
func (a Active) Bool() bool { return bool(a) }

// MarshalJSON sends 1 or 0.
func (a Active) MarshalJSON() ([]byte, error) { return activeText(a), nil }

func activeText(a Active) []byte {
	if a {
		return []byte("1")
	}
	return []byte("0")
}

// UnmarshalJSON accepts 1, "1", true, 0, "0", false, and null as false.
func (a *Active) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case `1`, `"1"`, `true`:
		*a = true
	case `0`, `"0"`, `false`, `null`:
		*a = false
	default:
		return fmt.Errorf(`accountuser: active must be 0, 1, "0", "1", true or false, got %.40s`, b)
	}
	return nil
}

// User is a Revive user as the API returns it.
//
// The API also sends "password", always as null. It is not part of the model, so a User
// never carries a password, whatever the server sends.
type User struct {
	UserID       ID     `json:"userId"`
	ContactName  string `json:"contactName"`
	EmailAddress string `json:"emailAddress"`
	// Username is the name the user signs in with.
	Username string `json:"username"`
	// DefaultAccountID is the account the user sees after signing in; accounts are what
	// older Revive versions call agencies.
	DefaultAccountID ID     `json:"defaultAccountId"`
	Active           Active `json:"active"`
}

// CreateRequest is a new user. Every field but Active is required; Create checks them
// before anything is sent.
type CreateRequest struct {
	ContactName  string `json:"contactName"`
	EmailAddress string `json:"emailAddress"`
	// DefaultAccountID must name an existing account; otherwise the server answers
	// "Unknown agencyId Error".
	DefaultAccountID ID     `json:"defaultAccountId"`
	Username         string `json:"username"`
	Password         string `json:"password"`
	// Active is left out when nil, and the server makes the user active.
	Active *Active `json:"active,omitempty"`
}

// Validate refuses a request with a required field missing, naming its JSON name. Create
// calls it before sending anything.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	if err := core.Required("contactName", r.ContactName, "emailAddress", r.EmailAddress); err != nil {
		return err
	}
	if err := checkAccount(r.DefaultAccountID); err != nil {
		return err
	}
	if err := core.Required("username", r.Username); err != nil {
		return err
	}
	if r.Password == "" { // a password of spaces is still a password
		return core.Invalid("password", "is required")
	}
	return nil
}

// UpdateRequest changes a user. Only the fields that are set (non-nil) are sent, as the
// vendor's defaults for all of them are null; the others keep their values on the
// server. Ptr makes the pointers: Active: Ptr(Disabled) sends "active":"0", a string as
// in the vendor's modify example (CreateRequest sends the number).
type UpdateRequest struct {
	ContactName      *string `json:"contactName,omitempty"`
	EmailAddress     *string `json:"emailAddress,omitempty"`
	DefaultAccountID *ID     `json:"defaultAccountId,omitempty"`
	Username         *string `json:"username,omitempty"`
	Password         *string `json:"password,omitempty"`
	Active           *Active `json:"active,omitempty"`
}

// MarshalJSON sends the fields that are set, with Active as the string "0" or "1".
func (r UpdateRequest) MarshalJSON() ([]byte, error) {
	type fields UpdateRequest // without this method
	out := struct {
		fields
		Active *string `json:"active,omitempty"`
	}{fields: fields(r)}
	if r.Active != nil {
		a := string(activeText(*r.Active))
		out.Active = &a
	}
	return json.Marshal(out)
}

// Validate refuses an update that sets no field, a set string field that is empty and a
// set DefaultAccountID that is not positive.
func (r *UpdateRequest) Validate() error {
	if err := core.CheckUpdate(r, "contactName", "emailAddress", "username"); err != nil {
		return err
	}
	if r.DefaultAccountID != nil {
		if err := checkAccount(*r.DefaultAccountID); err != nil {
			return err
		}
	}
	if r.Password != nil && *r.Password == "" {
		return core.Invalid("password", "must not be empty when set")
	}
	return nil
}

func checkAccount(id ID) error {
	switch {
	case id == 0:
		return core.Invalid("defaultAccountId", "is required")
	case id < 0:
		return core.Invalid("defaultAccountId", "must be positive")
	}
	return nil
}
