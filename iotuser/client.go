package iotuser

//go:generate go run ../internal/gen -pkg iotuser -redact CreateRequest,UpdateRequest,Tokens,loginRequest,refreshRequest

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// Client talks to one DeviceHive server's user API. It is safe for concurrent use; create
// one and share it, so that all requests share one session (one login, one refresh).
type Client struct {
	core *core.Client
	sess *session
}

// settings holds what the DeviceHive options configure.
type settings struct {
	login, password     string
	access, refresh     string
	hasLogin, hasTokens bool
	authURL             string
	onTokens            func(Tokens)
}

// New returns a client. WithBaseURL is required (each installation has its own host, such
// as https://host/dh/rest or http://localhost:8080/dh/rest), and so is WithLogin or
// WithTokens (or both: the tokens are used first and the login when they can no longer
// be renewed). New does no network I/O: a login happens on the first request.
func New(opts ...Option) (*Client, error) {
	fs := &settings{}
	s := core.NewSettings("", fs)
	if err := core.Apply(s, coreOptions(opts)); err != nil {
		return nil, err
	}
	if !fs.hasLogin && !fs.hasTokens {
		return nil, errors.New("iotuser: no credentials: use WithLogin or WithTokens")
	}
	authURL := fs.authURL
	if authURL == "" {
		authURL = s.BaseURL
	} else {
		s.AuthURLs = append(s.AuthURLs, authURL)
	}
	sess := newSession(fs, strings.TrimRight(authURL, "/"))
	s.Auth = sess
	c, err := core.New(s, core.Family{Name: "iotuser", ParseError: parseError})
	if err != nil {
		return nil, err
	}
	sess.core = c
	return &Client{core: c, sess: sess}, nil
}

// WithLogin signs in with a DeviceHive login and password (POST {auth}/token) on the first
// request that has no token, and again whenever the refresh token is rejected. The
// password is kept in memory for that purpose and never logged or printed.
func WithLogin(login, password string) Option {
	return Option{core.FamilyOption("WithLogin", func(s *core.Settings, f *settings) error {
		if strings.TrimSpace(login) == "" || password == "" {
			return errors.New("iotuser: WithLogin: login and password are required")
		}
		f.login, f.password, f.hasLogin = login, password, true
		return nil
	})}
}

// WithTokens starts the session from tokens obtained earlier (persisted from
// Client.Tokens, say). access may be empty when refresh is set: the first request then
// refreshes. Without a refresh token or WithLogin, a rejected access token cannot be
// renewed and requests fail with ErrUnauthorized. A token that contains a control
// character (the line break of a token read from a file, say) is refused: New returns a
// *ValidationError.
func WithTokens(access, refresh string) Option {
	return Option{core.FamilyOption("WithTokens", func(s *core.Settings, f *settings) error {
		if access == "" && refresh == "" {
			return errors.New("iotuser: WithTokens: an access or a refresh token is required")
		}
		if err := core.CheckTokenOption("WithTokens", "the access token", access); err != nil {
			return err
		}
		if err := core.CheckTokenOption("WithTokens", "the refresh token", refresh); err != nil {
			return err
		}
		f.access, f.refresh, f.hasTokens = access, refresh, true
		return nil
	})}
}

// WithAuthURL sets the base URL of the token service ({auth}/token and
// {auth}/token/refresh), which DeviceHive often runs apart from the API (by default on port
// 8090 rather than 8080). The default is the API's base URL. Like the base URL, it must
// use https unless the host is loopback or WithInsecureHTTP is given.
func WithAuthURL(u string) Option {
	return Option{core.FamilyOption("WithAuthURL", func(s *core.Settings, f *settings) error {
		if u == "" {
			return errors.New("iotuser: WithAuthURL: empty URL")
		}
		f.authURL = u
		return nil
	})}
}

// WithTokenCallback calls fn with the session's tokens each time a login or refresh
// changes them, so that they can be persisted and passed to WithTokens next time. fn runs
// on the goroutine of a request that is about to use the new tokens, before that request
// is sent, and never while the client holds a lock: it may call Client.Tokens or even the
// client's other methods. Calls never overlap; changes made while fn runs are delivered
// when it returns, as the latest tokens only.
func WithTokenCallback(fn func(Tokens)) Option {
	return Option{core.FamilyOption("WithTokenCallback", func(s *core.Settings, f *settings) error {
		if fn == nil {
			return errors.New("iotuser: WithTokenCallback: nil function")
		}
		f.onTokens = fn
		return nil
	})}
}

// Tokens returns the session's current tokens, to persist them: the access token last
// obtained (or given to WithTokens) and the refresh token, which a refresh keeps. Either
// may be empty: before the first login, or after the server rejected the refresh token.
func (c *Client) Tokens() Tokens {
	if c.sess == nil { // a zero Client
		return Tokens{}
	}
	return c.sess.current()
}

// parseError reads DeviceHive's error body, {"error": <status as int>, "message": "..."}.
// Message is the server's message. Code is left empty when "error" repeats the HTTP status
// (as DeviceHive always does), and holds the number as text when it differs (a proxy that
// changed the status, say), so the error string does not say the status twice. Bodies of
// another shape (Spring's default error page, a proxy's JSON) go through the common parser.
//
// DeviceHive refuses a login that is already taken with 403 rather than 409; such an error
// matches ErrConflict as well as ErrForbidden.
//
// It reports whether the body is DeviceHive's own error object (see vendorBody), which
// proves that the application, not a proxy in front of it, refused the request.
func parseError(e *usersdk.APIError) (vendor bool) {
	var body struct {
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
	}
	var code json.Number
	if json.Unmarshal(e.Body, &body) == nil && len(body.Error) > 0 && body.Error[0] != '"' &&
		json.Unmarshal(body.Error, &code) == nil {
		var msg string
		if json.Unmarshal(body.Message, &msg) == nil {
			e.Message = msg
		}
		e.Code = code.String()
	} else {
		core.ParseCommonError(e)
	}
	if e.Code == strconv.Itoa(e.StatusCode) {
		e.Code = ""
	}
	if strings.Contains(strings.ToLower(e.Message), "already exists") {
		core.AlsoMatches(e, usersdk.ErrConflict)
	}
	return vendorBody(e.Body)
}

// vendorBody reports whether body is exactly the shape of DeviceHive's ErrorResponse: a
// JSON object whose "error" is a number and whose "message" is a string, null or left
// out (Gson drops a null one). Anything looser, such as Spring's default error page with
// "error" as text, proves nothing about who answered.
func vendorBody(body []byte) bool {
	m := core.Members(body)
	code, ok := m["error"]
	if !ok || (code[0] != '-' && (code[0] < '0' || code[0] > '9')) {
		return false
	}
	msg, ok := m["message"]
	return !ok || msg[0] == '"' || string(msg) == "null"
}

// RateLimit returns the X-RateLimit-* values of the last answer that carried them, and
// false when none has yet. While they say the budget is spent, calls fail at once with a
// *RateLimitError (see WithoutRateLimitCheck).
func (c *Client) RateLimit() (RateLimit, bool) { return c.core.RateLimit() }
