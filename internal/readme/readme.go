// Package readme checks that the Go snippets in README.md are the code that compiles in
// the packages' readme tests, so the README cannot drift from the API.
package readme

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Block returns the fenced go block in the README that contains marker.
func Block(readmePath, marker string) (string, error) {
	f, err := os.Open(readmePath)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var blocks []string
	var cur []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case !in && strings.HasPrefix(line, "```go"):
			in, cur = true, nil
		case in && strings.HasPrefix(line, "```"):
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	for _, b := range blocks {
		if strings.Contains(b, marker) {
			return b, nil
		}
	}
	return "", fmt.Errorf("no go block containing %q in %s", marker, readmePath)
}

// Snippet returns the lines of a Go source file between "// README:begin" and
// "// README:end", with one level of tab indentation removed.
func Snippet(sourcePath string) (string, error) {
	raw, err := os.ReadFile(sourcePath)
	if err != nil {
		return "", err
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(raw), "\n") {
		switch strings.TrimSpace(line) {
		case "// README:begin":
			in = true
			continue
		case "// README:end":
			in = false
			continue
		}
		if in {
			out = append(out, strings.TrimPrefix(line, "\t"))
		}
	}
	if len(out) == 0 {
		return "", fmt.Errorf("no README:begin/end markers in %s", sourcePath)
	}
	return strings.Join(out, "\n"), nil
}
