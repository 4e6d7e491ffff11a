package backoffice

import (
	"bytes"
	"encoding/json"
	"log/slog"

	"github.com/usersdk/usersdk-go/internal/core"
)

// User is a Back Office user as the API returns it. The vendor does not document the
// response object beyond the request fields; fields it sends that are not listed here
// are ignored.
type User struct {
	ID                int64       `json:"id"`
	Name              string      `json:"name"`
	Email             string      `json:"email"`
	Phone             string      `json:"phone,omitempty"`
	Active            bool        `json:"active"`
	TFA               bool        `json:"tfa"`
	Groups            []int64     `json:"groups,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitempty"`
	ClientTags        []ClientTag `json:"clientTags,omitempty"`
	CanViewMaskedData bool        `json:"canViewMaskedData"`
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

// CreateRequest is a new user. Name, Email, Password and at least one group are
// required; Active and TFA are always sent, false included, as the API requires them.
type CreateRequest struct {
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	Password string  `json:"password"`
	Active   bool    `json:"active"`
	TFA      bool    `json:"tfa"`
	Groups   []int64 `json:"groups"`

	Phone             string      `json:"phone,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitempty"`
	ClientTags        []ClientTag `json:"clientTags,omitempty"`
	CanViewMaskedData *bool       `json:"canViewMaskedData,omitempty"`
	// SendNotify e-mails the user that their profile was created.
	SendNotify *bool `json:"sendNotify,omitempty"`
}

func (r *CreateRequest) validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	for _, f := range []struct{ name, value string }{{"name", r.Name}, {"email", r.Email}, {"password", r.Password}} {
		if err := core.Required(f.name, f.value); err != nil {
			return err
		}
	}
	if len(r.Groups) == 0 {
		return core.Invalid("groups", "at least one group is required")
	}
	return nil
}

// String prints the request with the password redacted.
func (r CreateRequest) String() string { return core.RedactString(r) }

// GoString prints the request with the password redacted.
func (r CreateRequest) GoString() string { return core.RedactString(r) }

// LogValue logs the request with the password redacted.
func (r CreateRequest) LogValue() slog.Value { return core.RedactLogValue(r) }

// UpdateRequest changes a user, by PUT (Update) or PATCH (Patch). Only the fields that are
// set are sent: nil pointers and nil slices are left out, while an empty non-nil slice is
// sent as [] (to clear a list). Ptr makes the pointers.
type UpdateRequest struct {
	Name              *string     `json:"name,omitempty"`
	Email             *string     `json:"email,omitempty"`
	Password          *string     `json:"password,omitempty"`
	Phone             *string     `json:"phone,omitempty"`
	Active            *bool       `json:"active,omitempty"`
	TFA               *bool       `json:"tfa,omitempty"`
	IPWhitelist       []string    `json:"ipWhitelist,omitzero"`
	Groups            []int64     `json:"groups,omitzero"`
	ClientTags        []ClientTag `json:"clientTags,omitzero"`
	CanViewMaskedData *bool       `json:"canViewMaskedData,omitempty"`
	SendNotify        *bool       `json:"sendNotify,omitempty"`
}

func (r *UpdateRequest) validate() error {
	if r == nil {
		return core.Invalid("request", "is nil")
	}
	if b, _ := json.Marshal(r); string(b) == "{}" {
		return core.Invalid("request", "sets no field")
	}
	for _, f := range []struct {
		name  string
		value *string
	}{{"name", r.Name}, {"email", r.Email}, {"password", r.Password}} {
		if f.value != nil {
			if err := core.Required(f.name, *f.value); err != nil {
				return core.Invalid(f.name, "must not be empty when set")
			}
		}
	}
	return nil
}

// String prints the request with the password redacted.
func (r UpdateRequest) String() string { return core.RedactString(r) }

// GoString prints the request with the password redacted.
func (r UpdateRequest) GoString() string { return core.RedactString(r) }

// LogValue logs the request with the password redacted.
func (r UpdateRequest) LogValue() slog.Value { return core.RedactLogValue(r) }

// SortOrder is the direction of a sorted list.
type SortOrder string

// Sort orders.
const (
	Ascending  SortOrder = "asc"
	Descending SortOrder = "desc"
)

// ListOptions filters, sorts and pages List. The zero value lists the first page with the
// server's default size.
type ListOptions struct {
	// Name keeps users with this name (filter[name]).
	Name string `url:"filter[name],omitempty"`
	// Email keeps users with this e-mail (filter[email]).
	Email string `url:"filter[email],omitempty"`
	// Active, when set to true, keeps only active users (filter[active]=1); false
	// (filter[active]=0) means users regardless of status, as the API defines it.
	Active *bool `url:"filter[active],int,omitempty"`
	// Limit is the page size; 0 leaves it to the server.
	Limit int `url:"limit,omitempty"`
	// Offset is how many users to skip.
	Offset int `url:"offset"`
	// SortBy names the field to sort by.
	SortBy string `url:"sort_by,omitempty"`
	// SortOrder is Ascending or Descending.
	SortOrder SortOrder `url:"sort_order,omitempty"`
}

func (o *ListOptions) validate() error {
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
