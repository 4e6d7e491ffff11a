// Package urlpath gives the path of a URL as error texts and logs show it: the root
// package's error types and the core both print it, and must print it the same way.
package urlpath

import "strings"

// Of is the path of the URL string u, without scheme, host, query and fragment; "/" for a
// URL with a host and no path. It does not parse u, so it works on redacted URLs too.
func Of(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			u = rest[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}
