package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
	"github.com/couponkit/couponkit/internal/testutil"
)

// leakySecret needs escaping in every form a server may echo it in.
const leakySecret = `ab/cd+ef&gh"ij<kl>mn op` + "\u00e9" + `qr\st-SECRET-0123456789`

// echoForms are the ways a server may echo a credential.
func echoForms(s string) map[string]string {
	j, _ := json.Marshal(s)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	q := strconv.Quote(s)
	return map[string]string{
		"as sent":                    s,
		"JSON":                       string(j[1 : len(j)-1]),
		"JSON without HTML escaping": strings.TrimSuffix(strings.TrimSpace(b.String()), `"`)[1:],
		"PHP JSON":                   strings.ReplaceAll(string(j[1:len(j)-1]), "/", `\/`),
		"query escaped":              url.QueryEscape(s),
		"path escaped":               url.PathEscape(s),
		"Go quoted":                  q[1 : len(q)-1],
	}
}

// noPrefix asserts that no 8-character prefix of any form of secret is in s.
func noPrefix(t *testing.T, s, what string) {
	t.Helper()
	for name, f := range echoForms(leakySecret) {
		assert.NotContains(t, s, f[:8], "%s holds a prefix of the %s secret", what, name)
	}
}

func TestRedactionBeforeTruncation(t *testing.T) {
	var logs testutil.SyncBuffer
	s := NewSettings("https://h.example")
	mt := httpmock.NewMockTransport()
	require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, s.SetRetryPolicy(api.RetryPolicy{MaxRetries: api.NoRetries}))
	require.NoError(t, s.SetLogger(testutil.DebugLogger(&logs)))
	// A vendor that truncates what it takes from the body, as real ones do.
	cut := func(b []byte, n int) string { return string(b[:min(n, len(b))]) }
	c, err := New(Vendor{Name: "test", Secrets: []string{leakySecret},
		RequestIDHeaders: []string{"X-Request-Id"},
		DecodeError: func(_ int, h http.Header, body []byte) *api.APIError {
			return &api.APIError{Code: cut(body, 205), Message: Snippet(body), RequestID: cut([]byte(h.Get("X-Request-Id")), 30),
				FieldErrors: map[string][]string{cut(body, 203): {cut(body, 207)}}}
		}}, s)
	require.NoError(t, err)

	for name, form := range echoForms(leakySecret) {
		for _, at := range []int{190, 195, 199, api.MaxErrorBody - 10, api.MaxErrorBody - 3} {
			body := strings.Repeat("x", at) + form + strings.Repeat("y", 300)
			for _, status := range []int{400, 200} {
				t.Run(fmt.Sprintf("%s/%d/%d", name, at, status), func(t *testing.T) {
					mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
						r := httpmock.NewStringResponse(status, body)
						r.Header.Set("X-Request-Id", strings.Repeat("r", 20)+form)
						r.Header.Set("X-Echo", form)
						return r, nil
					})
					_, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Idempotent: true,
						Decode: func(_ int, b []byte) error {
							return &api.APIError{Code: cut(b, 205), Message: Snippet(b)} // a vendor error inside a 200
						}})
					var ae *api.APIError
					require.ErrorAs(t, err, &ae)
					noPrefix(t, err.Error(), "Error()")
					noPrefix(t, fmt.Sprintf("%+v %#v", err, err), "printed error")
					noPrefix(t, ae.Code, "Code")
					noPrefix(t, ae.Message, "Message")
					noPrefix(t, fmt.Sprint(ae.FieldErrors), "FieldErrors")
					noPrefix(t, ae.RequestID, "RequestID")
					noPrefix(t, string(ae.Body), "Body")
					assert.LessOrEqual(t, len(ae.Body), api.MaxErrorBody)
					noPrefix(t, logs.String(), "log lines")
				})
			}
		}
	}
}

func TestResponseHeadersRedactEveryForm(t *testing.T) {
	for name, form := range echoForms(leakySecret) {
		mt := httpmock.NewMockTransport()
		s := NewSettings("https://h.example")
		require.NoError(t, s.SetHTTPClient(&http.Client{Transport: mt}))
		c, err := New(Vendor{Name: "test", Secrets: []string{leakySecret}}, s)
		require.NoError(t, err)
		mt.RegisterResponder("PUT", "https://h.example/x", func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(200, `{}`)
			r.Header.Set("X-Echo", "k="+form)
			return r, nil
		})
		meta, err := c.Do(context.Background(), &Request{Method: "PUT", Path: "/x", Decode: func(int, []byte) error { return nil }})
		require.NoError(t, err)
		assert.Equal(t, "k=[REDACTED]", meta.Header.Get("X-Echo"), name)
	}
}
