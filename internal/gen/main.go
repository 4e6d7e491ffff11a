// Command gen writes the code the API packages share in shape, from one template each, so
// that the five packages offer the same surface from one source:
//
//   - common.go in every package: its Option type, the common options, the error aliases,
//     Ptr, and the redacting String, GoString and LogValue methods of the types named
//     with -redact;
//   - telphin.go in clientuser and extensionuser (with -telphin client|extension): the
//     client, its auth options and the user endpoints, which differ between the two only
//     in the path segment and in words of their docs.
//
// Usage (from a package's directory, through go generate):
//
//	go run ../internal/gen -pkg backoffice -redact CreateRequest,UpdateRequest
//	go run ../internal/gen -pkg clientuser -telphin client
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

	"github.com/usersdk/usersdk-go/internal/telphin"
)

// The templates are kept apart from the code so that they read as the files they make.
var (
	//go:embed common.go.tmpl
	commonTemplate string
	//go:embed telphin.go.tmpl
	telphinTemplate string
)

// telphinKinds are the words that tell the two Telphin packages apart.
var telphinKinds = map[string]map[string]string{
	"client": {
		"Kind": "KindClient", "Seg": "client", "Other": "extensionuser",
		"Users":     "client-level users",
		"To":        "to a client",
		"Resources": "the client's settings and resources",
		"Settings":  "the client's settings",
	},
	"extension": {
		"Kind": "KindExtension", "Seg": "extension", "Other": "clientuser",
		"Users":     "internal-number-level users",
		"To":        "to an internal number of a client",
		"Resources": "the settings and resources of its internal number (extension)",
		"Settings":  "the extension's settings",
	},
}

func main() {
	pkg := flag.String("pkg", "", "package name")
	redact := flag.String("redact", "", "comma-separated types that hold secrets: they get String, GoString and LogValue methods that redact them")
	kind := flag.String("telphin", "", "client or extension: also write telphin.go for that Telphin package")
	flag.Parse()
	if *pkg == "" {
		log.Fatal("gen: -pkg is required")
	}
	data := map[string]any{"Pkg": *pkg}
	if *redact != "" {
		data["Redact"] = strings.Split(*redact, ",")
	}
	write("common.go", commonTemplate, data)
	if *kind != "" {
		words, ok := telphinKinds[*kind]
		if !ok {
			log.Fatalf("gen: -telphin must be client or extension, not %q", *kind)
		}
		for k, v := range words {
			data[k] = v
		}
		// The public constants take their values from internal/telphin, which uses them.
		data["Me"], data["DefaultBaseURL"], data["DefaultPageSize"] = telphin.Me, telphin.DefaultBaseURL, telphin.DefaultPageSize
		data["Codes"] = map[string]string{
			"AccessDenied": telphin.CodeAccessDenied, "UserBlocked": telphin.CodeUserBlocked,
			"UserAccessTypeDeny": telphin.CodeUserAccessTypeDeny, "AppAccessTypeDeny": telphin.CodeAppAccessTypeDeny,
			"ClientNotFound": telphin.CodeClientNotFound, "RateLimitExceeded": telphin.CodeRateLimitExceeded,
		}
		write("telphin.go", telphinTemplate, data)
	}
}

// write executes the template with data, formats the result and writes it to file.
func write(file, text string, data map[string]any) {
	t := template.Must(template.New(file).Option("missingkey=error").Parse(text))
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		log.Fatal(err)
	}
	src, err := format.Source(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(file, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
