package backoffice

//go:generate go run ../internal/gen -pkg backoffice -redact CreateRequest,UpdateRequest

import (
	"errors"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go/internal/core"
)

// Client talks to one B2Core Back Office. It is safe for concurrent use; create one and
// share it.
type Client struct {
	core *core.Client
}

// New returns a client. WithBaseURL is required (each installation has its own host), and
// so is one of WithToken or WithTokenSource. New does no network I/O.
func New(opts ...Option) (*Client, error) {
	s := core.NewSettings("", nil)
	if err := core.Apply(s, coreOptions(opts)); err != nil {
		return nil, err
	}
	if s.Auth == nil {
		return nil, errors.New("backoffice: no credentials: use WithToken or WithTokenSource")
	}
	c, err := core.New(s, core.Family{Name: "backoffice", ParseError: core.ParseCommonError, ListKeys: listKeys})
	if err != nil {
		return nil, err
	}
	return &Client{core: c}, nil
}

// WithToken authenticates with a fixed bearer access token. A token that contains a
// control character (the line break of a token read from a file, say) cannot be sent in
// a header: New refuses it with a *ValidationError.
func WithToken(token string) Option {
	return Option{func(s *core.Settings) (err error) {
		if s.Auth, err = core.StaticTokenFor("WithToken", token); err != nil {
			return fmt.Errorf("backoffice: %w", err)
		}
		return nil
	}}
}

// WithTokenSource authenticates with tokens from ts, cached until shortly before they
// expire. After a 401 the client asks ts for a token once more and, if it gets a different
// one, retries the request once. A source that caches (oauth2.ReuseTokenSource, or what
// oauth2.Config.TokenSource returns) hands back the same token until it expires, so the 401
// is returned as it is.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return Option{func(s *core.Settings) error {
		if ts == nil {
			return errors.New("backoffice: WithTokenSource: nil token source")
		}
		s.Auth = core.NewTokenSourceCache(ts)
		return nil
	}}
}

// RateLimit returns the X-RateLimit-* values of the last answer that carried them, and
// false when none has yet. While they say the budget is spent, calls fail at once with a
// *RateLimitError (see WithoutRateLimitCheck).
func (c *Client) RateLimit() (RateLimit, bool) { return c.core.RateLimit() }
