package iotuser

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"net/http"

	"github.com/usersdk/usersdk-go/internal/core"
)

const (
	usersPath   = "/user"
	currentPath = "/user/current"
)

// DefaultPageSize is the page size All uses when the options set no Take.
const DefaultPageSize = 100

// List returns one page of users (GET /user), filtered and sorted by opts.
//
// Without Take the server returns every matching user at once (its REST endpoint applies
// no default limit, whatever the docs say); use All to page through a large list.
// A SortField other than SortByID or SortByLogin is refused by the server with 400.
func (c *Client) List(ctx context.Context, opts ListOptions) ([]User, error) {
	return core.List[User](ctx, c.core, &core.Request{Method: http.MethodGet, Path: usersPath, Query: &opts})
}

// All iterates over every user matching opts, paging with take and skip: pages of
// opts.Take users (DefaultPageSize when 0) from opts.Skip until a page comes back short.
// take is always sent, as leaving it out would return every user in one answer. When
// opts.SortField is empty the users are sorted by ID, so that pages neither overlap nor
// skip users. It also stops when a server or proxy shows it ignores the paging: a page
// longer than take, or a page with no user not yet yielded. It yields each user (told
// apart by ID) once and holds one page at a time, with the ids it has yielded. An error is
// yielded once and ends the iteration; opts is not changed.
func (c *Client) All(ctx context.Context, opts ListOptions) iter.Seq2[User, error] {
	opts.Take = cmp.Or(opts.Take, DefaultPageSize)
	opts.SortField = cmp.Or(opts.SortField, SortByID)
	return core.All(ctx, opts.Take, opts.page, c.List, func(u *User) int64 { return u.ID })
}

// page is o asking for the n-th page of o.Take users from o.Skip.
func (o ListOptions) page(n int) ListOptions {
	o.Skip += n * o.Take
	return o
}

// Count returns how many users match the filters (GET /user/count). ListOptions'
// CountOptions method gives the filters of a list.
func (c *Client) Count(ctx context.Context, opts CountOptions) (int64, error) {
	var out struct {
		Count int64 `json:"count"`
	}
	err := c.core.Do(ctx, &core.Request{Method: http.MethodGet, Path: usersPath + "/count", Query: &opts}, &out)
	return out.Count, err
}

// Get returns a user and the networks assigned to it (GET /user/{id}). A client-role user
// may only get itself; other ids answer 403.
func (c *Client) Get(ctx context.Context, userID int64) (*UserWithNetworks, error) {
	if err := core.PositiveID("id", userID); err != nil {
		return nil, err
	}
	return core.Object(ctx, c.core, &core.Request{Method: http.MethodGet, Path: usersPath + "/", ID: userID}, hasID)
}

// GetCurrent returns the user the session belongs to, with its networks (GET /user/current).
func (c *Client) GetCurrent(ctx context.Context) (*UserWithNetworks, error) {
	return core.Object(ctx, c.core, &core.Request{Method: http.MethodGet, Path: currentPath}, hasID)
}

// Create adds a user (POST /user) after checking the request as the server would (login
// 1..128 characters, password 6..128). The server answers with the new id, data and flags
// only; the returned User has Login, Role and Status filled in from the request, the
// login trimmed of leading and trailing spaces and control characters as the server
// stores it.
//
// A login that is taken is refused with 403 (DeviceHive's choice); the error matches
// ErrConflict as well as ErrForbidden. If the answer is lost after the request may have
// reached the server, or a 2xx answer holds no user with an id, the error matches
// ErrOutcomeUnknown and the request is not retried: look the user up by login (List with
// Login) before creating it again.
func (c *Client) Create(ctx context.Context, req *CreateRequest) (*User, error) {
	u, err := core.Object(ctx, c.core, &core.Request{Method: http.MethodPost, Path: usersPath, Body: req},
		func(u *User) bool { return u.ID != 0 })
	if err != nil {
		return nil, err
	}
	if u.Login == "" {
		u.Login, u.Role, u.Status = trimLogin(req.Login), *req.Role, req.Status
	}
	if len(u.Data) == 0 && len(req.Data) > 0 {
		u.Data = req.Data
	}
	return u, nil
}

// Update changes a user (PUT /user/{id}), sending only the fields set in req. Unlike the
// other packages' Update, it returns no user: DeviceHive answers 204 with no body, and
// reading the user back would cost a second request on every update. Call Get when you
// need the stored user.
//
// Beware: DeviceHive replaces data on every update, so leaving req.Data nil CLEARS the
// user's data. To keep it, read the user and send its data back:
//
//	u, err := c.Get(ctx, id)
//	...
//	err = c.Update(ctx, id, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &u.Data})
//
// (a write made by someone else between the two calls is lost). A client-role user may
// change only its own password, data and introReviewed.
func (c *Client) Update(ctx context.Context, userID int64, req *UpdateRequest) error {
	if err := core.PositiveID("id", userID); err != nil {
		return err
	}
	return c.update(ctx, userPath(userID), req)
}

// UpdateCurrent changes the user the session belongs to (PUT /user/current), sending only
// the fields set in req. Like Update, it clears the user's data unless req.Data is set:
// keep it by sending back the data GetCurrent returned. A client-role user may change its
// own password this way; the server asks for no old password.
func (c *Client) UpdateCurrent(ctx context.Context, req *UpdateRequest) error {
	return c.update(ctx, currentPath, req)
}

func (c *Client) update(ctx context.Context, path string, req *UpdateRequest) error {
	return c.core.Do(ctx, &core.Request{Method: http.MethodPut, Path: path, Body: req}, nil)
}

// Delete removes a user (DELETE /user/{id}).
// A retry answered "not found" after an attempt whose answer was lost matches
// ErrOutcomeUnknown as well as ErrNotFound (see ErrOutcomeUnknown); the Unassign
// methods, also DELETEs, do the same.
func (c *Client) Delete(ctx context.Context, userID int64) error {
	if err := core.PositiveID("id", userID); err != nil {
		return err
	}
	return c.send(ctx, http.MethodDelete, userPath(userID))
}

// GetNetwork returns a network assigned to the user (GET /user/{id}/network/{networkId});
// a network that is not assigned answers 404.
func (c *Client) GetNetwork(ctx context.Context, userID, networkID int64) (*Network, error) {
	path, err := network.path(userID, networkID)
	if err != nil {
		return nil, err
	}
	var out struct {
		Network *Network `json:"network"`
	}
	if err := c.core.Do(ctx, &core.Request{Method: http.MethodGet, Path: path}, &out); err != nil {
		return nil, err
	}
	if out.Network == nil {
		return nil, errors.New("iotuser: GET " + path + ": the answer has no network")
	}
	return out.Network, nil
}

// AssignNetwork gives the user access to a network (PUT /user/{id}/network/{networkId}).
func (c *Client) AssignNetwork(ctx context.Context, userID, networkID int64) error {
	return c.link(ctx, http.MethodPut, userID, network, networkID)
}

// UnassignNetwork takes a network away from the user (DELETE /user/{id}/network/{networkId}).
func (c *Client) UnassignNetwork(ctx context.Context, userID, networkID int64) error {
	return c.link(ctx, http.MethodDelete, userID, network, networkID)
}

// ListDeviceTypes returns the device types assigned to the user (GET /user/{id}/devicetype).
func (c *Client) ListDeviceTypes(ctx context.Context, userID int64) ([]DeviceType, error) {
	if err := core.PositiveID("id", userID); err != nil {
		return nil, err
	}
	return core.List[DeviceType](ctx, c.core, &core.Request{Method: http.MethodGet, Path: userPath(userID) + "/devicetype"})
}

// AssignDeviceType gives the user access to a device type
// (PUT /user/{id}/devicetype/{deviceTypeId}).
func (c *Client) AssignDeviceType(ctx context.Context, userID, deviceTypeID int64) error {
	return c.link(ctx, http.MethodPut, userID, deviceType, deviceTypeID)
}

// UnassignDeviceType takes a device type away from the user
// (DELETE /user/{id}/devicetype/{deviceTypeId}).
func (c *Client) UnassignDeviceType(ctx context.Context, userID, deviceTypeID int64) error {
	return c.link(ctx, http.MethodDelete, userID, deviceType, deviceTypeID)
}

// AllowAllDeviceTypes gives the user every device type, present and future
// (PUT /user/{id}/devicetype/all); User.AllDeviceTypesAvailable becomes true.
func (c *Client) AllowAllDeviceTypes(ctx context.Context, userID int64) error {
	if err := core.PositiveID("id", userID); err != nil {
		return err
	}
	return c.send(ctx, http.MethodPut, userPath(userID)+"/devicetype/all")
}

// DisallowAllDeviceTypes limits the user to the device types assigned one by one
// (DELETE /user/{id}/devicetype/all).
func (c *Client) DisallowAllDeviceTypes(ctx context.Context, userID int64) error {
	if err := core.PositiveID("id", userID); err != nil {
		return err
	}
	return c.send(ctx, http.MethodDelete, userPath(userID)+"/devicetype/all")
}

// send makes a request with no body whose answer (204) carries none either.
func (c *Client) send(ctx context.Context, method, path string) error {
	return c.core.Do(ctx, &core.Request{Method: method, Path: path}, nil)
}

func userPath(id int64) string { return usersPath + "/" + core.ID(id) }

// Links from a user to a network or a device type: /user/{id}/{segment}/{linkId}.
var (
	network    = linkKind{segment: "network", idName: "networkId"}
	deviceType = linkKind{segment: "devicetype", idName: "deviceTypeId"}
)

// linkKind is a kind of thing a user is given access to.
type linkKind struct{ segment, idName string }

// path is the link's path, after checking both ids.
func (k linkKind) path(userID, id int64) (string, error) {
	if err := core.PositiveID("id", userID); err != nil {
		return "", err
	}
	if err := core.PositiveID(k.idName, id); err != nil {
		return "", err
	}
	return userPath(userID) + "/" + k.segment + "/" + core.ID(id), nil
}

// link gives (PUT) or takes away (DELETE) the user's access to one network or device type.
func (c *Client) link(ctx context.Context, method string, userID int64, k linkKind, id int64) error {
	path, err := k.path(userID, id)
	if err != nil {
		return err
	}
	return c.send(ctx, method, path)
}

// hasID reports whether an answer holds a user: {} decodes, but is none.
func hasID(u *UserWithNetworks) bool { return u.ID != 0 }
