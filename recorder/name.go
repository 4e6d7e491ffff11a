package recorder

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

const maxNameLen = 60

var (
	version = regexp.MustCompile(`^(v|ver|version)[0-9]+(\.[0-9]+)*$`)
	hexID   = regexp.MustCompile(`^[0-9a-f-]{8,}$`)
	unsafe  = regexp.MustCompile(`[^a-z0-9]+`)
)

// DefaultName names a recording after its request: the method, then each path segment,
// joined by "-" and lower-cased. Segments "api" and versions ("v2", "ver1.0") are left out, and
// segments that are ids (digits, UUIDs, long hex strings, anything over 24 characters)
// become "id":
//
//	GET /api/v2/users/7          get-users-id
//	POST /oauth/token            post-oauth-token
//	PATCH /api/rest/user/42      patch-rest-user-id
func DefaultName(req *http.Request) string {
	parts := []string{strings.ToLower(req.Method)}
	for _, seg := range strings.Split(req.URL.EscapedPath(), "/") {
		if s, err := url.PathUnescape(seg); err == nil {
			seg = s
		}
		seg = strings.ToLower(seg)
		switch {
		case seg == "", seg == "api", version.MatchString(seg):
			continue
		case isID(seg):
			seg = "id"
		default:
			seg = strings.Trim(unsafe.ReplaceAllString(seg, "_"), "_")
		}
		if seg != "" {
			parts = append(parts, seg)
		}
	}
	return strings.Join(parts, "-")
}

func isID(seg string) bool {
	if len(seg) > 24 {
		return true
	}
	digits := strings.Trim(seg, "0123456789") == ""
	return digits || hexID.MatchString(seg) && strings.ContainsAny(seg, "0123456789")
}

// cleanName keeps a name safe for a file name.
func cleanName(name string) string {
	name = strings.ToLower(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.Trim(b.String(), "-_")
	if len(s) > maxNameLen {
		s = strings.TrimRight(s[:maxNameLen], "-_")
	}
	return s
}
