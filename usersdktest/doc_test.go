package usersdktest_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// methods returns the documented methods of type name as go doc lists them for the
// package in dir: method name → doc comment.
func methods(t *testing.T, dir, name string) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "example.com/"+filepath.Base(dir))
	require.NoError(t, err)
	for _, typ := range pkg.Types {
		if typ.Name == name {
			out := map[string]string{}
			for _, m := range typ.Methods {
				out[m.Name] = m.Doc
			}
			return out
		}
	}
	t.Fatalf("%s declares no type %s", dir, name)
	return nil
}

// TestFakesDocumentTheirKnobs checks what go doc of each fake shows: every method of
// usersdktest.Server (FailNext, Inject, Requests, ...) as a documented method of the
// fake's own Server, and in extensionusertest every method of clientusertest.Server.
func TestFakesDocumentTheirKnobs(t *testing.T) {
	knobs := methods(t, ".", "Server")
	require.Contains(t, knobs, "FailNext")
	telphin := methods(t, "../clientuser/clientusertest", "Server")
	for dir, want := range map[string]map[string]string{
		"../backoffice/backofficetest":       knobs,
		"../accountuser/accountusertest":     knobs,
		"../iotuser/iotusertest":             knobs,
		"../clientuser/clientusertest":       knobs,
		"../extensionuser/extensionusertest": telphin,
	} {
		got := methods(t, dir, "Server")
		for name := range want {
			assert.NotEmpty(t, got[name], "%s: Server.%s is not documented", dir, name)
		}
	}
}
