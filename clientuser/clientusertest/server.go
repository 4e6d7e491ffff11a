// Package clientusertest is an in-memory fake of Telphin's user API, for testing code that
// uses package clientuser without a real server. The same server also serves the
// internal-number-level users of package extensionuser, so both clients can point at one:
//
//	srv := clientusertest.NewServer()
//	defer srv.Close()
//	cu, err := clientuser.New(
//		clientuser.WithBaseURL(srv.BaseURL()), // srv.URL + "/api/ver1.0"
//		clientuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	eu, err := extensionuser.New(
//		extensionuser.WithBaseURL(srv.BaseURL()),
//		extensionuser.WithClientCredentials(srv.AppID(), srv.Secret()),
//	)
//	u, err := cu.Create(ctx, clientuser.Me, &clientuser.CreateRequest{
//		Login: "auditor", Name: "Olga", Password: "pw", Email: "olga@example.com"})
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
// query keys are 400.
//
// Knobs (methods of Server):
//   - credentials and tokens: AppID, Secret, SetCredentials, IssueToken, ExpireTokens,
//     TokenRequests, OmitExpiresIn, BaseURL, TokenURL;
//   - clients and users: ClientID ("@me"), AddClient, AddForbiddenClient (403),
//     AddClientUser, AddExtensionUser, ClientUsers, ExtensionUsers, ClientUser,
//     ExtensionUser, Password, Notifications;
//   - time and limits: SetClock, SetRateLimit;
//   - lists: IgnorePaging, to answer the whole list whatever page and per_page say, as a
//     server that does not page the user lists would;
//   - faults, latency and the request log: FailNext, DropNext, Inject, ClearFaults,
//     SetLatency, Requests, ResetRequests, FaultsInjected.
package clientusertest

import (
	"github.com/usersdk/usersdk-go/internal/fakeserver"
	"github.com/usersdk/usersdk-go/internal/telphinfake"
)

// Server is the fake Telphin server; its knobs are listed in the package doc. It is the
// same type as extensionusertest.Server.
type Server = telphinfake.Server

// Fault is a failure to inject with Server.Inject.
type Fault = fakeserver.Fault

// Request is a request the server received, as Server.Requests returns it.
type Request = fakeserver.Request

// Notification is the sign-in data the vendor would have e-mailed for a user created with
// email_notify set, as Server.Notifications returns it.
type Notification = telphinfake.Notification

// DefaultClientID is the numeric id of the client "@me" stands for.
const DefaultClientID = telphinfake.DefaultClientID

// NewServer starts a fake with generated application credentials (Server.AppID,
// Server.Secret), one client (DefaultClientID) and no users. Close it when done.
func NewServer() *Server { return telphinfake.NewServer() }
