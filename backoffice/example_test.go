package backoffice_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/backoffice/backofficetest"
)

// Example creates a user in a group, moves it to two others and finds it by name among
// the Back Office's users. The in-memory fake of package backofficetest answers;
// WithBaseURL names a real Back Office.
func Example() {
	srv := backofficetest.NewServer()
	defer srv.Close()
	srv.AddUser(backoffice.User{Name: "Ann", Email: "ann@example.com", Active: true, Groups: backoffice.GroupIDs{2}}, "pw")
	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// A user belongs to at least one group, named by id.
	u, err := c.Create(ctx, &backoffice.CreateRequest{
		Name: "Mary", Email: "mary@example.com", Password: "S3cret-pass", Active: true, Groups: []int64{2},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Groups replaces the user's whole list.
	if _, err := c.Patch(ctx, u.ID, &backoffice.UpdateRequest{Groups: []int64{3, 4}}); err != nil {
		log.Fatal(err)
	}
	for u, err := range c.All(ctx, backoffice.ListOptions{Name: "Mary"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Name, u.Active, u.Groups)
	}
	// Output:
	// 2 Mary true [3 4]
}

func ExampleClient_Create() {
	c, err := backoffice.New(backoffice.WithBaseURL("https://bo.example.com"), backoffice.WithToken("my-token"))
	if err != nil {
		log.Fatal(err)
	}
	// Bad input is refused before anything is sent.
	_, err = c.Create(context.Background(), &backoffice.CreateRequest{Name: "Mary", Email: "mary@example.com"})
	var ve *backoffice.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true password
}

// Patch and Update send the same body, by PATCH and by PUT. A PUT is safe to repeat, so
// Update is retried after a network failure; Patch is not, and reports ErrOutcomeUnknown
// instead: the change may or may not have been made, so read the user before trying again.
func ExampleClient_Patch() {
	srv := backofficetest.NewServer()
	defer srv.Close()
	mary := srv.AddUser(backoffice.User{Name: "Mary", Email: "mary@example.com", Active: true, Groups: backoffice.GroupIDs{2}}, "pw")
	// Retrying at once keeps the example quick; the default waits from 500ms.
	c, err := backoffice.New(backoffice.WithBaseURL(srv.URL), backoffice.WithToken(srv.Token()), backoffice.WithRetry(1, 0, 0))
	if err != nil {
		log.Fatal(err)
	}

	// Only the fields that are set go on the wire; an empty, non-nil slice clears a list.
	req := &backoffice.UpdateRequest{Active: backoffice.Ptr(false), IPWhitelist: []string{}}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))

	srv.DropNext(1)
	_, err = c.Patch(context.Background(), mary.ID, req)
	fmt.Println("Patch:", errors.Is(err, backoffice.ErrOutcomeUnknown))

	srv.DropNext(1)
	u, err := c.Update(context.Background(), mary.ID, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Update:", u.Active)
	// Output:
	// {"active":false,"ipWhitelist":[]}
	// Patch: true
	// Update: false
}

func ExampleTFA() {
	// An answer may name the 2FA method and list groups as objects.
	var u backoffice.User
	err := json.Unmarshal([]byte(`{"id":1,"tfa":"TOTP","groups":[{"id":2,"name":"VIP"}]}`), &u)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.TFA, u.TFA.Enabled(), u.Groups)
	// Output: totp true [2]
}
