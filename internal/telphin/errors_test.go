package telphin

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/usersdk/usersdk-go"
)

// parsed is what ParseError makes of a body: the message, the code, whether the error
// then matches ErrRateLimited, and whether the body proves Telphin answered.
type parsed struct {
	message, code       string
	rateLimited, vendor bool
}

func TestParseError(t *testing.T) {
	tests := map[string]struct {
		status int
		body   string
		want   parsed
	}{
		"recorded 404":       {404, `{"message": "Record not found"}`, parsed{"Record not found", "", false, false}},
		"recorded 429":       {429, `{"message": "Stats request already exists, concurrent request not allowed"}`, parsed{"Stats request already exists, concurrent request not allowed", "", true, false}},
		"with a code":        {403, `{"message":"Access denied","status":"access_denied"}`, parsed{"Access denied", CodeAccessDenied, false, true}},
		"code only":          {404, `{"status":"client_not_found"}`, parsed{"", CodeClientNotFound, false, true}},
		"hourly limit":       {429, `{"message":"Request limit exceeded","status":"rate_limit_exceeded"}`, parsed{"Request limit exceeded", CodeRateLimitExceeded, true, true}},
		"limit under 403":    {403, `{"status":"rate_limit_exceeded"}`, parsed{"", CodeRateLimitExceeded, true, true}},
		"numeric status":     {404, `{"message":"Record not found","status":404}`, parsed{"Record not found", "", false, false}},
		"oauth shape":        {401, `{"error":"invalid_token","error_description":"The access token provided has expired"}`, parsed{"The access token provided has expired", "invalid_token", false, true}},
		"oauth text only":    {400, `{"error_description":"expired"}`, parsed{"expired", "", false, false}},
		"gateway's 500":      {500, `{"message":"Internal server error"}`, parsed{"Internal server error", "", false, false}},
		"other shape":        {400, `{"errors":[{"field":"login","message":"is taken"}]}`, parsed{"login: is taken", "", false, false}},
		"array":              {400, `["x"]`, parsed{}},
		"message not string": {400, `{"message":{"login":"is taken"}}`, parsed{}},
		"empty object":       {400, `{}`, parsed{}},
		"null":               {400, `null`, parsed{}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := &usersdk.APIError{StatusCode: tt.status, Body: []byte(tt.body)}
			vendor := ParseError(e)
			assert.Equal(t, tt.want, parsed{e.Message, e.Code, errors.Is(e, usersdk.ErrRateLimited), vendor})
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
