package telphin

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/usersdk/usersdk-go"
)

func TestParseError(t *testing.T) {
	tests := map[string]struct {
		status        int
		body          string
		message, code string
		rateLimited   bool
	}{
		"recorded 404":       {404, `{"message": "Record not found"}`, "Record not found", "", false},
		"recorded 429":       {429, `{"message": "Stats request already exists, concurrent request not allowed"}`, "Stats request already exists, concurrent request not allowed", "", true},
		"with a code":        {403, `{"message":"Access denied","status":"access_denied"}`, "Access denied", CodeAccessDenied, false},
		"code only":          {404, `{"status":"client_not_found"}`, "", CodeClientNotFound, false},
		"hourly limit":       {429, `{"message":"Request limit exceeded","status":"rate_limit_exceeded"}`, "Request limit exceeded", CodeRateLimitExceeded, true},
		"limit under 403":    {403, `{"status":"rate_limit_exceeded"}`, "", CodeRateLimitExceeded, true},
		"numeric status":     {404, `{"message":"Record not found","status":404}`, "Record not found", "", false},
		"oauth shape":        {401, `{"error":"invalid_token","error_description":"The access token provided has expired"}`, "The access token provided has expired", "invalid_token", false},
		"other shape":        {400, `{"errors":[{"field":"login","message":"is taken"}]}`, "login: is taken", "", false},
		"array":              {400, `["x"]`, "", "", false},
		"message not string": {400, `{"message":{"login":"is taken"}}`, "", "", false},
		"empty object":       {400, `{}`, "", "", false},
		"null":               {400, `null`, "", "", false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := &usersdk.APIError{StatusCode: tt.status, Body: []byte(tt.body)}
			ParseError(e)
			assert.Equal(t, tt.message, e.Message)
			assert.Equal(t, tt.code, e.Code)
			assert.Equal(t, tt.rateLimited, errors.Is(e, usersdk.ErrRateLimited))
		})
	}
}

func FuzzParseError(f *testing.F) {
	for _, s := range []string{`{"message":"m","status":"s"}`, `{"error":"e"}`, `[]`, `{"status":1}`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e := &usersdk.APIError{StatusCode: 400, Body: body}
		ParseError(e) // must not panic on any body
		_ = e.Error()
	})
}
