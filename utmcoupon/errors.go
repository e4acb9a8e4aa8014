package utmcoupon

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wire"
)

// decodeError reads the two error shapes of VTEX's Promotions & Taxes API:
//
//   - text/plain (or any non-JSON body, such as a proxy's HTML page): the
//     body becomes Message, as a one-line snippet;
//   - RFC 7807 problem JSON, as ASP.NET writes it:
//     {"type":"...","title":"One or more validation errors occurred.",
//     "status":400,"traceId":"...","errors":{"couponCode":["..."]}}.
//     Message is title[: detail] followed by the field messages, FieldErrors
//     the errors map (a bare string value counts as one message), RequestID
//     the traceId.
//
// VTEX's older {"error":{"code":"...","message":"..."}} and {"Message":"..."}
// bodies are read too. The HTTP status, not the body's "status", decides the
// kind, which the transport derives (403 is ErrForbidden).
func decodeError(_ int, _ http.Header, body []byte) *api.APIError {
	s := bytes.TrimSpace(body)
	if len(s) == 0 || s[0] != '{' {
		return &api.APIError{Message: transport.Snippet(body)}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(s, &fields); err != nil {
		return &api.APIError{Message: "undecodable error body: " + transport.Snippet(body)}
	}
	e := &api.APIError{RequestID: str(fields["traceId"])}
	msg := str(fields["title"])
	if d := str(fields["detail"]); d != "" && d != msg {
		if msg != "" {
			msg += ": "
		}
		msg += d
	}
	if msg == "" {
		msg = str(fields["message"])
	}
	if msg == "" {
		msg = str(fields["Message"])
	}
	if raw, ok := fields["error"]; ok {
		var inner struct {
			Code    wire.String `json:"code"`
			Message wire.String `json:"message"`
		}
		if json.Unmarshal(raw, &inner) == nil {
			e.Code = string(inner.Code)
			if msg == "" {
				msg = string(inner.Message)
			}
		} else if msg == "" {
			msg = str(raw) // {"error":"..."}
		}
	}
	e.FieldErrors = fieldErrors(fields["errors"])
	if fe := joinFieldErrors(e.FieldErrors); fe != "" {
		if msg == "" {
			msg = fe
		} else {
			msg += " (" + fe + ")"
		}
	}
	if msg == "" {
		msg = transport.Snippet(body)
	}
	e.Message = msg
	return e
}

// str decodes a JSON string (or number), and gives "" for anything else.
func str(raw json.RawMessage) string {
	if raw == nil {
		return ""
	}
	var s wire.String
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return string(s)
}

// fieldErrors reads RFC 7807's "errors": an object of field → messages.
// A message list may also be a single string; other shapes are ignored.
func fieldErrors(raw json.RawMessage) map[string][]string {
	var m map[string]json.RawMessage
	if raw == nil || json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		var list []string
		if json.Unmarshal(v, &list) != nil {
			if one := str(v); one != "" {
				list = []string{one}
			} else {
				continue
			}
		}
		if len(list) > 0 {
			out[k] = list
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// joinFieldErrors writes "field: msg; msg, field2: msg" in field order.
func joinFieldErrors(m map[string][]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+strings.Join(m[k], "; "))
	}
	return strings.Join(parts, ", ")
}
