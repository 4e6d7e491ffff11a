package usersdk

import (
	"context"
	"net/http"
)

// Response is what a call's final answer said besides its result: status, headers,
// request id, rate limit and how many times the request was sent. Capture it with
// WithResponse; method signatures stay as they are.
type Response struct {
	// StatusCode is the final answer's status; 0 when no answer arrived.
	StatusCode int
	// Header is the final answer's header.
	Header http.Header
	// RequestID is the server's request id header (X-Request-Id and the like), if any.
	RequestID string
	// RateLimit is the final answer's X-RateLimit-* values; HasRateLimit says whether it
	// carried any.
	RateLimit    RateLimit
	HasRateLimit bool
	// Attempts is how many times the request was sent, retries included.
	Attempts int
}

type responseKey struct{}

// WithResponse returns a context that makes a call made with it fill *r with its final
// answer: after retries and credential refreshes, the answer the result (or error) came
// from. Use a new context (or a new Response) per call; a call that sends several
// requests (All, a create that reads the user back) leaves the last one.
func WithResponse(ctx context.Context, r *Response) context.Context {
	return context.WithValue(ctx, responseKey{}, r)
}

// ResponseFrom returns the *Response registered with WithResponse, or nil.
func ResponseFrom(ctx context.Context) *Response {
	r, _ := ctx.Value(responseKey{}).(*Response)
	return r
}
