// Command quickstart tours the SDK's five APIs: for each it creates a user, lists with a
// filter, reads, updates and deletes it, shows a retried 503 and a typed error; DeviceHive
// adds a network assignment, device types and a refreshed token, and the two Telphin APIs
// share one OAuth token.
//
//	go run ./examples/quickstart
//
// With no configuration every API runs against its in-memory fake, started in-process. To
// use real servers, set an API's variables; its tour then runs against that server and
// touches only what it creates:
//
//	BACKOFFICE_BASE_URL, BACKOFFICE_TOKEN                        B2Core Back Office
//	TELPHIN_APP_ID, TELPHIN_APP_SECRET, TELPHIN_EXTENSION_ID,
//	TELPHIN_BASE_URL (optional)                                  Telphin cloud PBX
//	REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD,
//	REVIVE_ACCOUNT_ID                                            Revive Adserver
//	DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN, DEVICEHIVE_PASSWORD,
//	DEVICEHIVE_AUTH_URL, DEVICEHIVE_NETWORK_ID (optional)        DeviceHive
//
// One program per API, with the same rules, is in examples/backoffice, examples/clientuser,
// examples/extensionuser, examples/accountuser and examples/iotuser.
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
