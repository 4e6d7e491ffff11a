package extensionuser

import (
	"context"
	"iter"

	"github.com/usersdk/usersdk-go/internal/telphin"
)

// List returns the internal-number-level users of a client
// (GET /client/{client_id}/user/extension/), filtered by opts. clientID is the client's id
// or Me; it is escaped as one path segment.
// Without opts.Page and opts.PerPage the list is what one answer holds; with them, one
// page, if the server honours them (the API does not document paging for this list). A
// negative Page or PerPage is refused before anything is sent.
func (c *Client) List(ctx context.Context, clientID string, opts ListOptions) ([]User, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return c.users.List(ctx, clientID, &opts)
}

// DefaultPageSize is the page size All asks for when opts.PerPage is 0.
const DefaultPageSize = 100

// All iterates over every user matching opts, asking for pages of opts.PerPage users
// (DefaultPageSize when 0) from opts.Page (1 when 0). The API does not document paging
// for this list, so All never relies on it: it stops after an empty page or one shorter
// than PerPage, and also when the server shows it ignores paging, with a page longer than
// PerPage (taken as the whole list) or a page with no user not yet yielded (a repeat). It
// yields each user (told apart by ID) once and holds one page at a time, with the ids it
// has yielded. An error is yielded once and ends the iteration; opts is not changed.
func (c *Client) All(ctx context.Context, clientID string, opts ListOptions) iter.Seq2[User, error] {
	return c.users.All(ctx, clientID, opts.Page, opts.PerPage, func(page, perPage int) any {
		o := opts
		o.Page, o.PerPage = page, perPage
		return &o
	}, func(u *User) int64 { return u.ID })
}

// Get returns one user (GET /client/{client_id}/user/extension/{user_id}).
func (c *Client) Get(ctx context.Context, clientID string, userID int64) (*User, error) {
	return c.users.Get(ctx, clientID, userID)
}

// Create adds a user to an internal number of a client
// (POST /client/{client_id}/user/extension/) and returns it as the server stored it.
// Missing required fields are refused before anything is sent.
//
// If the answer is lost after the request may have reached the server, the error matches
// ErrOutcomeUnknown and the request is not retried: look the user up by login (List with
// Login) before creating it again.
func (c *Client) Create(ctx context.Context, clientID string, req *CreateRequest) (*User, error) {
	return c.users.Create(ctx, clientID, req)
}

// Update changes a user (PUT /client/{client_id}/user/extension/{user_id}), sending only
// the fields set, and returns it as the server stored it.
func (c *Client) Update(ctx context.Context, clientID string, userID int64, req *UpdateRequest) (*User, error) {
	return c.users.Update(ctx, clientID, userID, req)
}

// Delete removes a user (DELETE /client/{client_id}/user/extension/{user_id}).
func (c *Client) Delete(ctx context.Context, clientID string, userID int64) error {
	return c.users.Delete(ctx, clientID, userID)
}

// Validate refuses a negative Page or PerPage. List calls it before sending anything.
func (o *ListOptions) Validate() error { return telphin.CheckPaging(o.Page, o.PerPage) }
