package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedDocs are the words every vendor package's doc comment for an alias
// of a shared type must contain: `go doc bigcommerce.APIError` prints only
// that comment and "type APIError = api.APIError", so the comment is all a
// user sees of the fields.
var sharedDocs = map[string][]string{
	"APIError": {"Vendor", "Operation", "StatusCode", "Code", "Message", "FieldErrors", "RequestID", "RetryAfter",
		"Attempts", "Body", "errors.As", "errors.Is", "64 KiB"},
	"ValidationError": {"Vendor", "Operation", "Fields", "FieldError", "ErrInvalidRequest", "ErrNotSent", "nothing was sent"},
	"FieldError":      {"Field", "Problem", "wire"},
	"RetryPolicy": {"MaxRetries", "MinWait", "MaxWait", "NoRetries", "3", "500ms", "30s", "zero",
		"ErrRateLimited", "RetryAfter", "deadline"},
	"ResponseMeta": {"StatusCode", "Header", "RequestID", "Attempts", "RateLimit"},
	"RateLimit":    {"Limit", "Remaining", "Window", "ResetIn"},
}

// vendorDocs are the vendor's own facts the same comments must state.
var vendorDocs = map[string]map[string][]string{
	"bigcommerce": {
		"RateLimit": {"X-Rate-Limit-Requests-Quota", "X-Rate-Limit-Requests-Left", "X-Rate-Limit-Time-Window-Ms",
			"X-Rate-Limit-Time-Reset-Ms"},
		"APIError": {"X-Retry-After"},
	},
	"paddle": {
		"APIError":     {"200", `"135"`, "189"},
		"RateLimit":    {"nil"},
		"ResponseMeta": {"200"},
	},
	"partnero": {
		"APIError":  {"Laravel", `"errors"`},
		"RateLimit": {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
	},
	"jframework": {
		"APIError":  {"correlationId", "200", "RateLimitExceeded"},
		"RateLimit": {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
	},
	"utmcoupon": {
		"APIError":  {"traceId", "RFC 7807"},
		"RateLimit": {"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset"},
	},
}

func TestVendorDocsDescribeSharedTypes(t *testing.T) {
	for vendor, extra := range vendorDocs {
		t.Run(vendor, func(t *testing.T) {
			docs := aliasDocs(t, filepath.Join("..", "..", vendor, "types.go"))
			for name, words := range sharedDocs {
				doc, ok := docs[name]
				require.True(t, ok, "%s.%s has no doc comment", vendor, name)
				for _, w := range append(append([]string{}, words...), extra[name]...) {
					assert.Regexp(t, `(^|\W)`+regexp.QuoteMeta(w)+`(\W|$)`, doc, "%s.%s doc should mention %s", vendor, name, w)
				}
			}
		})
	}
}

// aliasDocs returns the doc comment of every type declared in file, its
// white space collapsed.
func aliasDocs(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments)
	require.NoError(t, err)
	docs := map[string]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.TYPE {
			continue
		}
		for _, s := range g.Specs {
			ts := s.(*ast.TypeSpec)
			doc := ts.Doc
			if doc == nil {
				doc = g.Doc
			}
			docs[ts.Name.Name] = strings.Join(strings.Fields(doc.Text()), " ")
		}
	}
	return docs
}
