package bigcommerce

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// errorItem is one element of BigCommerce's v2 error array. Its status may
// differ from the HTTP status; the HTTP status decides the error's kind.
type errorItem struct {
	Status  int                        `json:"status"`
	Message string                     `json:"message"`
	Title   string                     `json:"title"` // v3-style bodies some proxies return
	Details map[string]json.RawMessage `json:"details"`
}

// decodeError reads `[{"status":404,"message":"..."}]` (or a single object)
// and joins the messages, with any details such as invalid_reason.
func decodeError(_ int, _ http.Header, body []byte) *api.APIError {
	var items []errorItem
	s := bytes.TrimSpace(body)
	var err error
	switch {
	case len(s) > 0 && s[0] == '[':
		err = json.Unmarshal(s, &items)
	case len(s) > 0 && s[0] == '{':
		var one errorItem
		err = json.Unmarshal(s, &one)
		items = []errorItem{one}
	default:
		return &api.APIError{Message: transport.Snippet(body)}
	}
	if err != nil {
		return &api.APIError{Message: "undecodable error body: " + transport.Snippet(body)}
	}
	var msgs []string
	for _, it := range items {
		m := it.Message
		if m == "" {
			m = it.Title
		}
		if d := details(it.Details); d != "" {
			m += " (" + d + ")"
		}
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	return &api.APIError{Message: strings.Join(msgs, "; ")}
}

func details(d map[string]json.RawMessage) string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := d[k]
		var s string
		if json.Unmarshal(v, &s) != nil {
			s = string(v)
		}
		parts = append(parts, k+": "+s)
	}
	return strings.Join(parts, ", ")
}
