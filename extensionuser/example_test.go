package extensionuser_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
)

// exampleServer stands in for Telphin in these examples: a token endpoint (whose tokens
// carry no expires_in, as Telphin's sometimes do) and the two user lists. It counts the
// tokens it issues and prints the extension list's query.
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
		fmt.Fprint(w, `{"access_token":"example-token","token_type":"Bearer","scope":"all"}`)
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
	mux.HandleFunc("GET /api/ver1.0/client/{client}/user/extension/{$}", authorized(func(w http.ResponseWriter, r *http.Request) {
		if c := r.PathValue("client"); c != "@me" && c != "12345" {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Client not found","status":"client_not_found"}`)
			return
		}
		if r.URL.RawQuery != "" {
			fmt.Println("query:", r.URL.RawQuery)
		}
		fmt.Fprint(w, `[{"id":201,"extension_id":5001,"login":"ext100","name":"Reception","access":"full","status":"active"},
			{"id":202,"extension_id":5002,"login":"ext101","name":"Sales line","access":"read_only","status":"active"}]`)
	}))
	mux.HandleFunc("GET /api/ver1.0/client/{client}/user/client/{$}", authorized(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":101,"client_id":12345,"login":"operator1","access":"full","status":"active"}]`)
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
	c, err := extensionuser.New(
		extensionuser.WithClientCredentials("my-app-id", "my-app-secret"),
		extensionuser.WithHTTPClient(exampleServer(&tokens)),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Every filter is an array, sent as repeated query keys.
	users, err := c.List(ctx, extensionuser.Me, extensionuser.ListOptions{
		ExtensionID: []int64{5001, 5002},
		Status:      []extensionuser.Status{extensionuser.StatusActive},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.ID, u.ExtensionID, u.Login, u.Access)
	}

	_, err = c.List(ctx, "777", extensionuser.ListOptions{})
	var apiErr *extensionuser.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Code, errors.Is(err, extensionuser.ErrNotFound))
	}
	// Output:
	// query: extension_id=5001&extension_id=5002&status=active
	// 201 5001 ext100 full
	// 202 5002 ext101 read_only
	// 404 client_not_found true
}

// One token serves both packages: the clientuser client takes the extensionuser client's
// token source, so the two share one cached token and renew it together after a 401.
func ExampleWithTokenSource() {
	var tokens atomic.Int32
	hc := exampleServer(&tokens)

	extensions, err := extensionuser.New(
		extensionuser.WithClientCredentials("my-app-id", "my-app-secret"),
		extensionuser.WithHTTPClient(hc),
	)
	if err != nil {
		log.Fatal(err)
	}
	users, err := clientuser.New(
		clientuser.WithTokenSource(extensions.TokenSource()),
		clientuser.WithHTTPClient(hc),
	)
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	eu, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	cu, err := users.List(ctx, clientuser.Me, clientuser.ListOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(eu), "extension users,", len(cu), "client user")
	fmt.Println("tokens fetched:", tokens.Load())
	// Output:
	// 2 extension users, 1 client user
	// tokens fetched: 1
}

func ExampleClient_Create() {
	c, err := extensionuser.New(extensionuser.WithToken("my-token"))
	if err != nil {
		log.Fatal(err)
	}
	// Missing required fields are refused before anything is sent.
	_, err = c.Create(context.Background(), extensionuser.Me, &extensionuser.CreateRequest{
		Login: "ext102", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
	})
	var ve *extensionuser.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	// Output: true extension_id
}

func ExampleUpdateRequest() {
	// Only the fields that are set go on the wire: this moves the user to internal number
	// 5004 and leaves everything else alone.
	req := &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr[int64](5004)}
	body, _ := json.Marshal(req)
	fmt.Println(string(body))
	// Output: {"extension_id":5004}
}
