package usersdk_test

import (
	"context"
	"fmt"
	"os"

	"github.com/usersdk/usersdk-go/accountuser"
	"github.com/usersdk/usersdk-go/backoffice"
	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/iotuser"
)

// The README's sections on each package. They are compiled, not run: they need real
// servers. TestReadme keeps each equal to its README block.

// readmeAccountuser is the README's accountuser section.
func readmeAccountuser(ctx context.Context, pw string) error {
	// README:begin
	c, err := accountuser.New(
		accountuser.WithBaseURL("https://revive.example.com/api"), // where the REST API is installed
		accountuser.WithBasicAuth(os.Getenv("REVIVE_USER"), os.Getenv("REVIVE_PASSWORD")),
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &accountuser.CreateRequest{ // POST /usr/new as text/javascript
		ContactName: "Mary", EmailAddress: "mary@example.com", DefaultAccountID: 2,
		Username: "mary", Password: pw,
	})
	if err != nil {
		return err
	}
	users, err := c.ListByAccount(ctx, 2) // GET /usr/acc/2 (WithPubListPath: /pub/usr/acc/2)
	if err != nil {
		return err
	}
	for _, user := range users {
		fmt.Println(user.UserID, user.Username, user.Active.Bool()) // "21" and "1" on the wire
	}
	_, err = c.Update(ctx, u.UserID, &accountuser.UpdateRequest{Active: accountuser.Ptr(accountuser.Disabled)}) // sends {"active":"0"}
	// README:end
	return err
}

// readmeBackoffice is the README's backoffice section.
func readmeBackoffice(ctx context.Context, pw string) error {
	// README:begin
	c, err := backoffice.New(
		backoffice.WithBaseURL("https://bo.example.com"),
		backoffice.WithToken(os.Getenv("BACKOFFICE_TOKEN")), // or WithTokenSource(oauth2.TokenSource)
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &backoffice.CreateRequest{
		Name: "Mary", Email: "mary@example.com", Password: pw, Active: true, Groups: []int64{1},
	})
	if err != nil {
		return err
	}
	for u, err := range c.All(ctx, backoffice.ListOptions{Name: "Mary"}) { // pages with limit/offset
		if err != nil {
			return err
		}
		fmt.Println(u.ID, u.Email)
	}
	_, err = c.Patch(ctx, u.ID, &backoffice.UpdateRequest{Active: backoffice.Ptr(false)}) // sends {"active":false}
	// README:end
	return err
}

// readmeTelphin is the README's Telphin section (clientuser and extensionuser).
func readmeTelphin(ctx context.Context, pw string) error {
	// README:begin
	users, err := clientuser.New(
		clientuser.WithClientCredentials(os.Getenv("TELPHIN_APP_ID"), os.Getenv("TELPHIN_APP_SECRET")),
	)
	if err != nil {
		return err
	}
	// One token for both packages: fetched once, renewed together after a 401.
	extensions, err := extensionuser.New(extensionuser.WithTokenSource(users.TokenSource()))
	if err != nil {
		return err
	}
	u, err := users.Create(ctx, clientuser.Me, &clientuser.CreateRequest{ // POST /client/@me/user/client/
		Login: "auditor", Name: "Olga Ivanova", Password: pw, Email: "olga@example.com",
		Access: clientuser.AccessReadOnly,
	})
	if err != nil {
		return err
	}
	list, err := extensions.List(ctx, extensionuser.Me, extensionuser.ListOptions{
		ExtensionID: []int64{5001, 5002}, // ?extension_id=5001&extension_id=5002
	})
	if err != nil {
		return err
	}
	for _, e := range list {
		fmt.Println(e.ID, e.ExtensionID, e.Login)
	}
	_, err = users.Update(ctx, clientuser.Me, u.ID, &clientuser.UpdateRequest{
		Status: clientuser.Ptr(clientuser.StatusBlocked), // sends {"status":"blocked"}
	})
	// README:end
	return err
}

// readmeIotuser is the README's iotuser section.
func readmeIotuser(ctx context.Context, pw string) error {
	// README:begin
	c, err := iotuser.New(
		iotuser.WithBaseURL("https://dh.example.com/dh/rest"),
		iotuser.WithAuthURL("https://dh.example.com:8090/dh/rest"), // the auth service: DeviceHive serves /token there
		iotuser.WithLogin("dhadmin", os.Getenv("DH_PASSWORD")),     // or WithTokens(access, refresh)
	)
	if err != nil {
		return err
	}
	u, err := c.Create(ctx, &iotuser.CreateRequest{Login: "mary", Role: iotuser.Ptr(iotuser.RoleClient), Password: pw})
	if err != nil {
		return err // a taken login: errors.Is(err, iotuser.ErrConflict), though the server says 403
	}
	for u, err := range c.All(ctx, iotuser.ListOptions{LoginPattern: "mar%"}) { // pages with take/skip
		if err != nil {
			return err
		}
		fmt.Println(u.ID, u.Login, u.Role, u.LastLogin) // lastLogin arrives without a zone
	}
	cur, err := c.Get(ctx, u.ID)
	if err != nil {
		return err
	}
	// An update that leaves data out clears it on the server: send it back to keep it.
	err = c.Update(ctx, u.ID, &iotuser.UpdateRequest{Status: iotuser.Ptr(iotuser.StatusDisabled), Data: &cur.Data})
	// README:end
	return err
}
