package usersdktest_test

import (
	"fmt"
	"io"
	"log"
	"net/http"

	"github.com/usersdk/usersdk-go/usersdktest"
)

// The first request gets an injected 503; the next one reaches the handler.
func ExampleNewServer() {
	srv := usersdktest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	srv.FailNext(1, http.StatusServiceUnavailable, "2")

	for range 2 {
		resp, err := srv.Client().Get(srv.URL + "/greeting")
		if err != nil {
			log.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%d %q %s\n", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	fmt.Println(len(srv.Requests()), "requests,", srv.FaultsInjected(), "faulted")
	// Output:
	// 503 "2" injected fault 503
	// 200 "" hello
	// 2 requests, 1 faulted
}
