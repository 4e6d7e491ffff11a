// Package telphin holds what the two Telphin user packages, clientuser and extensionuser,
// share beyond internal/core: the access and status enumerations and the "@me" client id,
// the auth options and the OAuth 2.0 client-credentials flow, the parsing of Telphin's error
// bodies, and the five user endpoints, which differ between the packages only in the
// path segment after /user/ and in the models. The public packages alias the types and
// re-declare the constants, so a value from one works in the other.
package telphin

// Me is the client id that stands for the client of the token's owner.
const Me = "@me"

// Access is the type of access a user has to the resources it is attached to.
type Access string

// Access types.
const (
	// AccessFull allows reading and changing settings.
	AccessFull Access = "full"
	// AccessReadOnly allows reading settings but not changing them.
	AccessReadOnly Access = "read_only"
)

// Status says whether a user may sign in.
type Status string

// User statuses.
const (
	// StatusActive is a user that may sign in.
	StatusActive Status = "active"
	// StatusBlocked is a user that may not sign in.
	StatusBlocked Status = "blocked"
)
