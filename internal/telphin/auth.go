package telphin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

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
	return func(s *core.Settings) error {
		f, err := core.FamilySettings[settings](s, "WithClientCredentials")
		if err != nil {
			return err
		}
		if strings.TrimSpace(appID) == "" {
			return errors.New("WithClientCredentials: empty application id")
		}
		if secret == "" {
			return errors.New("WithClientCredentials: empty secret")
		}
		*f = settings{appID: appID, secret: secret}
		s.Auth = nil
		return nil
	}
}

// WithTokenSource authenticates with tokens from ts. A source returned by a client's
// TokenSource method is shared as it is: the clients then hold one token cache.
func WithTokenSource(ts oauth2.TokenSource) core.Option {
	return func(s *core.Settings) error {
		f, err := core.FamilySettings[settings](s, "WithTokenSource")
		if err != nil {
			return err
		}
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
	}
}

// WithToken authenticates with a fixed bearer token.
func WithToken(token string) core.Option {
	return func(s *core.Settings) error {
		f, err := core.FamilySettings[settings](s, "WithToken")
		if err != nil {
			return err
		}
		if token == "" {
			return errors.New("WithToken: empty token")
		}
		s.Auth = core.StaticToken(token)
		*f = settings{token: token}
		return nil
	}
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

// fetcher gets tokens with the client credentials grant.
type fetcher struct {
	cfg    *clientcredentials.Config
	secret string
	// client is set by New once the core client exists: token requests go through its
	// *http.Client (the caller's transport) and are logged by its logger.
	client *core.Client
}

func newFetcher(appID, secret, tokenURL string) *fetcher {
	return &fetcher{
		cfg: &clientcredentials.Config{
			ClientID:     appID,
			ClientSecret: secret,
			TokenURL:     tokenURL,
			// The default (auto-detect) first tries HTTP Basic and repeats every failed
			// request with form fields; Telphin takes the credentials in the form.
			AuthStyle: oauth2.AuthStyleInParams,
		},
		secret: secret,
	}
}

// fetch requests a token (the cache bounds it with core.FetchTimeout). A response
// without expires_in gives a token with a zero Expiry, which the cache keeps until the
// server rejects it.
func (f *fetcher) fetch(ctx context.Context) (*oauth2.Token, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, f.client.HTTPClient())
	log := f.client.Logger()
	log.LogAttrs(ctx, slog.LevelDebug, "requesting token", slog.String("url", f.cfg.TokenURL))
	tok, err := f.client.FetchToken(ctx, f.cfg.Token)
	if err != nil {
		err = redactSecret(err, f.secret)
		log.LogAttrs(ctx, slog.LevelDebug, "token request failed", slog.String("error", err.Error()))
		return nil, err
	}
	if tok.Expiry.IsZero() {
		log.LogAttrs(ctx, slog.LevelDebug, "token received", slog.String("expires", "never stated"))
	} else {
		log.LogAttrs(ctx, slog.LevelDebug, "token received", slog.Time("expires", tok.Expiry))
	}
	return tok, nil
}

// tokenError is a failed token request with the client secret taken out of its text and
// of the oauth2.RetrieveError it wraps (a server may echo the form it received).
type tokenError struct {
	msg string
	err error
}

func (e *tokenError) Error() string { return e.msg }
func (e *tokenError) Unwrap() error { return e.err }

// redactSecret wraps a failed token request. The text of an answer without an OAuth
// error code quotes the body only when it is short and not HTML, as APIError does.
func redactSecret(err error, secret string) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return &tokenError{msg: strings.ReplaceAll(err.Error(), secret, core.Redacted), err: err}
	}
	c := *re
	c.Body = bytes.ReplaceAll(c.Body, []byte(secret), []byte(core.Redacted))
	c.ErrorDescription = strings.ReplaceAll(c.ErrorDescription, secret, core.Redacted)
	c.ErrorURI = strings.ReplaceAll(c.ErrorURI, secret, core.Redacted)
	msg := c.Error()
	if c.Response != nil {
		// The request held the secret in its form; the body was read already.
		resp := *c.Response
		resp.Request = nil
		resp.Body = http.NoBody
		c.Response = &resp
		if c.ErrorCode == "" && (len(c.Body) > maxQuotedBody || strings.Contains(resp.Header.Get("Content-Type"), "html")) {
			msg = fmt.Sprintf("oauth2: cannot fetch token: %s (%d-byte body)", resp.Status, len(c.Body))
		}
	}
	return &tokenError{msg: strings.ReplaceAll(msg, secret, core.Redacted), err: &c}
}

// maxQuotedBody is the longest token endpoint answer quoted in an error's text.
const maxQuotedBody = 200
