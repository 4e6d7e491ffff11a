// Package telphin holds what the two Telphin user packages, clientuser and extensionuser,
// share: the access and status enumerations and the "@me" client id. The public packages
// alias these types and re-declare the constants, so a value from one works in the other.
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
