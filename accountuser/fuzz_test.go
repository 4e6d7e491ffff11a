package accountuser

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
)

// FuzzSuccessBody feeds any 2xx body to every operation: none may panic, a result and an
// error never come together, Get never returns a zero user and Revive's error object is
// always an *APIError.
func FuzzSuccessBody(f *testing.F) {
	for _, seed := range []string{
		`{"userId":"21","contactName":"John Doe","emailAddress":"john.doe@example.com","username":"johndoe","password":null,"defaultAccountId":"2","active":"1"}`,
		`[{"userId":21,"active":true}]`, `{"error":{"type":"Exception","message":"Unknown userId Error"}}`,
		`{"error":"x"}`, `{"OK"}`, `null`, ``, `true`, `{"userId":null}`, `[`, `{"userId":"1","error":{}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(http.StatusOK, body)
			resp.Request = req
			return resp, nil
		})
		c, err := New(WithBaseURL("https://api.test"), WithBasicAuth("u", "p"), WithHTTPClient(&http.Client{Transport: mt}), WithoutRetries())
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		isError := isErrorObject([]byte(body))
		checkAPIError := func(op string, err error) {
			var apiErr *APIError
			if isError && !errors.As(err, &apiErr) {
				t.Fatalf("%s: error object %q gave %v", op, body, err)
			}
		}

		u, err := c.Get(ctx, 1)
		if (u == nil) == (err == nil) {
			t.Fatalf("Get: user %v and error %v", u, err)
		}
		if u != nil && u.UserID == 0 {
			t.Fatalf("Get: zero user from %q", body)
		}
		checkAPIError("Get", err)

		users, err := c.ListByAccount(ctx, 1)
		if users != nil && err != nil {
			t.Fatalf("ListByAccount: users %v and error %v", users, err)
		}
		checkAPIError("ListByAccount", err)

		u, err = c.Update(ctx, 1, &UpdateRequest{Active: Ptr(Enabled)})
		if u != nil && err != nil {
			t.Fatalf("Update: user %v and error %v", u, err)
		}
		checkAPIError("Update", err)

		err = c.Delete(ctx, 1)
		checkAPIError("Delete", err)
		if !isError && err != nil {
			t.Fatalf("Delete: %q is not an error object, got %v", body, err)
		}
	})
}
