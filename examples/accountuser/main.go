// Command accountuser walks through the Revive Adserver user API: create, list an account,
// get, update, a retried 503, delete and a typed not-found error.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server:
//
//	REVIVE_BASE_URL=https://revive.example.com/api REVIVE_USER=... REVIVE_PASSWORD=... \
//	REVIVE_ACCOUNT_ID=2 go run ./examples/accountuser
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
	if err := tour.Accountuser(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "accountuser:", err)
		os.Exit(1)
	}
}
