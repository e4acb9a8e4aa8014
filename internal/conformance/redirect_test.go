package conformance_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// TestSameHostRedirectNeverTurnsAWriteIntoARead: a 301/302/303 answer to an
// update on the vendor's own host is not followed (net/http would replay it
// as a GET without the body, and the GET's 200 would pass for success): it
// is an *APIError with the status and the Location. A 307/308 is followed
// with the same method and body.
func TestSameHostRedirectNeverTurnsAWriteIntoARead(t *testing.T) {
	type seen struct{ method, path, body string }
	for _, v := range vendors {
		for _, code := range []int{301, 302, 303, 307, 308} {
			t.Run(v.name+"/"+http.StatusText(code), func(t *testing.T) {
				var mu sync.Mutex
				var reqs []seen
				s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					var body bytes.Buffer
					body.ReadFrom(r.Body)
					mu.Lock()
					reqs = append(reqs, seen{r.Method, r.URL.Path, body.String()})
					mu.Unlock()
					if rest, ok := strings.CutPrefix(r.URL.Path, "/old"); ok {
						http.Redirect(w, r, "/new"+rest, code)
						return
					}
					v.success(w) // a GET here is the trap: it reads the coupon
				}))
				defer s.Close()
				sub, err := v.newClient(config{base: s.URL + "/old", policy: fast})
				require.NoError(t, err)
				calls := []call{sub.update}
				if sub.nonIdempotent != nil {
					calls = append(calls, sub.nonIdempotent)
				}
				for _, c := range calls {
					mu.Lock()
					reqs = nil
					mu.Unlock()
					_, err := c(context.Background())
					mu.Lock()
					got := append([]seen(nil), reqs...)
					mu.Unlock()
					require.NotEmpty(t, got)
					first := got[0]
					require.NotEqual(t, http.MethodGet, first.method)
					if code == 307 || code == 308 {
						require.NoError(t, err, "a same-host 307/308 is followed")
						require.Len(t, got, 2)
						assert.Equal(t, first.method, got[1].method, "same method")
						assert.Equal(t, first.body, got[1].body, "same body")
						assert.True(t, strings.HasPrefix(got[1].path, "/new"), got[1].path)
						continue
					}
					assert.Len(t, got, 1, "the redirect is not followed: %+v", got)
					var ae *api.APIError
					require.ErrorAs(t, err, &ae, "a %d to an update is an error, never a success", code)
					assert.Equal(t, code, ae.StatusCode)
					assert.Contains(t, ae.Message, "/new/")
					assert.Contains(t, err.Error(), "/new/")
					testutil.OnlySentinel(t, err, nil)
					assert.True(t, strings.HasPrefix(err.Error(), v.name+": "+first.method+" /old/"), err.Error())
				}
			})
		}
	}
}
