package telphin

import (
	"encoding/json"

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
func ParseError(e *core.APIError) {
	var body struct {
		Message          json.RawMessage `json:"message"`
		Status           json.RawMessage `json:"status"`
		Error            json.RawMessage `json:"error"`
		ErrorDescription json.RawMessage `json:"error_description"`
	}
	if json.Unmarshal(e.Body, &body) != nil {
		core.ParseCommonError(e)
		return
	}
	// A numeric status is the HTTP status repeated, not a code.
	msg, code := str(body.Message), str(body.Status)
	if msg == "" && code == "" {
		msg, code = str(body.ErrorDescription), str(body.Error)
	}
	if msg == "" && code == "" {
		core.ParseCommonError(e)
		return
	}
	e.Message, e.Code = msg, code
	if code == CodeRateLimitExceeded {
		core.AlsoMatches(e, core.ErrRateLimited)
	}
}

// str returns a JSON string's value, "" for anything else.
func str(raw json.RawMessage) string {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
