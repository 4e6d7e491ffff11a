package accountuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/usersdk/usersdk-go/accountuser"
)

// exampleServer stands in for a Revive installation in these examples. It answers as
// Revive does: numbers as strings, "password" as null, an unknown user with its error
// object and status 200, a modify or a delete with the text {"OK"}. Bodies it receives
// on a modify are printed. It keeps one user, Mary (21), whose active flag a modify sets.
func exampleServer() *httptest.Server {
	active := "1"
	mary := func() string {
		return `{"userId":"21","contactName":"Mary","emailAddress":"mary@example.com",` +
			`"username":"mary","password":null,"defaultAccountId":"2","active":"` + active + `"}`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /usr/acc/2", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "["+mary()+"]")
	})
	mux.HandleFunc("GET /usr/21", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, mary())
	})
	mux.HandleFunc("GET /usr/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`)
	})
	mux.HandleFunc("POST /usr/new", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, mary())
	})
	mux.HandleFunc("POST /usr/{id}", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println("server got", r.Method, r.URL.Path, r.Header.Get("Content-Type"), string(body))
		var change struct {
			Active *string `json:"active"`
		}
		if json.Unmarshal(body, &change) == nil && change.Active != nil {
			active = *change.Active
		}
		fmt.Fprint(w, `{"OK"}`)
	})
	mux.HandleFunc("DELETE /usr/{id}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"OK"}`)
	})
	auth := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "admin" || p != "secret" {
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
	return httptest.NewServer(auth)
}

// newExampleClient returns a client of exampleServer, and the function that stops it.
func newExampleClient() (*accountuser.Client, func()) {
	srv := exampleServer()
	c, err := accountuser.New(
		accountuser.WithBaseURL(srv.URL), // the address of the installation's REST API
		accountuser.WithBasicAuth("admin", "secret"),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

func Example() {
	c, stop := newExampleClient()
	defer stop()
	ctx := context.Background()

	users, err := c.ListByAccount(ctx, 2)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.UserID, u.Username, u.Active.Bool())
	}

	// The server answers an unknown user with status 200 and its error object.
	_, err = c.Get(ctx, 99)
	var apiErr *accountuser.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.Message, errors.Is(err, accountuser.ErrNotFound))
	}
	// Output:
	// 21 mary true
	// 200 Exception Unknown userId Error true
}

func ExampleClient_Create() {
	c, stop := newExampleClient()
	defer stop()
	u, err := c.Create(context.Background(), &accountuser.CreateRequest{
		ContactName: "Mary", EmailAddress: "mary@example.com", DefaultAccountID: 2,
		Username: "mary", Password: "a-new-password",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserID, u.DefaultAccountID, u.Active)

	// A missing required field is refused before anything is sent.
	_, err = c.Create(context.Background(), &accountuser.CreateRequest{ContactName: "Ann", EmailAddress: "ann@example.com"})
	var ve *accountuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output:
	// 21 2 true
	// true defaultAccountId
}

func ExampleClient_Update() {
	c, stop := newExampleClient()
	defer stop()
	// Only the fields set are sent. This server answers {"OK"}, not a user, so Update
	// reads the stored user back (GET /usr/21) and returns it.
	u, err := c.Update(context.Background(), 21, &accountuser.UpdateRequest{Active: accountuser.Ptr(accountuser.Disabled)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.UserID, u.Username, u.Active.Bool())
	// Output:
	// server got POST /usr/21 text/javascript {"active":"0"}
	// 21 mary false
}

func ExampleClient_Delete() {
	c, stop := newExampleClient()
	defer stop()
	// This server answers a delete with the text {"OK"}, which is not JSON: success.
	fmt.Println(c.Delete(context.Background(), 21))
	// Output: <nil>
}

func ExampleID() {
	// The API sends numbers as strings; both forms decode.
	var u struct {
		A, B   accountuser.ID
		Active accountuser.Active
	}
	_ = json.Unmarshal([]byte(`{"A":"21","B":21,"Active":"0"}`), &u)
	fmt.Println(u.A == u.B, u.A, u.Active == accountuser.Disabled)
	// Output: true 21 true
}

func ExampleNew() {
	// An installation that lists accounts under /pub/usr/acc/{accountId}, takes PUT
	// and wants application/json.
	_, err := accountuser.New(
		accountuser.WithBaseURL("https://revive.example.com/api"),
		accountuser.WithBasicAuth("admin", "secret"),
		accountuser.WithPubListPath(),
		accountuser.WithPUT(),
		accountuser.WithJSONContentType(),
	)
	fmt.Println(err)

	// There is no default address and no anonymous access.
	_, err = accountuser.New(accountuser.WithBaseURL("https://revive.example.com/api"))
	fmt.Println(err)
	// Output:
	// <nil>
	// accountuser: no credentials: use WithBasicAuth (the API has no anonymous access)
}
