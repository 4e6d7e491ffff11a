// Command iotuser walks through the DeviceHive user API: the login session, create, list
// with a login pattern, get, an update that keeps data, a network assignment, device
// types, a refreshed token, a retried 503, delete and a typed 404.
//
// With no configuration it runs against the SDK's in-memory fake. To use a real server:
//
//	DEVICEHIVE_BASE_URL=https://dh.example.com/dh/rest \
//	DEVICEHIVE_AUTH_URL=https://dh.example.com/auth/rest \
//	DEVICEHIVE_LOGIN=dhadmin DEVICEHIVE_PASSWORD=... DEVICEHIVE_NETWORK_ID=1 go run ./examples/iotuser
//
// The SDK refuses credentials over plain http to a host that is not loopback. Against a
// real server it touches only the user it creates, and deletes it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/usersdk/usersdk-go/examples/internal/tour"
)

func main() {
	if err := tour.Iotuser(context.Background(), os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "iotuser:", err)
		os.Exit(1)
	}
}
