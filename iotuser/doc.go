// Package iotuser is a client for the user API of a DeviceHive IoT server (/user): list,
// count, page through, read, create, update and delete users, the current user, and the
// networks and device types a user may reach.
//
// Create a client with the server's base URL and a login, or tokens kept from an earlier
// session:
//
//	c, err := iotuser.New(
//		iotuser.WithBaseURL("https://dh.example.com/dh/rest"),
//		iotuser.WithAuthURL("https://dh.example.com:8090/dh/rest"), // the auth service
//		iotuser.WithLogin("admin", os.Getenv("DH_PASSWORD")),
//	)
//
// # Auth service
//
// Current DeviceHive servers (devicehive-java-server) issue tokens only from a separate
// auth service, by default on port 8090 of the same host with the same path
// (http://host:8090/dh/rest beside the API's http://host:8080/dh/rest); the API's
// frontend has no /token. Set WithAuthURL to it. Without WithAuthURL the client asks
// the base URL, which works only where a proxy routes {base}/token to the auth service
// (devicehive-docker's proxy does, for /api/rest/token). When the token endpoint answers
// 404, the call fails with a *NoTokenServiceError that says so and, without WithAuthURL,
// suggests the port-8090 URL. It matches ErrUnauthorized, never ErrNotFound, so that a
// missing token service is not read as a missing user.
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
// A failed login or refresh fails the call with an *AuthError wrapping the token
// service's answer. Token requests create nothing, so they never match
// ErrOutcomeUnknown.
//
// Create may fail after the request reached the server; the error then matches
// ErrOutcomeUnknown: look the user up by login before creating it again. That is the case
// for a lost answer, a 502 or 504, any other 5xx (but 501 and 503) whose body is not
// DeviceHive's own error object (an HTML page from a proxy, an empty body), and a 2xx
// answer that holds no user with an id. A 5xx carrying DeviceHive's
// {"error": <number>, "message": "..."} was a refusal by the server itself: a plain
// *APIError. Get and GetCurrent refuse an answer without a user id too.
//
// # Gotchas the client handles or documents
//
//   - Timestamps come without a zone ("2018-02-20T14:10:15.123", UTC); Time decodes them.
//   - List without Take returns every user at once; All always pages with take and skip.
//   - Create's answer lacks login, role and status; Create fills them in from the request,
//     the login trimmed as the server stores it (spaces and control characters at either
//     end removed).
//   - The server asks for no old password when a user changes its own: its update has no
//     such field, whatever the docs say.
//   - Update and UpdateCurrent clear the user's data unless UpdateRequest.Data is set: see
//     Update for the safe read-modify-write.
//
// Reads, PUT, DELETE and the token requests (login and refresh, which create nothing) are
// retried on 429, 502, 503, 504 and network errors; Create is not retried once it may have
// reached the server.
package iotuser
