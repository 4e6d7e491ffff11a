// Package tour holds the walk-throughs that the example programs run: one per API, each
// against a real server when its environment variables are set and against the SDK's
// in-memory fake otherwise.
package tour

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Env reads configuration; os.Getenv in the programs, a map in tests.
type Env func(string) string

// Step prints one numbered line of the tour.
type Step struct {
	w io.Writer
	n int
}

// NewStep starts a tour section with a title.
func NewStep(w io.Writer, title string) *Step {
	fmt.Fprintf(w, "\n== %s\n", title)
	return &Step{w: w}
}

// Printf prints the next step.
func (s *Step) Printf(format string, args ...any) {
	s.n++
	fmt.Fprintf(s.w, "%2d. "+format+"\n", append([]any{s.n}, args...)...)
}

// Note prints an indented remark under the last step.
func (s *Step) Note(format string, args ...any) {
	fmt.Fprintf(s.w, "    "+format+"\n", args...)
}

// uniqueSuffix makes names that do not collide with what a real server already holds.
func uniqueSuffix() string { return fmt.Sprintf("%d", time.Now().UnixNano()%1_000_000_000) }

// faults is what a tour asks of a fake: fail the next requests with a status.
type faults interface {
	FailNext(n, status int, retryAfter string)
}

// retryDemo makes the fake answer 503 once and shows the SDK retrying the read. It needs
// the fake; against a real server it says so and moves on.
func retryDemo(ctx context.Context, s *Step, fake faults, read func(context.Context) error) error {
	if fake == nil {
		s.Printf("retry demo skipped: it needs the built-in fake to inject a 503")
		return nil
	}
	fake.FailNext(1, http.StatusServiceUnavailable, "")
	if err := read(ctx); err != nil {
		return fmt.Errorf("read after a 503: %w", err)
	}
	s.Printf("the server answered 503 once; the SDK retried the read and it succeeded")
	return nil
}
