// Command clientuser walks through Telphin's client-level user API (package clientuser): create, list with a filter, get, update, a retried 503,
// delete and a typed 404.
//
// With no configuration it runs against the SDK's in-memory Telphin fake. To use the real
// platform:
//
//	TELPHIN_APP_ID=... TELPHIN_APP_SECRET=... TELPHIN_EXTENSION_ID=... go run ./examples/clientuser
//
// TELPHIN_BASE_URL overrides https://apiproxy.telphin.ru/api/ver1.0. Against a real server
// it touches only the user it creates, and deletes it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/usersdk/usersdk-go/examples/internal/tour"
)

func main() {
	if err := tour.ClientUser(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "clientuser:", err)
		os.Exit(1)
	}
}
