package paddle

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/transport"
)

// kindForCode maps a Paddle Classic error code to its sentinel: 102 bad api
// key and 111 invalid token are ErrUnauthorized; 107 no permission is
// ErrForbidden; 108 product and 135 coupon not found are ErrNotFound; 120
// internal error is ErrServer (retried like a 5xx); 189 rate limit is
// ErrRateLimited (retried like a 429); every other code is the caller's
// input, ErrInvalidRequest.
func kindForCode(code string) error {
	switch code {
	case "102", "111":
		return api.ErrUnauthorized
	case "107":
		return api.ErrForbidden
	case "108", "135":
		return api.ErrNotFound
	case "120":
		return api.ErrServer
	case "189":
		return api.ErrRateLimited
	}
	return api.ErrInvalidRequest
}

// apiError is Paddle's error object as an APIError with its kind set; the
// transport fills the status, attempts and body, and redacts.
func (e *errorJSON) apiError() *api.APIError {
	ae := &api.APIError{Code: string(e.Code), Message: e.Message}
	api.SetKind(ae, kindForCode(ae.Code))
	return ae
}

// decodeError reads a non-2xx body: a proxy's page or a real 5xx. Paddle's
// own envelope is used when present (code and message); otherwise the
// message is a one-line snippet. The HTTP status decides the kind, except
// for statuses with no sentinel of their own (e.g. 405), where Paddle's code
// decides.
func decodeError(status int, _ http.Header, body []byte) *api.APIError {
	s := bytes.TrimSpace(body)
	if len(s) > 0 && s[0] == '{' {
		var env envelope
		if json.Unmarshal(s, &env) == nil && env.Error != nil && (env.Error.Code != "" || env.Error.Message != "") {
			ae := &api.APIError{Code: string(env.Error.Code), Message: env.Error.Message}
			if api.KindForStatus(status) == nil && ae.Code != "" {
				api.SetKind(ae, kindForCode(ae.Code))
			}
			return ae
		}
	}
	return &api.APIError{Message: transport.Snippet(body)}
}
