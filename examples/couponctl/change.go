package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/couponkit/couponkit/bigcommerce"
)

// mode says what the run does to one item.
type mode int

const (
	// modeSet applies the item's settings.
	modeSet mode = iota
	// modeUndo puts each field's old value back, where the coupon still
	// holds the value the run wrote; any other value is a conflict.
	modeUndo
	// modeFinish completes an update whose write-ahead mark has no answer
	// (the program was killed while it was in flight): the coupon is read;
	// holding the new values, it is confirmed applied; holding the old
	// ones, the journaled new values are sent (as absolute values, so a
	// +7d is never applied twice); anything else is left as unknown.
	modeFinish
	// modeCheck confirms, by reading only, an update whose outcome the
	// vendor left unknown: applied when the coupon holds the new values,
	// otherwise still unknown, listed for a human, and never resent.
	modeCheck
)

// item is one coupon of a run.
type item struct {
	key     string
	mode    mode
	sets    []setting // modeSet
	changes []change  // modeUndo, modeFinish, modeCheck: journaled old and new values
}

// conflictError is a modeUndo item whose field no longer holds the value
// the run wrote. Nothing is sent for it.
type conflictError struct {
	fields []string // "amount now \"12.00\", run wrote \"15.00\""
}

func (e *conflictError) Error() string {
	return "changed since the run, left alone: " + strings.Join(e.fields, "; ")
}

// errStillUnknown is a modeCheck or modeFinish item whose coupon holds
// neither the old nor the new values.
var errStillUnknown = errors.New("outcome still unknown: the coupon holds neither the values before nor the values after the update; check it by hand")

// errStop is returned by a change func once the run is stopping (Ctrl-C):
// the coupon was read, and nothing is sent for it.
var errStop = errors.New("stopped before sending (interrupted)")

// changer builds the change funcs of ModifyCoupons for request type R.
type changer[R any] struct {
	vendor string
	fields fields[R]
	key    func(r *R) string // the request's coupon key, as the plan writes it
	items  map[string]*item
	// sending, when set, is called with an item's changes just before
	// ModifyCoupons sends its update (the journal's write-ahead mark).
	sending func(key string, cs []change)
	// stopping reports whether the run is stopping.
	stopping func() bool
	// dryRun: ModifyCoupons sends nothing.
	dryRun bool
	// check applies the vendor's rules to a value a relative change
	// resolved to (adapter.checkValue); nil for none.
	check func(*field[R], value) error

	mu       sync.Mutex
	released map[string]bool // keys whose update the change func let go
}

// wasReleased reports whether key's update was let go to the vendor.
func (c *changer[R]) wasReleased(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.released[key]
}

// change is the func ModifyCoupons calls with each coupon's request.
func (c *changer[R]) change(r *R) error {
	key := c.key(r)
	it := c.items[key]
	if it == nil {
		return fmt.Errorf("%s: no plan for coupon %s", c.vendor, key)
	}
	var cs []change
	var err error
	switch it.mode {
	case modeSet:
		cs, err = c.set(r, it)
	case modeUndo:
		cs, err = c.undo(r, it)
	case modeFinish, modeCheck:
		cs, err = c.finish(r, it)
	}
	if err != nil {
		return err
	}
	if len(cs) > 0 {
		if c.stopping != nil && c.stopping() {
			return errStop
		}
		if c.sending != nil {
			c.sending(key, cs)
		}
		if !c.dryRun {
			c.mu.Lock()
			if c.released == nil {
				c.released = map[string]bool{}
			}
			c.released[key] = true
			c.mu.Unlock()
		}
	}
	return nil
}

// set applies it.sets to r and returns what changed (couponctl's view; the
// SDK's wire diff is what the journal's outcome line keeps).
func (c *changer[R]) set(r *R, it *item) ([]change, error) {
	var cs []change
	for _, s := range it.sets {
		f := c.fields.lookup(s.Field)
		cur := f.get(r)
		nv, err := f.resolve(s.v, cur, c.check)
		if err != nil {
			return nil, err
		}
		if f.equalValues(cur, nv) {
			continue // keep the vendor's own spelling ("10.0000" for 10)
		}
		if err := f.set(r, nv); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		cs = append(cs, newChange(f.name, f.showValue(cur), f.showValue(nv)))
	}
	return cs, nil
}

// journaled is one field of a journaled change, read as values of its
// field, with the coupon's current value.
type journaled[R any] struct {
	f             *field[R]
	old, new, cur value
}

// journaled reads it.changes against r.
func (c *changer[R]) journaled(r *R, it *item) ([]journaled[R], error) {
	out := make([]journaled[R], 0, len(it.changes))
	for _, ch := range it.changes {
		f := c.fields.lookup(ch.Field)
		if f == nil {
			return nil, fmt.Errorf("the journal's field %s is not one couponctl sets", ch.Field)
		}
		oldV, err := f.wireValue(string(ch.Old))
		if err != nil {
			return nil, err
		}
		newV, err := f.wireValue(string(ch.New))
		if err != nil {
			return nil, err
		}
		out = append(out, journaled[R]{f: f, old: oldV, new: newV, cur: f.get(r)})
	}
	return out, nil
}

// put sets each field of js on r to the value pick chooses and returns
// the changes.
func put[R any](r *R, js []journaled[R], pick func(journaled[R]) value) ([]change, error) {
	var cs []change
	for _, j := range js {
		v := pick(j)
		if err := j.f.set(r, v); err != nil {
			return nil, fmt.Errorf("%s: %w", j.f.name, err)
		}
		cs = append(cs, newChange(j.f.name, j.f.showValue(j.cur), j.f.showValue(v)))
	}
	return cs, nil
}

// undo puts the old values back where the coupon holds the new ones; a
// field holding its old value is restored already (a second undo, or an
// update that never landed); any other value is a conflict.
func (c *changer[R]) undo(r *R, it *item) ([]change, error) {
	js, err := c.journaled(r, it)
	if err != nil {
		return nil, err
	}
	var puts []journaled[R]
	var conflicts []string
	for _, j := range js {
		switch {
		case j.f.equalValues(j.cur, j.new):
			puts = append(puts, j)
		case j.f.equalValues(j.cur, j.old):
		default:
			conflicts = append(conflicts, fmt.Sprintf("%s now %s, the run wrote %s", j.f.name, j.f.humanValue(j.cur), j.f.humanValue(j.new)))
		}
	}
	if len(conflicts) > 0 {
		return nil, &conflictError{fields: conflicts}
	}
	return put(r, puts, func(j journaled[R]) value { return j.old })
}

// finish handles modeFinish and modeCheck: all new values present means
// applied (nothing to send); for modeFinish, all old values present means
// the update never landed, so the new values are set.
func (c *changer[R]) finish(r *R, it *item) ([]change, error) {
	js, err := c.journaled(r, it)
	if err != nil {
		return nil, err
	}
	allNew, allOld := true, true
	for _, j := range js {
		allNew = allNew && j.f.equalValues(j.cur, j.new)
		allOld = allOld && j.f.equalValues(j.cur, j.old)
	}
	switch {
	case allNew:
		return nil, nil
	case allOld && it.mode == modeFinish:
		return put(r, js, func(j journaled[R]) value { return j.new })
	}
	return nil, errStillUnknown
}

// isFatal reports whether err means the run cannot go on: the vendor
// refused the credentials (every vendor package's ErrUnauthorized and
// ErrForbidden are the same values), so the run stops at the first one
// instead of spending the quota on failures.
func isFatal(err error) bool {
	return errors.Is(err, bigcommerce.ErrUnauthorized) || errors.Is(err, bigcommerce.ErrForbidden)
}

// refusals are the errors that are a definite answer "no" from the vendor:
// nothing was applied.
var refusals = []error{bigcommerce.ErrInvalidRequest, bigcommerce.ErrNotFound, bigcommerce.ErrConflict,
	bigcommerce.ErrRateLimited, bigcommerce.ErrUnauthorized, bigcommerce.ErrForbidden}

// classify returns the outcome of an item that ended with err; released
// says whether its update left for the vendor. An update that left and
// ended in neither a definite refusal nor ErrNotSent (a 5xx after the
// retries of an idempotent PUT, a connection lost) may have been applied:
// it is unknown, never "failed", so that it is checked before anything is
// sent again.
func classify(err error, released bool) string {
	var ce *conflictError
	switch {
	case errors.As(err, &ce):
		return outConflict
	case errors.Is(err, errStillUnknown):
		return outUnknown
	case errors.Is(err, errStop):
		return outNotSent
	case errors.Is(err, bigcommerce.ErrOutcomeUnknown):
		return outUnknown
	case errors.Is(err, bigcommerce.ErrNotSent):
		return outNotSent
	}
	for _, r := range refusals {
		if errors.Is(err, r) {
			return outFailed
		}
	}
	if released {
		return outUnknown
	}
	return outFailed
}

// modifyResult turns one ModifyCoupons item into a result. wire holds the
// SDK's changes (nil on error).
func modifyResult(it *item, dryRun bool, wire []change, err error, released bool) result {
	r := result{key: it.key, err: err}
	var ce *conflictError
	switch {
	case errors.As(err, &ce):
		// the conflict says it all; the SDK's wrapping adds nothing
		r.outcome, r.err = outConflict, ce
	case errors.Is(err, errStillUnknown):
		r.outcome, r.err = outUnknown, errStillUnknown
	case err != nil:
		r.outcome, r.fatal = classify(err, released), isFatal(err)
	case len(wire) > 0 && dryRun:
		r.outcome, r.changes = outWould, wire
	case len(wire) > 0:
		r.outcome, r.changes = outApplied, wire
	case it.mode == modeFinish || it.mode == modeCheck:
		// the coupon holds the journaled new values: the update that was
		// in flight (or unknown) did land
		r.outcome, r.changes = outApplied, it.changes
	case it.mode == modeUndo:
		r.outcome, r.note = outUnchanged, "already restored"
	default:
		r.outcome = outUnchanged
	}
	return r
}
