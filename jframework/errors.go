package jframework

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// codeRateLimited is JFramework's rate-limit error code. It means
// ErrRateLimited (and a retry) wherever it appears, inside an HTTP 200 too.
const codeRateLimited = "RateLimitExceeded"

// codeNotFound is JFramework's error code for an unknown coupon id. It
// means ErrNotFound wherever it appears, even in an envelope inside an HTTP
// 200 that gives no statusCode.
const codeNotFound = "CouponNotFound"

// envelope wraps every JFramework answer, success or not.
type envelope struct {
	Success    *bool           `json:"success"`
	StatusCode int             `json:"statusCode"`
	Message    string          `json:"message"`
	Data       json.RawMessage `json:"data"`
	Errors     []errorItem     `json:"errors"`
}

// errorItem is one element of the envelope's errors. Items carry either a
// message or details (a string, or any JSON JFramework chose).
type errorItem struct {
	Code          string          `json:"code"`
	Message       string          `json:"message"`
	Details       json.RawMessage `json:"details"`
	CorrelationID string          `json:"correlationId"`
}

// apiError turns a failed envelope into an APIError: Code and RequestID from
// the first item that has them, Message joining the items' messages (or
// details), else the envelope's own message. Only RateLimitExceeded and
// CouponNotFound set a kind here; the caller decides the rest.
func (env *envelope) apiError() *api.APIError {
	e := &api.APIError{}
	var msgs []string
	for _, it := range env.Errors {
		if e.Code == "" {
			e.Code = it.Code
		}
		if e.RequestID == "" {
			e.RequestID = it.CorrelationID
		}
		if m := it.text(); m != "" {
			msgs = append(msgs, m)
		}
	}
	e.Message = strings.Join(msgs, "; ")
	if e.Message == "" {
		e.Message = env.Message
	}
	switch e.Code {
	case codeRateLimited:
		api.SetKind(e, api.ErrRateLimited)
	case codeNotFound:
		api.SetKind(e, api.ErrNotFound)
	}
	return e
}

// text is the item's message, or its details when it has none.
func (it *errorItem) text() string {
	if it.Message != "" {
		return it.Message
	}
	d := bytes.TrimSpace(it.Details)
	if len(d) == 0 || string(d) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(d, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, d) == nil {
		return buf.String()
	}
	return string(d)
}

// decodeError reads a non-2xx body in JFramework's envelope. Its kind comes
// from the HTTP status (set by the transport), except for RateLimitExceeded
// and CouponNotFound.
// A body that is not JSON (a proxy's HTML page) becomes a one-line snippet.
func decodeError(_ int, _ http.Header, body []byte) *api.APIError {
	s := bytes.TrimSpace(body)
	if len(s) == 0 || s[0] != '{' {
		return &api.APIError{Message: transport.Snippet(body)}
	}
	var env envelope
	if err := json.Unmarshal(s, &env); err != nil {
		return &api.APIError{Message: "undecodable error body: " + transport.Snippet(body)}
	}
	e := env.apiError()
	if e.Message == "" && e.Code == "" {
		e.Message = transport.Snippet(body)
	}
	return e
}
