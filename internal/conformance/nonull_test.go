package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

// TestUTMCouponSendsNoNull: VTEX never receives a JSON null (API.md section
// 3: its OpenAPI document types utmCampaign and maxUsage as non-nullable),
// so every request body the suite's utmcoupon subject sends (its request
// leaves UtmCampaign and MaxUsage nil) is walked, at any depth, for a null.
func TestUTMCouponSendsNoNull(t *testing.T) {
	var v *vendor
	for i := range vendors {
		if vendors[i].name == "utmcoupon" {
			v = &vendors[i]
		}
	}
	require.NotNil(t, v)
	var (
		mu     sync.Mutex
		bodies []string
	)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		v.success(w)
	}))
	defer s.Close()
	sub, err := v.newClient(config{base: s.URL, policy: fast})
	require.NoError(t, err)
	calls := []call{sub.update, func(ctx context.Context) (m api.ResponseMeta, err error) { _, err = sub.full(ctx); return m, err }}
	if sub.nonIdempotent != nil {
		calls = append(calls, sub.nonIdempotent)
	}
	for _, c := range calls {
		_, err := c(context.Background())
		require.NoError(t, err)
	}
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, bodies, len(calls), "one body per call")
	for _, b := range bodies {
		var doc any
		require.NoError(t, json.Unmarshal([]byte(b), &doc), b)
		require.Empty(t, nulls("", doc), "a JSON null in the body %s", b)
	}
}

// nulls lists the paths of every null in a parsed JSON document.
func nulls(path string, v any) []string {
	switch v := v.(type) {
	case nil:
		return []string{path}
	case map[string]any:
		var out []string
		for k, e := range v {
			out = append(out, nulls(path+"."+k, e)...)
		}
		return out
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, nulls(fmt.Sprintf("%s[%d]", path, i), e)...)
		}
		return out
	}
	return nil
}
