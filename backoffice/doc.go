// Package backoffice is a client for the users API of the B2Core Back Office
// (/api/v2/users): list, page through, read, create, replace, patch and delete back-office
// users.
//
// Create a client with the installation's base URL and a bearer token, or an
// oauth2.TokenSource that yields one:
//
//	c, err := backoffice.New(
//		backoffice.WithBaseURL("https://bo.example.com"),
//		backoffice.WithToken(os.Getenv("BACKOFFICE_TOKEN")),
//	)
//
// Every method takes a context first and returns typed errors: match them with errors.Is
// (ErrNotFound, ErrConflict, ErrInvalidInput, ...) or errors.As (*APIError,
// *ValidationError, *RateLimitError). Bad input is refused before anything is sent.
//
// What the vendor leaves undocumented is decoded leniently:
//
//   - a list may come as a bare array or wrapped in an object ({"data": [...]}), and a
//     single user bare or wrapped under the same keys ({"data": {...}});
//   - a user's tfa may be a bool or a method ("email", "totp"): see TFA;
//   - a user's groups may be ids or group objects with an id: see GroupIDs;
//   - an error body of any shape is kept whole on APIError.Body, with a message and code
//     picked out when the body has them.
//
// An answer that holds no user (no id) is an error, never an empty User. When Create is
// answered without a body (202 or 204), it reads the new user back by e-mail, inactive
// users included.
//
// Reads and PUT are retried on 429, 502, 503, 504 and network errors; Create and Patch
// are not retried once they may have reached the server, and report ErrOutcomeUnknown
// instead: look the user up by e-mail before trying again. They report it too when the
// write took effect but its answer does not say what was stored.
package backoffice
