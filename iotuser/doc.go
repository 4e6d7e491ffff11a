// Package iotuser is a client for the user API of a DeviceHive IoT server (/user): list,
// count, page through, read, create, update and delete users, the current user, and the
// networks and device types a user may reach.
//
// Create a client with the server's base URL and a login, or tokens kept from an earlier
// session:
//
//	c, err := iotuser.New(
//		iotuser.WithBaseURL("https://dh.example.com/dh/rest"),
//		iotuser.WithAuthURL("https://dh.example.com:8090/dh/rest"), // when the token service runs apart
//		iotuser.WithLogin("admin", os.Getenv("DH_PASSWORD")),
//	)
//
// # Session
//
// DeviceHive authenticates with JSON Web Tokens: a login (POST {auth}/token) yields an
// access token (30 minutes by default) and a refresh token (about half a year); POST
// {auth}/token/refresh trades the refresh token for a new access token. The client keeps
// this session for you:
//
//   - It logs in on the first request when it has no access token.
//   - An access token whose "e" claim says it expires within a minute is renewed before
//     it is sent.
//   - On a 401 ("Token expired", say) it renews the token and sends the request once
//     more. Renewal uses the refresh token; if the token service rejects it and a login is
//     known, the client logs in again. If both fail, the call returns an error matching
//     ErrUnauthorized after at most four requests (the call, refresh, login, the call
//     again).
//   - Any number of concurrent requests share one renewal.
//
// Client.Tokens returns the current tokens and WithTokenCallback reports each change, so
// that a program can persist them and resume with WithTokens instead of logging in.
//
// # Errors
//
// Every method takes a context first and returns typed errors: match them with errors.Is
// (ErrNotFound, ErrForbidden, ErrConflict, ErrInvalidInput, ErrUnauthorized, ...) or
// errors.As (*APIError, *ValidationError). DeviceHive's error body,
// {"error": <status>, "message": "..."}, gives APIError.Message; APIError.Code is set only
// when the number in the body differs from the HTTP status. A taken login is answered
// with 403, and that error matches ErrConflict too. Bad input (a login over 128
// characters, a password shorter than 6, an id of 0) is refused before anything is sent.
//
// # Gotchas the client handles or documents
//
//   - Timestamps come without a zone ("2018-02-20T14:10:15.123", UTC); Time decodes them.
//   - List without Take returns every user at once; All always pages with take and skip.
//   - Create's answer lacks login, role and status; Create fills them in from the request.
//   - Update and UpdateCurrent clear the user's data unless UpdateRequest.Data is set: see
//     Update for the safe read-modify-write.
//
// Reads, PUT and DELETE are retried on 429, 502, 503, 504 and network errors; Create is
// not retried once it may have reached the server and reports ErrOutcomeUnknown instead.
package iotuser
