package transport

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

func TestRedirects(t *testing.T) {
	var seen []string
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.Path+" "+string(b))
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/new?k=s3cret&"+strings.Repeat("x", 300), http.StatusMovedPermanently)
		case "/temp":
			http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
		case "/away":
			http.Redirect(w, r, "http://elsewhere.example/x", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	}))
	defer s.Close()
	c := newTestClient(t, s.URL, nil)
	do := func(method, path string) error {
		seen = nil
		_, err := c.Do(context.Background(), &Request{Method: method, Path: path, Body: []byte("b"), Idempotent: true,
			Decode: func(int, []byte) error { return nil }})
		return err
	}

	// A read may follow a same-host 301: it stays a read.
	require.NoError(t, do("GET", "/moved"))
	assert.Len(t, seen, 2)

	// A write never becomes a read.
	for _, m := range []string{"PUT", "POST", "DELETE", "PATCH"} {
		err := do(m, "/moved")
		var ae *api.APIError
		require.ErrorAs(t, err, &ae, m)
		assert.Equal(t, []string{m + " /moved b"}, seen)
		assert.Equal(t, 301, ae.StatusCode)
		assert.Contains(t, ae.Message, `redirect to "/new?k=[REDACTED]&xxx`)
		assert.Contains(t, ae.Message, `..." not followed: net/http would replay the `+m+` as a GET without its body`)
		assert.NotContains(t, err.Error(), "s3cret")
		assert.Equal(t, 1, ae.Attempts, "a redirect is not retried")
		for _, kind := range []error{api.ErrInvalidRequest, api.ErrServer, api.ErrNotFound, api.ErrRateLimited} {
			assert.NotErrorIs(t, err, kind)
		}
	}

	// A 307 keeps the method and body.
	require.NoError(t, do("PUT", "/temp"))
	assert.Equal(t, []string{"PUT /temp b", "PUT /new b"}, seen)

	// Another host: never followed.
	err := do("GET", "/away")
	var ae *api.APIError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Message, `redirect to "http://elsewhere.example/x" not followed: credentials are never sent to another host`)
}
