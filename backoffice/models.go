package backoffice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/usersdk/usersdk-go/internal/core"
)

// User is a Back Office user as the API returns it. The vendor does not document the
// response object beyond the request fields, so TFA and Groups decode more than one shape;
// fields it sends that are not listed here are ignored.
type User struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Phone  string `json:"phone,omitempty"`
	Active bool   `json:"active"`
	// TFA is the user's two-factor authentication; TFA.Enabled says whether it is on.
	TFA TFA `json:"tfa"`
	// Groups are the ids of the user's groups.
	Groups            GroupIDs    `json:"groups,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitempty"`
	ClientTags        []ClientTag `json:"clientTags,omitempty"`
	CanViewMaskedData bool        `json:"canViewMaskedData"`
}

// TFA is a user's two-factor authentication as an answer reports it. The API takes a bool
// in requests, while the Back Office offers 2FA as Disabled, Email or TOTP, so an answer
// may carry either; both decode:
//
//   - false, null, 0 and the strings "", "disabled", "none", "off" and "false" give
//     TFADisabled, the zero value;
//   - true and non-zero numbers give TFAEnabled: on, with the method not reported;
//   - "email" and "totp" give TFAEmail and TFATOTP, in any case;
//   - any other string is kept, lower-cased, as a method this package does not name.
//
// To ask whether 2FA is on, use Enabled rather than comparing with TFAEnabled, which
// only stands for a bare true.
type TFA string

// Two-factor authentication states.
const (
	// TFADisabled is 2FA off. It is the zero value.
	TFADisabled TFA = ""
	// TFAEnabled is 2FA on with the method not reported (the answer said true).
	TFAEnabled TFA = "enabled"
	// TFAEmail is 2FA by a code sent by e-mail.
	TFAEmail TFA = "email"
	// TFATOTP is 2FA by an authenticator app (time-based one-time passwords).
	TFATOTP TFA = "totp"
)

// Enabled reports whether two-factor authentication is on, by whatever method.
func (t TFA) Enabled() bool { return t != TFADisabled }

// String returns the state's name, "disabled" for TFADisabled.
func (t TFA) String() string {
	if t == TFADisabled {
		return "disabled"
	}
	return string(t)
}

// MarshalJSON encodes TFADisabled as false and TFAEnabled as true, as the API's requests
// do, and a method as its string.
func (t TFA) MarshalJSON() ([]byte, error) {
	switch t {
	case TFADisabled:
		return []byte("false"), nil
	case TFAEnabled:
		return []byte("true"), nil
	}
	return json.Marshal(string(t))
}

// UnmarshalJSON accepts a bool, a string, a number or null, as the TFA type describes.
func (t *TFA) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("tfa: empty value")
	}
	switch c := b[0]; {
	case c == 'n' && string(b) == "null":
		return nil // as encoding/json leaves a non-pointer alone on null
	case string(b) == "true" || string(b) == "false":
		*t = tfaOf(b[0] == 't')
	case c == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = parseTFA(s)
	case c == '-' || ('0' <= c && c <= '9'):
		n, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("tfa: %w", err)
		}
		*t = tfaOf(n != 0)
	default:
		return fmt.Errorf("tfa: want a bool or a string, got %.40s", b)
	}
	return nil
}

func tfaOf(on bool) TFA {
	if on {
		return TFAEnabled
	}
	return TFADisabled
}

func parseTFA(s string) TFA {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "", "disabled", "none", "off", "false", "0":
		return TFADisabled
	case "true", "on", "1":
		return TFAEnabled
	}
	return TFA(s)
}

// GroupIDs are the ids of a user's groups. An answer may list them as ids ([1, 2], as
// requests send them) or as group objects that carry an id ([{"id": 1, "name": "VIP"}]);
// both decode to the ids, and the other members of a group object are dropped. Being a
// []int64 underneath, GroupIDs can be passed where requests take []int64.
type GroupIDs []int64

// UnmarshalJSON accepts an array of ids (numbers or numeric strings) or of objects with an
// "id" member; null gives nil. An element without an id is an error.
func (g *GroupIDs) UnmarshalJSON(b []byte) error {
	var ids []int64
	// The common shape, in one pass; a null element would pass there as group 0.
	if !bytes.Contains(b, []byte("null")) && json.Unmarshal(b, &ids) == nil {
		*g = ids
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(b, &items); err != nil {
		return fmt.Errorf("groups: want an array, got %.40s", bytes.TrimSpace(b))
	}
	if items == nil {
		*g = nil
		return nil
	}
	ids = make([]int64, len(items))
	for i, raw := range items {
		id, err := groupID(raw)
		if err != nil {
			return fmt.Errorf("groups[%d]: %w", i, err)
		}
		ids[i] = id
	}
	*g = ids
	return nil
}

// groupID reads one group: an id, or an object whose "id" member is one.
func groupID(raw json.RawMessage) (int64, error) {
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '{' {
		var obj struct {
			ID json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return 0, err
		}
		if obj.ID == nil {
			return 0, errors.New("a group object without an id")
		}
		raw = bytes.TrimSpace(obj.ID)
	}
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("group id %q is not an integer", s)
		}
		return id, nil
	}
	var id int64
	if err := json.Unmarshal(raw, &id); err != nil || string(raw) == "null" {
		return 0, fmt.Errorf("group id %.40s is not an integer", raw)
	}
	return id, nil
}

// CreateRequest is a new user. Name, Email, Password and at least one group are
// required; Active and TFA are always sent, false included, as the API requires them.
type CreateRequest struct {
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	Password string  `json:"password"`
	Groups   []int64 `json:"groups"`
	Active   bool    `json:"active"`
	// TFA turns two-factor authentication on. Requests take a bool; an answer may name
	// the method (see TFA).
	TFA bool `json:"tfa"`

	Phone             string      `json:"phone,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitempty"`
	ClientTags        []ClientTag `json:"clientTags,omitempty"`
	CanViewMaskedData *bool       `json:"canViewMaskedData,omitempty"`
	// SendNotify e-mails the user that their profile was created.
	SendNotify *bool `json:"sendNotify,omitempty"`
}

// Validate refuses a request with a required field missing or a value the API cannot
// take, naming the field. Create calls it before sending anything.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	if err := core.Required("name", r.Name, "email", r.Email, "password", r.Password); err != nil {
		return err
	}
	if len(r.Groups) == 0 {
		return core.Invalid("groups", "at least one group is required")
	}
	return nil
}

// ClientTag is a client tag assigned to a user. The vendor's docs call tags objects but
// show them as strings ("my_tag"); both decode, and a tag built from a name is sent as a
// string.
type ClientTag struct {
	// Name is the tag when it is a string, or the object's "name" member.
	Name string
	// Raw is the tag's JSON when it is an object; nil for a string tag.
	Raw json.RawMessage
}

// Tag returns a client tag with the given name.
func Tag(name string) ClientTag { return ClientTag{Name: name} }

// MarshalJSON sends the object as received, or the name as a string.
func (t ClientTag) MarshalJSON() ([]byte, error) {
	if len(t.Raw) > 0 {
		return t.Raw, nil
	}
	return json.Marshal(t.Name)
}

// UnmarshalJSON accepts a string or an object.
func (t *ClientTag) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*t = ClientTag{}
		return json.Unmarshal(b, &t.Name)
	}
	var obj struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*t = ClientTag{Name: obj.Name, Raw: append(json.RawMessage(nil), b...)}
	return nil
}

// UpdateRequest changes a user, by PUT (Update) or PATCH (Patch). Only the fields that are
// set are sent: nil pointers and nil slices are left out, while an empty non-nil slice is
// sent as [] (to clear a list). Ptr makes the pointers.
type UpdateRequest struct {
	Name     *string `json:"name,omitempty"`
	Email    *string `json:"email,omitempty"`
	Password *string `json:"password,omitempty"`
	Groups   []int64 `json:"groups,omitzero"`
	Active   *bool   `json:"active,omitempty"`
	// TFA turns two-factor authentication on or off; requests take a bool.
	TFA               *bool       `json:"tfa,omitempty"`
	Phone             *string     `json:"phone,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitzero"`
	ClientTags        []ClientTag `json:"clientTags,omitzero"`
	CanViewMaskedData *bool       `json:"canViewMaskedData,omitempty"`
	SendNotify        *bool       `json:"sendNotify,omitempty"`
}

// Validate refuses an update whose set fields the API cannot take, naming the field.
// Update and Patch call it before sending anything.
func (r *UpdateRequest) Validate() error { return core.CheckUpdate(r, "name", "email", "password") }

// ListOptions filters, sorts and pages List. The zero value lists the first page with the
// server's default size.
type ListOptions struct {
	// Limit is the page size; 0 leaves it to the server.
	Limit int `url:"limit,omitempty"`
	// Offset is how many users to skip.
	Offset int `url:"offset"`
	// Name keeps users with this name (filter[name]).
	Name string `url:"filter[name],omitempty"`
	// Email keeps users with this e-mail (filter[email]).
	Email string `url:"filter[email],omitempty"`
	// Active, when set to true, keeps only active users (filter[active]=1); false
	// (filter[active]=0) means users regardless of status, as the API defines it.
	Active *bool `url:"filter[active],int,omitempty"`
	// SortBy names the field to sort by.
	SortBy string `url:"sort_by,omitempty"`
	// SortOrder is Ascending or Descending.
	SortOrder SortOrder `url:"sort_order,omitempty"`
}

// Validate refuses paging or sorting values the API cannot take (a negative Limit, say),
// naming the parameter. List and All call it before sending anything.
func (o *ListOptions) Validate() error {
	switch {
	case o.Limit < 0:
		return core.Invalid("limit", "must not be negative")
	case o.Offset < 0:
		return core.Invalid("offset", "must not be negative")
	case o.SortOrder != "" && o.SortOrder != Ascending && o.SortOrder != Descending:
		return core.Invalid("sort_order", `must be "asc" or "desc"`)
	}
	return nil
}

// SortOrder is the direction of a sorted list.
type SortOrder string

// Sort orders.
const (
	Ascending  SortOrder = "asc"
	Descending SortOrder = "desc"
)
