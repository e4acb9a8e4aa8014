package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// echoed are the forms in which a server may echo a credential.
func echoed(s string) []string {
	j, _ := json.Marshal(s)
	q := strconv.Quote(s)
	return []string{s, string(j[1 : len(j)-1]), url.QueryEscape(s), url.PathEscape(s), q[1 : len(q)-1]}
}

// TestCredentialPrefixesNeverLeak: a server echoes each credential, in
// every form, so that it straddles the points where messages (200 bytes)
// and bodies (64 KiB) are cut. No 8-character prefix of any form may remain
// in an error string, an error field, a log line or a response header.
func TestCredentialPrefixesNeverLeak(t *testing.T) {
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			var logs testutil.SyncBuffer
			var forms []string
			for _, s := range v.secrets {
				forms = append(forms, echoed(s)...)
			}
			check := func(s, what string) {
				t.Helper()
				for _, f := range forms {
					assert.NotContains(t, s, f[:8], "%s holds a prefix of %q", what, f)
				}
			}
			for _, form := range forms {
				for _, at := range []int{150, 185, 190, 195, 199, api.MaxErrorBody - 40, api.MaxErrorBody - 12} {
					for _, status := range []int{200, 400, 404, 422, 429, 500} {
						pad := strings.Repeat("x", at)
						msg := pad + form + strings.Repeat("y", 100)
						s := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
							w.Header().Set("X-Echo", form)
							w.Header().Set("X-Request-Id", pad[:min(at, 100)]+form)
							w.Header().Set("Content-Type", "application/json")
							w.WriteHeader(status)
							// Each vendor finds its message in one of these.
							fmt.Fprintf(w, `{"success":false,"message":%q,"title":%q,"detail":%q,"status":%d,"error":{"code":%q,"message":%q},"errors":[{"code":%q,"message":%q}]}`,
								msg, msg, msg, status, pad[:min(at, 30)]+form, msg, pad[:min(at, 30)]+form, msg)
						})
						sub, err := v.newClient(config{base: s.URL, policy: api.RetryPolicy{MaxRetries: api.NoRetries}, logger: testutil.DebugLogger(&logs)})
						require.NoError(t, err)
						meta, err := sub.update(context.Background())
						require.Error(t, err, "status %d", status)
						what := fmt.Sprintf("status %d, cut at %d:", status, at)
						check(fmt.Sprintf("%v|%+v|%#v", err, err, err), what+" the error")
						check(fmt.Sprint(meta.Header), what+" the response header")
						var ae *api.APIError
						if assert.ErrorAs(t, err, &ae) {
							check(ae.Code, what+" Code")
							check(ae.Message, what+" Message")
							check(fmt.Sprint(ae.FieldErrors), what+" FieldErrors")
							check(ae.RequestID, what+" RequestID")
							check(string(ae.Body), what+" Body")
						}
					}
				}
			}
			check(logs.String(), "the log")
		})
	}
}
