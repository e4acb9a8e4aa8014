package partnero

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// errorJSON is Laravel's error body: {"message":"...","errors":{"field":["..."]}}.
// errors is present on 422 only; its keys may be dotted ("sync.provider").
type errorJSON struct {
	Message string                     `json:"message"`
	Errors  map[string]json.RawMessage `json:"errors"`
}

// decodeError reads a Laravel error body into Message and FieldErrors. The
// kind comes from the status (422 and 400: ErrInvalidRequest). When the
// body has no message (Partnero's sync errors carry only "errors"), the
// field messages become the message. A body that is not JSON (a proxy's
// HTML page) becomes a one-line snippet.
func decodeError(_ int, _ http.Header, body []byte) *api.APIError {
	s := bytes.TrimSpace(body)
	if len(s) == 0 || s[0] != '{' {
		return &api.APIError{Message: transport.Snippet(body)}
	}
	var e errorJSON
	if err := json.Unmarshal(s, &e); err != nil {
		return &api.APIError{Message: "undecodable error body: " + transport.Snippet(body)}
	}
	out := &api.APIError{Message: e.Message}
	if len(e.Errors) > 0 {
		out.FieldErrors = make(map[string][]string, len(e.Errors))
		for k, raw := range e.Errors {
			out.FieldErrors[k] = fieldMessages(raw)
		}
	}
	if out.Message == "" && len(out.FieldErrors) > 0 {
		keys := make([]string, 0, len(out.FieldErrors))
		for k := range out.FieldErrors {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+strings.Join(out.FieldErrors[k], " "))
		}
		out.Message = strings.Join(parts, "; ")
	}
	return out
}

// fieldMessages reads one entry of "errors": normally a list of strings,
// leniently a single string or anything else (kept as its JSON text).
func fieldMessages(raw json.RawMessage) []string {
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	return []string{string(raw)}
}
