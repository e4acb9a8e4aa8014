package pace

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/couponkit/couponkit/internal/api"
)

// This file is a deterministic simulator: the real pacer (its turn, admit
// and done, the code Acquire and Done run) against models of each vendor's
// limiter, in virtual time. No sockets, no sleeps, no goroutines: a queue
// of events ordered by virtual time.

// limiter is a model of a vendor's rate limiter.
type limiter interface {
	// arrive is a request reaching the server at t: whether it was
	// admitted, and the rate limit the client reads from the answer (nil:
	// the answer has no headers), as the transport would parse it.
	arrive(t time.Time) (ok bool, rl *api.RateLimit)
	// capacity is the most it admits from t0 to t1.
	capacity(t0, t1 time.Time) float64
}

// simEpoch is the virtual start: whole minutes, as servers align windows.
var simEpoch = time.Unix(1_800_000_000, 0)

// fixedWindow is a limiter of limit requests per window, windows starting
// at simEpoch plus offset. headers says what its answers state.
type fixedWindow struct {
	limit  int
	win    time.Duration
	offset time.Duration
	style  headerStyle

	cur   int64 // index of the current window
	count int   // admitted in it
}

type headerStyle int

const (
	bigcommerceHeaders headerStyle = iota // quota, left, window ms, reset ms (truncated)
	epochHeaders                          // limit, remaining, reset epoch seconds, read against Date
	on429Headers                          // limit, remaining 0, reset seconds (rounded up), on the refusal only
	noHeaders                             // nothing; refusals show as an error in a 200 (Paddle 189)
)

func (f *fixedWindow) arrive(t time.Time) (bool, *api.RateLimit) {
	since := t.Sub(simEpoch.Add(f.offset))
	k := int64(math.Floor(float64(since) / float64(f.win)))
	if k != f.cur {
		f.cur, f.count = k, 0
	}
	ok := f.count < f.limit
	if ok {
		f.count++
	}
	end := simEpoch.Add(f.offset).Add(time.Duration(k+1) * f.win)
	left := f.limit - f.count
	switch f.style {
	case bigcommerceHeaders:
		return ok, &api.RateLimit{Limit: f.limit, Remaining: left, Window: f.win, ResetIn: end.Sub(t).Truncate(time.Millisecond)}
	case epochHeaders:
		// X-RateLimit-Reset is end in whole epoch seconds; the transport
		// subtracts the answer's Date, also whole seconds.
		epoch := time.Unix(int64(math.Ceil(float64(end.UnixNano())/1e9)), 0)
		return ok, &api.RateLimit{Limit: f.limit, Remaining: left, ResetIn: epoch.Sub(t.Truncate(time.Second))}
	case on429Headers:
		if ok {
			return ok, nil
		}
		secs := math.Ceil(end.Sub(t).Seconds())
		return ok, &api.RateLimit{Limit: f.limit, ResetIn: time.Duration(secs) * time.Second}
	}
	return ok, nil
}

// capacity counts the first window whole (it admits its quota however
// late the run starts in it) and the last in proportion (the run ends in
// it).
func (f *fixedWindow) capacity(t0, t1 time.Time) float64 {
	k := func(t time.Time) float64 { return float64(t.Sub(simEpoch.Add(f.offset))) / float64(f.win) }
	return float64(f.limit) * (k(t1) - math.Floor(k(t0)))
}

// tokenBucket is VTEX's limiter: burst credits that refill at rate per
// second; Ratelimit-Reset is the whole seconds until the bucket is full.
type tokenBucket struct {
	burst  float64
	rate   float64
	tokens float64
	at     time.Time
}

func (b *tokenBucket) arrive(t time.Time) (bool, *api.RateLimit) {
	if b.at.IsZero() {
		b.tokens, b.at = b.burst, t
	}
	b.tokens = min(b.burst, b.tokens+t.Sub(b.at).Seconds()*b.rate)
	b.at = t
	ok := b.tokens >= 1
	if ok {
		b.tokens--
	}
	reset := time.Duration(math.Ceil((b.burst-b.tokens)/b.rate)) * time.Second
	return ok, &api.RateLimit{Limit: int(b.burst), Remaining: int(b.tokens), ResetIn: reset}
}

func (b *tokenBucket) capacity(t0, t1 time.Time) float64 {
	return b.burst + t1.Sub(t0).Seconds()*b.rate
}

// vendorModel is one vendor's limiter with its documented quota.
type vendorModel struct {
	name    string
	res     time.Duration // the pacer's resolution for its reset header
	headers bool          // every answer states the window
	rate    float64       // the quota's sustained rate, per second
	new     func(seed uint64) limiter
}

func fixed(name string, res time.Duration, limit int, win time.Duration, style headerStyle) vendorModel {
	return vendorModel{name: name, res: res, headers: style == bigcommerceHeaders || style == epochHeaders,
		rate: float64(limit) / win.Seconds(),
		new: func(seed uint64) limiter {
			off := time.Duration(rand.New(rand.NewPCG(seed, 7)).Int64N(int64(win)))
			return &fixedWindow{limit: limit, win: win, offset: off, style: style, cur: math.MinInt64}
		}}
}

// simVendors are the vendors' real limits (and BigCommerce Pro, Paddle's
// faster model).
var simVendors = []vendorModel{
	fixed("bigcommerce", time.Millisecond, 150, 30*time.Second, bigcommerceHeaders),
	fixed("bigcommerce-pro", time.Millisecond, 450, 30*time.Second, bigcommerceHeaders),
	fixed("jframework", time.Second, 60, time.Minute, epochHeaders),
	{name: "vtex", res: time.Second, headers: true, rate: 5,
		new: func(uint64) limiter { return &tokenBucket{burst: 100, rate: 5} }},
	fixed("paddle", 0, 60, time.Minute, noHeaders),
	fixed("paddle-600", 0, 600, time.Minute, noHeaders),
	fixed("partnero", time.Second, 60, time.Minute, on429Headers),
}

// simTuning is what the tuning aid (TestSimulatedPacingSeedDetail) asks
// of one run.
type simTuning struct {
	trace  int            // the client whose every answer is printed, with every refusal; -1: print nothing
	causes map[string]int // refusals after their client's first minute by the back-off's state (nil: not counted)
}

// refusalCause names what a client's back-off was doing when a refusal
// came back: the tuning aid's counts.
func refusalCause(b *backoff) string {
	switch {
	case !b.learned():
		return "unlearned"
	case b.refusing:
		return "refusing"
	case b.provisional:
		return "provisional"
	case math.IsInf(b.budget, 1):
		return "measuring"
	case b.probe:
		return "probe"
	case !b.phaseProbe.IsZero():
		return "phase"
	}
	return "other"
}

// simClients are the client counts simulated on one quota.
var simClients = []int{1, 2, 4, 8, 16}

// Scenario constants: every client runs 8 requests in flight (enough for
// 15 requests per second at 400 ms), starts a little after the previous one, and the
// second of several stops half-way.
const (
	simDuration    = 10 * time.Minute
	simWarmup      = time.Minute // each client's first minute: Paddle's and Partnero's refusals count after it
	simConcurrency = 8
	simStagger     = 1700 * time.Millisecond
)

// simResult is what one scenario measured.
type simResult struct {
	sent, refused       int     // every request, and its rate-limit answers
	lateSent, lateRefus int     // the same, for requests sent after their client's first minute (simWarmup)
	runSent, runRefus   int     // the same, for requests sent after the run's first minute
	quotaUse            float64 // admitted over what the limiter could admit in the run
	limitedPct          float64 // rate-limit answers per 100 requests (without headers: after each client's first minute)
	limitedRunPct       float64 // the same, without headers after the run's first minute
	pace                float64 // admitted per second after simWarmup, over the quota's rate
	minShare            float64 // the least admitted client over their mean, among those running throughout
}

// event is one thing happening at a virtual time.
type event struct {
	at     time.Time
	seq    int
	kind   int // evWake, evArrive, evAnswer
	client int
	worker int
	gen    int // for evWake: stale when the worker's gen moved on
	tk     Ticket
	ok     bool
	rl     *api.RateLimit
	sentAt time.Time
	reply  *event // for evArrive: the answer it fills in
}

const (
	evWake = iota
	evArrive
	evAnswer
)

type eventQueue []*event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int)           { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)             { *q = append(*q, x.(*event)) }
func (q *eventQueue) Pop() (x any)           { old := *q; x = old[len(old)-1]; *q = old[:len(old)-1]; return x }
func (q *eventQueue) add(e *event, seq *int) { *seq++; e.seq = *seq; heap.Push(q, e) }

// simClock is the virtual clock the simulated pacers read.
type simClock struct{ now time.Time }

func (c *simClock) Now() time.Time { return c.now }
func (c *simClock) Timer(time.Duration) (<-chan time.Time, func() bool) {
	panic("the simulator never blocks")
}

// admission is how one simulated client decides a request's turn: the
// real pacer, or the hand-rolled baseline.
type admission interface {
	turn(now time.Time) (at time.Time, forAnswer bool)
	admit(now time.Time) Ticket
	done(now time.Time, t Ticket, rl *api.RateLimit, limited bool)
}

// pacerAdmission is the real pacer, a bulk call without ceiling.
type pacerAdmission struct {
	p    *Pacer
	call *Call
}

func (a *pacerAdmission) turn(now time.Time) (time.Time, bool) {
	at, forAnswer, _ := a.p.turn(now, a.call)
	return at, forAnswer
}
func (a *pacerAdmission) admit(now time.Time) Ticket { return a.p.admit(now, a.call) }
func (a *pacerAdmission) done(now time.Time, t Ticket, rl *api.RateLimit, limited bool) {
	a.p.done(now, t, rl, limited)
}

// bucketAdmission is the baseline a user hand-rolls (what
// golang.org/x/time/rate users do): one token bucket per client at the
// documented quota's rate, burst 1, deaf to the vendor's answers.
type bucketAdmission struct {
	every time.Duration
	next  time.Time
}

func (b *bucketAdmission) turn(now time.Time) (time.Time, bool) { return maxTime(now, b.next), false }
func (b *bucketAdmission) admit(now time.Time) Ticket {
	b.next = maxTime(now, b.next).Add(b.every)
	return Ticket{sent: now}
}
func (b *bucketAdmission) done(time.Time, Ticket, *api.RateLimit, bool) {}

// simulate runs n clients against v's limiter for simDuration.
func simulate(v vendorModel, n int, baseline bool, seed uint64) simResult {
	return simulateTuned(v, n, baseline, seed, nil)
}

// simulateTuned is simulate, printing and counting what tune asks (nil:
// nothing).
func simulateTuned(v vendorModel, n int, baseline bool, seed uint64, tune *simTuning) simResult {
	debug := tune != nil && tune.trace >= 0
	rng := rand.New(rand.NewPCG(seed, uint64(n)))
	lim := v.new(seed)
	clock := &simClock{now: simEpoch}
	type client struct {
		adm        admission
		start, end time.Time
		latency    time.Duration // this client's typical round trip
		waiting    []int         // workers waiting for an answer or a slot
		gens       [simConcurrency]int
		busy       [simConcurrency]bool
		listed     [simConcurrency]bool // in waiting
		admitted   int                  // admitted requests answered after the last start
	}
	// A client that starts into a window others have spent learns
	// nothing until it ends, up to a window after its start: its first
	// minute is its own, wherever it falls in the run.
	pastOwnWarmup := func(c *client, sent time.Time) bool { return !sent.Before(c.start.Add(simWarmup)) }
	clients := make([]*client, n)
	lastStart := simEpoch
	for i := range clients {
		c := &client{start: simEpoch.Add(time.Duration(i) * simStagger), end: simEpoch.Add(simDuration)}
		if n > 1 && i == 1 {
			c.end = simEpoch.Add(simDuration / 2)
		}
		c.latency = 20*time.Millisecond + time.Duration(rng.Int64N(int64(380*time.Millisecond)))
		if baseline {
			c.adm = &bucketAdmission{every: time.Duration(float64(time.Second) / v.rate)}
		} else {
			c.adm = &pacerAdmission{p: NewWithClock(v.res, clock), call: &Call{}}
		}
		clients[i] = c
		lastStart = maxTime(lastStart, c.start)
	}
	var q eventQueue
	seq := 0
	for i, c := range clients {
		for w := 0; w < simConcurrency; w++ {
			q.add(&event{at: c.start, kind: evWake, client: i, worker: w}, &seq)
		}
	}
	var r simResult
	admitted, lateAdmitted := 0, 0
	// try lets worker w of client i take its turn at the current time.
	try := func(i, w int) {
		c := clients[i]
		now := clock.now
		if c.busy[w] || !now.Before(c.end) {
			return
		}
		c.gens[w]++
		at, forAnswer := c.adm.turn(now)
		if forAnswer || at.After(now) {
			if !c.listed[w] {
				c.listed[w] = true
				c.waiting = append(c.waiting, w)
			}
			if !forAnswer {
				q.add(&event{at: at, kind: evWake, client: i, worker: w, gen: c.gens[w]}, &seq)
			}
			return
		}
		tk := c.adm.admit(now)
		c.busy[w] = true
		// Each request's round trip: the client's typical latency with
		// ±25% jitter, within 20..400 ms; the server counts it on the way.
		lat := time.Duration(float64(c.latency) * (0.75 + 0.5*rng.Float64()))
		lat = min(max(lat, 20*time.Millisecond), 400*time.Millisecond)
		arrive := now.Add(time.Duration(float64(lat) * (0.3 + 0.4*rng.Float64())))
		reply := &event{at: now.Add(lat), kind: evAnswer, client: i, worker: w, tk: tk, sentAt: now}
		q.add(&event{at: arrive, kind: evArrive, client: i, worker: w, sentAt: now, reply: reply}, &seq)
		q.add(reply, &seq)
	}
	for q.Len() > 0 {
		e := heap.Pop(&q).(*event)
		clock.now = e.at
		c := clients[e.client]
		switch e.kind {
		case evWake:
			if e.gen == c.gens[e.worker] {
				try(e.client, e.worker)
			}
		case evArrive:
			ok, rl := lim.arrive(e.at)
			e.reply.ok, e.reply.rl = ok, rl
			r.sent++
			// The run's first minute is counted beside the client's.
			late := pastOwnWarmup(c, e.sentAt)
			runLate := !e.sentAt.Before(simEpoch.Add(simWarmup))
			if late {
				r.lateSent++
			}
			if runLate {
				r.runSent++
			}
			if ok {
				admitted++
				if runLate {
					lateAdmitted++
				}
			} else {
				if debug {
					if f, ok := lim.(*fixedWindow); ok {
						pos := e.at.Sub(simEpoch.Add(f.offset)) % f.win
						fmt.Printf("refused client %d at %.2fs, %.2fs into the window\n", e.client, e.at.Sub(simEpoch).Seconds(), pos.Seconds())
					}
				}
				r.refused++
				if late {
					r.lateRefus++
				}
				if runLate {
					r.runRefus++
				}
			}
			if ok && !e.sentAt.Before(lastStart) {
				c.admitted++
			}
		case evAnswer:
			pa, _ := c.adm.(*pacerAdmission) // nil: the baseline
			var winBefore time.Duration
			if pa != nil {
				winBefore = pa.p.back.win
				if tune != nil && tune.causes != nil && !e.ok && pastOwnWarmup(c, e.sentAt) {
					tune.causes[refusalCause(&pa.p.back)]++
				}
			}
			c.adm.done(e.at, e.tk, e.rl, !e.ok)
			if pa != nil && debug {
				b := &pa.p.back
				if b.win != winBefore {
					fmt.Printf("client %d learned window %v at %.2fs, start %.2fs\n", e.client, b.win, e.at.Sub(simEpoch).Seconds(), b.start.Sub(simEpoch).Seconds())
				}
				if e.client == tune.trace {
					fmt.Printf("%7.2fs ok=%v sent=%.2f until=%.2f refusing=%v win=%v budget=%.2f probe=%v start=%.2f sentW=%d okW=%d\n",
						e.at.Sub(simEpoch).Seconds(), e.ok, e.sentAt.Sub(simEpoch).Seconds(), b.until.Sub(simEpoch).Seconds(), b.refusing, b.win, b.budget, b.probe, b.start.Sub(simEpoch).Seconds(), b.sent, b.ok)
				}
			}
			c.busy[e.worker] = false
			waiting := append(c.waiting, e.worker)
			c.waiting = nil
			c.listed = [simConcurrency]bool{}
			for _, w := range waiting {
				try(e.client, w)
			}
		}
	}
	run := simDuration.Seconds()
	// Requests sent before the end arrive up to 400 ms later.
	r.quotaUse = float64(admitted) / lim.capacity(simEpoch, simEpoch.Add(simDuration+400*time.Millisecond))
	r.pace = float64(lateAdmitted) / ((run - simWarmup.Seconds()) * v.rate)
	if v.headers {
		r.limitedPct = 100 * float64(r.refused) / float64(max(r.sent, 1))
		r.limitedRunPct = r.limitedPct
	} else {
		r.limitedPct = 100 * float64(r.lateRefus) / float64(max(r.lateSent, 1))
		r.limitedRunPct = 100 * float64(r.runRefus) / float64(max(r.runSent, 1))
	}
	total, count, least := 0, 0, math.MaxInt
	for i, c := range clients {
		if n > 1 && i == 1 {
			continue // stopped half-way
		}
		total += c.admitted
		count++
		least = min(least, c.admitted)
	}
	r.minShare = float64(least) / (float64(total) / float64(count))
	if debug {
		for i, c := range clients {
			fmt.Printf("client %2d latency %v admitted %d", i, c.latency, c.admitted)
			if pa, ok := c.adm.(*pacerAdmission); ok {
				b := &pa.p.back
				fmt.Printf(" window %v budget %.2f start %.2f", b.win, b.budget, b.start.Sub(simEpoch).Seconds())
			}
			fmt.Println()
		}
	}
	return r
}

func (r simResult) String() string {
	return fmt.Sprintf("quota_use %.3f  ratelimited_pct %.2f  pace %.3f  min_share %.2f  (sent %d, refused %d; %.2f%% after the run's first minute)",
		r.quotaUse, r.limitedPct, r.pace, r.minShare, r.sent, r.refused, r.limitedRunPct)
}
