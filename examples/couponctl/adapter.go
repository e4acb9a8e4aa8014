package main

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/bigcommerce"
)

// adapter is the one generic core every vendor shares: a vendor file
// (vendor_bigcommerce.go, ...) fills one in with that vendor's facts (key,
// fields, credentials, demo seed) and the calls of its package, and the
// adapter is both the vendor and, once connected, the session the commands
// run on. R is the vendor's UpdateCouponRequest, K its coupon key, C its
// listed coupon, CL its *Client and O its Option.
//
// No vendor rule is written here or in a vendor file: a key, a value or a
// whole request is checked with the vendor package's own
// UpdateCouponRequest.Validate (see checkValue).
type adapter[R, K, C, CL, O any] struct {
	id       string    // the -vendor name
	key      keySyntax // the coupon key's name and whether it is a number
	readable bool      // ModifyCoupons (read, then send back whole) rather than UpdateCoupons
	// whyNoUndo explains why a vendor without reads has no undo and no
	// relative values.
	whyNoUndo    string
	envVars      []envVar
	filterNames  []string // the list filters the vendor takes
	neededFilter []string // the filters its listing requires
	table        fields[R]
	// extra are settable fields outside the table (Partnero's
	// metadata.KEY): documented, parsed and applied by the vendor file.
	extra      []fieldDoc
	extraField func(name string) bool
	extraParse func(name, raw string) (setting, error)
	extraApply func(r *R, s setting) (change, error)

	// request returns a request for key that passes Validate: values are
	// checked by setting them on one (checkValue).
	request  func(key string) *R
	validate func(*R) error // the vendor package's (*UpdateCouponRequest).Validate
	reqKey   func(*R) string
	parseKey func(string) K // a key checked by checkKey

	options   options[O]
	newClient func(getenv func(string) string, opts ...O) (CL, error)
	// store names the store the credentials reach (store hash, vendor id,
	// account, brand URL), never a credential; journals record it.
	store func(getenv func(string) string) string
	demo  func(now time.Time, statePath string, opts []O) (*demoRun[CL], error)

	list   func(ctx context.Context, c CL, f filterSet) iter.Seq2[C, error]
	toRow  func(C) row
	modify func(ctx context.Context, c CL, keys []K, change func(*R) error, o *bulkOptions) iter.Seq[modified]
	update func(ctx context.Context, c CL, reqs []*R, o *bulkOptions) iter.Seq[updated]
}

// bulkOptions are the options of every vendor's UpdateCoupons and
// ModifyCoupons: each package's BulkOptions is an alias of one shared
// type, named here through bigcommerce.
type bulkOptions = bigcommerce.BulkOptions

// fieldChange is every vendor's FieldChange (one shared type, as above).
type fieldChange = bigcommerce.FieldChange

// modified is one ModifyCoupons result, the vendor's types unpacked.
type modified struct {
	key     string
	changes []fieldChange
	err     error
}

// updated is one UpdateCoupons result: the request's index, whether the
// vendor changed anything.
type updated struct {
	index   int
	changed bool
	err     error
}

// options are a vendor package's Option constructors that couponctl uses.
type options[O any] struct {
	userAgent func(string) O
	http      func(*http.Client) O
	logger    func(*slog.Logger) O
	baseURL   func(string) O
}

// build returns the options for cfg.
func (o options[O]) build(cfg *connectConfig) []O {
	out := []O{o.userAgent("couponctl"), o.http(cfg.http)}
	if cfg.logger != nil {
		out = append(out, o.logger(cfg.logger))
	}
	if cfg.baseURL != "" && !cfg.demo {
		out = append(out, o.baseURL(cfg.baseURL))
	}
	return out
}

// ---- vendor ---------------------------------------------------------------

func (a *adapter[R, K, C, CL, O]) name() string          { return a.id }
func (a *adapter[R, K, C, CL, O]) keys() keySyntax       { return a.keySyntax() }
func (a *adapter[R, K, C, CL, O]) reads() bool           { return a.readable }
func (a *adapter[R, K, C, CL, O]) noUndo() string        { return a.whyNoUndo }
func (a *adapter[R, K, C, CL, O]) env() []envVar         { return a.envVars }
func (a *adapter[R, K, C, CL, O]) filters() []string     { return a.filterNames }
func (a *adapter[R, K, C, CL, O]) needFilters() []string { return a.neededFilter }

// keySyntax is the vendor's key syntax, its rule checked by Validate.
func (a *adapter[R, K, C, CL, O]) keySyntax() keySyntax {
	ks := a.key
	ks.check = a.checkKey
	return ks
}

// checkKey refuses a key the vendor's Validate refuses.
func (a *adapter[R, K, C, CL, O]) checkKey(key string) error {
	return problemsOf(a.validate(a.request(key)))
}

func (a *adapter[R, K, C, CL, O]) fieldDocs() []fieldDoc {
	return append(a.table.docs(a.readable), a.extra...)
}

func (a *adapter[R, K, C, CL, O]) hasField(name string) bool {
	return a.table.lookup(name) != nil || (a.extraField != nil && a.extraField(name))
}

func (a *adapter[R, K, C, CL, O]) parseSetting(name, op, raw string) (setting, error) {
	if a.table.lookup(name) == nil && a.extraField != nil && a.extraField(name) {
		if op != opSet {
			return setting{}, fmt.Errorf("%s%s%s: give a value with %s=", name, op, raw, name)
		}
		return a.extraParse(name, raw)
	}
	return a.table.parseSetting(name, op, raw, a)
}

// checkValue applies the vendor's rules to an absolute value of f: set on
// a request that passes Validate, it must still pass.
func (a *adapter[R, K, C, CL, O]) checkValue(f *field[R], v value) error {
	r := a.request(a.sampleKey())
	if err := f.set(r, v); err != nil {
		return err
	}
	return problemsOf(a.validate(r))
}

// sampleKey is a key the vendor accepts, for checkValue's request.
func (a *adapter[R, K, C, CL, O]) sampleKey() string {
	if a.key.numeric {
		return "1"
	}
	return "SAMPLE-1"
}

// problemsOf turns a *ValidationError into its problems only ("must not
// be negative"), without the vendor and operation prefix.
func problemsOf(err error) error {
	var ve *bigcommerce.ValidationError // every vendor's ValidationError is this one type
	if !errors.As(err, &ve) || len(ve.Fields) == 0 {
		return err
	}
	var ps []string
	for _, f := range ve.Fields {
		ps = append(ps, f.Problem)
	}
	return fmt.Errorf("%s (%s's rule)", strings.Join(ps, "; "), ve.Vendor)
}

// identity is the store the environment's credentials reach, or "demo".
func (a *adapter[R, K, C, CL, O]) identity(getenv func(string) string, demo bool) string {
	if demo {
		return "demo"
	}
	return a.store(getenv)
}

// connect returns a session on real credentials, or on an in-process test
// server for -demo.
func (a *adapter[R, K, C, CL, O]) connect(cfg *connectConfig) (session, error) {
	opts := a.options.build(cfg)
	if cfg.demo {
		d, err := a.demo(time.Now(), cfg.demoState, opts)
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(cfg.notice, "couponctl: -demo: "+d.note)
		if d.saved != "" {
			fmt.Fprintln(cfg.notice, "couponctl: -demo-state: "+d.saved)
		}
		cfg.afterWrite(d.save)
		return &conn[R, K, C, CL, O]{a: a, c: d.client, srv: d.srv}, nil
	}
	c, err := a.newClient(cfg.getenv, opts...)
	if err != nil {
		return nil, err
	}
	return &conn[R, K, C, CL, O]{a: a, c: c}, nil
}

// ---- session --------------------------------------------------------------

// conn is a connected adapter: the session the commands run on.
type conn[R, K, C, CL, O any] struct {
	a   *adapter[R, K, C, CL, O]
	c   CL
	srv demoServer // -demo only
}

func (s *conn[R, K, C, CL, O]) list(ctx context.Context, f filterSet) iter.Seq2[row, error] {
	return func(yield func(row, error) bool) {
		for c, err := range s.a.list(ctx, s.c, f) {
			if err != nil {
				yield(row{}, err)
				return
			}
			if !yield(s.a.toRow(c), nil) {
				return
			}
		}
	}
}

func (s *conn[R, K, C, CL, O]) close() {
	if s.srv != nil {
		s.srv.Close()
	}
}

func (s *conn[R, K, C, CL, O]) limited() int {
	if s.srv == nil {
		return -1
	}
	return s.srv.RateLimited()
}

// run changes the items: through ModifyCoupons for vendors with reads,
// UpdateCoupons for the others.
func (s *conn[R, K, C, CL, O]) run(ctx context.Context, items []*item, o *runOptions) iter.Seq[result] {
	opts := &bulkOptions{
		Concurrency: o.concurrency, RequestsPerSecond: o.rps, DryRun: o.dryRun && s.a.readable,
		Progress: func(p bigcommerce.Progress) {
			if rl := p.RateLimit; rl != nil {
				o.rate(rl.Limit, rl.Remaining, rl.ResetIn)
			}
		},
	}
	if s.a.readable {
		return s.modifyRun(ctx, items, o, opts)
	}
	return s.updateRun(ctx, items, o, opts)
}

// modifyRun plans the keys, builds the change func and turns each
// ModifyCoupons result into a result.
func (s *conn[R, K, C, CL, O]) modifyRun(ctx context.Context, items []*item, o *runOptions, opts *bulkOptions) iter.Seq[result] {
	a := s.a
	byKey := make(map[string]*item, len(items))
	keys := make([]K, 0, len(items))
	for _, it := range items {
		byKey[it.key] = it
		keys = append(keys, a.parseKey(it.key))
	}
	ch := &changer[R]{vendor: a.id, fields: a.table, items: byKey, key: a.reqKey, sending: o.sending, stopping: o.stopping, dryRun: o.dryRun, check: a.checkValue}
	return func(yield func(result) bool) {
		for m := range a.modify(ctx, s.c, keys, ch.change, opts) {
			var wire []change
			for _, fc := range m.changes {
				wire = append(wire, newChange(fc.Field, fc.Old, fc.New))
			}
			if !yield(modifyResult(byKey[m.key], o.dryRun, wire, m.err, ch.wasReleased(m.key))) {
				return
			}
		}
	}
}

// updateRun builds each item's partial request and sends them through
// UpdateCoupons. A dry run sends nothing and reports what each request
// would set: these vendors have no read to check it against.
func (s *conn[R, K, C, CL, O]) updateRun(ctx context.Context, items []*item, o *runOptions, opts *bulkOptions) iter.Seq[result] {
	a := s.a
	return func(yield func(result) bool) {
		reqs := make([]*R, 0, len(items))
		changes := make([][]change, 0, len(items))
		planned := make([]*item, 0, len(items))
		for _, it := range items {
			r := a.request(it.key)
			cs, err := a.applySets(r, it)
			if err == nil {
				err = a.validate(r)
			}
			switch {
			case err != nil:
				if !yield(result{key: it.key, outcome: outFailed, err: err}) {
					return
				}
			case o.dryRun:
				if !yield(result{key: it.key, outcome: outWouldSend, changes: cs}) {
					return
				}
			default:
				reqs, changes, planned = append(reqs, r), append(changes, cs), append(planned, it)
			}
		}
		if o.dryRun || len(reqs) == 0 {
			return
		}
		for u := range a.update(ctx, s.c, reqs, opts) {
			r := result{key: planned[u.index].key, err: u.err}
			switch {
			case u.err != nil:
				r.outcome, r.fatal = classify(u.err, true), isFatal(u.err)
			case u.changed:
				r.outcome, r.changes = outApplied, changes[u.index]
			default:
				r.outcome = outUnchanged
			}
			if !yield(r) {
				return
			}
		}
	}
}

// applySets applies an item's settings to a partial request and returns
// the changes (new values only: the old ones were not read).
func (a *adapter[R, K, C, CL, O]) applySets(r *R, it *item) ([]change, error) {
	var cs []change
	for _, s := range it.sets {
		f := a.table.lookup(s.Field)
		if f == nil {
			c, err := a.extraApply(r, s)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c)
			continue
		}
		if err := f.set(r, s.v); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		cs = append(cs, newChange(f.name, "", f.showValue(s.v)))
	}
	return cs, nil
}

// showChange writes a change's value for people: dates as
// "2027-01-03 00:00 UTC" whatever the vendor's wire text.
func (a *adapter[R, K, C, CL, O]) showChange(fieldName string, raw []byte) string {
	if f := a.table.lookup(fieldName); f != nil {
		if v, err := f.wireValue(string(raw)); err == nil {
			return f.humanValue(v)
		}
	}
	return string(raw)
}

// mapSeq yields f of each element of s.
func mapSeq[T, U any](s iter.Seq[T], f func(T) U) iter.Seq[U] {
	return func(yield func(U) bool) {
		for t := range s {
			if !yield(f(t)) {
				return
			}
		}
	}
}

// changesOf returns a ModifyCoupons response's changes (none for nil, as
// on an error).
func changesOf[MR any](r *MR, get func(*MR) []fieldChange) []fieldChange {
	if r == nil {
		return nil
	}
	return get(r)
}

// number reads a numeric list filter checked by checkFilters (0 when
// absent).
func (f filterSet) number(name string) int {
	n, _ := strconv.Atoi(f[name])
	return n
}

// noReads explains, for a vendor without reads, why relative values and
// undo are not available.
func noReads(why, export string) string {
	return why + ", so couponctl does not know the values a run replaced: relative values (+=) and undo " +
		"are not available; keep your own export (" + export + ") before a run"
}
