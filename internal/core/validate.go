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

// Required returns a *ValidationError when value is empty.
func Required(field, value string) error {
	if strings.TrimSpace(value) == "" {
		return Invalid(field, "is required")
	}
	return nil
}

// SetsNoField reports whether an update request would be sent as {}: every field is
// left out, so the server would be asked to change nothing.
func SetsNoField(r any) bool {
	b, err := json.Marshal(r)
	return err == nil && string(b) == "{}"
}

// Optional is an update request's optional string field, by its wire name.
type Optional struct {
	Name  string
	Value *string
}

// NotEmptyWhenSet refuses the first field that is set to an empty or blank string: a
// value that creation requires, which an update may leave out but cannot clear.
func NotEmptyWhenSet(fields ...Optional) error {
	for _, f := range fields {
		if f.Value != nil && strings.TrimSpace(*f.Value) == "" {
			return Invalid(f.Name, "must not be empty when set")
		}
	}
	return nil
}
