package clientuser_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// FuzzListOptionsQuery checks that every login and id comes back whole and in order under
// its own repeated key, that empty filters are left out while an empty login is sent, and
// that List sends exactly that query (telphintest's QueryCheck).
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("operator1", "operator2", "", int64(101), int64(-5), uint8(11))
	f.Add("a&login=b", "c=d#e", "[]%2", int64(0), int64(1<<62), uint8(7))
	f.Add("\xff\x00 +", ";", "login[]", int64(-1), int64(0), uint8(3))
	f.Add("", "", "", int64(0), int64(0), uint8(0))
	check := telphintest.ClientUser.QueryCheck(f)
	f.Fuzz(func(t *testing.T, l1, l2, l3 string, id1, id2 int64, shape uint8) {
		// shape picks how many logins (0..3) and ids (0..2) are set.
		opts := clientuser.ListOptions{Login: []string{l1, l2, l3}[:shape%4], ID: []int64{id1, id2}[:shape/4%3]}
		want := url.Values{}
		if len(opts.Login) > 0 {
			want["login"] = opts.Login
		}
		for _, id := range opts.ID {
			want["id"] = append(want["id"], strconv.FormatInt(id, 10))
		}
		check(t, opts, want)
	})
}
