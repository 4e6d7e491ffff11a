package usersdk

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/usersdk/usersdk-go/internal/urlpath"
	"golang.org/x/oauth2"
)

// Sentinel errors matched with errors.Is. Each is matched by the error that carries the
// detail (*APIError, *ValidationError, ...), so nothing is lost by testing for them.
var (
	// ErrNotFound matches a 404 answer.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized matches a 401 answer that a credential refresh did not cure, and a
	// token endpoint that refused the credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden matches a 403 answer.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict matches a 409 answer, such as a login that is already taken.
	ErrConflict = errors.New("conflict")
	// ErrRateLimited matches a 429 answer, and a call held back because the rate limit
	// is known to be spent.
	ErrRateLimited = errors.New("rate limited")
	// ErrInvalidInput matches input refused before sending (*ValidationError) and
	// 400 or 422 answers.
	ErrInvalidInput = errors.New("invalid input")
	// ErrOutcomeUnknown matches a write that is not safe to repeat (a POST or PATCH, or
	// accountuser's create sent as PUT) that failed after it may have reached the server:
	// it may or may not have taken effect. Look the object up by its unique key before
	// trying again. It also matches a DELETE answered "not found" (with ErrNotFound)
	// after an earlier attempt of the same call may have deleted the object.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrResponseTooLarge matches a response body larger than the client's limit.
	ErrResponseTooLarge = errors.New("response body too large")
)

// APIError is a non-2xx answer from the server (or, for Revive, a 2xx answer carrying
// its error object).
type APIError struct {
	// StatusCode is the HTTP status of the last answer.
	StatusCode int
	// Code is the vendor's machine-readable error code, if its body has one.
	Code string
	// Message is the vendor's human-readable message, if its body has one.
	Message string
	// RequestID is the server's request id header, if it sent one.
	RequestID string
	// Method and URL identify the request; the URL's credential-like query values are
	// redacted.
	Method string
	URL    string
	// Attempts is how many times the request was sent; 0 when it was held back (see
	// RateLimitError).
	Attempts int
	// RetryAfter is how long the server asked the client to wait, if it did.
	RetryAfter time.Duration
	// Body is the raw answer body, at most 64 KiB, with any secret the request carried
	// replaced.
	Body []byte
	// ContentType is the answer's media type.
	ContentType string
	// OutcomeUnknown is set when the request was a write and this answer does not prove
	// it was refused: a 502 or 504 from a gateway, or a 5xx whose body is not the
	// vendor's own error object. It is also set on a DELETE's "not found" when an earlier
	// attempt of the call may have deleted the object (its answer was lost, or a
	// gateway's). The error then matches ErrOutcomeUnknown.
	OutcomeUnknown bool
	// Also lists sentinels the answer matches besides the one of its status: vendors
	// signal some conditions with another status (DeviceHive refuses a taken login with
	// 403, which then matches ErrConflict too).
	Also []error
}

// Error names the method, path and status, and the vendor's message when there is one.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(urlpath.Of(e.URL))
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case len(e.Body) > 0 && len(e.Body) <= 200 && utf8.Valid(e.Body) && !strings.Contains(e.ContentType, "html"):
		b.WriteString(": ")
		b.WriteString(strings.TrimSpace(string(e.Body)))
	case len(e.Body) > 0:
		fmt.Fprintf(&b, " (%d-byte %s body)", len(e.Body), orUnknown(e.ContentType))
	}
	if e.Code != "" {
		b.WriteString(" [")
		b.WriteString(e.Code)
		b.WriteByte(']')
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.OutcomeUnknown {
		b.WriteString("; the write may have taken effect")
	}
	return b.String()
}

// Is matches the sentinel for the status code, ErrOutcomeUnknown when OutcomeUnknown is
// set, and any sentinel in Also.
func (e *APIError) Is(target error) bool {
	for _, s := range e.Also {
		if s == target {
			return true
		}
	}
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrInvalidInput:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity
	case ErrOutcomeUnknown:
		return e.OutcomeUnknown
	}
	return false
}

// RateLimitError is a 429 answer, returned at once, without waiting, when the server asks
// for a longer wait than the client's maximum retry wait or says the budget is spent until
// a reset. It is also what a call gets, with Attempts 0 and nothing sent, while an earlier
// answer's rate limit is known to be spent (see WithoutRateLimitCheck in each package).
type RateLimitError struct {
	*APIError
	// Reset is when requests will be accepted again: the server's X-RateLimit-Reset or
	// Retry-After, or the family's estimate when it sent neither (Telphin: the start of
	// the next hour). Zero when nothing is known.
	Reset time.Time
	// Limit and Remaining are the server's X-RateLimit-Limit and -Remaining, -1 when absent.
	Limit, Remaining int
}

// Error adds the reset time to the API error's text.
func (e *RateLimitError) Error() string {
	if e.Reset.IsZero() {
		return e.APIError.Error()
	}
	return e.APIError.Error() + "; retry after " + e.Reset.UTC().Format(time.RFC3339)
}

// Unwrap returns the underlying *APIError.
func (e *RateLimitError) Unwrap() error { return e.APIError }

// ValidationError is input refused before any request was sent.
type ValidationError struct {
	// Field is the JSON (or query) name of the offending field.
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the field and the reason.
func (e *ValidationError) Error() string {
	return "invalid input: " + e.Field + ": " + e.Reason
}

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

// OutcomeUnknownError is a write that failed without an answer after it may have reached
// the server, or whose successful answer could not be read.
type OutcomeUnknownError struct {
	// Method and URL identify the request (credential-like query values redacted).
	Method, URL string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the transport failure.
	Err error
}

// Error says the write may have taken effect, and why the client cannot tell.
func (e *OutcomeUnknownError) Error() string {
	return e.Method + " " + urlpath.Of(e.URL) + ": outcome unknown, the request may have reached the server: " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// RequestError is a request that failed without an answer from the server
// (connection refused, reset, timeout, cancelled context).
type RequestError struct {
	// Method and URL identify the request (credential-like query values redacted).
	Method, URL string
	// Attempts is how many times the request was sent.
	Attempts int
	// Err is the cause; errors.Is(err, context.Canceled) and the like see through it.
	Err error
	// Last is the last answer before the failure (a retried 503, say), or nil.
	Last *APIError
}

// Error names the method, path and cause.
func (e *RequestError) Error() string {
	s := e.Method + " " + urlpath.Of(e.URL) + ": " + e.Err.Error()
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.Last != nil {
		s += fmt.Sprintf("; last answer: %d %s", e.Last.StatusCode, http.StatusText(e.Last.StatusCode))
	}
	return s
}

// Unwrap returns the cause and, when there was one, the last answer.
func (e *RequestError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

// AuthError is a failure to obtain credentials: a token endpoint that refused or failed.
// The token endpoint's answer, when there was one, is reachable with errors.As as an
// *APIError, but its status does not speak for the call: a 404 from a token endpoint does
// not make a Get match ErrNotFound. It matches ErrUnauthorized when the endpoint refused
// the credentials and ErrRateLimited when it answered 429.
type AuthError struct {
	// Err is why: the token endpoint's *APIError, a transport failure, or a refused
	// configuration.
	Err error
}

// Error says credentials could not be obtained, and why.
func (e *AuthError) Error() string { return "obtaining credentials: " + e.Err.Error() }

// Unwrap returns the cause, unless the cause holds a token endpoint's answer (itself or
// wrapped by a token source), whose status sentinels would be mistaken for the call's own.
// errors.As still finds that answer, through As.
func (e *AuthError) Unwrap() error {
	var answer *APIError
	if errors.As(e.Err, &answer) {
		return nil
	}
	return e.Err
}

// As finds target in the cause, the token endpoint's *APIError included.
func (e *AuthError) As(target any) bool { return errors.As(e.Err, target) }

// Is matches ErrUnauthorized when the token endpoint refused the credentials (400, 401 or
// 403: OAuth answers a bad client or grant with 400 or 401), ErrRateLimited on 429, and
// what the cause matches short of the token endpoint's answer.
func (e *AuthError) Is(target error) bool {
	if causeIs(e.Err, target) {
		return true
	}
	if target != ErrUnauthorized && target != ErrRateLimited {
		return false
	}
	var s int
	var re *oauth2.RetrieveError
	var ae *APIError
	switch {
	case errors.As(e.Err, &ae):
		s = ae.StatusCode
	case errors.As(e.Err, &re) && re.Response != nil:
		s = re.Response.StatusCode
	}
	if target == ErrRateLimited {
		return s == http.StatusTooManyRequests
	}
	return s == http.StatusUnauthorized || s == http.StatusBadRequest || s == http.StatusForbidden
}

// causeIs is errors.Is that does not look into a token endpoint's answer: it stops at an
// *APIError or *RateLimitError, whose status is not the call's.
func causeIs(err, target error) bool {
	for err != nil {
		switch err.(type) {
		case *APIError, *RateLimitError:
			return false
		}
		if err == target {
			return true
		}
		if m, ok := err.(interface{ Is(error) bool }); ok && m.Is(target) {
			return true
		}
		switch w := err.(type) {
		case interface{ Unwrap() error }:
			err = w.Unwrap()
		case interface{ Unwrap() []error }:
			for _, e := range w.Unwrap() {
				if causeIs(e, target) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

func orUnknown(ct string) string {
	if ct == "" {
		return "untyped"
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return ct
}
