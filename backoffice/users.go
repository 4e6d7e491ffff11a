package backoffice

import (
	"context"
	"fmt"
	"iter"
	"net/http"

	"github.com/usersdk/usersdk-go/internal/core"
)

const usersPath = "/api/v2/users"

// DefaultPageSize is the page size All uses when the options set no Limit.
const DefaultPageSize = 100

// List returns one page of users (GET /api/v2/users). The answer is read as a bare array
// or as an object wrapping the array; the vendor documents neither.
func (c *Client) List(ctx context.Context, opts ListOptions) ([]User, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	return core.List[User](ctx, c.core, &core.Request{Method: http.MethodGet, Path: usersPath, Query: &opts})
}

// All iterates over every user matching opts, paging with limit and offset (page size
// opts.Limit, or DefaultPageSize) from opts.Offset until a page comes back short. It holds
// one page at a time. An error is yielded once and ends the iteration.
func (c *Client) All(ctx context.Context, opts ListOptions) iter.Seq2[User, error] {
	if opts.Limit == 0 {
		opts.Limit = DefaultPageSize
	}
	if err := opts.validate(); err != nil {
		return func(yield func(User, error) bool) { yield(User{}, err) }
	}
	return core.All(ctx, opts.Offset, opts.Limit, func(ctx context.Context, offset, limit int) ([]User, error) {
		page := opts
		page.Offset, page.Limit = offset, limit
		return c.List(ctx, page)
	})
}

// Get returns one user (GET /api/v2/users/{userId}).
func (c *Client) Get(ctx context.Context, userID int64) (*User, error) {
	if err := core.PositiveID("userId", userID); err != nil {
		return nil, err
	}
	u, err := call[User](ctx, c, http.MethodGet, userID, nil)
	if err == nil && u == nil {
		return nil, fmt.Errorf("backoffice: GET %s: the answer had no user", userPath(userID))
	}
	return u, err
}

// Create adds a user (POST /api/v2/users) and returns it as the server stored it. When the
// server accepts the user without returning it (202 or 204), Create reads it back by e-mail.
//
// If the answer is lost after the request may have reached the server, the error matches
// ErrOutcomeUnknown and the request is not retried: look the user up by e-mail (List with
// Email) before creating it again.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (*User, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	u, err := core.Call[*User](ctx, c.core, &core.Request{Method: http.MethodPost, Path: usersPath, Body: req})
	if err != nil || u != nil {
		return u, err
	}
	users, err := c.List(ctx, ListOptions{Email: req.Email})
	if err != nil || len(users) != 1 {
		// The write was accepted; only reading it back failed. Creating again would duplicate it.
		return nil, fmt.Errorf("backoffice: user accepted without a body, and reading it back by e-mail gave %d users (%v): %w",
			len(users), err, ErrOutcomeUnknown)
	}
	return &users[0], nil
}

// Update changes a user with PUT /api/v2/users/{userId}, sending only the fields set, and
// returns the user as stored (read back with Get when the answer has no body).
func (c *Client) Update(ctx context.Context, userID int64, req *UpdateRequest) (*User, error) {
	return c.update(ctx, http.MethodPut, userID, req)
}

// Patch changes a user with PATCH /api/v2/users/{userId}, sending only the fields set, and
// returns the user as stored (read back with Get when the answer has no body). Unlike
// Update it is not retried after a failure that may have reached the server.
func (c *Client) Patch(ctx context.Context, userID int64, req *UpdateRequest) (*User, error) {
	return c.update(ctx, http.MethodPatch, userID, req)
}

func (c *Client) update(ctx context.Context, method string, userID int64, req *UpdateRequest) (*User, error) {
	if err := core.PositiveID("userId", userID); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	u, err := call[User](ctx, c, method, userID, req)
	if err != nil || u != nil {
		return u, err
	}
	return c.Get(ctx, userID)
}

// Delete removes a user (DELETE /api/v2/users/{userId}).
func (c *Client) Delete(ctx context.Context, userID int64) error {
	if err := core.PositiveID("userId", userID); err != nil {
		return err
	}
	return c.core.Do(ctx, &core.Request{Method: http.MethodDelete, Path: userPath(userID)}, nil)
}

func userPath(id int64) string { return usersPath + "/" + core.ID(id) }

func call[T any](ctx context.Context, c *Client, method string, userID int64, body any) (*T, error) {
	return core.Call[*T](ctx, c.core, &core.Request{Method: method, Path: userPath(userID), Body: body})
}
