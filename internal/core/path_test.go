package core

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	usersdk "github.com/usersdk/usersdk-go"
)

func TestSegmentStaysOneSegment(t *testing.T) {
	for in, want := range map[string]string{
		"@me":          "@me",
		"42":           "42",
		"../1":         "..%2F1",
		"a/b":          "a%2Fb",
		"..":           "%2E%2E",
		".":            "%2E",
		"a?b#c":        "a%3Fb%23c",
		"100%":         "100%25",
		"пользователь": "%D0%BF%D0%BE%D0%BB%D1%8C%D0%B7%D0%BE%D0%B2%D0%B0%D1%82%D0%B5%D0%BB%D1%8C",
	} {
		got := Segment(in)
		assert.Equal(t, want, got, in)
		u, err := url.Parse("https://h/c/" + got + "/u")
		require.NoError(t, err)
		assert.Equal(t, 3, strings.Count(u.EscapedPath(), "/"), in)
	}
	_, err := PathSegment("clientID", " ")
	assert.ErrorIs(t, err, usersdk.ErrInvalidInput)
}
