// Package accountuser is a client for the "User Management" functions of the Revive
// Adserver REST API: list the users of an account, and read, add, modify and delete users.
// ("Account" is Revive's newer word for what older versions call an agency.)
//
// Every installation serves the API at its own address, with HTTP Basic credentials of a
// Revive user, so both are required:
//
//	c, err := accountuser.New(
//		accountuser.WithBaseURL("https://revive.example.com/api"),
//		accountuser.WithBasicAuth(os.Getenv("REVIVE_USER"), os.Getenv("REVIVE_PASSWORD")),
//	)
//
// # On the wire
//
// The defaults follow the vendor's User Management page, and an option changes each where
// installations differ:
//
//   - ListByAccount reads /usr/acc/{accountId}, the path of the page's current revision
//     and of its example. WithPubListPath reads /pub/usr/acc/{accountId} instead, the
//     "implementation" path of an older revision, for an installation that serves the
//     list only there; a 404 that is not Revive's error object means the path is wrong,
//     and ListByAccount's error then names the other path.
//   - Create (/usr/new) and Update (/usr/{userId}) are sent with POST; WithPUT sends PUT,
//     which the vendor accepts too.
//   - Request bodies are JSON sent as text/javascript, as in the vendor's examples;
//     WithJSONContentType sends application/json.
//
// The API sends numbers as JSON strings ({"userId":"21","active":"1"}) and "password"
// as null. ID decodes 21 and "21", Active decodes 0/1, "0"/"1" and false/true, and User has
// no password field. Requests send ids and the active flag as numbers.
//
// # Errors
//
// Errors are typed: match them with errors.Is (ErrNotFound, ErrInvalidInput, ...) or
// errors.As (*APIError, *ValidationError). Revive's error body,
// {"error": {"type": "Exception", "message": "Unknown userId Error"}}, gives
// APIError.Code ("Exception") and APIError.Message. The vendor documents no status
// codes, and Revive, being PHP, may send its error object with status 200: any 2xx
// answer whose body is that object is returned as an *APIError that keeps the 2xx
// status, never as an empty user. "Unknown userId Error" matches ErrNotFound whatever
// the status. Create checks its five required fields, and every method its ids, before
// anything is sent.
//
// Delete takes any 2xx answer but the error object as success, including the text
// {"OK"}, which is not JSON. Update returns the user when the answer is one and
// otherwise reads it back with Get (see Update): it never returns a nil user without an
// error.
//
// Reads, deletes and Updates sent with PUT are retried on 429, 502, 503, 504 and network
// errors. A Create, whether sent with POST or PUT, and an Update sent with POST are never
// resent once they may have reached the server; such a failure matches
// ErrOutcomeUnknown, and so does a Create whose 2xx answer is not the new user: look the
// user up by username before creating it again. A 5xx answer whose body is Revive's error
// object (an "error" object with a string "type" or "message") is the application
// refusing the write: it is an *APIError that does not match ErrOutcomeUnknown. A 502 or
// 504, whatever its body, and any other 5xx with another body (a proxy's HTML page, an
// empty body) still match it.
package accountuser
