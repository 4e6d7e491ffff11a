package accountuser

//go:generate go run ../internal/gen -pkg accountuser -redact CreateRequest,UpdateRequest

import (
	"errors"
	"net/http"
	"strings"

	"github.com/usersdk/usersdk-go/internal/core"
)

// Content types of request bodies: the vendor's examples send text/javascript (the
// default); its authentication page names application/json (WithJSONContentType).
const (
	contentTypeJavaScript = "text/javascript"
	contentTypeJSON       = "application/json"
)

// Paths under which ListByAccount finds an account's users: the vendor's current docs and
// its own example use listPath; pubListPath is for installations that need WithPubListPath.
const (
	listPath    = "/usr/acc/"
	pubListPath = "/pub/usr/acc/"
)

// Client talks to one Revive Adserver REST API installation. It is safe for concurrent
// use; create one and share it.
type Client struct {
	core *core.Client
	settings
}

// settings are the package's own options.
type settings struct {
	listPath    string
	writeMethod string
	contentType string
}

// New returns a client. WithBaseURL is required, as every Revive installation serves the
// API at its own address, and so is WithBasicAuth, as the API has no anonymous access.
// New does no network I/O.
//
// Defaults follow the vendor's User Management page: accounts are listed at
// /usr/acc/{accountId} (WithPubListPath changes that), Create and Update are sent with
// POST (WithPUT) and bodies go as text/javascript (WithJSONContentType).
func New(opts ...Option) (*Client, error) {
	fs := &settings{listPath: listPath, writeMethod: http.MethodPost, contentType: contentTypeJavaScript}
	s := core.NewSettings("", fs)
	if err := core.Apply(s, coreOptions(opts)); err != nil {
		return nil, err
	}
	if s.BaseURL == "" {
		return nil, errors.New("accountuser: no base URL: use WithBaseURL with the address where the Revive REST API is installed (there is no default)")
	}
	if s.Auth == nil {
		return nil, errors.New("accountuser: no credentials: use WithBasicAuth (the API has no anonymous access)")
	}
	c, err := core.New(s, core.Family{Name: "accountuser", ParseError: parseError, ErrorInSuccess: isErrorObject})
	if err != nil {
		return nil, err
	}
	return &Client{core: c, settings: *fs}, nil
}

// WithBasicAuth authenticates every request with HTTP Basic credentials of a Revive user
// allowed to use the REST API. Both are required; user may not contain a colon, which
// Basic authentication cannot carry. The password never appears in errors or logs.
func WithBasicAuth(user, password string) Option {
	return Option{func(s *core.Settings) error {
		switch {
		case user == "":
			return errors.New("accountuser: WithBasicAuth: empty user")
		case strings.Contains(user, ":"):
			return errors.New("accountuser: WithBasicAuth: the user may not contain a colon")
		case password == "":
			return errors.New("accountuser: WithBasicAuth: empty password")
		}
		s.Auth = &core.Basic{User: user, Password: password}
		return nil
	}}
}

// WithPubListPath makes ListByAccount read /pub/usr/acc/{accountId} instead of
// /usr/acc/{accountId}, for an installation that serves the list only there (a 404
// without Revive's error object is the sign: ListByAccount's error then names this
// option). The default is the path of the vendor's current User Management page and of
// its example; an older revision of that page gave /pub/usr/acc/ as the implementation,
// though Revive's /pub/ prefix otherwise belongs to its website (publisher) endpoints. No
// other path has the prefix.
func WithPubListPath() Option {
	return Option{core.FamilyOption("WithPubListPath", func(s *core.Settings, fs *settings) error {
		fs.listPath = pubListPath
		return nil
	})}
}

// WithPUT sends Create and Update with PUT instead of POST; the vendor accepts both.
// POST is the default because the vendor's examples use it.
//
// An Update sent with PUT is resent after a 429, 502, 503 or 504 answer or a network
// failure, like any PUT. A Create, whatever its method, adds a user and is retried as a
// POST is: only when it surely had no effect (no connection made, or a 429 or 503 with
// Retry-After), never once it may have reached the server.
func WithPUT() Option {
	return Option{core.FamilyOption("WithPUT", func(s *core.Settings, fs *settings) error {
		fs.writeMethod = http.MethodPut
		return nil
	})}
}

// WithJSONContentType sends request bodies as application/json instead of
// text/javascript. The body is JSON either way; the default is the type of the vendor's
// examples, and this option is for installations (or proxies in front of them) that
// want the type the vendor's authentication page names.
func WithJSONContentType() Option {
	return Option{core.FamilyOption("WithJSONContentType", func(s *core.Settings, fs *settings) error {
		fs.contentType = contentTypeJSON
		return nil
	})}
}

// RateLimit returns the X-RateLimit-* values of the last answer that carried them, and
// false when none has yet. While they say the budget is spent, calls fail at once with a
// *RateLimitError (see WithoutRateLimitCheck).
func (c *Client) RateLimit() (RateLimit, bool) { return c.core.RateLimit() }
