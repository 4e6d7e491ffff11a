package usersdk

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAuthErrorDoesNotLendTheTokenEndpointsStatus(t *testing.T) {
	for status, want := range map[int][]error{
		404: nil,
		400: {ErrUnauthorized},
		401: {ErrUnauthorized},
		403: {ErrUnauthorized},
		429: {ErrRateLimited},
		500: nil,
	} {
		endpoint := &APIError{StatusCode: status, Method: "POST", URL: "https://api.test/oauth/token"}
		// The answer as the SDK's own token fetch returns it, and as a token source of the
		// caller's may wrap it.
		for name, cause := range map[string]error{
			"bare":    endpoint,
			"wrapped": fmt.Errorf("token source: %w", endpoint),
			"429":     &RateLimitError{APIError: endpoint},
		} {
			if name == "429" && status != 429 {
				continue
			}
			t.Run(fmt.Sprint(status, "/", name), func(t *testing.T) {
				err := fmt.Errorf("GET /users: %w", &AuthError{Err: cause})
				for _, s := range []error{ErrNotFound, ErrUnauthorized, ErrForbidden, ErrConflict, ErrRateLimited, ErrInvalidInput, ErrOutcomeUnknown} {
					wantIt := false
					for _, w := range want {
						wantIt = wantIt || w == s
					}
					assert.Equal(t, wantIt, errors.Is(err, s), "%v", s)
				}
				var got *APIError
				assert.True(t, errors.As(err, &got), "the endpoint's answer stays reachable")
				assert.Same(t, endpoint, got)
			})
		}
	}
}

// explained is a token source's own error that explains an endpoint's answer, as
// iotuser's NoTokenServiceError does: it matches ErrUnauthorized and hands out the answer
// only through As.
type explained struct{ answer *APIError }

func (e explained) Error() string        { return "no token service" }
func (e explained) Is(target error) bool { return target == ErrUnauthorized }
func (e explained) As(target any) bool   { *target.(**APIError) = e.answer; return true }

func TestAuthErrorMatchesWhatTheCauseMatchesShortOfTheAnswer(t *testing.T) {
	answer := &APIError{StatusCode: 404, Method: "POST", URL: "https://api.test/token"}
	err := &AuthError{Err: fmt.Errorf("token: %w", explained{answer})}
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.NotErrorIs(t, err, ErrNotFound)

	joined := &AuthError{Err: errors.Join(context.DeadlineExceeded, answer)}
	assert.ErrorIs(t, joined, context.DeadlineExceeded)
	assert.NotErrorIs(t, joined, ErrNotFound)
	var got *APIError
	assert.ErrorAs(t, joined, &got)
}

func TestAuthErrorUnwrapsATransportCause(t *testing.T) {
	err := &AuthError{Err: fmt.Errorf("token: %w", context.DeadlineExceeded)}
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrUnauthorized)
}

func TestErrorTextsShowThePathWithoutQuery(t *testing.T) {
	e := &APIError{StatusCode: 404, Method: "GET", URL: "https://api.test/api/v2/users/7?token=REDACTED"}
	assert.Equal(t, "GET /api/v2/users/7: 404 Not Found", e.Error())
	r := &RequestError{Method: "GET", URL: "https://api.test/x?y=1", Attempts: 2, Err: errors.New("reset")}
	assert.Equal(t, "GET /x: reset (after 2 attempts)", r.Error())
	o := &OutcomeUnknownError{Method: "POST", URL: "https://api.test", Err: errors.New("reset")}
	assert.Equal(t, "POST /: outcome unknown, the request may have reached the server: reset", o.Error())
}
