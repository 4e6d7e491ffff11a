// Package telphinfake holds the test oracle the Telphin packages' tests share: IsErrorBody.
// The Telphin fake itself is the public package clientusertest.
package telphinfake

import (
	"bytes"
	"encoding/json"
	"strings"
)

// IsErrorBody reports whether body is one of the error objects Telphin sends: a JSON
// object (the whole body) whose "message" or "status" member, or OAuth's "error" or
// "error_description" member, is a non-empty string. Names match without regard to case
// and the last of a repeated name counts, as encoding/json reads them. Tests use it as
// an oracle for what the SDK must treat as Telphin's own refusal; it is written apart
// from the SDK's parser.
func IsErrorBody(body []byte) bool {
	if !json.Valid(body) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	names := []string{"message", "status", "error", "error_description"}
	last := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return false
		}
		for _, n := range names {
			if strings.EqualFold(key, n) {
				last[n] = v
			}
		}
	}
	for _, v := range last {
		var s string
		if len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil && s != "" {
			return true
		}
	}
	return false
}
