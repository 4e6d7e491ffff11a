package extensionuser_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/extensionuser"
	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// The models pinned to testdata/, and the internal number a user belongs to; the shared
// suite checks the rest of what the requests send, refuse and print.

func TestRequestsMatchRecordings(t *testing.T) {
	telphintest.MatchesRecording(t, "create", &extensionuser.CreateRequest{
		ExtensionID: 5003, Login: "ext102", Name: "Support line", Password: "S3cret-pass", Email: "support@example.com",
		Access: extensionuser.AccessFull, Comment: "Night shift", Status: extensionuser.StatusActive,
		ExtraParams: "shift=night", Timezone: "Asia/Novosibirsk", EmailNotify: extensionuser.Ptr(false),
	})
	telphintest.MatchesRecording(t, "create_forbidden", &extensionuser.CreateRequest{ExtensionID: 5003, Login: "intruder",
		Name: "Support line", Password: "S3cret-pass", Email: "support@example.com"})
	telphintest.MatchesRecording(t, "update", &extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr[int64](5004),
		Access: extensionuser.Ptr(extensionuser.AccessReadOnly), Timezone: extensionuser.Ptr("Europe/Moscow"),
		Email: extensionuser.Ptr("support-team@example.com")})
}

func TestListOptionsQuery(t *testing.T) {
	v := telphintest.QueryMatchesRecording(t, "list", extensionuser.ListOptions{
		ExtensionID: []int64{5001, 5002},
		Status:      []extensionuser.Status{extensionuser.StatusActive},
		Access:      []extensionuser.Access{extensionuser.AccessFull, extensionuser.AccessReadOnly},
		Login:       []string{"ext100", "ext101"},
	})
	assert.Equal(t, "access=full&access=read_only&extension_id=5001&extension_id=5002&login=ext100&login=ext101&status=active", v.Encode())
	telphintest.QueryMatchesRecording(t, "list_page", extensionuser.ListOptions{Login: []string{"ext101"}, Page: 2, PerPage: 1})
	assert.Equal(t, url.Values{
		"id": {"1"}, "extension_id": {"2"}, "login": {"l"}, "name": {"n"}, "email": {"e"},
		"comment": {"c"}, "access": {"full"}, "status": {"blocked"}, "timezone": {"UTC"},
	}, telphintest.Query(t, extensionuser.ListOptions{
		ID: []int64{1}, ExtensionID: []int64{2}, Login: []string{"l"}, Name: []string{"n"},
		Email: []string{"e"}, Comment: []string{"c"}, Access: []extensionuser.Access{extensionuser.AccessFull},
		Status: []extensionuser.Status{extensionuser.StatusBlocked}, Timezone: []string{"UTC"},
	}), "every filter the API lists, under its own name")
}

func TestRecordedAnswers(t *testing.T) {
	assert.Equal(t, extensionuser.User{
		ID: 201, ExtensionID: 5001, Login: "ext100", Name: "Reception", Email: "reception@example.com",
		Comment: "Front desk", Access: extensionuser.AccessFull, Status: extensionuser.StatusActive, Timezone: "Europe/Moscow",
	}, telphintest.Answer[extensionuser.User](t, "get"))
	list := telphintest.Answer[[]extensionuser.User](t, "list")
	require.Len(t, list, 2)
	assert.Equal(t, []int64{5001, 5002}, []int64{list[0].ExtensionID, list[1].ExtensionID})
	assert.Equal(t, extensionuser.AccessReadOnly, list[1].Access)
	assert.Equal(t, `{"queue": "sales"}`, list[1].ExtraParams)
	assert.Equal(t, int64(202), telphintest.Answer[[]extensionuser.User](t, "list_page")[0].ID)
	created, updated := telphintest.Answer[extensionuser.User](t, "create"), telphintest.Answer[extensionuser.User](t, "update")
	assert.Equal(t, [2]int64{203, 5003}, [2]int64{created.ID, created.ExtensionID})
	assert.Equal(t, [2]int64{203, 5004}, [2]int64{updated.ID, updated.ExtensionID}, "moved to another internal number")
	assert.Equal(t, extensionuser.AccessReadOnly, updated.Access)
}

// An update may move the user to another internal number, a positive one; the number is
// printed, the password never.
func TestUpdateRequestExtensionID(t *testing.T) {
	for id, valid := range map[int64]bool{5004: true, 0: false, -1: false} {
		err := (&extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr(id)}).Validate()
		if valid {
			assert.NoError(t, err)
			continue
		}
		var ve *extensionuser.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "extension_id", ve.Field)
	}
	update := extensionuser.UpdateRequest{ExtensionID: extensionuser.Ptr[int64](5004), Password: extensionuser.Ptr("N3w-secret")}
	telphintest.AssertRedacted(t, update, "N3w-secret", "5004")
	telphintest.AssertRedacted(t, &update, "N3w-secret", "5004")
}

func TestEnumWireValues(t *testing.T) {
	telphintest.WireValues(t, map[any]string{extensionuser.Me: "@me",
		extensionuser.AccessFull: "full", extensionuser.AccessReadOnly: "read_only",
		extensionuser.StatusActive: "active", extensionuser.StatusBlocked: "blocked"})
}
