package clientuser

//go:generate go run ../internal/gen -pkg clientuser -redact CreateRequest,UpdateRequest

import (
	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go/internal/telphin"
)

// DefaultBaseURL is the base URL used when WithBaseURL is not given. Other hosts of the
// platform take the same shape, https://<host>/api/ver1.0.
const DefaultBaseURL = "https://apiproxy.telphin.ru/api/ver1.0"

// Client manages the client-level users of Telphin clients. It is safe for concurrent
// use; create one and share it.
type Client struct {
	users *telphin.Users[User]
}

// New returns a client for DefaultBaseURL unless WithBaseURL says otherwise. One of
// WithClientCredentials, WithTokenSource or WithToken is required; the last one given
// wins. New does no network I/O: the first token is fetched by the first request.
func New(opts ...Option) (*Client, error) {
	u, err := telphin.New("clientuser", telphin.KindClient, func(u *User) bool { return u.ID != 0 }, coreOptions(opts))
	if err != nil {
		return nil, err
	}
	return &Client{users: u}, nil
}

// WithClientCredentials authenticates as a trusted Telphin application with its id and
// secret (the client_credentials grant). Tokens come from the token endpoint on the base
// URL's host, {scheme}://{host}/oauth/token, through the client's *http.Client. They are
// cached and replaced shortly before they expire; a token issued without expires_in is
// kept until the server rejects it. After a 401 the token is dropped, a new one is
// fetched (once, however many requests were rejected) and the request is sent once more.
func WithClientCredentials(appID, secret string) Option {
	return Option{telphin.WithClientCredentials(appID, secret)}
}

// WithTokenSource authenticates with tokens from ts, cached until shortly before they
// expire. After a 401 the client asks ts once more and, if it returns a new token,
// resends the request once; if it returns the rejected one (oauth2.ReuseTokenSource and
// clientcredentials.Config.TokenSource do until it expires), the 401 is returned. A
// source from another Telphin client's TokenSource method (of this package or of
// extensionuser) is shared as it is: both clients use one token and renew it together.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return Option{telphin.WithTokenSource(ts)}
}

// WithToken authenticates with a fixed bearer access token. A 401 is returned as it is.
func WithToken(token string) Option {
	return Option{telphin.WithToken(token)}
}

// TokenSource returns the client's credentials as a token source. Pass it to
// extensionuser.WithTokenSource (or to another client of this package) to serve both with
// one token: they share its cache, so they fetch it once and a 401 in either renews it
// once for both.
func (c *Client) TokenSource() oauth2.TokenSource { return c.users.TokenSource() }

// RateLimit returns the X-RateLimit-* values of the last answer that carried them, and
// false when none has yet.
func (c *Client) RateLimit() (RateLimit, bool) { return c.users.RateLimit() }

// Error codes Telphin sends in the "status" member of an error body; APIError.Code holds
// them.
const (
	// CodeAccessDenied (403): the token's owner may not do this.
	CodeAccessDenied = "access_denied"
	// CodeUserBlocked (403): the token's owner is blocked.
	CodeUserBlocked = "user_blocked"
	// CodeUserAccessTypeDeny (403): the owner's access type (read_only) forbids it.
	CodeUserAccessTypeDeny = "user_access_type_deny"
	// CodeAppAccessTypeDeny (403): the application's type forbids it.
	CodeAppAccessTypeDeny = "app_access_type_deny"
	// CodeClientNotFound (404): no client with the given id.
	CodeClientNotFound = "client_not_found"
	// CodeRateLimitExceeded (429): the client's hourly budget is spent; the error is a
	// *RateLimitError whose Reset says when the next hour starts.
	CodeRateLimitExceeded = "rate_limit_exceeded"
)
