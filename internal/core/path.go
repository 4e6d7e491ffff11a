package core

import (
	"net/url"
	"strconv"
	"strings"
)

// Segment escapes s as one path segment: '/', '?', '#' and '%' are escaped, and the
// segments "." and ".." are escaped too, so that no value can climb out of its place.
func Segment(s string) string {
	switch s {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(s)
}

// ID formats an integer id as a path segment.
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// PathSegment checks that s is not empty and escapes it as one segment.
func PathSegment(field, s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", Invalid(field, "is required")
	}
	return Segment(s), nil
}

// PositiveID checks that an id is positive.
func PositiveID(field string, id int64) error {
	if id <= 0 {
		return Invalid(field, "must be a positive id")
	}
	return nil
}
