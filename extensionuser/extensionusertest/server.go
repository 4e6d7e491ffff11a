// Package extensionusertest is an in-memory fake of Telphin's user API, for testing code
// that uses package extensionuser without a real server. The same server also serves the
// client-level users of package clientuser, so both clients can point at one. It is
// package clientusertest's server under this package's name:
//
//	srv := extensionusertest.NewServer()
//	defer srv.Close()
//	eu, err := extensionuser.New(
//		extensionuser.WithBaseURL(srv.BaseURL()), // srv.URL + "/api/ver1.0"
//		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	cu, err := clientuser.New(
//		clientuser.WithBaseURL(srv.BaseURL()),
//		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	u, err := eu.Create(ctx, extensionuser.Me, &extensionuser.CreateRequest{
//		ExtensionID: 5001, Login: "reception", Name: "Reception", Password: "pw",
//		Email: "reception@example.com"})
//
// It behaves as the vendor documents: OAuth 2.0 client credentials at /oauth/token (form
// fields or HTTP Basic), bearer tokens that live an hour, "@me" or a numeric client id in
// the path (404 client_not_found for an unknown one), 201 on create, 204 on delete, 404
// {"message": "Record not found"} for an unknown user, list filters as repeated query
// keys, bare JSON arrays, page and per_page as Telphin's other lists take them (pages
// from 1; without per_page the list is not cut), and X-RateLimit-* headers with 429
// rate_limit_exceeded past the hourly budget. Where the vendor is silent it is strict: a
// login taken by a user of either kind is 409 {"message": "Login already exists",
// "status": "login_exists"}, a PUT that changes the login is 400, unknown body fields and
// query keys are 400, and an internal number belongs to the first client that attaches a
// user to it (another client's create or move is 400).
//
// Knobs (methods of the clientusertest.Server that Server embeds, so Server's too):
//   - credentials and tokens: AppID, Secret, SetCredentials, IssueToken, ExpireTokens,
//     TokenRequests, OmitExpiresIn, BaseURL, TokenURL;
//   - clients and users: ClientID ("@me"), AddClient, AddForbiddenClient (403),
//     AddExtensionUser, AddClientUser, ExtensionUsers, ClientUsers, ExtensionUser,
//     ClientUser, Password, Notifications;
//   - time and limits: SetClock, SetRateLimit;
//   - lists: IgnorePaging;
//   - faults, latency and the request log, the same in every fake of the SDK (package
//     usersdktest): FailNext, DropNext, Inject, ClearFaults, SetLatency, Requests,
//     ResetRequests, FaultsInjected.
package extensionusertest

import (
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/usersdktest"
)

// Fault is a failure to inject with Inject: a status (with Retry-After), a reset before
// or after handling, slow bodies, limited to a method, a matcher or a random share.
type Fault = usersdktest.Fault

// Request is a request the server received, as Requests returns it.
type Request = usersdktest.Request

// Notification is the sign-in data the vendor would have e-mailed for a user created with
// email_notify set, as Server.Notifications returns it.
type Notification = clientusertest.Notification

// Server is the fake Telphin server. It wraps a clientusertest.Server and has all its
// methods, which are safe for concurrent use.
type Server struct {
	// URL is the server's base URL, http://127.0.0.1:port, with no trailing slash; BaseURL
	// adds the API's path.
	URL string

	// Server is the fake; its methods (AddExtensionUser, FailNext, ...) are this Server's.
	*clientusertest.Server
}

// The server's paths, the same as package clientusertest's.
const (
	// BasePath is the path prefix of the API: BaseURL is URL + BasePath.
	BasePath = clientusertest.BasePath
	// TokenPath is the path of the OAuth 2.0 token endpoint, at the host's root.
	TokenPath = clientusertest.TokenPath
)

// NewServer starts a fake with generated application credentials (Server.AppID,
// Server.Secret), one client (DefaultClientID) and no users. Close it when done.
func NewServer() *Server {
	srv := clientusertest.NewServer()
	return &Server{URL: srv.URL, Server: srv}
}

// What a new server starts with, the same as package clientusertest's.
const (
	// DefaultClientID is the numeric id of the client "@me" stands for.
	DefaultClientID = clientusertest.DefaultClientID
	// DefaultRateLimit is the hourly request budget of a new server.
	DefaultRateLimit = clientusertest.DefaultRateLimit
	// TokenLifetime is how long an issued token is accepted, and the expires_in the token
	// endpoint reports.
	TokenLifetime = clientusertest.TokenLifetime
)
