package iotuser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// earlyRefresh is how long before the expiry its "e" claim states an access token is
// renewed, so that a request does not leave with a token that dies on the way.
const earlyRefresh = time.Minute

// session is the client's DeviceHive credentials: an access token sent as a bearer token,
// renewed by refresh token or, when that is rejected, by a new login. The token cache
// runs one renewal at a time for any number of callers; session adds the DeviceHive token
// endpoints and the change notifications.
type session struct {
	core       *core.Client // set by New; the token endpoints are called through it with NoAuth
	cache      *core.TokenCache
	authURL    string // the token service's base URL, without a trailing slash
	authSet    bool   // authURL came from WithAuthURL rather than the base URL
	tokenURL   string
	refreshURL string
	login      string
	password   string
	hasLogin   bool
	onTokens   func(Tokens)

	mu            sync.Mutex
	tokens        Tokens
	gen, notified uint64 // token changes made and delivered to onTokens
	delivering    bool
}

func newSession(f *settings, authURL string) *session {
	s := &session{
		authURL:    authURL,
		authSet:    f.authURL != "",
		tokenURL:   authURL + "/token",
		refreshURL: authURL + "/token/refresh",
		login:      f.login,
		password:   f.password,
		hasLogin:   f.hasLogin,
		onTokens:   f.onTokens,
		tokens:     Tokens{AccessToken: f.access, RefreshToken: f.refresh},
	}
	s.cache = core.NewTokenCache(earlyRefresh, s.fetch)
	if f.access != "" {
		// A persisted token keeps its stated expiry: one that has expired since is renewed
		// before it is ever sent.
		s.cache.Set(&oauth2.Token{AccessToken: f.access, TokenType: "Bearer", Expiry: jwtExpiry(f.access)})
	}
	return s
}

// Authenticate sets the bearer token, renewing it first when it is missing or about to
// expire.
func (s *session) Authenticate(ctx context.Context, req *http.Request) (string, error) {
	cred, err := s.cache.Authenticate(ctx, req)
	s.notify()
	return cred, err
}

// Refresh renews the access token after the server rejected it; concurrent callers that
// saw the same token rejected share one renewal.
func (s *session) Refresh(ctx context.Context, rejected string) error {
	err := s.cache.Refresh(ctx, rejected)
	s.notify()
	return err
}

// errNoRenewal is a rejected access token with neither a refresh token nor a login.
var errNoRenewal = fmt.Errorf("iotuser: the access token was rejected and there is no refresh token or login to renew it: %w", usersdk.ErrUnauthorized)

// fetch obtains a new access token for the cache: by refresh token when there is one, by
// login when there is none or it was rejected. It runs in the cache's single flight.
//
// When renewal fails but the current token was only near its expiry (not rejected), that
// token is used for now: the server has the last word, and the next request tries again.
func (s *session) fetch(ctx context.Context) (*oauth2.Token, error) {
	cur := s.cache.Current() // nil after the server rejected it
	err := errNoRenewal
	if refresh := s.current().RefreshToken; refresh != "" {
		var tok *oauth2.Token
		if tok, err = s.refreshAccess(ctx, refresh); err == nil {
			return tok, nil
		}
		if refreshRejected(err) {
			s.forgetRefresh(refresh)
			if s.hasLogin {
				s.core.Logger().LogAttrs(ctx, slog.LevelDebug, "refresh token rejected, signing in again")
			} else {
				err = fmt.Errorf("iotuser: the refresh token was rejected and no login is known: %w (%w)", usersdk.ErrUnauthorized, err)
			}
		} else {
			return s.keep(ctx, cur, err)
		}
	}
	if s.hasLogin {
		tok, loginErr := s.signIn(ctx)
		if loginErr == nil {
			return tok, nil
		}
		err = loginErr
	}
	if cur != nil && errors.Is(err, errNoRenewal) {
		// Nothing to renew with: send the token as it is until the server rejects it.
		return &oauth2.Token{AccessToken: cur.AccessToken, TokenType: "Bearer"}, nil
	}
	return s.keep(ctx, cur, err)
}

// keep returns the current token when renewal failed but the token has not expired yet,
// else the failure.
func (s *session) keep(ctx context.Context, cur *oauth2.Token, err error) (*oauth2.Token, error) {
	if cur == nil || (!cur.Expiry.IsZero() && !time.Now().Before(cur.Expiry)) {
		return nil, err
	}
	s.core.Logger().LogAttrs(ctx, slog.LevelDebug, "early token renewal failed, using the current token",
		slog.String("error", err.Error()))
	return cur, nil
}

// refreshRejected reports whether the token service refused the refresh token itself
// (DeviceHive answers 401, with or without a body; 400 and 403 are taken the same way),
// rather than failing.
func refreshRejected(err error) bool {
	var apiErr *usersdk.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.StatusCode {
	case http.StatusUnauthorized, http.StatusBadRequest, http.StatusForbidden:
		return true
	}
	return false
}

// loginRequest is the body of POST {auth}/token.
type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// refreshRequest is the body of POST {auth}/token/refresh.
type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// signIn logs in: POST {auth}/token → 201 {"accessToken", "refreshToken"}.
func (s *session) signIn(ctx context.Context) (*oauth2.Token, error) {
	return s.post(ctx, s.tokenURL, loginRequest{Login: s.login, Password: s.password}, "login", true, s.password)
}

// refreshAccess renews the access token: POST {auth}/token/refresh → 201 {"accessToken"}.
func (s *session) refreshAccess(ctx context.Context, refresh string) (*oauth2.Token, error) {
	return s.post(ctx, s.refreshURL, refreshRequest{RefreshToken: refresh}, "token refresh", false, refresh)
}

// post sends body to a token endpoint and stores the tokens of its answer; signedIn says
// the answer comes from a login, and secret is the credential body carries, kept out of
// any error even when the server echoes it. A token call creates nothing, so it is
// retried like a read and never reported as outcome-unknown.
func (s *session) post(ctx context.Context, url string, body any, what string, signedIn bool, secret string) (*oauth2.Token, error) {
	var out Tokens
	err := s.core.Do(ctx, &core.Request{
		Method: http.MethodPost, URL: url, NoAuth: true, Repeat: core.RepeatSafe, Body: body,
		Secrets: []string{secret},
	}, &out)
	if err != nil {
		return nil, s.tokenError(err)
	}
	if out.AccessToken == "" {
		return nil, errors.New("iotuser: the " + what + " answer has no access token")
	}
	// Checked before they are stored, so that Tokens and the callback never hand out
	// tokens that WithTokens would refuse.
	if err := core.CheckToken(out.AccessToken); err != nil {
		return nil, fmt.Errorf("iotuser: the %s answer's access token %w", what, err)
	}
	if err := core.CheckToken(out.RefreshToken); err != nil {
		return nil, fmt.Errorf("iotuser: the %s answer's refresh token %w", what, err)
	}
	return s.store(out, signedIn), nil
}

// tokenError turns a 404 from a token endpoint into a *NoTokenServiceError that says
// where the token service usually is; other errors are returned as they are.
func (s *session) tokenError(err error) error {
	var apiErr *usersdk.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		return err
	}
	e := &NoTokenServiceError{URL: apiErr.URL, AuthURLSet: s.authSet, Err: apiErr}
	if !s.authSet {
		e.Suggested = authServiceGuess(s.authURL)
	}
	return e
}

// authServiceGuess is where DeviceHive's auth service usually listens when the API is at
// base: the same scheme, host and path on port 8090 (auth's default, beside the
// frontend's 8080). Empty when base is already on 8090 or does not parse.
func authServiceGuess(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || u.Port() == "8090" {
		return ""
	}
	u.Host = net.JoinHostPort(u.Hostname(), "8090")
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}

// NoTokenServiceError is a 404 from DeviceHive's token endpoint ({auth}/token or
// {auth}/token/refresh): no token service answers at that URL. Current DeviceHive
// servers serve the token resource only on the separate auth service (port 8090 by
// default), not on the API's frontend, so a client without WithAuthURL that talks to the
// frontend directly gets this error on its first call.
//
// It matches ErrUnauthorized, as the call could not be authenticated, and not
// ErrNotFound: the thing the caller asked for may well exist. errors.As still finds the
// token endpoint's *APIError (with its 404 and URL); the caller's call wraps this error
// in an *AuthError.
type NoTokenServiceError struct {
	// URL is the token endpoint that answered 404.
	URL string
	// AuthURLSet reports whether the URL came from WithAuthURL.
	AuthURLSet bool
	// Suggested is where the auth service usually is when WithAuthURL was not given: the
	// API's base URL on port 8090. Empty when there is no such guess.
	Suggested string
	// Err is the token endpoint's answer.
	Err *APIError
}

// Error says there is no token service at URL and what to set.
func (e *NoTokenServiceError) Error() string {
	msg := "iotuser: no token service at " + e.URL + " (404 Not Found); "
	switch {
	case e.AuthURLSet:
		return msg + "check WithAuthURL: it must be the base URL of the DeviceHive auth service (the part before /token)"
	case e.Suggested != "":
		return msg + "set WithAuthURL to the DeviceHive auth service, usually the same host on port 8090: " + e.Suggested
	}
	return msg + "set WithAuthURL to the base URL of the DeviceHive auth service"
}

// Is matches ErrUnauthorized.
func (e *NoTokenServiceError) Is(target error) bool { return target == usersdk.ErrUnauthorized }

// As sets a **APIError target to the token endpoint's answer. The error has no Unwrap
// on purpose: through it errors.Is would match ErrNotFound, which would read as "the
// user does not exist".
func (e *NoTokenServiceError) As(target any) bool {
	if p, ok := target.(**APIError); ok && e.Err != nil {
		*p = e.Err
		return true
	}
	return false
}

// store records new tokens for Tokens and the callback and returns the access token for
// the cache. A refresh that returns no refresh token keeps the old one; a login replaces
// it. A token that looks expired as soon as it is issued (a clock off by more than the
// token's life, or a life under a minute) gets no expiry, so that it is not renewed on
// every request: it is used until the server rejects it (see core.TokenExpiry).
func (s *session) store(t Tokens, login bool) *oauth2.Token {
	s.mu.Lock()
	s.tokens.AccessToken = t.AccessToken
	if login || t.RefreshToken != "" {
		s.tokens.RefreshToken = t.RefreshToken
	}
	s.gen++
	s.mu.Unlock()
	expiry := core.TokenExpiry(jwtExpiry(t.AccessToken), time.Now(), earlyRefresh)
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: "Bearer", Expiry: expiry}
}

// forgetRefresh drops a refresh token the server rejected, unless it was replaced meanwhile.
func (s *session) forgetRefresh(rejected string) {
	s.mu.Lock()
	if s.tokens.RefreshToken == rejected {
		s.tokens.RefreshToken = ""
		s.gen++
	}
	s.mu.Unlock()
}

func (s *session) current() Tokens {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens
}

// notify hands the latest tokens to the callback, without holding the lock, once per
// change. One goroutine delivers at a time; a change made meanwhile (even by the callback
// itself, through the client) is delivered by that goroutine when the callback returns.
func (s *session) notify() {
	if s.onTokens == nil {
		return
	}
	s.mu.Lock()
	if s.delivering || s.notified == s.gen {
		s.mu.Unlock()
		return
	}
	s.delivering = true
	done := false
	defer func() {
		if !done { // the callback panicked: let the next change be delivered
			s.mu.Lock()
			s.delivering = false
			s.mu.Unlock()
		}
	}()
	for s.notified != s.gen {
		s.notified = s.gen
		t := s.tokens
		s.mu.Unlock()
		s.onTokens(t)
		s.mu.Lock()
	}
	s.delivering = false
	done = true
	s.mu.Unlock()
}

// jwtExpiry returns when a DeviceHive token expires, from the "e" claim (Unix
// milliseconds) of its payload, {"payload": {"e": ...}}; zero when the token is not a JWT
// or states no expiry, and such a token is used until the server rejects it.
//
// The signature is not verified: its key is the server's secret, and the time only
// decides when the client renews ahead of the server's own check, which stays the
// authority. A forged or wrong time costs at most an early renewal or one 401.
func jwtExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Payload struct {
			E json.Number `json:"e"`
		} `json:"payload"`
		E json.Number `json:"e"`
	}
	if json.Unmarshal(raw, &claims) != nil {
		return time.Time{}
	}
	e := claims.Payload.E
	if e == "" {
		e = claims.E
	}
	ms, err := strconv.ParseInt(e.String(), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(e.String(), 64)
		if ferr != nil || f > 1<<62 {
			return time.Time{}
		}
		ms = int64(f)
	}
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}
