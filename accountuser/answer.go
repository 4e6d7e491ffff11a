package accountuser

import (
	"bytes"
	"encoding/json"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/internal/core"
)

// Revive is PHP, and an installation may answer a failure with status 200 and its error
// object as the body. New gives the core isErrorObject as Family.ErrorInSuccess, so every
// 2xx body that is that object becomes an *APIError, parsed by parseError.

// msgUnknownUser is the message Revive raises for a user id that does not exist.
const msgUnknownUser = "Unknown userId Error"

// parseError reads Revive's error body, {"error": {"type": "...", "message": "..."}}, with
// the type as the code (the core's common parsing reads that shape and a proxy's alike).
// "Unknown userId Error" matches ErrNotFound whatever the status: the vendor documents no
// status codes, and an installation may send it with 200 or 500. It reports whether the
// body is Revive's error object, which only the application itself sends.
func parseError(e *usersdk.APIError) bool {
	core.ParseCommonError(e)
	if e.Message == msgUnknownUser {
		core.AlsoMatches(e, usersdk.ErrNotFound)
	}
	return isReviveError(e.Body)
}

// isReviveError reports whether body is the object Revive's exception handler writes: an
// "error" member (spelt exactly so) that is an object holding "type" or "message" as a
// string. A proxy's page or an empty body is not, nor is a looser shape another layer
// could have written, so a 5xx answer to a write carrying one keeps its outcome unknown.
func isReviveError(body []byte) bool {
	inner := core.Members(core.Members(body)["error"])
	for _, k := range [...]string{"type", "message"} {
		if v := inner[k]; len(v) > 0 && v[0] == '"' {
			return true
		}
	}
	return false
}

// isErrorObject reports whether a body is Revive's error answer: a JSON object whose
// "error" member is an object or a non-empty string.
func isErrorObject(body []byte) bool {
	b := bytes.TrimSpace(body)
	// Most answers are users or lists: skip the parse unless an "error" key can be there
	// (in any case, as encoding/json matches keys, or hidden behind a \u escape).
	if len(b) == 0 || b[0] != '{' || !containsFold(b, `"error"`) && !bytes.Contains(b, []byte(`\u`)) {
		return false
	}
	var probe struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(b, &probe) != nil {
		return false
	}
	e := bytes.TrimSpace(probe.Error)
	return len(e) > 0 && (e[0] == '{' || (e[0] == '"' && string(e) != `""`))
}

// containsFold reports whether b contains key, which starts with a quote, ignoring case
// (ASCII only) and without allocating. One plain loop: a user has dozens of quotes, and
// a call to bytes.IndexByte per quote costs more than the loop.
func containsFold(b []byte, key string) bool {
	first := key[1] | 0x20 // setting bit 0x20 lowercases a letter
	for i := 0; i+len(key) <= len(b); i++ {
		if b[i] == '"' && b[i+1]|0x20 == first && asciiEqualFold(b[i:i+len(key)], key) {
			return true
		}
	}
	return false
}

func asciiEqualFold(b []byte, s string) bool {
	for i := range len(s) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
