// Command quickstart tours the SDK's five APIs with the code of the one-API programs: for
// each it builds a client, creates a user, lists with a filter, reads, updates, shows a
// typed 404 and deletes the user. Then it shows, against fakes that misbehave on cue, what
// the SDK does when a server does: a 503 retried, an expired token renewed, and one OAuth
// token shared by the two Telphin clients.
//
//	go run ./examples/quickstart
//
// With no configuration every API runs against its in-memory fake, started in-process. To
// use real servers, set an API's variables; its part of the tour then runs against that
// server and touches only the user it creates:
//
//	BACKOFFICE_BASE_URL, BACKOFFICE_TOKEN                        B2Core Back Office
//	TELPHIN_APP_ID, TELPHIN_APP_SECRET, TELPHIN_EXTENSION_ID,
//	TELPHIN_BASE_URL (optional)                                  Telphin cloud PBX
//	REVIVE_BASE_URL, REVIVE_USER, REVIVE_PASSWORD,
//	REVIVE_ACCOUNT_ID                                            Revive Adserver
//	DEVICEHIVE_BASE_URL, DEVICEHIVE_LOGIN, DEVICEHIVE_PASSWORD,
//	DEVICEHIVE_AUTH_URL, DEVICEHIVE_NETWORK_ID (optional)        DeviceHive
//
// With USERSDK_RECORD=DIR the tour writes each exchange, secrets redacted, under DIR/<api>/
// (the misbehaving fakes' staged answers are not recorded).
//
// The one-API programs are examples/backoffice, examples/clientuser,
// examples/extensionuser, examples/accountuser and examples/iotuser. Their run functions
// are copied into this package by go generate (backoffice.go, clientuser.go, …): edit the
// programs, never the copies.
package main

//go:generate go run ../internal/programcopy

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/usersdk/usersdk-go/examples/internal/server"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	err := run(ctx, os.Stdout, os.Getenv)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run tours the five APIs, then the SDK's handling of misbehaving servers, and stops at
// the first failure.
func run(ctx context.Context, w io.Writer, env server.Env) error {
	for _, t := range []struct {
		name string
		run  func() error
	}{
		{"backoffice", func() error { return walk(ctx, w, env, server.ForBackoffice, runBackoffice) }},
		{"clientuser", func() error { return walk(ctx, w, env, server.ForClientuser, runClientuser) }},
		{"extensionuser", func() error { return walk(ctx, w, env, server.ForExtensionuser, runExtensionuser) }},
		{"accountuser", func() error { return walk(ctx, w, env, server.ForAccountuser, runAccountuser) }},
		{"iotuser", func() error { return walk(ctx, w, env, server.ForIotuser, runIotuser) }},
		{"misbehaving servers", func() error { return misbehaving(ctx, w) }},
	} {
		if err := t.run(); err != nil {
			return fmt.Errorf("%s: %w", t.name, err)
		}
	}
	fmt.Fprintln(w, "\nDone: every step succeeded.")
	return nil
}

// walk runs one API's program: where to send the requests, then its steps.
func walk[S interface{ Close() }](ctx context.Context, w io.Writer, env server.Env,
	setup func(server.Env) (S, error), steps func(context.Context, io.Writer, S) error) error {
	srv, err := setup(env)
	if err != nil {
		return err
	}
	defer srv.Close()
	return steps(ctx, w, srv)
}
