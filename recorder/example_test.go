package recorder_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/usersdk/usersdk-go/recorder"
)

// Record one exchange: the bearer token and the password are redacted, the rest is kept.
func ExampleNew() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"id":7,"name":"Mary","email":"mary@example.com"}`)
	}))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "recordings")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	rec := recorder.New(filepath.Join(dir, "backoffice"))
	client := &http.Client{Transport: rec} // give this client to the SDK: backoffice.WithHTTPClient(client)

	req, _ := http.NewRequest("POST", srv.URL+"/api/v2/users",
		strings.NewReader(`{"name":"Mary","email":"mary@example.com","password":"correct horse"}`))
	req.Header.Set("Authorization", "Bearer my-real-token")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()

	for _, f := range rec.Files() {
		b, _ := os.ReadFile(f)
		fmt.Printf("%s:\n%s", filepath.Base(f), b)
	}
	// Output:
	// 001-post-users.json:
	// {
	//   "request": {
	//     "method": "POST",
	//     "path": "/api/v2/users",
	//     "headers": {
	//       "Authorization": "Bearer REDACTED",
	//       "Content-Type": "application/json"
	//     },
	//     "body": {
	//       "email": "mary@example.com",
	//       "name": "Mary",
	//       "password": "REDACTED"
	//     }
	//   },
	//   "response": {
	//     "status": 201,
	//     "headers": {
	//       "Content-Type": "application/json"
	//     },
	//     "body": {
	//       "email": "mary@example.com",
	//       "id": 7,
	//       "name": "Mary"
	//     }
	//   }
	// }
}

// The example programs record only when USERSDK_RECORD names a directory.
func ExampleFromEnv() {
	rt, err := recorder.FromEnv("backoffice", nil) // $USERSDK_RECORD/backoffice
	if err != nil {
		log.Fatal(err)
	}
	client := http.DefaultClient
	if rt != nil {
		client = &http.Client{Transport: rt}
	}
	_ = client // backoffice.New(backoffice.WithHTTPClient(client), ...)
}
