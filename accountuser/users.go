package accountuser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/usersdk/usersdk-go/internal/core"
)

const (
	userPath   = "/usr/"
	createPath = "/usr/new"
)

// ListByAccount returns the users of an account (GET /pub/usr/acc/{accountId}, or
// /usr/acc/{accountId} with WithoutPubPrefix). The API does not page: the answer is one
// bare array, decoded element by element. A 2xx answer holding Revive's error object
// (an unknown account, say) is returned as an *APIError.
func (c *Client) ListByAccount(ctx context.Context, accountID ID) ([]User, error) {
	if err := core.PositiveID("accountId", int64(accountID)); err != nil {
		return nil, err
	}
	r, err := c.send(ctx, &core.Request{Method: http.MethodGet, Path: c.listPath + accountID.String()})
	if err != nil {
		return nil, err
	}
	defer r.close()
	first, err := r.first()
	switch {
	case err != nil:
		return nil, r.readError(err, false)
	case first == '[' || first == 'n':
		users, err := decodeUsers(json.NewDecoder(r.body))
		if err != nil {
			return nil, r.readError(err, false)
		}
		return users, nil
	case first == '{':
		body, err := r.all()
		if err != nil {
			return nil, r.readError(err, false)
		}
		if err := r.errorIn(body); err != nil {
			return nil, err
		}
		return nil, r.readError(errors.New("expected a list of users, got an object"), false)
	case first == 0:
		return nil, r.readError(errors.New("empty body where a list of users was expected"), false)
	}
	return nil, r.readError(fmt.Errorf("expected a list of users, got a body starting with %q", first), false)
}

// decodeUsers decodes a JSON array of users one element at a time; null is an empty list.
func decodeUsers(dec *json.Decoder) ([]User, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	users := []User{}
	if tok == nil {
		return users, nil
	}
	for dec.More() {
		users = append(users, User{})
		if err := dec.Decode(&users[len(users)-1]); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, err
	}
	return users, nil
}

// Get returns one user (GET /usr/{userId}). An unknown id is an error matching
// ErrNotFound, whether the server answers it with 404 or, as some installations do,
// with another status and Revive's "Unknown userId Error".
func (c *Client) Get(ctx context.Context, userID ID) (*User, error) {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return nil, err
	}
	return c.user(ctx, &core.Request{Method: http.MethodGet, Path: userPath + userID.String()}, false)
}

// Create adds a user (POST /usr/new, or PUT with WithPUT) and returns it as the server
// stored it. The five required fields are checked before anything is sent.
//
// If the answer is lost after the request may have reached the server, or a 2xx answer
// cannot be read as the new user, the error matches ErrOutcomeUnknown: look the user up
// (ListByAccount on its default account, by username) before creating it again.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (*User, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return c.user(ctx, c.write(createPath, req), true)
}

// Update changes a user (POST /usr/{userId}, or PUT with WithPUT), sending only the
// fields the request sets.
//
// The vendor does not document the answer. When the 2xx body is a user (a JSON object
// with a userId), Update returns it. Any other 2xx body (empty, true, {"OK"}, an object
// without a userId) means the update was applied but the stored user is unknown: Update
// then returns a nil *User and a nil error, and Get reads the user. It never returns a
// user made up from the request, whose unset fields would read as zero values. Revive's
// error object in a 2xx body is an *APIError.
func (c *Client) Update(ctx context.Context, userID ID, req *UpdateRequest) (*User, error) {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	r, err := c.send(ctx, c.write(userPath+userID.String(), req))
	if err != nil {
		return nil, err
	}
	defer r.close()
	body, err := r.all()
	if err != nil {
		return nil, r.readError(err, false)
	}
	if err := r.errorIn(body); err != nil {
		return nil, err
	}
	u, _, err := userIn(body)
	if err != nil {
		return nil, r.readError(err, false)
	}
	return u, nil
}

// Delete removes a user (DELETE /usr/{userId}). Any 2xx answer is success, whatever its
// body (the text {"OK"}, which is not JSON, for one), except Revive's error object, which
// is an *APIError.
func (c *Client) Delete(ctx context.Context, userID ID) error {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return err
	}
	r, err := c.send(ctx, &core.Request{Method: http.MethodDelete, Path: userPath + userID.String()})
	if err != nil {
		return err
	}
	defer r.close()
	if first, err := r.first(); err != nil || first != '{' {
		return nil
	}
	// An object larger than any error object is not one; it is left unread.
	body, err := io.ReadAll(io.LimitReader(r.body, maxErrorBody))
	if err != nil {
		return nil
	}
	return r.errorIn(body)
}

// write is a Create or Update request with the configured method and content type.
func (c *Client) write(path string, body any) *core.Request {
	return &core.Request{Method: c.writeMethod, Path: path, Body: body, ContentType: c.contentType}
}

// user sends r and reads the answer as a user. created marks a Create, whose unreadable
// 2xx answer leaves the outcome unknown.
func (c *Client) user(ctx context.Context, req *core.Request, created bool) (*User, error) {
	r, err := c.send(ctx, req)
	if err != nil {
		return nil, err
	}
	defer r.close()
	body, err := r.all()
	if err != nil {
		return nil, r.readError(err, created)
	}
	if err := r.errorIn(body); err != nil {
		return nil, err
	}
	u, ok, err := userIn(body)
	switch {
	case err != nil:
		return nil, r.readError(err, created)
	case !ok:
		return nil, r.readError(errNotUser, created)
	}
	return u, nil
}
