package backoffice_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/internal/fuzzkit"
)

// exampleServer stands in for a Back Office in these examples.
func exampleServer() *http.Client {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") != "0" {
			fmt.Fprint(w, `[]`)
			return
		}
		fmt.Fprint(w, `[{"id":1,"name":"Mary","email":"mary@example.com","active":true}]`)
	})
	mux.HandleFunc("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"User not found"}`)
	})
	return fuzzkit.HandlerClient(mux)
}

func Example() {
	c, err := backoffice.New(
		backoffice.WithBaseURL("https://bo.example.com"),
		backoffice.WithToken("my-token"),
		backoffice.WithHTTPClient(exampleServer()),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	for u, err := range c.All(ctx, backoffice.ListOptions{Name: "Mary"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Name, u.Email)
	}

	_, err = c.Get(ctx, 42)
	var apiErr *backoffice.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, backoffice.ErrNotFound))
	}
	// Output:
	// 1 Mary mary@example.com
	// 404 User not found true
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

func ExampleClient_Patch() {
	// Only the fields that are set go on the wire; an empty, non-nil slice clears a list.
	req := &backoffice.UpdateRequest{Active: backoffice.Ptr(false), IPWhitelist: []string{}}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output: {"active":false,"ipWhitelist":[]}
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
