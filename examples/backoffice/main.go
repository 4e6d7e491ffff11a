// Command backoffice walks through the B2Core Back Office users API: create, list with a
// filter, get, patch, a retried 503, delete and a typed 404.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server:
//
//	BACKOFFICE_BASE_URL=https://bo.example.com BACKOFFICE_TOKEN=... go run ./examples/backoffice
//
// Against a real server it touches only the user it creates, and deletes it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/usersdk/usersdk-go/examples/internal/tour"
)

func main() {
	if err := tour.Backoffice(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "backoffice:", err)
		os.Exit(1)
	}
}
