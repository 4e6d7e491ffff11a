package telphin

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// DefaultBaseURL is the base URL of Telphin's public API. Other hosts run the same
// platform under https://<host>/api/ver1.0.
const DefaultBaseURL = "https://apiproxy.telphin.ru/api/ver1.0"

// Kinds of user: the path segment after /user/.
const (
	KindClient    = "client"
	KindExtension = "extension"
)

// Users is the user resource of one kind, /client/{client_id}/user/{kind}/, whose
// answers decode into U. It is safe for concurrent use. A package's zero Client holds a
// nil *Users, so its methods check for one: requests fail with core.ErrNoClient.
type Users[U any] struct {
	core   *core.Client
	kind   string
	source oauth2.TokenSource
	// present reports whether an answer holds a user (has an id): {} is not one.
	present func(*U) bool
	// mine is the collection of Me, the client of the token's owner.
	mine string
}

// New applies the options over the Telphin defaults and returns the resource of the
// given kind. name is the public package's name, for errors, logs and User-Agent;
// present reports whether a decoded answer holds a user.
func New[U any](name, kind string, present func(*U) bool, opts []core.Option) (*Users[U], error) {
	f := &settings{}
	s := core.NewSettings(DefaultBaseURL, f)
	if err := core.Apply(s, opts); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	fc := prepare(s, f)
	if s.Auth == nil {
		return nil, errors.New(name + ": no credentials: use WithClientCredentials, WithTokenSource or WithToken")
	}
	c, err := core.New(s, core.Family{Name: name, ParseError: ParseError, HardRateLimit: HardRateLimit})
	if err != nil {
		return nil, err
	}
	if fc != nil {
		fc.client = c
	}
	u := &Users[U]{core: c, kind: kind, present: present, mine: "/client/" + core.Segment(Me) + "/user/" + kind + "/"}
	if cache, ok := s.Auth.(*core.TokenCache); ok {
		u.source = &TokenSource{cache: cache}
	} else {
		u.source = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: f.token, TokenType: "Bearer"})
	}
	return u, nil
}

// prepare turns client credentials into a token cache over the token endpoint of the
// base URL, which it adds to the URLs that core.New checks. It returns the fetcher, which
// still needs the core client, or nil when no client credentials were given.
func prepare(s *core.Settings, f *settings) *fetcher {
	if f.appID == "" {
		return nil
	}
	tokenURL := TokenURL(s.BaseURL)
	if tokenURL != "" {
		s.AuthURLs = append(s.AuthURLs, tokenURL)
	}
	fc := newFetcher(f.appID, f.secret, tokenURL)
	s.Auth = core.NewTokenCache(tokenEarly, fc.fetch)
	return fc
}

// TokenSource returns the client's credentials as a token source, to share with
// another client; nil for a nil u.
func (u *Users[U]) TokenSource() oauth2.TokenSource {
	if u == nil {
		return nil
	}
	return u.source
}

// RateLimit returns the last X-RateLimit-* values the server sent, if any.
func (u *Users[U]) RateLimit() (usersdk.RateLimit, bool) {
	if u == nil {
		return usersdk.RateLimit{}, false
	}
	return u.core.RateLimit()
}

// DefaultPageSize is the page size All asks for when the options set no PerPage.
const DefaultPageSize = 100

// CheckPaging refuses a negative page or page size before anything is sent; zero means
// "not sent".
func CheckPaging(page, perPage int) error {
	if page < 0 {
		return core.Invalid("page", "must not be negative")
	}
	if perPage < 0 {
		return core.Invalid("per_page", "must not be negative")
	}
	return nil
}

// All pages through the list with page and per_page, which Telphin does not document for
// its user lists, so it never trusts them: it starts at page (1 when 0) with pages of
// perPage users (DefaultPageSize when 0) and stops after an empty page, a page shorter
// than perPage, a page longer than perPage (the server ignores per_page and sent its whole
// list) or a page holding no user it has not yielded yet (the server ignores page). Users
// are told apart by id: each is yielded once. query builds the query of one page; id reads
// a user's id. The first error is yielded and ends the iteration.
func (u *Users[U]) All(ctx context.Context, clientID string, page, perPage int,
	query func(page, perPage int) any, id func(*U) int64) iter.Seq2[U, error] {
	if page == 0 {
		page = 1
	}
	if perPage == 0 {
		perPage = DefaultPageSize
	}
	if err := CheckPaging(page, perPage); err != nil {
		return func(yield func(U, error) bool) {
			var zero U
			yield(zero, err)
		}
	}
	return core.All(ctx, perPage, func(n int) any { return query(page+n, perPage) },
		func(ctx context.Context, q any) ([]U, error) { return u.List(ctx, clientID, q) }, id)
}

// List returns the users matching query (a struct with url tags, or nil).
func (u *Users[U]) List(ctx context.Context, clientID string, query any) ([]U, error) {
	p, err := u.collection(clientID)
	if err != nil {
		return nil, err
	}
	return core.List[U](ctx, u.core, &core.Request{Method: http.MethodGet, Path: p, Query: query})
}

// Get returns one user.
func (u *Users[U]) Get(ctx context.Context, clientID string, userID int64) (*U, error) {
	p, err := u.item(clientID, userID)
	if err != nil {
		return nil, err
	}
	return core.Object(ctx, u.core, &core.Request{Method: http.MethodGet, Path: p, ID: userID}, u.present)
}

// Create adds a user and returns it as the server stored it.
func (u *Users[U]) Create(ctx context.Context, clientID string, req core.Validator) (*U, error) {
	p, err := u.collection(clientID)
	if err != nil {
		return nil, err
	}
	return core.Object(ctx, u.core, &core.Request{Method: http.MethodPost, Path: p, Body: req}, u.present)
}

// Update changes a user with PUT and returns it as the server stored it.
func (u *Users[U]) Update(ctx context.Context, clientID string, userID int64, req core.Validator) (*U, error) {
	p, err := u.item(clientID, userID)
	if err != nil {
		return nil, err
	}
	return core.Object(ctx, u.core, &core.Request{Method: http.MethodPut, Path: p, ID: userID, Body: req}, u.present)
}

// Delete removes a user.
func (u *Users[U]) Delete(ctx context.Context, clientID string, userID int64) error {
	p, err := u.item(clientID, userID)
	if err != nil {
		return err
	}
	return u.core.Do(ctx, &core.Request{Method: http.MethodDelete, Path: p, ID: userID}, nil)
}

// collection is /client/{client_id}/user/{kind}/, with the trailing slash the API uses.
// The one for Me is built once. Every request method starts here, so this is where a nil
// u (a zero Client) is refused.
func (u *Users[U]) collection(clientID string) (string, error) {
	if u == nil {
		return "", core.ErrNoClient
	}
	if clientID == Me {
		return u.mine, nil
	}
	seg, err := core.PathSegment("client_id", clientID)
	if err != nil {
		return "", err
	}
	return "/client/" + seg + "/user/" + u.kind + "/", nil
}

// item checks a user's client and id and returns the collection the id goes under, as
// Request.ID: the core appends it while it builds the URL.
func (u *Users[U]) item(clientID string, userID int64) (string, error) {
	p, err := u.collection(clientID)
	if err != nil {
		return "", err
	}
	if err := core.PositiveID("user_id", userID); err != nil {
		return "", err
	}
	return p, nil
}
