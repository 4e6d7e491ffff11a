// Command gen writes common.go into a family package: its Option type, the common
// options and the error types and sentinels, all forwarding to internal/core, so that the
// five packages offer the same surface from one source.
//
// Usage (from a family package's directory, through go generate):
//
//	go run ../internal/gen -pkg backoffice
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"go/format"
	"log"
	"os"
	"strings"
	"text/template"
)

func main() {
	pkg := flag.String("pkg", "", "package name")
	out := flag.String("o", "common.go", "output file")
	redact := flag.String("redact", "", "comma-separated types that hold secrets: they get String, GoString and LogValue methods that redact them")
	flag.Parse()
	if *pkg == "" {
		log.Fatal("gen: -pkg is required")
	}
	var types []string
	if *redact != "" {
		types = strings.Split(*redact, ",")
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, struct {
		Pkg    string
		Redact []string
	}{*pkg, types}); err != nil {
		log.Fatal(err)
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// common.go.tmpl is the template; it is kept apart from the code so that it reads as the
// file it makes.
//
//go:embed common.go.tmpl
var commonTemplate string

var tmpl = template.Must(template.New("common").Parse(commonTemplate))
