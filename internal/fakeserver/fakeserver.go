// Package fakeserver holds the helpers the in-memory fake servers (backofficetest,
// clientusertest, ...) share for writing their handlers. The layer in front of them
// (faults, latency, the request log) is the public usersdktest.Server. It holds no vendor
// logic; each fake writes its own from the vendor's documents, and none of them uses the
// SDK's client code.
package fakeserver

import (
	"encoding/json"
	"net/http"

	"github.com/usersdk/usersdk-go/usersdktest"
)

// Fault is usersdktest.Fault, for the internal tests that inject faults.
type Fault = usersdktest.Fault

// Request is usersdktest.Request.
type Request = usersdktest.Request

// JSON writes v with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// DecodeJSON reads a JSON request body into v.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	return dec.Decode(v)
}

// BearerToken returns the token of an "Authorization: Bearer" header, or "".
func BearerToken(r *http.Request) string {
	const prefix = "Bearer "
	h := r.Header.Get("Authorization")
	if len(h) > len(prefix) && h[:len(prefix)] == prefix {
		return h[len(prefix):]
	}
	return ""
}

// Page slices items by offset and limit.
func Page[T any](items []T, offset, limit int) []T {
	if offset < 0 {
		offset = 0
	}
	if offset >= len(items) {
		return []T{}
	}
	end := len(items)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return items[offset:end]
}
