package core

import (
	"strings"

	usersdk "github.com/usersdk/usersdk-go"
)

// The error types and sentinels live in the root package, where users find them; these
// aliases keep the core's code short.
type (
	APIError            = usersdk.APIError
	RateLimitError      = usersdk.RateLimitError
	ValidationError     = usersdk.ValidationError
	OutcomeUnknownError = usersdk.OutcomeUnknownError
	RequestError        = usersdk.RequestError
	AuthError           = usersdk.AuthError
	RateLimit           = usersdk.RateLimit
)

// Sentinels; see the root package.
var (
	ErrNotFound         = usersdk.ErrNotFound
	ErrUnauthorized     = usersdk.ErrUnauthorized
	ErrForbidden        = usersdk.ErrForbidden
	ErrConflict         = usersdk.ErrConflict
	ErrRateLimited      = usersdk.ErrRateLimited
	ErrInvalidInput     = usersdk.ErrInvalidInput
	ErrOutcomeUnknown   = usersdk.ErrOutcomeUnknown
	ErrResponseTooLarge = usersdk.ErrResponseTooLarge
)

// maxErrorBody bounds how much of an error answer is read and kept.
const maxErrorBody = 64 << 10

// AlsoMatches makes e match sentinel with errors.Is besides the sentinel of its status.
// Family error parsers use it where a vendor signals a condition with another status
// (a taken login answered with 403, say).
func AlsoMatches(e *APIError, sentinel error) { e.Also = append(e.Also, sentinel) }

// Invalid returns a *ValidationError for the field.
func Invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// Required returns a *ValidationError when value is empty.
func Required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return Invalid(field, "is required")
	}
	return nil
}
