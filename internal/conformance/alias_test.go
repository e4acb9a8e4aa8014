package conformance_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// varying answers a success, a 422 with field errors and a 404 in turn,
// each with headers, ids and messages that differ from call to call, so
// that a returned value sharing memory with a later call would change.
func varying(v vendor) func(w http.ResponseWriter, r *http.Request, n int) {
	return func(w http.ResponseWriter, _ *http.Request, n int) {
		h := w.Header()
		id := strconv.Itoa(n)
		h.Set("X-Request-Id", "req-"+id)
		h.Set("X-Correlation-Id", "corr-"+id)
		h.Add("X-Multi", "a-"+id)
		h.Add("X-Multi", "b-"+id)
		for _, name := range []string{"X-Rate-Limit-Requests-Quota", "X-RateLimit-Limit", "Ratelimit-Limit"} {
			h.Set(name, "1000")
		}
		for _, name := range []string{"X-Rate-Limit-Requests-Left", "X-RateLimit-Remaining", "Ratelimit-Remaining"} {
			h.Set(name, strconv.Itoa(1000-n))
		}
		h.Set("X-Rate-Limit-Time-Window-Ms", "30000")
		h.Set("X-Rate-Limit-Time-Reset-Ms", strconv.Itoa(1000+n))
		h.Set("Ratelimit-Reset", strconv.Itoa(1+n%50))
		switch n % 3 {
		case 1:
			v.success(w)
		case 2:
			h.Set("Content-Type", "application/json")
			w.WriteHeader(422)
			fmt.Fprintf(w, `{"success":false,"message":"invalid %[1]d","title":"invalid %[1]d","status":422,`+
				`"error":{"code":"E%[1]d","message":"invalid %[1]d"},`+
				`"errors":{"name":["name %[1]d taken","too long %[1]d"],"code":["bad %[1]d"]}}`, n)
		default:
			h.Set("Content-Type", "application/json")
			w.WriteHeader(404)
			fmt.Fprintf(w, `{"success":false,"message":"missing %[1]d","title":"missing %[1]d","status":404,`+
				`"error":{"code":"N%[1]d","message":"missing %[1]d"},"errors":[{"code":"N%[1]d","message":"missing %[1]d"}]}`, n)
		}
	}
}

// TestReturnedValuesDoNotAliasPooledState: per-call state is recycled, so a
// response or *APIError returned once must own all it holds (strings,
// slices, maps, Body, Header): a deep copy taken at once still equals it
// after 200 later calls, made one after another and from many goroutines.
// Under -race, a shared write would also be reported.
func TestReturnedValuesDoNotAliasPooledState(t *testing.T) {
	const later = 200
	for _, v := range vendors {
		t.Run(v.name, func(t *testing.T) {
			s := newCounted(t, varying(v))
			sub, err := v.newClient(config{base: s.URL, policy: api.RetryPolicy{MaxRetries: api.NoRetries}})
			require.NoError(t, err)

			// first returns one result of each kind: a response and an
			// *APIError, each with a deep copy taken at once.
			type kept struct{ value, copy any }
			first := func() (resp, apiErr kept) {
				for resp.value == nil || apiErr.value == nil {
					r, err := sub.full(context.Background())
					var ae *api.APIError
					switch {
					case err == nil && resp.value == nil:
						resp = kept{r, testutil.DeepCopy(r)}
					case errors.As(err, &ae) && apiErr.value == nil:
						require.NotEmpty(t, ae.Body)
						apiErr = kept{ae, testutil.DeepCopy(ae)}
					}
				}
				return resp, apiErr
			}
			same := func(k kept, what string) {
				t.Helper()
				assert.True(t, reflect.DeepEqual(k.copy, k.value), "%s changed after later calls:\nthen %+v\nnow  %+v", what, k.copy, k.value)
			}

			t.Run("sequential", func(t *testing.T) {
				resp, apiErr := first()
				for i := 0; i < later; i++ {
					sub.full(context.Background())
				}
				same(resp, "the response")
				same(apiErr, "the *APIError")
			})

			t.Run("concurrent", func(t *testing.T) {
				const workers = 8
				var wg sync.WaitGroup
				for w := 0; w < workers; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						resp, apiErr := first()
						for i := 0; i < later/workers; i++ {
							sub.full(context.Background())
						}
						same(resp, "the response")
						same(apiErr, "the *APIError")
					}()
				}
				wg.Wait()
			})
		})
	}
}
