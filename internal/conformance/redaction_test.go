package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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
			t.Parallel()
			var logs testutil.SyncBuffer
			var forms []string
			for _, s := range v.secrets {
				for _, f := range echoed(s) {
					if !slices.Contains(forms, f) { // most forms of a plain secret are the same
						forms = append(forms, f)
					}
				}
			}
			check := func(s, what string) {
				t.Helper()
				for _, f := range forms {
					if strings.Contains(s, f[:8]) {
						t.Errorf("%s holds a prefix of %q", what, f)
					}
				}
			}
			// One server and one client serve every case: the handler reads
			// the case it is to answer.
			type echoCase struct {
				form   string
				at     int
				status int
			}
			var current atomic.Pointer[echoCase]
			srv := newCounted(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
				c := current.Load()
				pad := strings.Repeat("x", c.at)
				msg := pad + c.form + strings.Repeat("y", 100)
				w.Header().Set("X-Echo", c.form)
				w.Header().Set("X-Request-Id", pad[:min(c.at, 100)]+c.form)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(c.status)
				// Each vendor finds its message in one of these.
				fmt.Fprintf(w, `{"success":false,"message":%q,"title":%q,"detail":%q,"status":%d,"error":{"code":%q,"message":%q},"errors":[{"code":%q,"message":%q}]}`,
					msg, msg, msg, c.status, pad[:min(c.at, 30)]+c.form, msg, pad[:min(c.at, 30)]+c.form, msg)
			})
			sub, err := v.newClient(config{base: srv.URL, policy: api.RetryPolicy{MaxRetries: api.NoRetries}, logger: testutil.DebugLogger(&logs)})
			require.NoError(t, err)
			for _, form := range forms {
				// Across the 200-byte message cut, and the 64 KiB body cut; an
				// error inside a 200 (Paddle, JFramework), one with field
				// errors, and a retryable one.
				for _, at := range []int{195, 199, api.MaxErrorBody - 40} {
					for _, status := range []int{200, 422, 500} {
						current.Store(&echoCase{form: form, at: at, status: status})
						meta, err := sub.update(context.Background())
						require.Error(t, err, "status %d", status)
						what := fmt.Sprintf("status %d, cut at %d:", status, at)
						if at < 1000 {
							check(fmt.Sprintf("%v|%+v|%#v", err, err, err), what+" the error")
						} else { // %#v of a 64 KiB Body is slow to print and adds nothing
							check(fmt.Sprintf("%v|%+v", err, err), what+" the error")
						}
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
