package extensionuser

import "context"

// List returns the internal-number-level users of a client
// (GET /client/{client_id}/user/extension/), filtered by opts. clientID is the client's id
// or Me; it is escaped as one path segment. The API documents no paging: the list is what
// one answer holds.
func (c *Client) List(ctx context.Context, clientID string, opts ListOptions) ([]User, error) {
	return c.users.List(ctx, clientID, &opts)
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
