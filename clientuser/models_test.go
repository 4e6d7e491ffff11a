package clientuser_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersdk/usersdk-go/clientuser"
	"github.com/usersdk/usersdk-go/internal/telphin/telphintest"
)

// This package's models, pinned to its recordings in testdata/. What both packages'
// models share (validation, what goes on the wire, redaction) is in the shared suite.

func TestRequestsMatchRecordings(t *testing.T) {
	telphintest.MatchesRecording(t, "create", &clientuser.CreateRequest{
		Login: "auditor", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
		Access: clientuser.AccessReadOnly, Comment: "External auditor", Status: clientuser.StatusActive,
		ExtraParams: "audit-2024", Timezone: "Europe/Moscow", EmailNotify: clientuser.Ptr(true), EmailForNotify: "it@example.com",
	})
	// The optional fields left out.
	telphintest.MatchesRecording(t, "create_forbidden", &clientuser.CreateRequest{
		Login: "intruder", Name: "Olga Ivanova", Password: "S3cret-pass", Email: "olga.ivanova@example.com",
	})
	telphintest.MatchesRecording(t, "update", &clientuser.UpdateRequest{
		Name: clientuser.Ptr("Olga V. Ivanova"), Status: clientuser.Ptr(clientuser.StatusBlocked),
		Comment: clientuser.Ptr(""), Password: clientuser.Ptr("N3w-secret"),
	})
}

func TestListOptionsQuery(t *testing.T) {
	v := telphintest.QueryMatchesRecording(t, "list", clientuser.ListOptions{
		Login: []string{"operator1", "operator2"}, ID: []int64{101, 102}})
	assert.Equal(t, "id=101&id=102&login=operator1&login=operator2", v.Encode())
	telphintest.QueryMatchesRecording(t, "list_page", clientuser.ListOptions{Login: []string{"operator2"}, Page: 2, PerPage: 1})
	assert.Equal(t, "login=a%2Bb%40example.com",
		telphintest.Query(t, clientuser.ListOptions{Login: []string{"a+b@example.com"}}).Encode())
}

func TestRecordedAnswers(t *testing.T) {
	assert.Equal(t, clientuser.User{
		ID: 101, ClientID: 12345, Login: "operator1", Name: "Ivan Petrov", Email: "ivan.petrov@example.com",
		Comment: "Head office", Access: clientuser.AccessFull, Status: clientuser.StatusActive,
		ExtraParams: `{"crm_id": 17}`, Timezone: "Europe/Moscow",
	}, telphintest.Answer[clientuser.User](t, "get"))

	list := telphintest.Answer[[]clientuser.User](t, "list")
	require.Len(t, list, 2)
	assert.Equal(t, "operator1", list[0].Login)
	assert.Equal(t, int64(102), list[1].ID)
	assert.Equal(t, clientuser.AccessReadOnly, list[1].Access)
	assert.Equal(t, int64(12345), list[1].ClientID)
	page := telphintest.Answer[[]clientuser.User](t, "list_page")
	require.Len(t, page, 1)
	assert.Equal(t, int64(102), page[0].ID)

	created := telphintest.Answer[clientuser.User](t, "create")
	assert.Equal(t, int64(103), created.ID)
	assert.Equal(t, "auditor", created.Login)
	updated := telphintest.Answer[clientuser.User](t, "update")
	assert.Equal(t, int64(103), updated.ID)
	assert.Equal(t, clientuser.StatusBlocked, updated.Status)
	assert.Empty(t, updated.Comment)
}

func TestEnumWireValues(t *testing.T) {
	telphintest.WireValues(t, map[any]string{
		clientuser.AccessFull: "full", clientuser.AccessReadOnly: "read_only",
		clientuser.StatusActive: "active", clientuser.StatusBlocked: "blocked", clientuser.Me: "@me",
	})
	// The recordings carry @me as is: path escaping leaves it alone.
	assert.Equal(t, clientuser.Me, url.PathEscape(clientuser.Me))
}
