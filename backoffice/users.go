package backoffice

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/usersdk/usersdk-go/internal/core"
)

const usersPath = "/api/v2/users"

// DefaultPageSize is the page size All uses when the options set no Limit.
const DefaultPageSize = 100

// List returns one page of users (GET /api/v2/users). The answer is read as a bare array
// or as an object wrapping the array; the vendor documents neither.
func (c *Client) List(ctx context.Context, opts ListOptions) ([]User, error) {
	return core.List[User](ctx, c.core, &core.Request{Method: http.MethodGet, Path: usersPath, Query: &opts})
}

// All iterates over every user matching opts, paging with limit and offset (page size
// opts.Limit, or DefaultPageSize) from opts.Offset until a page comes back short. B2Core
// does not document its paging, so All also stops when the server shows it ignores it: a
// page longer than the limit (taken as the whole list) or a page with no user not yet
// yielded (a repeat). It yields each user (told apart by ID) once and holds one page at a
// time, with the ids it has yielded. An error is yielded once and ends the iteration.
func (c *Client) All(ctx context.Context, opts ListOptions) iter.Seq2[User, error] {
	opts.Limit = cmp.Or(opts.Limit, DefaultPageSize)
	return core.All(ctx, opts.Limit, opts.page, c.List, func(u *User) int64 { return u.ID })
}

// page is o asking for the n-th page of o.Limit users from o.Offset.
func (o ListOptions) page(n int) ListOptions {
	o.Offset += n * o.Limit
	return o
}

// Get returns one user (GET /api/v2/users/{userId}). The user may come bare or wrapped
// in an object under the keys lists use ({"data": {...}}); an answer that holds no user
// (no id) is an error.
func (c *Client) Get(ctx context.Context, userID int64) (*User, error) {
	if err := core.PositiveID("userId", userID); err != nil {
		return nil, err
	}
	a, err := core.Object(ctx, c.core, &core.Request{Method: http.MethodGet, Path: userPrefix, ID: userID}, hasID)
	if err != nil {
		return nil, err
	}
	return &a.User, nil
}

// Create adds a user (POST /api/v2/users) and returns it as the server stored it, bare or
// wrapped as Get reads it. An answer with a body that holds no user is an error matching
// ErrOutcomeUnknown: the user was created, but what was stored is unknown.
//
// When the server accepts the user without returning it (202 or 204, or any 2xx with an
// empty body), Create reads it back: it lists users with filter[email] and
// filter[active]=0 (users whatever their status, so an inactive new user is found) and
// takes the one whose e-mail equals req.Email. It compares exactly first and, when no
// e-mail is equal, case-insensitively, since servers often store e-mails lower-cased;
// two users matching that way are ambiguous. Only when that look-up fails or finds no
// single user does Create return an error matching ErrOutcomeUnknown.
//
// If the answer is lost after the request may have reached the server, the error matches
// ErrOutcomeUnknown and the request is not retried: look the user up by e-mail (List with
// Email) before creating it again.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (*User, error) {
	r := &core.Request{Method: http.MethodPost, Path: usersPath, Body: req}
	if u, err := c.write(ctx, r); u != nil || err != nil {
		return u, err
	}
	// The write took effect; only reading it back can fail now, and creating again would
	// duplicate the user. Active=false lists users whatever their status.
	const accepted = "the server accepted the user without returning it"
	users, err := c.List(ctx, ListOptions{Email: req.Email, Active: Ptr(false)})
	if err != nil {
		return nil, c.core.OutcomeUnknown(r, fmt.Errorf("%s, and reading it back by e-mail failed: %v", accepted, err))
	}
	found, n := byEmail(users, req.Email)
	switch {
	case n == 0:
		return nil, c.core.OutcomeUnknown(r, fmt.Errorf("%s, and none of the %d users listed by e-mail has the e-mail %q", accepted, len(users), req.Email))
	case n > 1:
		return nil, c.core.OutcomeUnknown(r, fmt.Errorf("%s, and %d users listed by e-mail have the e-mail %q", accepted, n, req.Email))
	}
	return found, nil
}

// byEmail returns the users whose e-mail is email, compared exactly or, when none is
// equal, without regard to case, and how many there are; the first when there is one.
// The server's filter may match more loosely (a substring, say).
func byEmail(users []User, email string) (*User, int) {
	for _, equal := range []func(a, b string) bool{func(a, b string) bool { return a == b }, strings.EqualFold} {
		var found *User
		n := 0
		for i := range users {
			if equal(users[i].Email, email) {
				if n == 0 {
					found = &users[i]
				}
				n++
			}
		}
		if n > 0 {
			return found, n
		}
	}
	return nil, 0
}

// Update changes a user with PUT /api/v2/users/{userId}, sending only the fields set, and
// returns the user as stored (read back with Get when the answer has no body; if that
// read fails, the error says the update was applied and wraps Get's error). An answer
// with a body that holds no user is an error; PUT being safe to repeat, it does not match
// ErrOutcomeUnknown.
func (c *Client) Update(ctx context.Context, userID int64, req *UpdateRequest) (*User, error) {
	return c.update(ctx, http.MethodPut, userID, req)
}

// Patch changes a user with PATCH /api/v2/users/{userId}, sending only the fields set, and
// returns the user as stored (read back with Get when the answer has no body; if that
// read fails, the error says the update was applied and wraps Get's error). Unlike
// Update it is not retried after a failure that may have reached the server, and an
// answer with a body that holds no user is an error matching ErrOutcomeUnknown.
func (c *Client) Patch(ctx context.Context, userID int64, req *UpdateRequest) (*User, error) {
	return c.update(ctx, http.MethodPatch, userID, req)
}

func (c *Client) update(ctx context.Context, method string, userID int64, req *UpdateRequest) (*User, error) {
	if err := core.PositiveID("userId", userID); err != nil {
		return nil, err
	}
	r := &core.Request{Method: method, Path: userPrefix, ID: userID, Body: req}
	if u, err := c.write(ctx, r); u != nil || err != nil {
		return u, err
	}
	// Applied, with no body to show the user: read it back.
	u, err := c.Get(ctx, userID)
	if err != nil {
		return nil, c.core.ReadBackFailed(r, err)
	}
	return u, nil
}

// write sends a create or update and returns the user its answer holds. When the answer
// has no body (the server applied the write without returning the user), it returns
// neither user nor error, and the caller reads the user back.
func (c *Client) write(ctx context.Context, r *core.Request) (*User, error) {
	a := new(answer)
	switch err := c.core.Do(ctx, r, a); {
	case err != nil:
		return nil, err
	case hasID(a):
		return &a.User, nil
	case !a.none:
		return nil, c.core.NoObject(r)
	}
	return nil, nil
}

// Delete removes a user (DELETE /api/v2/users/{userId}).
// A retry answered "not found" after an attempt whose answer was lost matches
// ErrOutcomeUnknown as well as ErrNotFound (see ErrOutcomeUnknown).
func (c *Client) Delete(ctx context.Context, userID int64) error {
	if err := core.PositiveID("userId", userID); err != nil {
		return err
	}
	return c.core.Do(ctx, &core.Request{Method: http.MethodDelete, Path: userPrefix, ID: userID}, nil)
}

// userPrefix is the path a user's id is appended to (core.Request.ID).
const userPrefix = usersPath + "/"

// answer is a user as Get, Create, Update and Patch receive it: the object itself, or an
// object wrapping it under one of envelope's keys ({"data": {...}}). It decodes itself
// from the whole body (core.RawDecoder), in one pass for a bare user.
type answer struct {
	User
	// none is set when the body held no value (empty, or null): the server accepted a
	// write without returning the user.
	none bool
}

// listKeys are the names a wrapped list is looked for under, in an answer such as
// {"data": [...], "total": 3}; B2Core does not document its envelope. When none of them
// holds an array, the first array is taken.
var listKeys = []string{"data", "items", "users", "results", "records", "list"}

// envelope holds the members a wrapped user is looked for under, caught in the same pass
// that decodes a bare user. Its keys are listKeys, in the same order, so that one
// server's envelope fits both.
type envelope struct {
	Data    json.RawMessage `json:"data"`
	Items   json.RawMessage `json:"items"`
	Users   json.RawMessage `json:"users"`
	Results json.RawMessage `json:"results"`
	Records json.RawMessage `json:"records"`
	List    json.RawMessage `json:"list"`
}

// user decodes the first member, in the keys' order, that holds a user with an id. When
// none does, it returns the first decoding error, if any.
func (e *envelope) user() (*User, error) {
	var first error
	for _, raw := range [...]json.RawMessage{e.Data, e.Items, e.Users, e.Results, e.Records, e.List} {
		if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
			continue
		}
		var u User
		err := json.Unmarshal(raw, &u)
		if err == nil && u.ID != 0 {
			return &u, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// DecodeRaw takes the body's first JSON value as the user when it has an id, else the
// first user with an id under one of envelope's keys. A user without an id is left for
// hasID to refuse. A bare user, the shape of the vendor's examples, is decoded in one
// pass, as a hand-written client would; only another shape pays for the envelope.
func (a *answer) DecodeRaw(body []byte) error {
	b := bytes.TrimSpace(body)
	if len(b) == 0 || string(b) == "null" {
		a.none = true
		return nil
	}
	err := json.Unmarshal(b, &a.User)
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		// Maybe a value with something after it: like a decoder, take the first value.
		var first json.RawMessage
		if json.NewDecoder(bytes.NewReader(b)).Decode(&first) != nil {
			return err
		}
		a.User = User{}
		if b = bytes.TrimSpace(first); string(b) == "null" {
			a.none = true
			return nil
		}
		err = json.Unmarshal(b, &a.User)
	}
	if err == nil && a.ID != 0 {
		return nil
	}
	// A wrapper's other members need not fit User: look at the keys alone.
	bare := a.User
	var env envelope
	_ = json.Unmarshal(b, &env)
	if u, werr := env.user(); u != nil || werr != nil {
		if werr != nil {
			return werr
		}
		a.User = *u
		return nil
	}
	a.User = bare
	return err
}

// hasID reports whether an answer holds a user: the API names every user by its id.
func hasID(a *answer) bool { return a.ID != 0 }
