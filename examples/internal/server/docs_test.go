package server

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsNameEveryVariable keeps the programs' doc comments and the README in step with
// the variables this package reads.
func TestDocsNameEveryVariable(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(b)
	}
	readme, quickstart := read("../../../README.md"), read("../../quickstart/main.go")
	for program, vars := range map[string][]string{
		"backoffice":    BackofficeVars,
		"clientuser":    {"TELPHIN_APP_ID", "TELPHIN_APP_SECRET", "TELPHIN_BASE_URL"},
		"extensionuser": TelphinVars,
		"accountuser":   AccountuserVars,
		"iotuser":       IotuserVars,
	} {
		doc := read("../../" + program + "/main.go")
		for _, v := range vars {
			assert.Contains(t, doc, v, program)
			assert.Contains(t, quickstart, v, "quickstart")
			assert.Contains(t, readme, v, "README")
		}
	}
}
