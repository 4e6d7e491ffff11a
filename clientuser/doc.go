// Package clientuser is a client for Telphin's client-level users (/user/client/): list,
// read, create, update and delete the users who have access to the settings and
// resources of one Telphin client, with full or read-only access.
//
// Create a client with the credentials of a trusted Telphin application, a token source
// or a fixed token:
//
//	c, err := clientuser.New(clientuser.WithClientCredentials(appID, secret))
//	u, err := c.Get(ctx, clientuser.Me, 101)
//
// Every method takes a context and the client id: the numeric id of a client as a string,
// or Me ("@me") for the client of the token's owner. It is escaped as one path segment, so
// no value can reach another path.
//
// Tokens are fetched with the client_credentials grant from /oauth/token on the base URL's
// host, cached, and replaced shortly before they expire; Telphin may issue tokens without
// expires_in, which are kept until the server rejects them. On a 401 the token is dropped
// and the request is sent once more with a new one (one fetch for any number of rejected
// requests); a second 401 is returned and matches ErrUnauthorized. A failure of the token
// endpoint is an *AuthError, without the secret in its text. To serve this package and
// extensionuser with one token, pass Client.TokenSource to extensionuser.WithTokenSource.
//
// Errors match sentinels with errors.Is (ErrNotFound, ErrForbidden, ErrInvalidInput, ...)
// and keep their detail in *APIError: Telphin's "message" in Message and its "status" code
// (access_denied, client_not_found, rate_limit_exceeded, ...) in Code. Missing required
// fields and empty ids are refused before anything is sent.
//
// Telphin limits requests per client and per hour. A 429 is a *RateLimitError. One whose
// status is rate_limit_exceeded means the hour's budget is spent: it is returned at once,
// never retried, with Reset from X-RateLimit-Reset or, without that header, the start of
// the next hour (an estimate). Once an answer says X-RateLimit-Remaining: 0, later calls
// fail at once, sent to nobody, until the reset; WithoutRateLimitCheck turns this off.
// Other 429s are retried unless the server's wait is beyond the longest retry wait (30 s
// by default, see WithRetry). Client.RateLimit reports the last X-RateLimit-* values
// seen. Reads, updates and deletes are retried on 429, 502, 503, 504 and network errors;
// Create is not retried once it may have reached the server, and reports
// ErrOutcomeUnknown instead. A 5xx answer carrying Telphin's error body with a code
// ({"message": ..., "status": "<code>"}, or OAuth's {"error": ...} without a message) is
// the server refusing the request: it does not match ErrOutcomeUnknown, except for 502
// and 504, which come from a gateway. A bare {"message": ...} is no proof, since gateways
// send that shape too.
//
// The vendor documents no paging for the user lists. ListOptions.Page and PerPage send
// page and per_page, as Telphin's other lists take them, and All pages with them without
// relying on them: it stops as soon as the server shows it ignores them, and never loops.
package clientuser

//go:generate go run ../internal/gen -pkg clientuser -redact CreateRequest,UpdateRequest -telphin client
