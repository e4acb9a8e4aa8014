package conformance_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/api"
)

var fast = api.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond}

// counted is an httptest server whose handler sees the request's ordinal.
type counted struct {
	*httptest.Server
	n     atomic.Int32
	conns atomic.Int32
}

func newCounted(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *counted {
	t.Helper()
	c := &counted{}
	c.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h(w, r, int(c.n.Add(1)))
	}))
	c.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			c.conns.Add(1)
		}
	}
	c.Start()
	t.Cleanup(c.Close)
	return c
}

// rawServer accepts TCP connections and hands each fully read request to h
// with its ordinal; h owns the connection.
type rawServer struct {
	ln   net.Listener
	n    atomic.Int32
	base string
}

func newRaw(t *testing.T, h func(conn net.Conn, n int)) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &rawServer{ln: ln, base: "http://" + ln.Addr().String()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				h(conn, int(s.n.Add(1)))
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return s
}

// reset closes conn with an RST instead of a FIN.
func reset(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// freshHTTP is a client with its own pool, so the test can close its idle
// connections before counting goroutines.
func freshHTTP(timeout time.Duration) (*http.Client, *http.Transport) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: tr, Timeout: timeout}, tr
}

// noLeak fails the test if goroutines started during it are still running
// once tr's idle connections are closed and things have settled.
func noLeak(t *testing.T, before int, tr *http.Transport) {
	t.Helper()
	tr.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutines: %d before, %d after:\n%s", before, n, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
