// Command quickstart tours the SDK's APIs: for each it creates a user, lists with a
// filter, reads, updates and deletes it, shows a retried 503 and a typed error.
//
//	go run ./examples/quickstart
//
// With no configuration every API runs against its in-memory fake, started in-process. To
// use real servers, set an API's variables (its tour is then run against that server and
// touches only what it creates):
//
//	BACKOFFICE_BASE_URL, BACKOFFICE_TOKEN           B2Core Back Office
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/usersdk/usersdk-go/examples/internal/tour"
)

func main() {
	if err := tour.All(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
