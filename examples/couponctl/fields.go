package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
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
	// parse reads a value as a user writes it (already trimmed, not "none").
	parse func(s string) (value, error)
	// relative says whether "+N"/"-N" (after the unit rules of parse) is
	// accepted and added to the current value; relDoc shows how.
	relative bool
	relDoc   string
	// wire reads a value back from compact JSON wire text (journal, SDK
	// changes), leniently, as any vendor writes it.
	wire func(raw string) (value, error)
	// equal compares two absolute values semantically ("10.0000" equals
	// "10.00", two instants in different zones are equal).
	equal func(a, b value) bool
	// show writes a value as compact JSON, readable back by wire.
	show func(v value) string
	// add applies a relative value to the current one.
	add func(cur, delta value) value
	// emptyOK: "" is a value (text); for every other kind it is an error.
	emptyOK bool
}

// nullable is k that also accepts "none" (and null wire values).
type nullability bool

const (
	required nullability = false
	optional nullability = true
)

// field is one settable field of a vendor's update request R: its wire
// name, kind, and how to read and write it on R.
type field[R any] struct {
	name  string
	kind  *kind
	null  nullability // "none" accepted: clears the field
	doc   string      // one line for the field list
	get   func(r *R) value
	set   func(r *R, v value) error
	check func(v value) error // vendor rule on an absolute value; nil for none
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
func (fs fields[R]) docs() []fieldDoc {
	out := make([]fieldDoc, len(fs))
	for i, f := range fs {
		d := f.kind.doc
		if f.kind.relative {
			d += ", or " + f.kind.relDoc + " from the current value"
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

// parseSetting reads raw as a value of the field named name. It rejects an
// unknown field (listing the valid ones), a value the field's kind does
// not accept, "none" for a required field, a relative value where the
// vendor cannot read the current one, and values breaking a vendor rule.
func (fs fields[R]) parseSetting(name, raw string, reads bool, vendor string) (setting, error) {
	f := fs.lookup(name)
	if f == nil {
		return setting{}, fmt.Errorf("%s has no settable field %q; valid fields: %s", vendor, name, strings.Join(fs.names(), ", "))
	}
	v, err := f.parseValue(raw)
	if err != nil {
		return setting{}, fmt.Errorf("%s=%s: %w", name, raw, err)
	}
	if v.rel && !reads {
		return setting{}, fmt.Errorf("%s=%s: %s", name, raw, noRelative[vendor])
	}
	return setting{Field: name, Raw: raw, v: v, unique: f.unique}, nil
}

// noRelative explains, per vendor without reads, why a relative value is refused.
var noRelative = map[string]string{
	"paddle": "a relative value needs the coupon's current value, and Paddle Classic has no read of one " +
		"coupon (list_coupons lists by product, and its update is partial): give an absolute value, e.g. expires=2027-01-31",
	"partnero": "a relative value needs the coupon's current value, which couponctl does not read for Partnero " +
		"(its update is partial): give an absolute value",
}

// parseValue reads raw for f.
func (f *field[R]) parseValue(raw string) (value, error) {
	s := strings.TrimSpace(raw)
	if s == "" && !f.kind.emptyOK {
		return value{}, fmt.Errorf("no value: want %s", f.kind.doc)
	}
	if s == "none" {
		if !f.null {
			return value{}, errors.New("the field is required and cannot be none")
		}
		return value{null: true}, nil
	}
	if f.kind.relative && len(s) > 1 && (s[0] == '+' || s[0] == '-') {
		v, err := f.kind.parse(s)
		if err != nil {
			return value{}, err
		}
		v.rel = true
		return v, nil
	}
	v, err := f.kind.parse(s)
	if err != nil {
		return value{}, err
	}
	if v.rel {
		return value{}, fmt.Errorf("want %s", f.kind.doc)
	}
	if f.check != nil {
		if err := f.check(v); err != nil {
			return value{}, err
		}
	}
	return v, nil
}

// resolve returns the absolute value s sets, given the coupon's current
// value cur (a relative value is added to it).
func (f *field[R]) resolve(v, cur value) (value, error) {
	if !v.rel {
		return v, nil
	}
	if cur.null {
		return value{}, fmt.Errorf("%s has no current value to change by %s: give an absolute value", f.name, f.kind.show(v))
	}
	out := f.kind.add(cur, v)
	if f.check != nil {
		if err := f.check(out); err != nil {
			return value{}, fmt.Errorf("%s would become %s: %w", f.name, f.kind.show(out), err)
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
	Raw    string // as given
	v      value
	unique bool // the field's values are unique per coupon
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

// enumKind is one of the given words.
func enumKind(words ...string) *kind {
	k := textKind("one of " + strings.Join(words, ", "))
	k.parse = func(s string) (value, error) {
		if !slices.Contains(words, s) {
			return value{}, fmt.Errorf("want one of %s", strings.Join(words, ", "))
		}
		return value{s: s}, nil
	}
	return k
}

// decimalKind is a decimal number kept as text, as BigCommerce sends money
// ("10.00"); compared numerically.
var decimalKind = &kind{
	doc: "a decimal number, e.g. 15.00",
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
	doc: "a number, e.g. 12.5",
	parse: func(s string) (value, error) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || strings.HasPrefix(s, "+") {
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

// intKind is a whole number; "+N"/"-N" changes the current value.
var intKind = &kind{
	doc:      "a whole number",
	relative: true,
	relDoc:   "+N/-N",
	parse: func(s string) (value, error) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return value{}, fmt.Errorf("%q is not a whole number", s)
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
		if err != nil || n < 1 {
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

// dateKind is a point in time: YYYY-MM-DD (00:00 UTC) or RFC 3339; "+7d",
// "-12h", "+2w" move the current value.
var dateKind = &kind{
	doc:      "YYYY-MM-DD (00:00 UTC) or an RFC 3339 time",
	relative: true,
	relDoc:   "+7d/-12h/+2w",
	parse: func(s string) (value, error) {
		if s[0] == '+' || s[0] == '-' {
			d, err := parseStep(s)
			if err != nil {
				return value{}, err
			}
			return value{d: d, rel: true}, nil
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return value{t: t}, nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return value{}, fmt.Errorf("%q is not YYYY-MM-DD, an RFC 3339 time, or a step like +7d", s)
		}
		return value{t: t}, nil
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
	add: func(cur, d value) value { return value{t: cur.t.Add(d.d)} },
}

// durationKind is a length of time: 14d, 36h, 90m, 1.12:00:00 (.NET
// TimeSpan) or 00:00:00; "+1d" changes the current value.
var durationKind = &kind{
	doc:      "a duration such as 14d, 36h, 90m or a TimeSpan [d.]hh:mm:ss",
	relative: true,
	relDoc:   "+1d/-2h",
	parse: func(s string) (value, error) {
		if s[0] == '+' || s[0] == '-' {
			d, err := parseStep(s)
			if err != nil {
				return value{}, err
			}
			return value{d: d, rel: true}, nil
		}
		d, err := parseDuration(s)
		if err != nil {
			return value{}, err
		}
		if d < 0 {
			return value{}, errors.New("must not be negative")
		}
		return value{d: d}, nil
	},
	wire: func(raw string) (value, error) {
		s, err := unquote(raw)
		if err != nil {
			return value{}, err
		}
		d, err := parseDuration(s)
		return value{d: d}, err
	},
	equal: func(a, b value) bool { return a.d == b.d },
	show:  func(v value) string { return quote(formatTimeSpan(v.d)) },
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
	if err != nil || n < 0 || n > 100000 {
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

// parseDuration reads 14d, 36h, 90m, 45s, Go durations (1h30m), or a .NET
// TimeSpan [-][d.]hh:mm:ss[.fffffff].
func parseDuration(s string) (time.Duration, error) {
	if strings.Contains(s, ":") {
		return parseTimeSpan(s)
	}
	if strings.HasSuffix(s, "d") || strings.HasSuffix(s, "w") {
		d, err := parseStep("+" + s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration like 14d, 36h or 1.12:00:00", s)
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 14d, 36h or 1.12:00:00", s)
	}
	return d, nil
}

// parseTimeSpan reads a .NET TimeSpan "[-][d.]hh:mm:ss[.fffffff]".
func parseTimeSpan(s string) (time.Duration, error) {
	bad := fmt.Errorf("%q is not a TimeSpan [d.]hh:mm:ss", s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var days int64
	if dot := strings.IndexByte(s, '.'); dot >= 0 && dot < strings.IndexByte(s, ':') {
		n, err := strconv.ParseInt(s[:dot], 10, 64)
		if err != nil {
			return 0, bad
		}
		days, s = n, s[dot+1:]
	}
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0, bad
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseFloat(parts[2], 64)
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || sec >= 60 {
		return 0, bad
	}
	d := time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*float64(time.Second))
	if neg {
		d = -d
	}
	return d, nil
}

// formatTimeSpan writes d as a .NET TimeSpan, as VTEX does.
func formatTimeSpan(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	out := fmt.Sprintf("%02d:%02d:%02d", d/time.Hour, d%time.Hour/time.Minute, d%time.Minute/time.Second)
	if frac := d % time.Second; frac != 0 {
		out += fmt.Sprintf(".%07d", frac/100)
	}
	if days > 0 {
		out = strconv.FormatInt(int64(days), 10) + "." + out
	}
	return sign + out
}
