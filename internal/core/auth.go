package core

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	usersdk "github.com/usersdk/usersdk-go"
	"golang.org/x/oauth2"
)

// Authenticator sets credentials on every attempt of a request.
type Authenticator interface {
	// Authenticate sets the request's credentials. It returns the credential it used
	// (a token, say), which is handed back to Refresh if the server rejects it.
	Authenticate(ctx context.Context, req *http.Request) (credential string, err error)
}

// Refresher is an Authenticator that can renew its credentials. After a 401 the client
// calls Refresh with the rejected credential and then sends the request once more.
type Refresher interface {
	Refresh(ctx context.Context, rejected string) error
}

// CheckToken refuses a token that contains a control character, such as the line break a
// token read from a file keeps. net/http refuses a header value with a line break, so
// every request would fail without being sent; a tab it would send, but no token holds
// one. The error names the position and the character, never the token.
func CheckToken(token string) error {
	for i := 0; i < len(token); i++ {
		if c := token[i]; c < ' ' || c == 0x7f {
			return fmt.Errorf("contains a control character (byte %d is %#02x)", i, c)
		}
	}
	return nil
}

// CheckTokenOption is CheckToken for a token given to an option: it returns a
// *ValidationError naming the option, with what says which token it is.
func CheckTokenOption(option, what, token string) error {
	if err := CheckToken(token); err != nil {
		return Invalid(option, what+" "+err.Error()+"; a token read from a file may keep its line break")
	}
	return nil
}

// StaticTokenFor is the Authenticator for a fixed token given to option, after the checks
// every such option makes: a token, and one that a header can carry.
func StaticTokenFor(option, token string) (Authenticator, error) {
	if token == "" {
		return nil, errors.New(option + ": empty token")
	}
	if err := CheckTokenOption(option, "the token", token); err != nil {
		return nil, err
	}
	return StaticToken(token), nil
}

// StaticToken returns an Authenticator that sends a fixed bearer token.
func StaticToken(token string) Authenticator {
	return &staticToken{token: token, header: []string{"Bearer " + token}}
}

type staticToken struct {
	token  string
	header []string // built once: the header is set on every attempt
}

// Authenticate sets the Authorization header.
func (t *staticToken) Authenticate(_ context.Context, req *http.Request) (string, error) {
	req.Header["Authorization"] = t.header
	return t.token, nil
}

// String never shows the token.
func (t *staticToken) String() string { return Redacted }

// GoString never shows the token.
func (t *staticToken) GoString() string { return Redacted }

// Basic sends HTTP Basic credentials.
type Basic struct {
	User     string
	Password string

	once   sync.Once
	header []string // built once: the header is set on every attempt
}

// Authenticate sets the Authorization header.
func (b *Basic) Authenticate(_ context.Context, req *http.Request) (string, error) {
	b.once.Do(func() {
		b.header = []string{"Basic " + base64.StdEncoding.EncodeToString([]byte(b.User+":"+b.Password))}
	})
	req.Header["Authorization"] = b.header
	return "basic", nil
}

// String never shows the password.
func (b *Basic) String() string { return "Basic{User:" + b.User + " Password:" + Redacted + "}" }

// GoString never shows the password.
func (b *Basic) GoString() string { return b.String() }

// TokenCache is an Authenticator and Refresher for bearer tokens. It caches the token that
// fetch returns, fetches a new one shortly before it expires or after the server rejected
// it, and never runs more than one fetch at a time: concurrent callers wait for the fetch in
// flight. A token with no expiry is kept until the server rejects it.
type TokenCache struct {
	fetch func(ctx context.Context) (*oauth2.Token, error)
	// Early is how long before its expiry a token is replaced.
	early time.Duration

	mu     sync.Mutex
	tok    *oauth2.Token
	flight *tokenFlight
	// hdr is the Authorization header value of hdrTok, built once per token rather than
	// on every request.
	hdrTok *oauth2.Token
	hdr    []string
}

type tokenFlight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// NewTokenCache returns a cache over fetch that replaces tokens early before they expire.
// fetch runs detached from any one caller's cancellation, so that a caller that gives up
// does not fail the others waiting for the same token.
func NewTokenCache(early time.Duration, fetch func(ctx context.Context) (*oauth2.Token, error)) *TokenCache {
	return &TokenCache{fetch: fetch, early: early}
}

// NewTokenSourceCache wraps an oauth2.TokenSource. Token sources take no context, so a
// fetch that hangs is abandoned after FetchTimeout and the next caller starts a new one.
func NewTokenSourceCache(ts oauth2.TokenSource) *TokenCache {
	return NewTokenCache(10*time.Second, func(ctx context.Context) (*oauth2.Token, error) {
		type result struct {
			tok *oauth2.Token
			err error
		}
		done := make(chan result, 1)
		go func() {
			tok, err := ts.Token()
			done <- result{tok, err}
		}()
		select {
		case r := <-done:
			return r.tok, r.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
}

// FetchTimeout bounds one token fetch, so that a token endpoint that never answers cannot
// block every later caller.
const FetchTimeout = time.Minute

// Set replaces the cached token, as after a login.
func (c *TokenCache) Set(tok *oauth2.Token) {
	c.mu.Lock()
	c.tok = tok
	c.mu.Unlock()
}

// Current returns the cached token without fetching; nil if there is none.
func (c *TokenCache) Current() *oauth2.Token {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tok
}

// Token returns a valid token, fetching one if needed.
func (c *TokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.tok != nil && c.fresh(c.tok) {
		tok := c.tok
		c.mu.Unlock()
		return tok, nil
	}
	f := c.flight
	if f == nil {
		f = &tokenFlight{done: make(chan struct{})}
		c.flight = f
		go c.run(ctx, f)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *TokenCache) run(caller context.Context, f *tokenFlight) {
	// The fetch outlives the caller and serves every caller waiting on it, so it keeps
	// the caller's values but not its WithResponse capture, which is the caller's alone.
	detached := usersdk.WithResponse(context.WithoutCancel(caller), nil)
	ctx, cancel := context.WithTimeout(detached, FetchTimeout)
	defer cancel()
	tok, err := c.fetch(ctx)
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errors.New("token endpoint returned no access token")
	}
	if err == nil {
		// Kept, such a token would fail every request before it is sent, so no 401 would
		// ever replace it. Dropped, the next call asks again.
		if bad := CheckToken(tok.AccessToken); bad != nil {
			err = fmt.Errorf("token endpoint returned an unusable access token: %w", bad)
		}
	}
	c.mu.Lock()
	if err == nil {
		c.tok = tok
	}
	c.flight = nil
	c.mu.Unlock()
	f.tok, f.err = tok, err
	close(f.done)
}

// TokenExpiry is the Expiry to give a token that expires at expiry, issued at now, in a
// cache that replaces tokens early before they expire. A token that would be due for
// replacement as soon as it is issued (a clock off by more than the token's life, or a
// life no longer than early) gets no expiry: it is used until the server rejects it,
// rather than replaced before every request. A zero expiry stays zero.
func TokenExpiry(expiry, now time.Time, early time.Duration) time.Time {
	if !expiry.IsZero() && expiry.Sub(now) <= early {
		return time.Time{}
	}
	return expiry
}

func (c *TokenCache) fresh(t *oauth2.Token) bool {
	return t.Expiry.IsZero() || time.Now().Add(c.early).Before(t.Expiry)
}

// Invalidate drops the cached token if it is still the rejected one; a token that has
// already been replaced is kept, so many callers rejecting the same token cause one fetch.
func (c *TokenCache) Invalidate(rejected string) {
	c.mu.Lock()
	if c.tok != nil && c.tok.AccessToken == rejected {
		c.tok = nil
	}
	c.mu.Unlock()
}

// Authenticate sets a bearer token, fetching one first if needed. A fresh cached token
// takes one lock: this runs on every request.
func (c *TokenCache) Authenticate(ctx context.Context, req *http.Request) (string, error) {
	c.mu.Lock()
	tok := c.tok
	if tok == nil || !c.fresh(tok) {
		c.mu.Unlock()
		var err error
		if tok, err = c.Token(ctx); err != nil {
			return "", &usersdk.AuthError{Err: err}
		}
		c.mu.Lock()
	}
	req.Header["Authorization"] = c.header(tok)
	c.mu.Unlock()
	return tok.AccessToken, nil
}

// header returns the Authorization value of tok, shared by every request that sends it
// (requests never modify it). c.mu is held.
func (c *TokenCache) header(tok *oauth2.Token) []string {
	if c.hdrTok != tok {
		c.hdrTok, c.hdr = tok, []string{"Bearer " + tok.AccessToken}
	}
	return c.hdr
}

// ErrSameCredential is what Refresh returns when the only credential it can get is the one
// the server just rejected (a token source that caches): resending would be pointless.
var ErrSameCredential = errors.New("no new credential")

// Refresh drops the rejected token and fetches a new one.
func (c *TokenCache) Refresh(ctx context.Context, rejected string) error {
	c.Invalidate(rejected)
	tok, err := c.Token(ctx)
	if err != nil {
		return &usersdk.AuthError{Err: err}
	}
	if tok.AccessToken == rejected {
		return ErrSameCredential
	}
	return nil
}
