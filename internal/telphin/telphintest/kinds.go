package telphintest

import (
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/clientuser/clientusertest"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/extensionuser/extensionusertest"
)

// ClientUser is package clientuser: client-level users, who belong to the client itself.
var ClientUser = Kind[*clientuser.Client, clientuser.User, clientuser.CreateRequest,
	clientuser.UpdateRequest, clientuser.ListOptions, clientuser.Option]{
	Name: "clientuser", Segment: "client", New: clientuser.New,
	Opt: Options[clientuser.Option]{
		BaseURL: clientuser.WithBaseURL, HTTPClient: clientuser.WithHTTPClient, Token: clientuser.WithToken,
		ClientCredentials: clientuser.WithClientCredentials, TokenSource: clientuser.WithTokenSource,
		Logger: clientuser.WithLogger, Retry: clientuser.WithRetry, WithoutRetries: clientuser.WithoutRetries,
		WithoutRateLimit: clientuser.WithoutRateLimitCheck, InsecureHTTP: clientuser.WithInsecureHTTP,
	},
	NewFake:  func() Fake { return clientusertest.NewServer() },
	Required: []string{"login", "name", "password", "email"},
	Add: func(f Fake, u clientuser.User, password string) clientuser.User {
		return f.AddClientUser(u, password)
	},
	Stored: func(f Fake, id int64) (clientuser.User, int64, bool) {
		u, ok := f.ClientUser(id)
		return u, u.ClientID, ok
	},
	Users: func(f Fake) []clientuser.User { return f.ClientUsers() },
}

// ExtensionUser is package extensionuser: users of the client's internal numbers, whose
// create requests also name the number.
var ExtensionUser = Kind[*extensionuser.Client, extensionuser.User, extensionuser.CreateRequest,
	extensionuser.UpdateRequest, extensionuser.ListOptions, extensionuser.Option]{
	Name: "extensionuser", Segment: "extension", New: extensionuser.New,
	Opt: Options[extensionuser.Option]{
		BaseURL: extensionuser.WithBaseURL, HTTPClient: extensionuser.WithHTTPClient, Token: extensionuser.WithToken,
		ClientCredentials: extensionuser.WithClientCredentials, TokenSource: extensionuser.WithTokenSource,
		Logger: extensionuser.WithLogger, Retry: extensionuser.WithRetry, WithoutRetries: extensionuser.WithoutRetries,
		WithoutRateLimit: extensionuser.WithoutRateLimitCheck, InsecureHTTP: extensionuser.WithInsecureHTTP,
	},
	// The wrapper, not clientusertest's server, so that its forwarding is exercised too.
	NewFake: func() Fake { return extensionusertest.NewServer() },
	// An internal number belongs to one client.
	Extra:     map[string]any{"extension_id": 5001},
	Elsewhere: map[string]any{"extension_id": 7001},
	Required:  []string{"extension_id", "login", "name", "password", "email"},
	// Users are added under the owner's client (0).
	Add: func(f Fake, u extensionuser.User, password string) extensionuser.User {
		return f.AddExtensionUser(0, u, password)
	},
	Stored: func(f Fake, id int64) (extensionuser.User, int64, bool) { return f.ExtensionUser(id) },
	Users:  func(f Fake) []extensionuser.User { return f.ExtensionUsers() },
}
