package extensionuser_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// FuzzListOptionsQuery checks that every value of the nine filters comes back whole and in
// order under its own repeated key, that nil filters are left out while empty strings are
// sent, and that List sends exactly that query (telphintest's QueryCheck).
func FuzzListOptionsQuery(f *testing.F) {
	f.Add("ext100", "Reception", "reception@example.com", "Front desk", "full", "active", "Europe/Moscow", "", int64(201), int64(5001), uint16(0x1ff))
	f.Add("a&login=b", "c=d#e", "x@y&email=z", "[]%2", "read_only&access=full", "blocked;", "UTC+3", "second", int64(-1), int64(0), uint16(0x3ff))
	f.Add("", "", "", "", "", "", "", "", int64(0), int64(0), uint16(0))
	f.Add("\xff\x00 +", "", "", "", "", "", "", "", int64(1), int64(2), uint16(0x205))
	check := telphintest.ExtensionUser.QueryCheck(f)
	f.Fuzz(func(t *testing.T, login, name, email, comment, access, status, timezone, extra string, id, extID int64, mask uint16) {
		// Bits 0..8 of mask set the filters; bit 9 gives each string filter a second value.
		strs := func(bit uint, v string) []string {
			switch {
			case mask&(1<<bit) == 0:
				return nil
			case mask&(1<<9) != 0:
				return []string{v, extra}
			}
			return []string{v}
		}
		ints := func(bit uint, v int64) []int64 {
			if mask&(1<<bit) == 0 {
				return nil
			}
			return []int64{v, v / 2}
		}
		var opts extensionuser.ListOptions
		opts.ID, opts.ExtensionID = ints(0, id), ints(1, extID)
		opts.Login, opts.Name, opts.Email = strs(2, login), strs(3, name), strs(4, email)
		opts.Comment, opts.Timezone = strs(5, comment), strs(8, timezone)
		for _, v := range strs(6, access) {
			opts.Access = append(opts.Access, extensionuser.Access(v))
		}
		for _, v := range strs(7, status) {
			opts.Status = append(opts.Status, extensionuser.Status(v))
		}
		want := url.Values{}
		for key, vs := range map[string][]string{"login": opts.Login, "name": opts.Name, "email": opts.Email,
			"comment": opts.Comment, "access": strs(6, access), "status": strs(7, status), "timezone": opts.Timezone} {
			if len(vs) > 0 {
				want[key] = vs
			}
		}
		for key, vs := range map[string][]int64{"id": opts.ID, "extension_id": opts.ExtensionID} {
			for _, v := range vs {
				want[key] = append(want[key], strconv.FormatInt(v, 10))
			}
		}
		check(t, opts, want)
	})
}
