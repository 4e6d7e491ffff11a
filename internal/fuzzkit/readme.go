package fuzzkit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/usersdk/usersdk-go/internal/readme"
)

// Readme checks that the fenced go block of the README at readmePath that holds marker is
// the snippet between "// README:begin" and "// README:end" in source, so that the README
// shows code that compiles.
func Readme(t testing.TB, source, readmePath, marker string) {
	t.Helper()
	want, err := readme.Snippet(source)
	if err != nil {
		t.Fatal(err)
	}
	checkReadme(t, source, want, readmePath, marker)
}

// ReadmeFuncs is [Readme] for files that hold several snippets, one a function: in the
// files that match the pattern sources (see [filepath.Glob]), each function with README
// markers is a subtest named after it, which holds its snippet to the README block that
// holds the snippet's first line.
func ReadmeFuncs(t *testing.T, sources, readmePath string) {
	t.Helper()
	files, err := filepath.Glob(sources)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, source := range files {
		src, err := os.ReadFile(source)
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, source, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			// readme.Snippet reads a file: give it the function's text alone.
			path := filepath.Join(t.TempDir(), fd.Name.Name+".go")
			if err := os.WriteFile(path, src[fset.Position(fd.Pos()).Offset:fset.Position(fd.End()).Offset], 0o600); err != nil {
				t.Fatal(err)
			}
			want, err := readme.Snippet(path)
			if err != nil {
				continue // no markers: not a snippet
			}
			n++
			t.Run(fd.Name.Name, func(t *testing.T) {
				first, _, _ := strings.Cut(want, "\n")
				checkReadme(t, source+" "+fd.Name.Name, want, readmePath, first)
			})
		}
	}
	if n == 0 {
		t.Fatalf("no function with README markers in %s", sources)
	}
}

// checkReadme holds the README block that holds marker to want, the snippet of name.
func checkReadme(t testing.TB, name, want, readmePath, marker string) {
	t.Helper()
	got, err := readme.Block(readmePath, marker)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("the README block with %q differs from %s:\n--- README\n%s\n--- %s\n%s", marker, name, got, name, want)
	}
}
