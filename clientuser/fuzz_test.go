package clientuser_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// The targets' bodies and oracles are shared with extensionuser (package telphintest);
// the seeds, users as the API sends them, and the list options are this package's.

func FuzzGetBody(f *testing.F) {
	telphintest.ClientUser.FuzzGetBody(f,
		`{"id":101,"client_id":12345,"login":"operator1","name":"Ivan Petrov","email":"ivan.petrov@example.com","comment":"Head office","access":"full","status":"active","extra_params":"{\"crm_id\": 17}","timezone":"Europe/Moscow"}`)
}

func FuzzListBody(f *testing.F) {
	telphintest.ClientUser.FuzzListBody(f,
		`[{"id":101,"client_id":12345,"login":"operator1","access":"full","status":"active"},{"id":102,"client_id":12345,"login":"operator2","access":"read_only","status":"active"}]`)
}

func FuzzErrorBody(f *testing.F) { telphintest.ClientUser.FuzzErrorBody(f) }

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
