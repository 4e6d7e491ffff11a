package accountuser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

const (
	userPath   = "/usr/"
	createPath = "/usr/new"
)

// ListByAccount returns the users of an account (GET /usr/acc/{accountId}, or
// /pub/usr/acc/{accountId} with WithPubListPath). The API does not page: the answer is
// one array. A 2xx answer holding Revive's error object (an unknown account, say) is
// returned as an *APIError. A 404 without that object means the installation serves no
// list at that path; the error then names the other path and its option.
func (c *Client) ListByAccount(ctx context.Context, accountID ID) ([]User, error) {
	if err := core.PositiveID("accountId", int64(accountID)); err != nil {
		return nil, err
	}
	users, err := core.List[User](ctx, c.core, &core.Request{Method: http.MethodGet, Path: c.listPath + accountID.String()})
	if err != nil {
		return nil, c.listHint(err)
	}
	return users, nil
}

// listHint adds to a 404 that Revive did not write (no route at that path) the other
// list path, so that a caller on the wrong one learns the fix from the error.
func (c *Client) listHint(err error) error {
	var apiErr *usersdk.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || isReviveError(apiErr.Body) {
		return err
	}
	if c.listPath == pubListPath {
		return fmt.Errorf("%w (no list at %s{accountId}: if the installation serves %s{accountId}, drop WithPubListPath)", err, pubListPath, listPath)
	}
	return fmt.Errorf("%w (no list at %s{accountId}: if the installation serves %s{accountId}, use WithPubListPath)", err, listPath, pubListPath)
}

// Get returns one user (GET /usr/{userId}). An unknown id is an error matching
// ErrNotFound, whether the server answers it with 404 or, as some installations do,
// with another status and Revive's "Unknown userId Error". A 2xx answer that is not a
// user is an error too: Get never returns a nil or zero user without one.
func (c *Client) Get(ctx context.Context, userID ID) (*User, error) {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return nil, err
	}
	req := &core.Request{Method: http.MethodGet, Path: userPath, ID: int64(userID)}
	u := new(User) // null and an empty body leave it without an id
	if err := c.core.Do(ctx, req, u); err != nil {
		return nil, err
	}
	if !isUser(u) {
		return nil, c.notUser(req)
	}
	return u, nil
}

// Create adds a user (POST /usr/new, or PUT with WithPUT) and returns it as the server
// stored it. The five required fields are checked before anything is sent.
//
// A Create is never resent once it may have reached the server, with either method. If
// its answer is lost, or a 2xx answer is not the new user, the error matches
// ErrOutcomeUnknown: look the user up (ListByAccount on its default account, by
// username) before creating it again.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (*User, error) {
	r := c.write(createPath, req)
	r.Repeat = core.RepeatUnsafe // a resent create would be refused as a duplicate, hiding the success
	u := new(User)
	err := c.core.Do(ctx, r, u)
	if err == nil && !isUser(u) {
		err = c.core.OutcomeUnknown(r, errNotUser)
	}
	if errors.Is(err, usersdk.ErrOutcomeUnknown) {
		return nil, fmt.Errorf("%w; the user may have been created: look it up by username before creating it again", err)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Update changes a user (POST /usr/{userId}, or PUT with WithPUT), sending only the
// fields the request sets, and returns the user as the server stored it.
//
// The vendor does not document the answer. When the 2xx body is a user (a JSON object
// with a userId), Update returns it. Any other 2xx body (empty, true, the text {"OK"},
// an object without a userId) means the update was applied but the answer does not show
// the stored user: Update then reads it back with Get and returns what Get returns. It
// never returns a nil user with a nil error, nor a user made up from the request, whose
// unset fields would read as zero values. If that read fails, the error says the update
// was applied and wraps Get's error (ErrNotFound if the user was deleted meanwhile); it
// does not match ErrOutcomeUnknown. Revive's error object in a 2xx body is an *APIError.
func (c *Client) Update(ctx context.Context, userID ID, req *UpdateRequest) (*User, error) {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return nil, err
	}
	r := c.write(userPath, req)
	r.ID = int64(userID)
	var body []byte // Revive may answer {"OK"}, which is not JSON
	if err := c.core.Do(ctx, r, &body); err != nil {
		return nil, err
	}
	u, err := userIn(body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: decoding response: %w", r.Method, c.core.Path(r), err)
	}
	if u != nil {
		return u, nil
	}
	if u, err = c.Get(ctx, userID); err != nil {
		return nil, c.core.ReadBackFailed(r, err)
	}
	return u, nil
}

// Delete removes a user (DELETE /usr/{userId}). Any 2xx answer is success, whatever its
// body (the text {"OK"}, which is not JSON, for one), except Revive's error object, which
// is an *APIError.
// A retry answered "not found" after an attempt whose answer was lost matches
// ErrOutcomeUnknown as well as ErrNotFound (see ErrOutcomeUnknown).
func (c *Client) Delete(ctx context.Context, userID ID) error {
	if err := core.PositiveID("userId", int64(userID)); err != nil {
		return err
	}
	err := c.core.Do(ctx, &core.Request{Method: http.MethodDelete, Path: userPath, ID: int64(userID)}, nil)
	if errors.Is(err, usersdk.ErrResponseTooLarge) {
		// Only a 2xx body is read against the limit, and one that large is no error object.
		return nil
	}
	return err
}

// write is a Create or Update request with the configured method and content type.
func (c *Client) write(path string, body any) *core.Request {
	return &core.Request{Method: c.writeMethod, Path: path, Body: body, ContentType: c.contentType}
}

// errNotUser says a 2xx answer that had to be a user was something else.
var errNotUser = errors.New("the answer is not a user (no userId)")

// notUser is the error for a 2xx answer to r that is not a user.
func (c *Client) notUser(r *core.Request) error {
	return fmt.Errorf("%s %s: %w", r.Method, c.core.Path(r), errNotUser)
}

// isUser reports whether u is a user the server sent: JSON null, an empty body or an
// object without a userId decode to nil or to a zero id.
func isUser(u *User) bool { return u != nil && u.UserID != 0 }

// userIn decodes body as a user: nil, with no error, when the body is not a JSON object
// with a userId; a user object with a field of the wrong type is an error.
func userIn(body []byte) (*User, error) {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return nil, nil
	}
	var probe struct {
		UserID json.RawMessage `json:"userId"`
	}
	if err := json.Unmarshal(b, &probe); err != nil || len(probe.UserID) == 0 || string(probe.UserID) == "null" {
		return nil, nil
	}
	u := new(User)
	if err := json.Unmarshal(b, u); err != nil {
		return nil, err
	}
	if !isUser(u) {
		return nil, nil
	}
	return u, nil
}
