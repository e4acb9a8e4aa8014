package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// demoServer is what a session needs of a vendor's in-process test server.
type demoServer interface {
	Close()
	RateLimited() int
}

// testServer is what the demo needs of a vendor's test server
// (bigcommercetest.Server, ...), which stores coupons of type D and hands
// out clients of type CL configured by options O.
type testServer[D, CL, O any] interface {
	demoServer
	SetRateLimit(limit int, window time.Duration)
	Client(opts ...O) CL
	AddCoupon(D)
}

// demoDef is one vendor's demo: a test server seeded with a few hundred
// coupons and the vendor's rate limit scaled down.
type demoDef[D any, S testServer[D, CL, O], CL, O any] struct {
	vendor    string
	newServer func() S
	seed      func(now time.Time) []D
	key       func(D) string
	get       func(s S, key string) (D, bool)
	limit     int
	window    time.Duration
	note      string // what the demo runs against, for the user
}

// demoRun is a started demo.
type demoRun[CL any] struct {
	client CL
	srv    demoServer
	note   string
	saved  string // with -demo-state: where the coupons came from
	save   func() // with -demo-state: writes the store to its file; nil without
}

// demoState is the -demo-state file: the demo store's coupons, written
// after every request that may change one, so that a run killed with
// kill -9 leaves the store as the test server last answered.
type demoState[D any] struct {
	Vendor  string `json:"couponctl_demo"`
	Coupons []D    `json:"coupons"`
}

// start seeds a test server (from statePath when it exists) and returns
// it with a client.
func (d demoDef[D, S, CL, O]) start(now time.Time, statePath string, opts []O) (*demoRun[CL], error) {
	srv := d.newServer()
	coupons := d.seed(now)
	run := &demoRun[CL]{srv: srv, note: d.note}
	if statePath != "" {
		b, err := os.ReadFile(statePath)
		switch {
		case err == nil:
			var head struct {
				Vendor string `json:"couponctl_demo"`
			}
			var st demoState[D]
			if err := json.Unmarshal(b, &head); err == nil && head.Vendor != d.vendor {
				srv.Close()
				return nil, fmt.Errorf("-demo-state %s holds a %s demo store, not %s", statePath, head.Vendor, d.vendor)
			}
			if err := json.Unmarshal(b, &st); err != nil || st.Vendor != d.vendor {
				srv.Close()
				return nil, fmt.Errorf("-demo-state %s: not a couponctl %s demo store", statePath, d.vendor)
			}
			coupons = st.Coupons
			run.saved = fmt.Sprintf("the demo store continues from %s (%d coupons)", statePath, len(coupons))
		case errors.Is(err, os.ErrNotExist):
			run.saved = fmt.Sprintf("a new demo store, kept in %s between runs", statePath)
		default:
			srv.Close()
			return nil, fmt.Errorf("-demo-state: %w", err)
		}
	}
	keys := make([]string, len(coupons))
	for i, c := range coupons {
		srv.AddCoupon(c)
		keys[i] = d.key(c)
	}
	srv.SetRateLimit(d.limit, d.window)
	run.client = srv.Client(opts...)
	if statePath != "" {
		var mu sync.Mutex
		run.save = func() {
			mu.Lock()
			defer mu.Unlock()
			st := demoState[D]{Vendor: d.vendor}
			for _, k := range keys {
				if c, ok := d.get(srv, k); ok {
					st.Coupons = append(st.Coupons, c)
				}
			}
			_ = writeFileAtomic(statePath, st) // a failed save shows on the next run's read
		}
		run.save()
	}
	return run, nil
}

// writeFileAtomic writes v as JSON to path through a temporary file and a
// rename, so that a kill leaves the old file or the new one, never half.
func writeFileAtomic(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// demoCampaign is one family of demo coupons, shared by every vendor's demo.
type demoCampaign struct {
	code, title string
	bcType      string
	amount      string
	percent     float64
	maxUses     int
	days        int // expires this many days (+ a spread) from now
}

// demoCampaigns are the demo's coupon families.
var demoCampaigns = []demoCampaign{
	{"SUMMER", "Summer sale", "percentage_discount", "15.0000", 15, 500, 30},
	{"WELCOME", "Welcome offer", "per_total_discount", "10.0000", 10, 1, 90},
	{"VIP", "VIP customers", "percentage_discount", "20.0000", 20, 0, 180},
	{"FREESHIP", "Free shipping", "free_shipping", "0.0000", 0, 1000, 45},
	{"BF", "Black Friday", "per_item_discount", "5.0000", 25, 200, 14},
}

// demoSeed makes n demo coupons with one func per coupon number.
func demoSeed[D any](n int, build func(i int, camp demoCampaign) D) []D {
	out := make([]D, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, build(i, demoCampaigns[(i-1)%len(demoCampaigns)]))
	}
	return out
}
