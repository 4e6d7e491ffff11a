// Package recording is the file format of recorded exchanges that the recorder writes
// and internal/fixture reads, and the name matching both use for secrets.
package recording

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"
)

// Exchange is one exchange as a file holds it.
type Exchange struct {
	Request  Request  `json:"request"`
	Response Response `json:"response"`
}

// Request is what the client sent.
type Request struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Query   url.Values        `json:"query,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
	Form    url.Values        `json:"form,omitempty"`
}

// Response is what the server answered.
type Response struct {
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     json.RawMessage   `json:"body,omitempty"`
	BodyText string            `json:"body_text,omitempty"`
}

// NormalizeName returns a field, header or parameter name lower-cased and without the
// separators that spell it differently across APIs ("client_secret", "Client-Secret",
// "clientSecret" all become "clientsecret").
func NormalizeName(name string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		return r
	}, strings.ToLower(name))
}

// DecodeJSON decodes body, which must hold one JSON value and nothing after it, keeping
// numbers as json.Number so that they compare and re-encode as they were written.
func DecodeJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}
