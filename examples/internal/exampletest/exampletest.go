// Package exampletest helps the example programs' tests look at a fake while a program
// runs.
package exampletest

import "net/http"

// NoEnv is an empty environment: every example runs against its fake.
func NoEnv(string) string { return "" }

// Before returns a copy of hc that calls f with each request just before sending it, so
// that a test can read the fake's state at that moment (the stored user before the
// program deletes it) or stage a fault for that request.
func Before(hc *http.Client, f func(*http.Request)) *http.Client {
	c := *hc
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = roundTripper(func(r *http.Request) (*http.Response, error) {
		f(r)
		return next.RoundTrip(r)
	})
	return &c
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
