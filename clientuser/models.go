package clientuser

//go:generate go run ../internal/gen -pkg clientuser -redact CreateRequest,UpdateRequest -telphin client

import (
	"github.com/usersdk/usersdk-go/internal/core"
)

// User is a client-level user as the API returns it: a user with access to the settings
// and resources of one client.
type User struct {
	// ID is the user's id, used in the paths of Get, Update and Delete.
	ID int64 `json:"id"`
	// ClientID is the numeric id of the client the user belongs to.
	ClientID int64  `json:"client_id"`
	Login    string `json:"login"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	// Comment is a free-form note.
	Comment string `json:"comment"`
	Access  Access `json:"access"`
	Status  Status `json:"status"`
	// ExtraParams is a free-form string for the caller's own purposes.
	ExtraParams string `json:"extra_params"`
	// Timezone is the user's time zone, such as "Europe/Moscow".
	Timezone string `json:"timezone"`
}

// CreateRequest is a new client-level user (POST /client/{client_id}/user/client/).
// Login, Name, Password and Email are required; the other fields are left out of the
// request when empty, and the server applies its defaults. The client the user belongs to
// is the clientID passed to Create, not a field of the body.
type CreateRequest struct {
	Login    string `json:"login"`
	Name     string `json:"name"`
	Password string `json:"password"`
	Email    string `json:"email"`

	Access Access `json:"access,omitempty"`
	// Comment is a free-form note.
	Comment string `json:"comment,omitempty"`
	Status  Status `json:"status,omitempty"`
	// ExtraParams is a free-form string for the caller's own purposes.
	ExtraParams string `json:"extra_params,omitempty"`
	// Timezone is the user's time zone, such as "Europe/Moscow".
	Timezone string `json:"timezone,omitempty"`
	// EmailNotify, when true, has the server e-mail the new user's sign-in data: to
	// EmailForNotify if it is set, otherwise to the user who creates (the token's owner).
	// It is sent whenever it is non-nil, false included.
	EmailNotify *bool `json:"email_notify,omitempty"`
	// EmailForNotify is the address the sign-in data is sent to when EmailNotify is true.
	EmailForNotify string `json:"email_for_notify,omitempty"`
}

// Validate checks the required fields (login, name, password, email) and returns a
// *ValidationError naming the first one that is empty.
func (r *CreateRequest) Validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	for _, f := range [...]struct{ name, value string }{
		{"login", r.Login}, {"name", r.Name}, {"password", r.Password}, {"email", r.Email},
	} {
		if err := core.Required(f.name, f.value); err != nil {
			return err
		}
	}
	return nil
}

// UpdateRequest changes a client-level user (PUT /client/{client_id}/user/client/{user_id}).
// Only the fields that are set (non-nil) are sent, so a pointer to "" clears Comment,
// ExtraParams or Timezone while nil leaves them alone. The login cannot be changed.
type UpdateRequest struct {
	Name     *string `json:"name,omitempty"`
	Email    *string `json:"email,omitempty"`
	Password *string `json:"password,omitempty"`
	Access   *Access `json:"access,omitempty"`
	Status   *Status `json:"status,omitempty"`
	// Comment is a free-form note.
	Comment *string `json:"comment,omitempty"`
	// ExtraParams is a free-form string for the caller's own purposes.
	ExtraParams *string `json:"extra_params,omitempty"`
	// Timezone is the user's time zone, such as "Europe/Moscow".
	Timezone *string `json:"timezone,omitempty"`
}

// Validate refuses an update that sets no field, and a name, e-mail or password set to
// an empty string (they are required on creation, so the server cannot hold them empty).
func (r *UpdateRequest) Validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	if r.Name == nil && r.Email == nil && r.Password == nil && r.Access == nil &&
		r.Status == nil && r.Comment == nil && r.ExtraParams == nil && r.Timezone == nil {
		return core.Invalid("request", "sets no field")
	}
	for _, f := range [...]struct {
		name  string
		value *string
	}{{"name", r.Name}, {"email", r.Email}, {"password", r.Password}} {
		if f.value != nil && core.Required(f.name, *f.value) != nil {
			return core.Invalid(f.name, "must not be empty when set")
		}
	}
	return nil
}

// ListOptions filters a list of client-level users (GET /client/{client_id}/user/client/).
// Each filter is an array, sent as repeated query keys (login=a&login=b); nil filters are
// left out, so the zero value lists every user of the client. The API documents no paging
// for this list; Page and PerPage are sent when set.
type ListOptions struct {
	// Login keeps users with one of these logins.
	Login []string `url:"login,omitempty"`
	// ID keeps users with one of these ids.
	ID []int64 `url:"id,omitempty"`

	// Page asks for one page of the list, from 1; 0 leaves it out. Telphin's other
	// lists take it, but the API does not document it for this one: a server that
	// ignores it sends the whole list.
	Page int `url:"page,omitempty"`
	// PerPage is the page size; 0 leaves it out and the server decides.
	PerPage int `url:"per_page,omitempty"`
}
