// Package telphinfake holds the test oracle the Telphin packages' tests share: IsErrorBody.
// The Telphin fake itself is the public package clientusertest.
package telphinfake

import (
	"bytes"
	"encoding/json"
	"strings"
)

// IsErrorBody reports whether body is an error object only Telphin sends: a JSON object
// (the whole body) with a code, a non-empty string in its "status" member or, when its
// "message" is not a non-empty string, in OAuth's "error" member. A message alone does
// not count: gateways send that shape too. Names match without regard to case and the
// last of a repeated name counts, as encoding/json reads them. Tests use it as an oracle
// for what the SDK must treat as Telphin's own refusal; it is written apart from the
// SDK's parser.
func IsErrorBody(body []byte) bool {
	if !json.Valid(body) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
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
		for _, n := range []string{"status", "message", "error"} {
			if strings.EqualFold(key, n) {
				last[n] = v
			}
		}
	}
	text := func(name string) bool {
		var s string
		v := last[name]
		return len(v) > 0 && v[0] == '"' && json.Unmarshal(v, &s) == nil && s != ""
	}
	return text("status") || !text("message") && text("error")
}
