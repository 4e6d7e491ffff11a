// Package fakeserver holds the helpers the in-memory fake servers (backofficetest,
// clientusertest, ...) share for writing their handlers. The layer in front of them
// (faults, latency, the request log) is the public usersdktest.Server. It holds no vendor
// logic; each fake writes its own from the vendor's documents, and none of them uses the
// SDK's client code.
package fakeserver

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"

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

// Set stores v in *dst while holding mu: what every fake's knob setters do.
func Set[T any](mu *sync.Mutex, dst *T, v T) {
	mu.Lock()
	defer mu.Unlock()
	*dst = v
}

// Get reads *src while holding mu.
func Get[T any](mu *sync.Mutex, src *T) T {
	mu.Lock()
	defer mu.Unlock()
	return *src
}

// Field returns pick(m[id]) read while holding mu, and whether m holds id; the fakes'
// Password and similar accessors are this.
func Field[K comparable, R, T any](mu *sync.Mutex, m map[K]R, id K, pick func(R) T) (T, bool) {
	mu.Lock()
	defer mu.Unlock()
	r, ok := m[id]
	if !ok {
		var zero T
		return zero, false
	}
	return pick(r), true
}

// SeedID is the id a seeded object gets: id itself, or *next when id is 0. *next then
// moves past it, so later creations never reuse a seeded id.
func SeedID[ID ~int64](id ID, next *ID) ID {
	if id == 0 {
		id = *next
	}
	*next = max(*next, id+1)
	return id
}

// Sorted returns the values of m ordered by key(v).
func Sorted[K comparable, V any, O cmp.Ordered](m map[K]V, key func(V) O) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(key(a), key(b)) })
	return out
}

// Apply stores *v in *dst when v is not nil: a field a partial update sent.
func Apply[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// PathID parses the path value name as a whole number; anything else names nothing.
func PathID(r *http.Request, name string) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n, err == nil
}

// IntOr parses s as an int, or returns def when s is empty.
func IntOr(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	return strconv.Atoi(s)
}

// RandomHex returns n random bytes as hex, for tokens and passwords.
func RandomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
