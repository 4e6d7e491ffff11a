package usersdk_test

import (
	"context"
	"iter"
	"reflect"
	"testing"

	usersdk "github.com/usersdk/usersdk-go"
	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/iotuser"
)

// Each package's New takes its own options and returns its client.
var (
	_ func(...backoffice.Option) (*backoffice.Client, error)       = backoffice.New
	_ func(...clientuser.Option) (*clientuser.Client, error)       = clientuser.New
	_ func(...extensionuser.Option) (*extensionuser.Client, error) = extensionuser.New
	_ func(...accountuser.Option) (*accountuser.Client, error)     = accountuser.New
	_ func(...iotuser.Option) (*iotuser.Client, error)             = iotuser.New
)

// surface is one package's client and what its API allows.
type surface struct {
	client any
	list   string // the method that lists users
	// pages: the list pages, so All must exist.
	pages bool
	// updateReturnsUser: the vendor's answer to an update allows returning the user.
	updateReturnsUser bool
}

var surfaces = map[string]surface{
	"backoffice":    {(*backoffice.Client)(nil), "List", true, true},
	"clientuser":    {(*clientuser.Client)(nil), "List", true, true},
	"extensionuser": {(*extensionuser.Client)(nil), "List", true, true},
	"accountuser":   {(*accountuser.Client)(nil), "ListByAccount", false, true},
	// DeviceHive answers an update with 204 and no body (documented on Update).
	"iotuser": {(*iotuser.Client)(nil), "List", true, false},
}

var (
	ctxType       = reflect.TypeFor[context.Context]()
	errType       = reflect.TypeFor[error]()
	rateLimitType = reflect.TypeFor[usersdk.RateLimit]()
)

// TestSharedOperationsHaveOneShape checks, by reflection, that the operations every
// package shares have the same names and shapes: ctx first, the id last, a pointer to the
// user and an error back, Validate on request types, All where lists page, RateLimit.
func TestSharedOperationsHaveOneShape(t *testing.T) {
	for name, s := range surfaces {
		t.Run(name, func(t *testing.T) {
			ct := reflect.TypeOf(s.client)
			method := func(n string) reflect.Type {
				t.Helper()
				m, ok := ct.MethodByName(n)
				if !ok {
					t.Fatalf("no method %s", n)
				}
				mt := m.Type // receiver first
				if n != "RateLimit" && (mt.NumIn() < 2 || mt.In(1) != ctxType) {
					t.Errorf("%s: first parameter is not a context.Context", n)
				}
				if mt.NumOut() == 0 || mt.Out(mt.NumOut()-1) != errType && n != "RateLimit" && n != "All" {
					t.Errorf("%s: last result is not an error", n)
				}
				return mt
			}
			userPtr := func(n string, mt reflect.Type) reflect.Type {
				t.Helper()
				if mt.NumOut() != 2 || mt.Out(0).Kind() != reflect.Pointer || mt.Out(0).Elem().Kind() != reflect.Struct {
					t.Fatalf("%s returns %v, want (*User, error)", n, mt)
				}
				return mt.Out(0).Elem()
			}
			validates := func(n string, mt reflect.Type) {
				t.Helper()
				req := mt.In(mt.NumIn() - 1)
				v, ok := req.MethodByName("Validate")
				if req.Kind() != reflect.Pointer || !ok || v.Type.NumIn() != 1 || v.Type.NumOut() != 1 || v.Type.Out(0) != errType {
					t.Errorf("%s: request %v has no Validate() error", n, req)
				}
			}

			get := method("Get")
			user := userPtr("Get", get)
			create := method("Create")
			userPtr("Create", create)
			validates("Create", create)
			update := method("Update")
			validates("Update", update)
			if s.updateReturnsUser {
				userPtr("Update", update)
			} else if update.NumOut() != 1 {
				t.Errorf("Update returns %v", update)
			}
			// The id is Get's last parameter, and Update's and Delete's too.
			id := get.In(get.NumIn() - 1)
			if update.In(update.NumIn()-2) != id {
				t.Errorf("Update takes the id as %v, Get as %v", update.In(update.NumIn()-2), id)
			}
			del := method("Delete")
			if del.NumOut() != 1 || del.In(del.NumIn()-1) != id {
				t.Errorf("Delete is %v", del)
			}

			list := method(s.list)
			if list.NumOut() != 2 || list.Out(0).Kind() != reflect.Slice {
				t.Fatalf("%s returns %v, want ([]User, error)", s.list, list)
			}
			elem := list.Out(0).Elem()
			if elem != user && !(user.Kind() == reflect.Struct && user.Field(0).Anonymous && user.Field(0).Type == elem) {
				t.Errorf("%s lists %v, Get returns %v", s.list, elem, user)
			}
			if _, ok := ct.MethodByName("All"); ok != s.pages {
				t.Errorf("All present: %v, list pages: %v", ok, s.pages)
			}
			if s.pages {
				all := method("All")
				want := reflect.TypeFor[iter.Seq2[struct{}, error]]()
				got := all.Out(0)
				if all.NumOut() != 1 || got.Kind() != want.Kind() || got.NumIn() != 1 || got.In(0).NumIn() != 2 ||
					got.In(0).In(0) != elem || got.In(0).In(1) != errType {
					t.Errorf("All returns %v, want iter.Seq2[%v, error]", got, elem)
				}
				// All takes what List takes.
				for i := 1; i < list.NumIn(); i++ {
					if all.In(i) != list.In(i) {
						t.Errorf("All's parameter %d is %v, List's %v", i, all.In(i), list.In(i))
					}
				}
			}

			rl := method("RateLimit")
			if rl.NumIn() != 1 || rl.NumOut() != 2 || rl.Out(0) != rateLimitType || rl.Out(1).Kind() != reflect.Bool {
				t.Errorf("RateLimit is %v, want func() (usersdk.RateLimit, bool)", rl)
			}
		})
	}
}
