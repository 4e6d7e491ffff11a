package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckURL(t *testing.T) {
	ok := []struct {
		url         string
		creds, insc bool
	}{
		{"https://api.example.com", true, false},
		{"http://localhost:8080", true, false},
		{"http://127.0.0.1", true, false},
		{"http://[::1]:80", true, false},
		{"http://example.com", false, false},
		{"http://example.com", true, true},
	}
	for _, c := range ok {
		assert.NoError(t, checkURL(c.url, c.creds, c.insc), c.url)
	}
	for _, bad := range []string{"http://example.com", "ftp://x", "https://", "::", "https://u:p@h"} {
		assert.Error(t, checkURL(bad, true, false), bad)
	}
}

func TestURLErrorsNeverQuoteTheURL(t *testing.T) {
	for _, raw := range []string{"admin:hunter2@bo.example.com", "ftp://admin:hunter2@h", "https://admin:hunter2@", "::hunter2"} {
		err := checkURL(raw, true, false)
		require.Error(t, err, raw)
		assert.NotContains(t, err.Error(), "hunter2")
	}
}
