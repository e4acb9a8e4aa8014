package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit/utmcoupon"
)

// value is a field value parsed from the command line, a CSV cell or a
// journal's wire text. Which member is used depends on the field's kind.
type value struct {
	null bool          // none: the field is cleared (sent as null, "" or blank)
	rel  bool          // relative: d or i is added to the coupon's current value
	s    string        // text, decimal, enum
	i    int           // integer
	f    float64       // number
	b    bool          // boolean
	t    time.Time     // date
	d    time.Duration // duration, or the step of a relative date
	ids  []int         // id list
}

// kind says how the values of a field are written on the command line,
// compared with the current value and shown.
type kind struct {
	// doc is what -h and error messages say a value looks like.
	doc string
	// parse reads an absolute value as a user writes it (already trimmed,
	// not "none").
	parse func(s string) (value, error)
	// number: a negative value may be a mistaken "decrement" (max_uses=-1).
	number bool
	// step reads a signed amount ("+5", "-7d") for field+=/-=; add applies
	// it to the current value; stepDoc shows one. nil: no arithmetic.
	step    func(s string) (value, error)
	add     func(cur, delta value) value
	stepDoc string
	// wire reads a value back from compact JSON wire text (journal, SDK
	// changes), leniently, as any vendor writes it.
	wire func(raw string) (value, error)
	// equal compares two absolute values semantically ("10.0000" equals
	// "10.00", two instants in different zones are equal).
	equal func(a, b value) bool
	// show writes a value as compact JSON, readable back by wire.
	show func(v value) string
	// human writes a value for people (nil: show): dates as
	// "2027-01-03 00:00 UTC".
	human func(v value) string
	// emptyOK: "" is a value (text); for every other kind it is an error.
	emptyOK bool
}

// showStep writes a relative value as its step text.
func (k *kind) showStep(v value) string {
	if v.d != 0 {
		return formatStep(v.d)
	}
	return fmt.Sprintf("%+d", v.i)
}

// nullable is k that also accepts "none" (and null wire values).
type nullability bool

const (
	required nullability = false
	optional nullability = true
)

// field is one settable field of a vendor's update request R: its wire
// name, kind, and how to read and write it on R. The vendor's rules on a
// value are not here: the vendor package's Validate applies them
// (adapter.checkValue).
type field[R any] struct {
	name string
	kind *kind
	null nullability // "none" accepted: clears the field
	doc  string      // one line for the field list
	// hint is added when the vendor refuses a negative value, e.g.
	// "0 means unlimited".
	hint string
	get  func(r *R) value
	set  func(r *R, v value) error
	// unique: no two coupons may hold the same value (the vendor answers
	// 409), so set refuses it for more than one coupon and apply for two
	// rows with one value.
	unique bool
}

// fields is a vendor's table of settable fields, in the order -h lists them.
type fields[R any] []*field[R]

// lookup finds the field named name.
func (fs fields[R]) lookup(name string) *field[R] {
	for _, f := range fs {
		if f.name == name {
			return f
		}
	}
	return nil
}

// names lists the field names.
func (fs fields[R]) names() []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}

// docs describes every field for -h and the fields command.
func (fs fields[R]) docs(reads bool) []fieldDoc {
	out := make([]fieldDoc, len(fs))
	for i, f := range fs {
		d := f.kind.doc
		if f.kind.add != nil && reads {
			d += fmt.Sprintf(", or %s+=%s / %s-=%s from the current value", f.name, f.kind.stepDoc, f.name, f.kind.stepDoc)
		}
		if f.null {
			d += ", or none"
		}
		out[i] = fieldDoc{Name: f.name, Values: d, Doc: f.doc, Unique: f.unique}
	}
	return out
}

// fieldDoc is one line of the field list.
type fieldDoc struct {
	Name, Values, Doc string
	// Unique: no two coupons may share a value.
	Unique bool
}

// rules is what parseSetting needs of the vendor: its name, whether it
// reads coupons (relative values need the current one), and its own
// checks of a value.
type rules[R any] interface {
	name() string
	reads() bool
	noUndo() string
	checkValue(f *field[R], v value) error
}

// Relative operators: field+=N adds to the coupon's current value,
// field-=N subtracts; field=V sets V.
const (
	opSet = "="
	opAdd = "+="
	opSub = "-="
)

// parseSetting reads raw as a value of the field named name, set (op "=")
// or added/subtracted (op "+=", "-="). It rejects an unknown field
// (listing the valid ones), a value the field's kind does not accept,
// "none" for a required field, a relative value where the vendor cannot
// read the current one or the field has no arithmetic, and a value the
// vendor's Validate refuses (with a hint for a negative number).
func (fs fields[R]) parseSetting(name, op, raw string, vr rules[R]) (setting, error) {
	f := fs.lookup(name)
	if f == nil {
		return setting{}, fmt.Errorf("%s has no settable field %q; valid fields: %s", vr.name(), name, strings.Join(fs.names(), ", "))
	}
	v, err := f.parseValue(op, raw)
	if err != nil {
		return setting{}, fmt.Errorf("%s%s%s: %w", name, op, raw, err)
	}
	if v.rel && !vr.reads() {
		return setting{}, fmt.Errorf("%s%s%s: %s", name, op, raw, vr.noUndo())
	}
	if !v.rel && !v.null {
		if err := vr.checkValue(f, v); err != nil {
			s := strings.TrimSpace(raw)
			if strings.HasPrefix(s, "-") && f.kind.number {
				err = fmt.Errorf("%w: a negative value is not a change by that much", err)
				if f.hint != "" {
					err = fmt.Errorf("%w; %s", err, f.hint)
				}
				if vr.reads() && f.kind.add != nil {
					err = fmt.Errorf("%w; to lower the current value write %s-=%s", err, name, s[1:])
				}
			}
			return setting{}, fmt.Errorf("%s%s%s: %w", name, op, raw, err)
		}
	}
	return setting{Field: name, Op: op, Raw: raw, v: v, unique: f.unique, date: f.kind == dateKind}, nil
}

// parseValue reads raw for f, with op "=", "+=" or "-=". A date or a
// duration also takes "=+7d" and "=-12h" as a relative step (a unit makes
// it unambiguous); a number never: "=-1" is minus one, and "=+5" is
// refused as ambiguous.
func (f *field[R]) parseValue(op, raw string) (value, error) {
	s := strings.TrimSpace(raw)
	if s == "" && !f.kind.emptyOK {
		return value{}, fmt.Errorf("no value: want %s", f.kind.doc)
	}
	if op != opSet {
		if f.kind.add == nil {
			return value{}, fmt.Errorf("%s cannot be changed by an amount: give a value with %s=", f.name, f.name)
		}
		sign := "+"
		if op == opSub {
			sign = "-"
		}
		v, err := f.kind.step(sign + s)
		if err != nil {
			return value{}, err
		}
		v.rel = true
		return v, nil
	}
	if s == "none" {
		if !f.null {
			return value{}, errors.New("the field is required and cannot be none")
		}
		return value{null: true}, nil
	}
	if f.kind.add != nil && len(s) > 1 && s[0] == '+' && f.kind.number {
		return value{}, fmt.Errorf("%q is ambiguous: write %s+=%s to add to the current value, or %s=%s to set it", s, f.name, s[1:], f.name, s[1:])
	}
	if f.kind.add != nil && !f.kind.number && len(s) > 1 && (s[0] == '+' || s[0] == '-') {
		v, err := f.kind.step(s)
		if err != nil {
			if abs, perr := f.kind.parse(s); perr == nil {
				return abs, nil // a negative TimeSpan, for the vendor's rules to judge
			}
			return value{}, err
		}
		v.rel = true
		return v, nil
	}
	return f.kind.parse(s)
}

// resolve returns the absolute value s sets, given the coupon's current
// value cur (a relative value is added to it), checked by the vendor's
// rules.
func (f *field[R]) resolve(v, cur value, check func(*field[R], value) error) (value, error) {
	if !v.rel {
		return v, nil
	}
	if cur.null {
		return value{}, fmt.Errorf("%s has no current value to change by %s: give an absolute value", f.name, f.kind.showStep(v))
	}
	out := f.kind.add(cur, v)
	if check != nil {
		if err := check(f, out); err != nil {
			return value{}, fmt.Errorf("%s would become %s: %w", f.name, f.humanValue(out), err)
		}
	}
	return out, nil
}

// equalValues compares a and b as values of f, "none" included.
func (f *field[R]) equalValues(a, b value) bool {
	if a.null || b.null {
		return a.null == b.null
	}
	return f.kind.equal(a, b)
}

// humanValue writes v for people: "none", dates as 2027-01-03 00:00 UTC.
func (f *field[R]) humanValue(v value) string {
	if v.null {
		return "none"
	}
	if f.kind.human != nil {
		return f.kind.human(v)
	}
	return f.kind.show(v)
}

// showValue writes v as compact JSON text.
func (f *field[R]) showValue(v value) string {
	if v.null {
		return "null"
	}
	return f.kind.show(v)
}

// wireValue reads wire text (a journal's old or new value) for f.
func (f *field[R]) wireValue(raw string) (value, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return value{null: true}, nil
	}
	v, err := f.kind.wire(raw)
	if err != nil {
		return value{}, fmt.Errorf("%s: cannot read %s: %w", f.name, raw, err)
	}
	return v, nil
}

// setting is one field=value of a plan, parsed and checked.
type setting struct {
	Field  string // wire name
	Op     string // "=", "+=" or "-="
	Raw    string // as given
	v      value
	unique bool // the field's values are unique per coupon
	date   bool // the field is a date (confirm asks before a past one)
}

// ---- kinds ----------------------------------------------------------------

// quote writes s as a JSON string.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// unquote reads a JSON value as text: a string's content, or a number or
// literal as written.
func unquote(raw string) (string, error) {
	if strings.HasPrefix(raw, `"`) {
		var s string
		if err := json.Unmarshal([]byte(raw), &s); err != nil {
			return "", err
		}
		return s, nil
	}
	return raw, nil
}

// textKind is free text.
func textKind(doc string) *kind {
	return &kind{
		doc:     doc,
		emptyOK: true,
		parse:   func(s string) (value, error) { return value{s: s}, nil },
		wire: func(raw string) (value, error) {
			s, err := unquote(raw)
			return value{s: s}, err
		},
		equal: func(a, b value) bool { return a.s == b.s },
		show:  func(v value) string { return quote(v.s) },
	}
}

// enumKind is one of the given words (the vendor package's constants),
// matched without regard to case and written as the vendor spells it;
// any other word is left to the vendor's Validate to refuse.
func enumKind(words ...string) *kind {
	k := textKind("one of " + strings.Join(words, ", "))
	k.emptyOK = false
	k.parse = func(s string) (value, error) {
		for _, w := range words {
			if strings.EqualFold(w, s) {
				return value{s: w}, nil
			}
		}
		return value{s: s}, nil
	}
	return k
}

// decimalKind is a decimal number kept as text, as BigCommerce sends money
// ("10.00"); compared numerically.
var decimalKind = &kind{
	doc:    "a decimal number, e.g. 15.00",
	number: true,
	parse: func(s string) (value, error) {
		if _, ok := new(big.Rat).SetString(s); !ok || strings.ContainsAny(s, "/eE") || strings.HasPrefix(s, "+") {
			return value{}, fmt.Errorf("%q is not a decimal number like 15.00", s)
		}
		return value{s: s}, nil
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		if _, ok := new(big.Rat).SetString(s); !ok {
			return value{}, fmt.Errorf("%q is not a decimal", s)
		}
		return value{s: s}, nil
	},
	equal: func(a, b value) bool {
		x, okx := new(big.Rat).SetString(a.s)
		y, oky := new(big.Rat).SetString(b.s)
		if !okx || !oky {
			return a.s == b.s
		}
		return x.Cmp(y) == 0
	},
	show: func(v value) string { return quote(v.s) },
}

// numberKind is a number such as a percentage.
var numberKind = &kind{
	doc:    "a number, e.g. 12.5",
	number: true,
	parse: func(s string) (value, error) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || strings.HasPrefix(s, "+") || math.IsNaN(f) || math.IsInf(f, 0) {
			return value{}, fmt.Errorf("%q is not a number like 12.5", s)
		}
		return value{f: f}, nil
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		f, err := strconv.ParseFloat(s, 64)
		return value{f: f}, err
	},
	equal: func(a, b value) bool { return a.f == b.f },
	show:  func(v value) string { return strconv.FormatFloat(v.f, 'f', -1, 64) },
}

// intKind is a whole number; field+=N / field-=N change the current value.
var intKind = &kind{
	doc:     "a whole number",
	number:  true,
	stepDoc: "5",
	parse: func(s string) (value, error) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return value{}, fmt.Errorf("%q is not a whole number", s)
		}
		return value{i: n}, nil
	},
	step: func(s string) (value, error) {
		n, err := strconv.Atoi(s[1:])
		if err != nil || n < 0 || s[1] == '+' || s[1] == '-' {
			return value{}, fmt.Errorf("%q is not an amount like 5", s[1:])
		}
		if s[0] == '-' {
			n = -n
		}
		return value{i: n}, nil
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
			return value{i: int(f)}, nil
		}
		return value{}, fmt.Errorf("%q is not a whole number", s)
	},
	equal: func(a, b value) bool { return a.i == b.i },
	show:  func(v value) string { return strconv.Itoa(v.i) },
	add:   func(cur, d value) value { return value{i: cur.i + d.i} },
}

// boolKind is true or false (also yes/no, on/off, 1/0).
var boolKind = &kind{
	doc: "true or false",
	parse: func(s string) (value, error) {
		switch strings.ToLower(s) {
		case "true", "yes", "on", "1":
			return value{b: true}, nil
		case "false", "no", "off", "0":
			return value{b: false}, nil
		}
		return value{}, fmt.Errorf("%q is not true or false", s)
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		switch s {
		case "true", "1":
			return value{b: true}, nil
		case "false", "0":
			return value{b: false}, nil
		}
		return value{}, fmt.Errorf("%q is not a boolean", s)
	},
	equal: func(a, b value) bool { return a.b == b.b },
	show:  func(v value) string { return strconv.FormatBool(v.b) },
}

// parseIDs reads a comma-separated list of numeric ids.
func parseIDs(s string) (value, error) {
	var ids []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return value{}, fmt.Errorf("%q is not a comma-separated list of ids", s)
		}
		ids = append(ids, n)
	}
	return value{ids: ids}, nil
}

// idsKind is a comma-separated list of numeric ids.
var idsKind = &kind{
	doc:   "comma-separated numeric ids, e.g. 1001,1002",
	parse: parseIDs,
	wire: func(raw string) (value, error) {
		var ids []int
		if err := json.Unmarshal([]byte(raw), &ids); err == nil {
			return value{ids: ids}, nil
		}
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		return parseIDs(s)
	},
	equal: func(a, b value) bool { return slices.Equal(a.ids, b.ids) },
	show: func(v value) string {
		b, _ := json.Marshal(v.ids)
		return string(b)
	},
}

// dateLayouts are the date forms read from journals and vendors' wire
// text: RFC 3339 (JFramework, couponctl), RFC 2822 (BigCommerce), a bare
// date (Paddle).
var dateLayouts = []string{
	time.RFC3339Nano,
	"Mon, 02 Jan 2006 15:04:05 -0700",
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	time.DateOnly,
	time.DateTime,
}

// humanDate is the one date format couponctl shows people (ISO 8601 in
// UTC); the vendor's own text appears only in -json output and journals.
const humanDate = "2006-01-02 15:04 UTC"

// formatHuman writes t as couponctl shows dates.
func formatHuman(t time.Time) string { return t.UTC().Format(humanDate) }

// dateKind is a point in time: YYYY-MM-DD (00:00 UTC) or RFC 3339;
// expires+=7d (or expires=+7d), expires-=12h move the current value.
var dateKind = &kind{
	doc:     "YYYY-MM-DD (00:00 UTC) or an RFC 3339 time",
	stepDoc: "7d",
	parse: func(s string) (value, error) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return value{t: t}, nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return value{}, fmt.Errorf("%q is not YYYY-MM-DD, an RFC 3339 time, or a step like +7d", s)
		}
		return value{t: t}, nil
	},
	step: func(s string) (value, error) {
		d, err := parseStep(s)
		return value{d: d}, err
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		if s == "" {
			return value{null: true}, nil
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return value{t: t}, nil
			}
		}
		return value{}, fmt.Errorf("%q is not a date", s)
	},
	equal: func(a, b value) bool { return a.t.Equal(b.t) },
	show: func(v value) string {
		if v.rel {
			return quote(formatStep(v.d))
		}
		return quote(v.t.Format(time.RFC3339Nano))
	},
	human: func(v value) string { return formatHuman(v.t) },
	add:   func(cur, d value) value { return value{t: cur.t.Add(d.d)} },
}

// durationKind is a length of time: 14d, 36h, 90m, or VTEX's .NET
// TimeSpan [d.]hh:mm:ss (read and written by utmcoupon's own
// ParseTimeSpan and FormatTimeSpan); expirationIntervalPerUse+=1d changes
// the current value.
var durationKind = &kind{
	doc:     "a duration such as 14d, 36h, 90m or a TimeSpan [d.]hh:mm:ss",
	stepDoc: "1d",
	parse:   func(s string) (value, error) { d, err := parseDuration(s); return value{d: d}, err },
	step: func(s string) (value, error) {
		d, err := parseStep(s)
		return value{d: d}, err
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		d, err := utmcoupon.ParseTimeSpan(s)
		return value{d: d}, err
	},
	equal: func(a, b value) bool { return a.d == b.d },
	show:  func(v value) string { return quote(utmcoupon.FormatTimeSpan(v.d)) },
	add:   func(cur, d value) value { return value{d: cur.d + d.d} },
}

// parseStep reads a signed step: +7d, -12h, +2w, +30m, +45s.
func parseStep(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a step like +7d, -12h or +2w", s)
	if len(s) < 3 {
		return 0, bad
	}
	sign := time.Duration(1)
	if s[0] == '-' {
		sign = -1
	}
	n, err := strconv.Atoi(s[1 : len(s)-1])
	if err != nil || n < 0 || n > 100000 || s[1] == '+' || s[1] == '-' {
		return 0, bad
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'w':
		unit = 7 * 24 * time.Hour
	case 'd':
		unit = 24 * time.Hour
	case 'h':
		unit = time.Hour
	case 'm':
		unit = time.Minute
	case 's':
		unit = time.Second
	default:
		return 0, bad
	}
	return sign * time.Duration(n) * unit, nil
}

// formatStep writes a step back as parseStep reads it.
func formatStep(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	for _, u := range []struct {
		c string
		d time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}} {
		if d%u.d == 0 {
			return sign + strconv.FormatInt(int64(d/u.d), 10) + u.c
		}
	}
	return sign + strconv.FormatInt(int64(d/time.Second), 10) + "s"
}

// parseDuration reads 14d, 2w, Go durations (36h, 90m, 1h30m), or a .NET
// TimeSpan as VTEX writes it (utmcoupon.ParseTimeSpan).
func parseDuration(s string) (time.Duration, error) {
	if strings.Contains(s, ":") {
		return utmcoupon.ParseTimeSpan(s)
	}
	if strings.HasSuffix(s, "d") || strings.HasSuffix(s, "w") {
		if d, err := parseStep("+" + s); err == nil {
			return d, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil {
		return d, nil
	}
	return 0, fmt.Errorf("%q is not a duration like 14d, 36h or 1.12:00:00", s)
}

// opt reads an optional field: nil is none.
func opt[T any](p *T, wrap func(T) value) value {
	if p == nil {
		return value{null: true}
	}
	return wrap(*p)
}

// ptrOf writes an optional field: none is nil.
func ptrOf[T any](v value, get func(value) T) *T {
	if v.null {
		return nil
	}
	x := get(v)
	return &x
}

// Optional texts and numbers of the vendors' requests.
func optText(p *string) value    { return opt(p, func(s string) value { return value{s: s} }) }
func optInt(p *int) value        { return opt(p, func(i int) value { return value{i: i} }) }
func optNumber(p *float64) value { return opt(p, func(f float64) value { return value{f: f} }) }
func textPtr(v value) *string    { return ptrOf(v, func(v value) string { return v.s }) }
func intPtr(v value) *int        { return ptrOf(v, func(v value) int { return v.i }) }
