package clientuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"time"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// exampleServer stands in for Telphin in these examples: a token endpoint, the two user
// lists, and a 404 for any single user. It counts the tokens it issues.
func exampleServer(tokens *atomic.Int32) *http.Client {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("client_id") != "my-app-id" || r.FormValue("client_secret") != "my-app-secret" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client"}`)
			return
		}
		tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"example-token","token_type":"Bearer","expires_in":3600,"scope":"all"}`)
	})
	authorized := func(h http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer example-token" {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprint(w, `{"message":"Unauthorized"}`)
				return
			}
			h(w, r)
		}
	}
	mux.HandleFunc("GET /api/ver1.0/client/{client}/user/client/{$}", authorized(func(w http.ResponseWriter, r *http.Request) {
		users := []clientuser.User{
			{ID: 101, ClientID: 12345, Login: "operator1", Name: "Ivan Petrov", Access: clientuser.AccessFull, Status: clientuser.StatusActive},
			{ID: 102, ClientID: 12345, Login: "operator2", Name: "Anna Smirnova", Access: clientuser.AccessReadOnly, Status: clientuser.StatusActive},
		}
		var out []clientuser.User
		for _, u := range users {
			if logins := r.URL.Query()["login"]; len(logins) == 0 || slices.Contains(logins, u.Login) {
				out = append(out, u)
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	mux.HandleFunc("GET /api/ver1.0/client/{client}/user/extension/{$}", authorized(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":201,"extension_id":5001,"login":"ext100","name":"Reception","access":"full","status":"active"}]`)
	}))
	mux.HandleFunc("GET /api/ver1.0/client/{client}/user/{kind}/{id}", authorized(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message": "Record not found"}`)
	}))
	return &http.Client{Transport: handlerTransport{mux}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

func Example() {
	var tokens atomic.Int32
	c, err := clientuser.New(
		clientuser.WithClientCredentials("my-app-id", "my-app-secret"),
		clientuser.WithHTTPClient(exampleServer(&tokens)),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Filters are arrays, sent as repeated keys: ?login=operator1&login=operator2.
	users, err := c.List(ctx, clientuser.Me, clientuser.ListOptions{Login: []string{"operator2"}})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.ID, u.Login, u.Access)
	}

	_, err = c.Get(ctx, clientuser.Me, 999)
	var apiErr *clientuser.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, errors.Is(err, clientuser.ErrNotFound))
	}
	// Output:
	// 102 operator2 read_only
	// 404 Record not found true
}

// All pages through the list with page and per_page. Telphin does not document paging
// for the user lists, and this server ignores it: All yields its whole list once and stops.
func ExampleClient_All() {
	var tokens atomic.Int32
	c, err := clientuser.New(
		clientuser.WithClientCredentials("my-app-id", "my-app-secret"),
		clientuser.WithHTTPClient(exampleServer(&tokens)),
	)
	if err != nil {
		log.Fatal(err)
	}
	for u, err := range c.All(context.Background(), clientuser.Me, clientuser.ListOptions{PerPage: 50}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.ID, u.Login)
	}
	// Output:
	// 101 operator1
	// 102 operator2
}

// One token serves both packages: the extensionuser client takes the clientuser client's
// token source, so the two share one cached token and renew it together after a 401.
func ExampleClient_TokenSource() {
	var tokens atomic.Int32
	hc := exampleServer(&tokens)

	users, err := clientuser.New(
		clientuser.WithClientCredentials("my-app-id", "my-app-secret"),
		clientuser.WithHTTPClient(hc),
	)
	if err != nil {
		log.Fatal(err)
	}
	extensions, err := extensionuser.New(
		extensionuser.WithTokenSource(users.TokenSource()),
		extensionuser.WithHTTPClient(hc),
	)
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	cu, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	eu, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(cu), "client users,", len(eu), "extension user")
	fmt.Println("tokens fetched:", tokens.Load())
	// Output:
	// 2 client users, 1 extension user
	// tokens fetched: 1
}

func ExampleClient_Create() {
	c, err := clientuser.New(clientuser.WithToken("my-token"))
	if err != nil {
		log.Fatal(err)
	}
	// Missing required fields are refused before anything is sent.
	_, err = c.Create(context.Background(), clientuser.Me, &clientuser.CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass",
	})
	var ve *clientuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true email
}

func ExampleUpdateRequest() {
	// Only the fields that are set go on the wire; a pointer to "" clears a field.
	req := &clientuser.UpdateRequest{Status: clientuser.Ptr(clientuser.StatusBlocked), Comment: clientuser.Ptr("")}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output: {"status":"blocked","comment":""}
}

func ExampleClient_RateLimit() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "1000")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", "1800") // seconds
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"message":"Request limit exceeded","status":"rate_limit_exceeded"}`)
	})
	c, err := clientuser.New(clientuser.WithToken("my-token"), clientuser.WithHTTPClient(&http.Client{Transport: handlerTransport{mux}}))
	if err != nil {
		log.Fatal(err)
	}

	// The hourly budget is spent: the call fails at once instead of sleeping half an hour.
	_, err = c.List(context.Background(), clientuser.Me, clientuser.ListOptions{})
	var rl *clientuser.RateLimitError
	if errors.As(err, &rl) {
		fmt.Println(rl.Code, "- retry in", time.Until(rl.Reset).Round(time.Minute))
	}
	last, _ := c.RateLimit()
	fmt.Println(last.Remaining, "of", last.Limit, "left")
	// Output:
	// rate_limit_exceeded - retry in 30m0s
	// 0 of 1000 left
}
