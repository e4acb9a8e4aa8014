package readme_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// squash drops all white space, so indentation and wrapping do not matter.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestREADMECodeCompiles: every ```go block of README.md stands verbatim in
// example_test.go or sections_test.go, which compile and whose examples run.
func TestREADMECodeCompiles(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	examples, err := os.ReadFile("example_test.go")
	require.NoError(t, err)
	sections, err := os.ReadFile("sections_test.go")
	require.NoError(t, err)
	examples = append(examples, sections...)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	require.NotEmpty(t, blocks, "README.md has Go code")
	code := squash(string(examples))
	for _, b := range blocks {
		require.Contains(t, code, squash(b[1]), "README block not carried by examples/readme/example_test.go:\n%s", b[1])
	}
}
