// Package openapicheck validates the HTTP requests the SDK sends against
// a vendor's own OpenAPI 3.0 document, for tests only. It understands the
// subset the vendors' coupon operations use: path templates, path, query
// and header parameters, and request-body schemas with type, required,
// properties, items, enum, nullable, maxLength, pattern, $ref (local) and
// allOf. Anything else in a schema is ignored (a keyword it does not know
// never makes a request fail). It names no vendor: the vendor's document
// is the input.
package openapicheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Doc is a loaded OpenAPI document.
type Doc struct {
	root map[string]any
	// base is the path of the first server's URL, variables included
	// ("/stores/{store_hash}/v2"), stripped from every request path.
	base string
}

// Load reads an OpenAPI document given as JSON (convert a YAML document
// to JSON first). It is lenient: an empty info.version is accepted.
func Load(doc []byte) (*Doc, error) {
	var root map[string]any
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	if err := d.Decode(&root); err != nil {
		return nil, fmt.Errorf("openapicheck: %w", err)
	}
	if _, ok := root["paths"].(map[string]any); !ok {
		return nil, errors.New("openapicheck: the document has no paths")
	}
	out := &Doc{root: root}
	if servers, _ := root["servers"].([]any); len(servers) > 0 {
		if s, _ := servers[0].(map[string]any); s != nil {
			u, _ := s["url"].(string)
			if i := strings.Index(u, "://"); i >= 0 {
				u = u[i+3:]
				if j := strings.IndexByte(u, '/'); j >= 0 {
					out.base = u[j:]
				} else {
					out.base = ""
				}
			}
		}
	}
	return out, nil
}

// Request is one request as sent.
type Request struct {
	Method string
	// Path is the URL's path, unescaped, e.g. "/stores/abc/v2/coupons/42".
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// FromHTTP copies what Check needs from r, reading (and restoring) its body.
func FromHTTP(r *http.Request) (Request, error) {
	out := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return out, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		out.Body = b
	}
	return out, nil
}

// Check finds the operation r addresses and returns its operationId and
// every way r breaks the document (none: the request validates). A
// request matching no operation is one problem.
func (d *Doc) Check(r Request) (string, []string) {
	path, ok := matchTemplate(d.base, r.Path)
	if !ok {
		return "", []string{fmt.Sprintf("path %q is not under the server's %q", r.Path, d.base)}
	}
	paths := d.root["paths"].(map[string]any)
	templates := make([]string, 0, len(paths))
	for t := range paths {
		templates = append(templates, t)
	}
	sort.Strings(templates) // literal segments sort before {params}
	for _, t := range templates {
		vars, ok := matchVars(t, path)
		if !ok {
			continue
		}
		item, _ := paths[t].(map[string]any)
		op, _ := item[strings.ToLower(r.Method)].(map[string]any)
		if op == nil {
			continue
		}
		id, _ := op["operationId"].(string)
		return id, d.checkOp(item, op, vars, r)
	}
	return "", []string{fmt.Sprintf("no operation for %s %s", r.Method, r.Path)}
}

func (d *Doc) checkOp(item, op map[string]any, vars map[string]string, r Request) []string {
	var probs []string
	params := map[string]map[string]any{} // "in:name" -> parameter
	for _, src := range []map[string]any{item, op} {
		list, _ := src["parameters"].([]any)
		for _, p := range list {
			pm, _ := d.resolve(p).(map[string]any)
			if pm == nil {
				continue
			}
			in, _ := pm["in"].(string)
			name, _ := pm["name"].(string)
			if in == "header" {
				name = http.CanonicalHeaderKey(name)
			}
			params[in+":"+name] = pm
		}
	}
	for key, p := range params {
		in, name, _ := strings.Cut(key, ":")
		required, _ := p["required"].(bool)
		var values []string
		switch in {
		case "path":
			if v, ok := vars[name]; ok {
				values = []string{v}
			}
		case "query":
			values = r.Query[name]
		case "header":
			values = r.Header.Values(name)
		default:
			continue
		}
		if len(values) == 0 {
			if required {
				probs = append(probs, fmt.Sprintf("%s parameter %q is required", in, name))
			}
			continue
		}
		for _, v := range values {
			for _, e := range d.checkParam(p["schema"], v) {
				probs = append(probs, fmt.Sprintf("%s parameter %q=%q: %s", in, name, v, e))
			}
		}
	}
	for name := range r.Query {
		if _, ok := params["query:"+name]; !ok {
			probs = append(probs, fmt.Sprintf("query parameter %q is not in the document", name))
		}
	}
	for name := range vars {
		if _, ok := params["path:"+name]; !ok {
			probs = append(probs, fmt.Sprintf("path parameter %q is not declared", name))
		}
	}
	rb, _ := d.resolve(op["requestBody"]).(map[string]any)
	if rb == nil {
		if len(bytes.TrimSpace(r.Body)) > 0 {
			probs = append(probs, "the operation takes no body, and one was sent")
		}
		return probs
	}
	if len(bytes.TrimSpace(r.Body)) == 0 {
		if required, _ := rb["required"].(bool); required {
			probs = append(probs, "the request body is required")
		}
		return probs
	}
	content, _ := rb["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	if media == nil {
		return append(probs, "the operation takes no application/json body")
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.UseNumber()
	var body any
	if err := dec.Decode(&body); err != nil {
		return append(probs, "the body is not JSON: "+err.Error())
	}
	for _, e := range d.Validate(media["schema"], body) {
		probs = append(probs, "body"+e)
	}
	return probs
}

// checkParam validates a parameter's text against its schema: a number
// or boolean must parse as one.
func (d *Doc) checkParam(schema any, v string) []string {
	s, _ := d.resolve(schema).(map[string]any)
	var val any = v
	switch s["type"] {
	case "integer", "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return []string{"not a number"}
		}
		val = json.Number(v)
	case "boolean":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return []string{"not a boolean"}
		}
		val = b
	}
	return d.Validate(schema, val)
}

// Validate checks v (decoded with json.Number for numbers) against schema
// and returns each problem prefixed with the JSON path where it is (""
// for v itself, ".a[2]" inside).
func (d *Doc) Validate(schema, v any) []string {
	var probs []string
	d.validate(schema, v, "", &probs)
	return probs
}

func (d *Doc) validate(schema, v any, at string, probs *[]string) {
	s, _ := d.resolve(schema).(map[string]any)
	if s == nil {
		return
	}
	fail := func(format string, args ...any) {
		*probs = append(*probs, at+": "+fmt.Sprintf(format, args...))
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			d.validate(sub, v, at, probs)
		}
	}
	if v == nil {
		if nullable, _ := s["nullable"].(bool); !nullable && s["type"] != nil {
			fail("null, but the schema is not nullable (type %v)", s["type"])
		}
		return
	}
	if t, ok := s["type"].(string); ok && !hasType(v, t) {
		fail("%s, want %s", kind(v), t)
		return
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			if fmt.Sprint(e) == fmt.Sprint(v) {
				found = true
			}
		}
		if !found {
			fail("%v is not one of %v", v, enum)
		}
	}
	if str, ok := v.(string); ok {
		if n, ok := number(s["maxLength"]); ok && float64(utf8.RuneCountInString(str)) > n {
			fail("longer than %v characters", n)
		}
		if p, ok := s["pattern"].(string); ok {
			if re, err := regexp.Compile(p); err != nil {
				fail("the document's pattern %q does not compile: %v", p, err)
			} else if !re.MatchString(str) {
				fail("%q does not match %q", str, p)
			}
		}
	}
	switch v := v.(type) {
	case map[string]any:
		req, _ := s["required"].([]any)
		for _, r := range req {
			if name, _ := r.(string); name != "" {
				if _, ok := v[name]; !ok {
					fail("required property %q is missing", name)
				}
			}
		}
		props, _ := s["properties"].(map[string]any)
		for name, pv := range v {
			if ps, ok := props[name]; ok {
				d.validate(ps, pv, at+"."+name, probs)
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, e := range v {
				d.validate(items, e, fmt.Sprintf("%s[%d]", at, i), probs)
			}
		}
	}
}

// resolve follows local $refs ("#/components/schemas/x").
func (d *Doc) resolve(v any) any {
	for i := 0; i < 32; i++ {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = d.root
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		v = cur
	}
	return nil
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := strconv.ParseInt(string(n), 10, 64)
		return err == nil
	}
	return true
}

func kind(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return "a boolean"
	case json.Number:
		return "the number " + string(v)
	}
	return fmt.Sprintf("%T", v)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}

// matchTemplate strips the server's base path template from path.
func matchTemplate(base, path string) (string, bool) {
	if base == "" {
		return path, true
	}
	bs := strings.Split(strings.Trim(base, "/"), "/")
	ps := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(ps) < len(bs) {
		return "", false
	}
	for i, b := range bs {
		if !isVar(b) && b != ps[i] {
			return "", false
		}
	}
	return "/" + strings.Join(ps[len(bs):], "/"), true
}

// matchVars matches path against a path template and returns its
// variables.
func matchVars(template, path string) (map[string]string, bool) {
	ts := strings.Split(strings.Trim(template, "/"), "/")
	ps := strings.Split(strings.Trim(path, "/"), "/")
	if len(ts) != len(ps) {
		return nil, false
	}
	vars := map[string]string{}
	for i, t := range ts {
		switch {
		case isVar(t):
			if ps[i] == "" {
				return nil, false
			}
			vars[t[1:len(t)-1]] = ps[i]
		case t != ps[i]:
			return nil, false
		}
	}
	return vars, true
}

func isVar(s string) bool { return len(s) > 2 && s[0] == '{' && s[len(s)-1] == '}' }
