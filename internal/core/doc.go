// Package core is the HTTP engine behind every family package: request building, JSON in
// and out, retries, credentials, errors, limits and logging. Family packages hold only what
// is particular to their API (models, paths, auth flow, error body) and call [Client.Do],
// [Call], [List] and [All].
//
// Retry policy (go-retryablehttp drives the loop; the decisions are ours):
//   - GET, HEAD, PUT, DELETE and OPTIONS are retried on 429, 502, 503, 504 and on
//     transport errors.
//   - POST and PATCH are retried only when the request surely did not reach the server
//     (DNS, dial or TLS handshake failure, before any connection was made) and on a 429 or
//     503 that carries Retry-After. A write that failed after it may have reached the server
//     returns an error matching [ErrOutcomeUnknown] and is never retried. A DELETE
//     answered "not found" after an earlier attempt may have taken effect matches it too.
//   - Waits grow exponentially with full jitter. Retry-After (seconds or HTTP date) and, on
//     429, X-RateLimit-Reset are honoured up to the maximum wait; a longer request fails at
//     once with a [*RateLimitError] (429) or an [*APIError] whose RetryAfter says how long.
//   - A cancelled context ends a wait at once. Bodies are drained (bounded) and closed on
//     every path so that connections are reused.
//   - A 401 makes a [Refresher] renew its credential once; the request is then sent once more.
package core
