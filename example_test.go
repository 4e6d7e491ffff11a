package usersdk_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"sync"
	"time"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

// metrics is a caller's middleware: it counts requests and times them. Every package's
// WithHTTPClient takes an *http.Client whose Transport is the place for it; retries go
// through it too, so each attempt is counted.
type metrics struct {
	next http.RoundTripper

	mu       sync.Mutex
	requests int
	total    time.Duration
}

func (m *metrics) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := m.next.RoundTrip(req)
	m.mu.Lock()
	m.requests++
	m.total += time.Since(start)
	m.mu.Unlock()
	return resp, err
}

// A RoundTripper that counts and times requests, put in the client with WithHTTPClient.
func Example_middleware() {
	srv := backofficetest.NewServer()
	defer srv.Close()

	m := &metrics{next: http.DefaultTransport}
	c, err := backoffice.New(
		backoffice.WithBaseURL(srv.URL),
		backoffice.WithToken(srv.Token()),
		backoffice.WithHTTPClient(&http.Client{Transport: m}),
	)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.List(context.Background(), backoffice.ListOptions{}); err != nil {
		log.Fatal(err)
	}
	_, err = c.Get(context.Background(), 404)
	fmt.Println("not found:", errors.Is(err, backoffice.ErrNotFound))
	fmt.Println("requests:", m.requests, "timed:", m.total > 0)
	// Output:
	// not found: true
	// requests: 2 timed: true
}

// WithResponse captures the final answer of one call: status, headers, request id and
// rate limit, after any retries.
func ExampleWithResponse() {
	srv := backofficetest.NewServer()
	defer srv.Close()
	srv.FailNext(1, http.StatusServiceUnavailable, "") // retried, then answered

	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()),
		backoffice.WithRetry(3, time.Millisecond, 10*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	var resp usersdk.Response
	ctx := usersdk.WithResponse(context.Background(), &resp)
	if _, err := c.List(ctx, backoffice.ListOptions{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, "after", resp.Attempts, "attempts")
	// Output: 200 after 2 attempts
}

// One errors.As target serves every package of the module.
func ExampleAPIError() {
	srv := backofficetest.NewServer()
	defer srv.Close()
	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Get(context.Background(), 12345)
	var apiErr *usersdk.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, usersdk.ErrNotFound))
	}
	// Output: 404 true
}
