package testutil

import (
	"io"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/jarcoal/httpmock"
)

// ModifyFuzz serves the reads and records the writes of the vendors'
// fuzz targets for ModifyCoupon: a valid read plus one field the SDK does
// not model, one field changed, the body checked against PrescribedBody.
type ModifyFuzz struct {
	mu         sync.Mutex
	read, sent string
}

// NewModifyFuzz registers on mt a GET of getURL that answers wrap(the
// current read) and a write (method, writeURL) that records its body and
// answers answer.
func NewModifyFuzz(mt *httpmock.MockTransport, getURL string, wrap func(string) string, method, writeURL, answer string) *ModifyFuzz {
	m := new(ModifyFuzz)
	mt.RegisterResponder(http.MethodGet, getURL, func(*http.Request) (*http.Response, error) {
		m.mu.Lock()
		defer m.mu.Unlock()
		return httpmock.NewStringResponse(200, wrap(m.read)), nil
	})
	mt.RegisterResponder(method, writeURL, func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		m.mu.Lock()
		m.sent = string(b)
		m.mu.Unlock()
		return httpmock.NewStringResponse(200, answer), err
	})
	return m
}

// Check adds key: val to base (skipping the input when WithExtra refuses
// it), serves it as the read, runs modify, which must change field to
// value (JSON text, the whole top-level field), and fails t unless the
// body sent is exactly what rule prescribes.
func (m *ModifyFuzz) Check(t *testing.T, rule Rule, base, key string, val []byte, reserved []string, field, value string, modify func() error) {
	t.Helper()
	doc, ok := WithExtra(base, key, val, reserved...)
	if !ok {
		return
	}
	m.mu.Lock()
	m.read, m.sent = doc, ""
	m.mu.Unlock()
	if err := modify(); err != nil {
		t.Fatalf("read %s: %v", doc, err)
	}
	want := PrescribedBody(rule, ParseJSON(t, doc).(map[string]any), map[string]any{field: ParseJSON(t, value)})
	m.mu.Lock()
	sent := m.sent
	m.mu.Unlock()
	if got := ParseJSON(t, sent); !reflect.DeepEqual(want, got) {
		t.Fatalf("read %s\nsent %s\nwant %v", doc, sent, want)
	}
}
