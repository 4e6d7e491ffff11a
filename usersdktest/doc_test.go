package usersdktest_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docOf returns go doc's view of the package in dir.
func docOf(t *testing.T, dir string) *doc.Package {
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
	return pkg
}

// server returns go doc's view of the package's type Server.
func server(t *testing.T, pkg *doc.Package) *doc.Type {
	t.Helper()
	for _, typ := range pkg.Types {
		if typ.Name == "Server" {
			return typ
		}
	}
	t.Fatalf("%s declares no type Server", pkg.Name)
	return nil
}

// embedded returns the doc comment of the field of typ that embeds *pkg.Server, and whether
// there is one.
func embedded(typ *doc.Type, pkg string) (string, bool) {
	st := typ.Decl.Specs[0].(*ast.TypeSpec).Type.(*ast.StructType)
	for _, f := range st.Fields.List {
		star, ok := f.Type.(*ast.StarExpr)
		if !ok || len(f.Names) > 0 {
			continue
		}
		if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Server" && sel.X.(*ast.Ident).Name == pkg {
			return f.Doc.Text(), true
		}
	}
	return "", false
}

// TestFakesDocumentTheirKnobs checks what go doc of each fake shows of the knobs its
// Server gets by embedding: the embedded usersdktest.Server (clientusertest.Server in
// extensionusertest), documented, and every knob named in the package doc. Close and
// Client, which every server has, need no mention.
func TestFakesDocumentTheirKnobs(t *testing.T) {
	knobs := server(t, docOf(t, ".")).Methods
	require.NotEmpty(t, knobs)
	telphin := server(t, docOf(t, "../clientuser/clientusertest")).Methods
	require.NotEmpty(t, telphin)
	for dir, want := range map[string]struct {
		embeds string
		knobs  []*doc.Func
	}{
		"../backoffice/backofficetest":       {"usersdktest", knobs},
		"../accountuser/accountusertest":     {"usersdktest", knobs},
		"../iotuser/iotusertest":             {"usersdktest", knobs},
		"../clientuser/clientusertest":       {"usersdktest", knobs},
		"../extensionuser/extensionusertest": {"clientusertest", append(telphin, knobs...)},
	} {
		pkg := docOf(t, dir)
		comment, ok := embedded(server(t, pkg), want.embeds)
		if assert.True(t, ok, "%s: Server does not embed *%s.Server", dir, want.embeds) {
			assert.NotEmpty(t, comment, "%s: the embedded %s.Server is not documented", dir, want.embeds)
		}
		for _, m := range want.knobs {
			if m.Name != "Close" && m.Name != "Client" {
				// A whole word: "Requests" inside "ResetRequests" does not count.
				named := regexp.MustCompile(`\b` + m.Name + `\b`).MatchString(pkg.Doc)
				assert.True(t, named, "%s: the package doc does not name Server.%s", dir, m.Name)
			}
		}
	}
}
