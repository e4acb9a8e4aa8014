// Package testutil holds the test helpers every vendor package's tests
// share: a request recorder, httpmock responders and a goroutine-safe log
// buffer. Only tests import it.
package testutil

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/jarcoal/httpmock"
)

// Captured records the requests a responder saw, with their bodies.
type Captured struct {
	mu     sync.Mutex
	Reqs   []*http.Request
	Bodies []string
}

// Add records r and its body.
func (c *Captured) Add(r *http.Request) {
	var b []byte
	if r.Body != nil {
		b, _ = io.ReadAll(r.Body)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Reqs = append(c.Reqs, r)
	c.Bodies = append(c.Bodies, string(b))
}

// Sequence records each request in cap and answers it with the next
// responder, the last one repeating.
func Sequence(cap *Captured, rs ...httpmock.Responder) httpmock.Responder {
	var n atomic.Int32
	return func(r *http.Request) (*http.Response, error) {
		cap.Add(r)
		i := int(n.Add(1)) - 1
		if i >= len(rs) {
			i = len(rs) - 1
		}
		return rs[i](r)
	}
}

// Respond answers status with body, the content type and header pairs.
func Respond(status int, contentType, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", contentType)
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

// JSONResponder answers status with a JSON body and header pairs.
func JSONResponder(status int, body string, header ...string) httpmock.Responder {
	return Respond(status, "application/json", body, header...)
}

// SyncBuffer is a bytes.Buffer safe for concurrent writes, for log output.
type SyncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// DebugLogger returns a text logger writing every debug line to buf.
func DebugLogger(buf *SyncBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
