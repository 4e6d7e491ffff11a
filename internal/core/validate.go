package core

import (
	"encoding/json"
	"strings"

	usersdk "github.com/usersdk/usersdk-go"
)

// Validator is input that can refuse itself: request bodies and list options. The core
// calls it on a request's Query and Body before anything is sent, so that every call
// refuses bad input the same way.
type Validator interface{ Validate() error }

func validate(in ...any) error {
	for _, v := range in {
		if v, ok := v.(Validator); ok {
			if err := v.Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Invalid returns a *ValidationError for the field.
func Invalid(field, reason string) error {
	return &usersdk.ValidationError{Field: field, Reason: reason}
}

// Required takes fields as name, value pairs and returns a *ValidationError naming the
// first whose value is empty or blank.
func Required(nameValue ...string) error {
	for i := 0; i+1 < len(nameValue); i += 2 {
		if strings.TrimSpace(nameValue[i+1]) == "" {
			return Invalid(nameValue[i], "is required")
		}
	}
	return nil
}

// CheckUpdate refuses a nil update request, one that sets no field, and one that sets a
// member named in required (by its JSON name) to an empty or blank string: a value that
// creation requires, which an update may leave out but cannot clear.
func CheckUpdate[T any](r *T, required ...string) error {
	if r == nil {
		return Invalid("request", "is nil")
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil // sending it will report the encoding error
	}
	if string(b) == "{}" {
		return Invalid("request", "sets no field")
	}
	set := Members(b)
	for _, name := range required {
		var v string
		if raw, ok := set[name]; ok && json.Unmarshal(raw, &v) == nil && strings.TrimSpace(v) == "" {
			return Invalid(name, "must not be empty when set")
		}
	}
	return nil
}
