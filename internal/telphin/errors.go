package telphin

import (
	"encoding/json"
	"time"

	"github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// Error codes Telphin sends in the "status" member of an error body.
const (
	CodeAccessDenied       = "access_denied"         // 403
	CodeUserBlocked        = "user_blocked"          // 403
	CodeUserAccessTypeDeny = "user_access_type_deny" // 403: the user's access type forbids it
	CodeAppAccessTypeDeny  = "app_access_type_deny"  // 403: the application's type forbids it
	CodeClientNotFound     = "client_not_found"      // 404
	CodeRateLimitExceeded  = "rate_limit_exceeded"   // 429: the hourly budget is spent
)

// ParseError reads Telphin's error body, {"message": "...", "status": "<code>"}, into
// e.Message and e.Code. An OAuth-style body ({"error": ..., "error_description": ...}) is
// read too, and any other shape is left to core.ParseCommonError. A rate_limit_exceeded
// code matches ErrRateLimited whatever the status.
//
// It reports whether the body carried a Telphin status code, or an OAuth error code in a
// body without a message, which proves that Telphin itself answered. A bare {"message": "..."} does not: gateways in front of an
// API send that shape too, so a write answered 5xx with it may still have taken effect.
func ParseError(e *usersdk.APIError) bool {
	var body struct {
		Message          json.RawMessage `json:"message"`
		Status           json.RawMessage `json:"status"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription json.RawMessage `json:"error_description"`
	}
	if json.Unmarshal(e.Body, &body) != nil {
		return core.ParseCommonError(e)
	}
	// A numeric status is the HTTP status repeated, not a code.
	msg, code := str(body.Message), str(body.Status)
	if msg == "" && code == "" {
		msg, code = str(body.ErrorDescription), str(body.Error)
	}
	if msg == "" && code == "" {
		return core.ParseCommonError(e)
	}
	e.Message, e.Code = msg, code
	if code == CodeRateLimitExceeded {
		core.AlsoMatches(e, usersdk.ErrRateLimited)
	}
	return code != ""
}

// str returns a JSON string's value, "" for anything else.
func str(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// HardRateLimit reports whether a 429 says the client's hourly budget is spent
// (rate_limit_exceeded): the server then refuses every call until the next hour, so a
// retry only burns calls. reset is the start of the next hour, an estimate for answers
// without X-RateLimit-Reset.
func HardRateLimit(e *usersdk.APIError, now time.Time) (reset time.Time, hard bool) {
	if e.Code != CodeRateLimitExceeded {
		return time.Time{}, false
	}
	return now.Truncate(time.Hour).Add(time.Hour), true
}
