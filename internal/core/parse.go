package core

import (
	"encoding/json"

	usersdk "github.com/usersdk/usersdk-go"
)

// ParseCommonError fills Code and Message from the usual shapes of JSON error bodies:
// {"message": ..., "code"|"status"|"type": ...}, {"error": "..."},
// {"error": {"message": ..., "code"|"type": ...}} and {"errors": [{"message": ...}]}.
// Family packages use it where the vendor's error body is not documented. It reports
// false: a shape this common proves nothing about who sent it (a proxy, say).
func ParseCommonError(e *usersdk.APIError) bool {
	// Every member is raw: a vendor that sends a number where a string is usual must not
	// lose the rest of its message.
	type fields struct {
		Message json.RawMessage `json:"message"`
		Code    json.RawMessage `json:"code"`
		Status  json.RawMessage `json:"status"`
		Type    json.RawMessage `json:"type"`
		Field   json.RawMessage `json:"field"`
	}
	var body struct {
		fields
		Error  json.RawMessage `json:"error"`
		Errors []fields        `json:"errors"`
	}
	if json.Unmarshal(e.Body, &body) != nil {
		return false
	}
	e.Message = scalar(body.Message)
	e.Code = firstNonEmpty(scalar(body.Code), scalar(body.Status), scalar(body.Type))
	if len(body.Error) > 0 {
		var inner fields
		if json.Unmarshal(body.Error, &inner) == nil {
			e.Message = firstNonEmpty(e.Message, scalar(inner.Message))
			e.Code = firstNonEmpty(e.Code, scalar(inner.Code), scalar(inner.Type))
		} else if s := scalar(body.Error); s != "" {
			e.Message = firstNonEmpty(e.Message, s)
		}
	}
	if e.Message == "" && len(body.Errors) > 0 {
		first := body.Errors[0]
		e.Message = scalar(first.Message)
		if f := scalar(first.Field); f != "" {
			e.Message = f + ": " + e.Message
		}
		e.Code = firstNonEmpty(e.Code, scalar(first.Code))
	}
	return false
}

// scalar returns a JSON string's or number's text, "" for anything else.
func scalar(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Members returns the members of the JSON object in b, or nil when b is not one: the
// first step of telling a vendor's error object from any other body.
func Members(b []byte) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}
