package core

import "encoding/json"

// ParseCommonError fills Code and Message from the usual shapes of JSON error bodies:
// {"message": ..., "code"|"status"|"type": ...}, {"error": "..."},
// {"error": {"message": ..., "code"|"type": ...}} and {"errors": [{"message": ...}]}.
// Family packages use it where the vendor's error body is not documented.
func ParseCommonError(e *APIError) {
	var body struct {
		Message string          `json:"message"`
		Code    json.RawMessage `json:"code"`
		Status  json.RawMessage `json:"status"`
		Type    string          `json:"type"`
		Error   json.RawMessage `json:"error"`
		Errors  []struct {
			Message string          `json:"message"`
			Code    json.RawMessage `json:"code"`
			Field   string          `json:"field"`
		} `json:"errors"`
	}
	if json.Unmarshal(e.Body, &body) != nil {
		return
	}
	e.Message = body.Message
	e.Code = firstNonEmpty(scalar(body.Code), scalar(body.Status), body.Type)
	if len(body.Error) > 0 {
		var inner struct {
			Message string          `json:"message"`
			Code    json.RawMessage `json:"code"`
			Type    string          `json:"type"`
		}
		if json.Unmarshal(body.Error, &inner) == nil {
			e.Message = firstNonEmpty(e.Message, inner.Message)
			e.Code = firstNonEmpty(e.Code, scalar(inner.Code), inner.Type)
		} else if s := scalar(body.Error); s != "" {
			e.Message = firstNonEmpty(e.Message, s)
		}
	}
	if e.Message == "" && len(body.Errors) > 0 {
		first := body.Errors[0]
		e.Message = first.Message
		if first.Field != "" {
			e.Message = first.Field + ": " + first.Message
		}
		e.Code = firstNonEmpty(e.Code, scalar(first.Code))
	}
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
