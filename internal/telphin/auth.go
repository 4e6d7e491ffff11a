package telphin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/usersdk/usersdk-go/internal/core"
)

// TokenPath is the path of the token endpoint on the API's host.
const TokenPath = "/oauth/token"

// tokenEarly is how long before its expiry a token is replaced (oauth2's own margin).
const tokenEarly = 10 * time.Second

// settings is the family settings of both packages: the client credentials, kept until
// New knows the base URL and so the token endpoint.
type settings struct {
	appID  string
	secret string
	token  string // WithToken's token, for Client.TokenSource
}

// WithClientCredentials authenticates as a trusted application: the client fetches tokens
// from {scheme}://{host}/oauth/token of the base URL with the client_credentials grant.
func WithClientCredentials(appID, secret string) core.Option {
	return core.FamilyOption("WithClientCredentials", func(s *core.Settings, f *settings) error {
		if strings.TrimSpace(appID) == "" {
			return errors.New("WithClientCredentials: empty application id")
		}
		if secret == "" {
			return errors.New("WithClientCredentials: empty secret")
		}
		*f = settings{appID: appID, secret: secret}
		s.Auth = nil
		return nil
	})
}

// WithTokenSource authenticates with tokens from ts. A source returned by a client's
// TokenSource method is shared as it is: the clients then hold one token cache.
func WithTokenSource(ts oauth2.TokenSource) core.Option {
	return core.FamilyOption("WithTokenSource", func(s *core.Settings, f *settings) error {
		if ts == nil {
			return errors.New("WithTokenSource: nil token source")
		}
		if shared, ok := ts.(*TokenSource); ok {
			if shared == nil || shared.cache == nil {
				return errors.New("WithTokenSource: nil token source")
			}
			s.Auth = shared.cache
		} else {
			s.Auth = core.NewTokenSourceCache(ts)
		}
		*f = settings{}
		return nil
	})
}

// WithToken authenticates with a fixed bearer token.
func WithToken(token string) core.Option {
	return core.FamilyOption("WithToken", func(s *core.Settings, f *settings) (err error) {
		if s.Auth, err = core.StaticTokenFor("WithToken", token); err != nil {
			return err
		}
		*f = settings{token: token}
		return nil
	})
}

// TokenURL returns the token endpoint of the API at base: its scheme and host with
// TokenPath. It returns "" for a URL without scheme or host, which New refuses anyway.
func TokenURL(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + TokenPath
}

// TokenSource is a client's token cache as an oauth2.TokenSource. Passed to another
// client's WithTokenSource, it is shared rather than wrapped, so the clients fetch one
// token between them, and a 401 in either renews it once for both.
type TokenSource struct {
	cache *core.TokenCache
}

// Token returns the cached token, fetching one if there is none or it is about to expire.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.cache.Token(context.Background())
}

// fetcher gets tokens with the client credentials grant. The token request goes through
// the core client like any API call (NoAuth, RepeatSafe): the same redirect guard, size
// limit, error parsing and retries, with the secret kept out of every error.
type fetcher struct {
	appID, secret, tokenURL string
	// client is set by New once the core client exists.
	client *core.Client
}

func newFetcher(appID, secret, tokenURL string) *fetcher {
	return &fetcher{appID: appID, secret: secret, tokenURL: tokenURL}
}

// tokenAnswer is the token endpoint's answer (RFC 6749 section 5.1).
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	// ExpiresIn is a number by the RFC; some servers send a string.
	ExpiresIn json.Number `json:"expires_in"`
}

// fetch requests a token (the cache bounds it with core.FetchTimeout). Telphin takes the
// credentials as form fields. A response without expires_in gives a token with a zero
// Expiry, which the cache keeps until the server rejects it; so does one whose
// expires_in is no longer than tokenEarly, which would otherwise be replaced before
// every request (see core.TokenExpiry). An expires_in too long for a time.Duration is
// taken as the longest one rather than wrapping into the past.
func (f *fetcher) fetch(ctx context.Context) (*oauth2.Token, error) {
	log := f.client.Logger()
	log.LogAttrs(ctx, slog.LevelDebug, "requesting token", slog.String("url", f.tokenURL))
	var ans tokenAnswer
	err := f.client.Do(ctx, &core.Request{
		Method: http.MethodPost,
		URL:    f.tokenURL,
		Form: url.Values{
			"grant_type":    {"client_credentials"},
			"client_id":     {f.appID},
			"client_secret": {f.secret},
		},
		NoAuth:  true,
		Repeat:  core.RepeatSafe, // a token request creates nothing
		Secrets: []string{f.secret},
	}, &ans)
	if err == nil && ans.AccessToken == "" {
		err = errors.New("token endpoint answered without an access_token")
	}
	if err != nil {
		log.LogAttrs(ctx, slog.LevelDebug, "token request failed", slog.String("error", err.Error()))
		return nil, err
	}
	tok := &oauth2.Token{AccessToken: ans.AccessToken, TokenType: ans.TokenType}
	if secs, err := ans.ExpiresIn.Int64(); err == nil && secs > 0 {
		now := time.Now()
		tok.Expiry = core.TokenExpiry(now.Add(lifetime(secs)), now, tokenEarly)
	}
	if tok.Expiry.IsZero() {
		log.LogAttrs(ctx, slog.LevelDebug, "token received", slog.String("expires", "kept until rejected"),
			slog.String("expires_in", ans.ExpiresIn.String()))
	} else {
		log.LogAttrs(ctx, slog.LevelDebug, "token received", slog.Time("expires", tok.Expiry))
	}
	return tok, nil
}

// lifetime is secs seconds, or the longest time.Duration when that is longer.
func lifetime(secs int64) time.Duration {
	if secs >= int64(math.MaxInt64/time.Second) {
		return math.MaxInt64
	}
	return time.Duration(secs) * time.Second
}
