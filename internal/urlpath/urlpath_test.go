package urlpath

import "testing"

// One case per branch: a path with a query, a host without a path, a relative path with a
// fragment, and userinfo and a port before the path.
func TestOf(t *testing.T) {
	for u, want := range map[string]string{
		"https://h/api/users/1?x=1": "/api/users/1",
		"https://h?x=1":             "/",
		"/usr/acc/2#top":            "/usr/acc/2",
		"https://u:p@h:8080/a/b":    "/a/b",
	} {
		if got := Of(u); got != want {
			t.Errorf("Of(%q) = %q, want %q", u, got, want)
		}
	}
}
